package dev.consentry.grid;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.ProcessSpec;
import dev.consentry.process.ProcessStartException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A Grid component in a JVM of its own, from the jars {@code grid-runtime} copies: the Grid's Selenium must never
 * meet the test classpath, where java-client brings another.
 */
final class GridJvm {
    static final String RUNTIME_LIB = "grid-runtime/target/lib";
    static final String BOOTSTRAP = "org.openqa.selenium.grid.Bootstrap";

    private GridJvm() {
    }

    /** Fails before any process is started when the Grid jars or the config are missing. */
    static void checkInputs(Path gridLib, Path config) {
        boolean hasJars;
        try (Stream<Path> files = Files.isDirectory(gridLib) ? Files.list(gridLib) : Stream.empty()) {
            hasJars = files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            hasJars = false;
        }
        if (!hasJars) {
            throw new ProcessStartException(gridLib + (Files.isDirectory(gridLib) ? " holds no jars" : " does not exist")
                    + ": the Selenium Grid jars are missing; run `mvn -pl grid-runtime package` in the Consentry "
                    + "checkout (" + RUNTIME_LIB + ")");
        }
        if (!Files.isRegularFile(config)) {
            throw new ProcessStartException("Grid config " + config + " does not exist");
        }
    }

    static ProcessSpec spec(String name, Path javaExecutable, Path gridLib, String role, Path config,
                            List<String> overrides, Path workDir, Path logFile) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable.toString(),
                // The JVM expands the classpath wildcard itself; no shell is involved.
                "-cp", gridLib.toAbsolutePath() + "/*", BOOTSTRAP, role, "--config", config.toAbsolutePath().toString()));
        cmd.addAll(overrides);
        return new ProcessSpec(name, cmd, Map.of(), workDir, logFile);
    }

    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Function<String, List<String>> hints() {
        return ExternalProcess.hintsFor(
                "Address already in use", "a port given to this Grid component is in use by another process",
                "BindException", "a port given to this Grid component is in use by another process",
                "ClassNotFoundException", "the Grid jars are incomplete: rerun `mvn -pl grid-runtime package`",
                "Could not find or load main class", "the Grid jars are incomplete: rerun `mvn -pl grid-runtime package`",
                "ConfigException", "the TOML config was rejected; see the log lines below",
                "UnsupportedClassVersionError", "the Grid needs a newer Java than " + currentJava());
    }
}
