package dev.consentry.grid;

import dev.consentry.process.ProjectHome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What building a hub and building a relay node have in common: both are a Grid JVM started from the Grid jars with
 * a TOML, a port, a log and a startup timeout.
 */
abstract class GridJvmBuilder<B extends GridJvmBuilder<B>> {
    Path projectHome;
    Path gridLib;
    Path config;
    int port;
    Path logFile;
    Duration startupTimeout = Duration.ofSeconds(60);
    Path java = GridJvm.currentJava();

    abstract B self();

    /** The Consentry checkout; default {@link ProjectHome#locate()}. Other paths default below it. */
    public B withProjectHome(Path home) {
        this.projectHome = home;
        return self();
    }

    /** The Grid jars; default {@code <home>/grid-runtime/target/lib}. */
    public B withGridLib(Path lib) {
        this.gridLib = lib;
        return self();
    }

    /** The TOML this JVM reads (hub: default {@code <home>/grid-config/hub.toml}; node: required). */
    public B withConfig(Path file) {
        this.config = file;
        return self();
    }

    /** The HTTP port; 0 (default) picks a free one. */
    public B withPort(int httpPort) {
        this.port = checkPort(httpPort);
        return self();
    }

    /** Where the JVM's output goes; default a new temporary file. */
    public B withLogFile(Path file) {
        this.logFile = file;
        return self();
    }

    public B withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return self();
    }

    /** The java launcher; default the one running this JVM. */
    public B withJava(Path javaExecutable) {
        this.java = javaExecutable;
        return self();
    }

    Path home() {
        return projectHome != null ? projectHome : ProjectHome.locate();
    }

    Path lib() {
        return gridLib != null ? gridLib : home().resolve(GridJvm.RUNTIME_LIB);
    }

    Path log(String tempPrefix) {
        if (logFile != null) {
            return logFile;
        }
        try {
            return Files.createTempFile(tempPrefix, ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file", e);
        }
    }

    static int checkPort(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
        return p;
    }
}
