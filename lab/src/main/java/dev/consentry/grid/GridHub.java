package dev.consentry.grid;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.FreePorts;
import dev.consentry.process.ProcessSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Selenium Grid hub in its own JVM, ready once it answers {@code /status}. Its ports are given on the command line
 * (free ones by default), overriding the config file's.
 *
 * <p>There is deliberately no restart: nodes re-register with a restarted hub only on their 60 s heartbeat, so a
 * fresh hub wants fresh nodes.
 */
public final class GridHub implements Grid, AutoCloseable {
    private final ExternalProcess process;
    private final HubAddress address;
    private final GridClient client;

    private GridHub(ExternalProcess process, HubAddress address) {
        this.process = process;
        this.address = address;
        this.client = new GridClient(address.url());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public URI url() {
        return address.url();
    }

    /** The ports this hub actually listens on; relay nodes register on its event bus. */
    public HubAddress address() {
        return address;
    }

    @Override
    public List<GridNode> nodes() {
        return client.nodes();
    }

    @Override
    public List<GridSession> sessions() {
        return client.sessions();
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
        return "Grid hub at " + url() + " (pid " + process.pid() + ")";
    }

    public static final class Builder extends GridJvmBuilder<Builder> {
        private int publishPort;
        private int subscribePort;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** The event-bus ports nodes register on; 0 (default) picks free ones. */
        public Builder withEventPorts(int publish, int subscribe) {
            this.publishPort = checkPort(publish);
            this.subscribePort = checkPort(subscribe);
            return this;
        }

        /**
         * Starts the hub and waits until it answers.
         *
         * @throws dev.consentry.process.ProcessStartException with the command line and log tail
         */
        public GridHub start() {
            Path lib = lib();
            Path toml = config != null ? config : home().resolve("grid-config").resolve(GridConfig.HUB_FILE);
            GridJvm.checkInputs(lib, toml);
            List<Integer> free = FreePorts.pick(3);
            HubAddress address = new HubAddress(GridConfig.LOOPBACK, or(port, free.get(0)),
                    or(publishPort, free.get(1)), or(subscribePort, free.get(2)));
            List<String> overrides = new ArrayList<>(List.of("--host", address.host(),
                    "--port", String.valueOf(address.port()),
                    "--publish-events", address.publishEvents(),
                    "--subscribe-events", address.subscribeEvents()));
            Path log = log("consentry-grid-hub-");
            ProcessSpec spec = GridJvm.spec("Selenium Grid hub", java, lib, "hub", toml, overrides,
                    toml.toAbsolutePath().getParent(), log);
            GridClient client = new GridClient(address.url());
            ExternalProcess process = ExternalProcess.start(spec, GridJvm.hints())
                    .awaitReady("the hub answering " + address.url() + "/status", startupTimeout,
                            () -> client.answers() ? Optional.empty() : Optional.of("no Grid status document yet"));
            return new GridHub(process, address);
        }

        private static int or(int configured, int free) {
            return configured == 0 ? free : configured;
        }
    }
}
