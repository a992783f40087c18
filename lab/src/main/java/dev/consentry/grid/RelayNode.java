package dev.consentry.grid;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.FreePorts;
import dev.consentry.process.ProcessSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Grid relay node in its own JVM, ready once the hub lists it as UP. The node registers over the hub's event bus,
 * then the hub checks the relayed server's {@code /status}, so "UP" also means the Appium server behind it answers.
 */
public final class RelayNode implements AutoCloseable {
    private final ExternalProcess process;
    private final URI uri;

    private RelayNode(ExternalProcess process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The URI the node registered under; {@link GridSession#nodeUri()} names it for sessions running here. */
    public URI uri() {
        return uri;
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
        return "relay node " + uri + " (pid " + process.pid() + ")";
    }

    public static final class Builder extends GridJvmBuilder<Builder> {
        private Grid grid;
        private HubAddress eventBus;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** A hub started here: the node registers on its event bus (overriding the config's) and waits for it. */
        public Builder withHub(GridHub hub) {
            this.grid = hub;
            this.eventBus = hub.address();
            return this;
        }

        /** Any Grid: the node registers where its config says, and waits until this Grid lists it. */
        public Builder withGrid(Grid existing) {
            this.grid = existing;
            this.eventBus = null;
            return this;
        }

        /**
         * Starts the node and waits until the hub lists it as UP.
         *
         * @throws dev.consentry.process.ProcessStartException with the command line and log tail
         */
        public RelayNode start() {
            Objects.requireNonNull(config, "withConfig(node.toml) is required");
            Objects.requireNonNull(grid, "withHub(..) or withGrid(..) is required: the node is ready once registered");
            Path lib = lib();
            GridJvm.checkInputs(lib, config);
            int nodePort = port == 0 ? FreePorts.one() : port;
            URI uri = URI.create("http://" + GridConfig.LOOPBACK + ":" + nodePort);
            List<String> overrides = new ArrayList<>(List.of("--host", GridConfig.LOOPBACK,
                    "--port", String.valueOf(nodePort)));
            if (eventBus != null) {
                overrides.addAll(List.of("--publish-events", eventBus.publishEvents(),
                        "--subscribe-events", eventBus.subscribeEvents()));
            }
            Path log = log("consentry-grid-node-");
            ProcessSpec spec = GridJvm.spec("Selenium Grid relay node", java, lib, "node", config, overrides,
                    config.toAbsolutePath().getParent(), log);
            ExternalProcess process = ExternalProcess.start(spec, GridJvm.hints())
                    .awaitReady("node " + uri + " listed as UP by the Grid at " + grid.url()
                                    + " (is the relayed server's /status answering?)",
                            startupTimeout,
                            () -> grid.nodes().stream().anyMatch(n -> n.uri().equals(uri) && n.isUp())
                                    ? Optional.empty() : Optional.of("the Grid does not list it as UP"));
            return new RelayNode(process, uri);
        }
    }
}
