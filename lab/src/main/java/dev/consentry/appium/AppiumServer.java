package dev.consentry.appium;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.FreePorts;
import dev.consentry.process.HttpProbe;
import dev.consentry.process.ProcessSpec;
import dev.consentry.process.ProcessStartException;
import dev.consentry.process.ProjectHome;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An Appium 3 server on loopback, run from the project's own npm install ({@code appium/}), ready once
 * {@code /status} answers. {@code APPIUM_HOME} points at that install, so the drivers pinned in its package.json are
 * found without {@code appium driver install}.
 */
public final class AppiumServer implements AutoCloseable {
    static final String ENTRY = "node_modules/appium/index.js";
    static final String ADB_SHELL = "uiautomator2:adb_shell";

    private final ExternalProcess process;
    private final URI url;

    private AppiumServer(ExternalProcess process, URI url) {
        this.process = process;
        this.url = url;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server root; sessions are created at {@code url()/session}, and relay nodes point here. */
    public URI url() {
        return url;
    }

    public int port() {
        return url.getPort();
    }

    public Path logFile() {
        return process.logFile();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "Appium server at " + url + " (pid " + process.pid() + ")";
    }

    public static final class Builder {
        private Path projectHome;
        private Path appiumHome;
        private String node = "node";
        private int port;
        private boolean adbShell;
        private Path logFile;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The Consentry checkout; default {@link ProjectHome#locate()}. Only used for the default Appium home. */
        public Builder withProjectHome(Path home) {
            this.projectHome = home;
            return this;
        }

        /** The folder holding package.json and node_modules with appium; default {@code <home>/appium}. */
        public Builder withAppiumHome(Path home) {
            this.appiumHome = home;
            return this;
        }

        /** The Node.js executable; default {@code node} from the PATH. */
        public Builder withNode(String executable) {
            this.node = executable;
            return this;
        }

        /** 0 (default) picks a free port. */
        public Builder withPort(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
            this.port = p;
            return this;
        }

        /** Allows {@code mobile: shell}, which device prep needs ({@code --allow-insecure uiautomator2:adb_shell}). */
        public Builder withAdbShell(boolean allowed) {
            this.adbShell = allowed;
            return this;
        }

        /**
         * Where the server's output goes; default a new temporary file. The console output is captured rather than
         * passing {@code --log}: it holds the same log lines plus what Node prints before Appium's logger exists
         * (missing modules, syntax errors), which is what a failed start needs.
         */
        public Builder withLogFile(Path file) {
            this.logFile = file;
            return this;
        }

        /** An environment variable for the server, e.g. {@code ANDROID_HOME} for UiAutomator2. */
        public Builder withEnvironment(String name, String value) {
            if ("APPIUM_HOME".equals(name)) {
                throw new IllegalArgumentException("set APPIUM_HOME with withAppiumHome(..)");
            }
            environment.put(name, value);
            return this;
        }

        public Builder withStartupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Starts the server and waits until {@code /status} answers.
         *
         * @throws ProcessStartException saying why: Node.js missing, Appium not installed, port in use, or the
         *                               command line and log tail
         */
        public AppiumServer start() {
            Path home = (appiumHome != null ? appiumHome
                    : (projectHome != null ? projectHome : ProjectHome.locate()).resolve("appium"))
                    .toAbsolutePath().normalize();
            Path entry = home.resolve(ENTRY);
            if (!Files.isRegularFile(entry)) {
                throw new ProcessStartException("Appium is not installed in " + home + " (" + entry
                        + " is missing): run `npm ci` in " + home);
            }
            if (port != 0 && FreePorts.inUse(port)) {
                throw new ProcessStartException("cannot start Appium on 127.0.0.1:" + port
                        + ": the port is in use by another process");
            }
            int p = port == 0 ? FreePorts.one() : port;
            URI url = URI.create("http://127.0.0.1:" + p);
            List<String> cmd = new ArrayList<>(List.of(node, entry.toString(), "server",
                    "--address", "127.0.0.1", "--port", String.valueOf(p),
                    // The log is a file, read by people and by failure messages: no terminal colour codes.
                    "--log-no-colors"));
            if (adbShell) {
                cmd.addAll(List.of("--allow-insecure", ADB_SHELL));
            }
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.put("APPIUM_HOME", home.toString());
            Path log = logFile != null ? logFile : tempLog();
            ProcessSpec spec = new ProcessSpec("Appium server", cmd, env, home, log);
            ExternalProcess process;
            try {
                process = ExternalProcess.start(spec, hints(home));
            } catch (ProcessStartException e) {
                if (e.getCause() == null || !String.valueOf(e.getCause().getMessage()).startsWith("Cannot run program")) {
                    throw e;
                }
                throw new ProcessStartException("Node.js (`" + node + "`) cannot be run; install Node.js 20+ or "
                        + "pass its path with withNode(..)\n  " + e.getMessage(), e);
            }
            process.awaitReady("Appium answering " + url + "/status", startupTimeout,
                    new HttpProbe(url.resolve("/status"), Duration.ofSeconds(2)));
            return new AppiumServer(process, url);
        }

        private static Function<String, List<String>> hints(Path home) {
            return ExternalProcess.hintsFor(
                    "EADDRINUSE", "the port is in use by another process",
                    "Cannot find module", "the Appium install in " + home + " is incomplete: run `npm ci` there",
                    "Could not find a driver", "a driver is missing from " + home + ": run `npm ci` there",
                    "SyntaxError", "this Node.js is too old for Appium 3 (needs 20.19+ or 22.12+)",
                    "Unsupported engine", "this Node.js is too old for Appium 3 (needs 20.19+ or 22.12+)");
        }

        private static Path tempLog() {
            try {
                return Files.createTempFile("consentry-appium-", ".log");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create a log file", e);
            }
        }
    }
}
