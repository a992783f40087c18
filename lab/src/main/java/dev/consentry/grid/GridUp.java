package dev.consentry.grid;

import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code consentry grid up}: writes hub and relay-node TOML for a farm from the device profiles (one relay per Appium
 * server) and starts a local Grid with them, until interrupted. A lab that runs its own Grid passes its URL to
 * {@code consentry run --grid} instead.
 */
public final class GridUp {
    static final String USAGE = """
            usage: consentry grid up [--profiles a,b] [--dir DIR] [--port N] [--node-port N] [--config-only] [--check]
              --profiles a,b   only these device profiles (default: all in device-profiles/)
              --dir DIR        where the TOML goes (default <home>/.consentry/grid)
              --port N         the hub's port (default 4444)
              --node-port N    the first relay node's port (default 5555, counting up; 0: free ports)
              --config-only    write the TOML and stop
              --check          start the Grid, wait until every relay is registered, print it, stop
            """;

    /** Parsed options. */
    record Options(Optional<List<String>> profiles, Optional<Path> dir, int port, int nodePort, boolean configOnly,
                   boolean check) {
        static Options parse(List<String> args) {
            Optional<List<String>> profiles = Optional.empty();
            Optional<Path> dir = Optional.empty();
            int port = 4444;
            int nodePort = 5555;
            boolean configOnly = false;
            boolean check = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--config-only" -> configOnly = true;
                    case "--check" -> check = true;
                    case "--profiles", "--dir", "--port", "--node-port" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("grid up: " + a + " needs a value");
                        }
                        String v = args.get(++i);
                        switch (a) {
                            case "--profiles" -> profiles = Optional.of(List.of(v.split(",")));
                            case "--dir" -> dir = Optional.of(Path.of(v));
                            case "--port" -> port = port(a, v, false);
                            default -> nodePort = port(a, v, true);
                        }
                    }
                    default -> throw new IllegalArgumentException("grid up: unknown option '" + a + "'\n" + USAGE);
                }
            }
            return new Options(profiles, dir, port, nodePort, configOnly, check);
        }

        private static int port(String option, String v, boolean zeroIsFree) {
            try {
                int p = Integer.parseInt(v);
                if ((p >= 1024 && p <= 65535) || (zeroIsFree && p == 0)) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("grid up: " + option + " expects a port 1024-65535, got '" + v + "'");
        }
    }

    private GridUp() {
    }

    /**
     * @return 0 when the Grid ran (or the TOML was written), 2 on a usage error
     * @throws IllegalArgumentException on a usage error, with the message to print
     */
    public static int run(Path home, List<String> args, PrintStream out, PrintStream err) {
        boolean check = args.contains("--check");
        return run(home, args, out, grid -> {
            if (check) {
                return;
            }
            // Until Ctrl-C: the JVM then runs the hook, and the finally block below never gets the chance.
            CountDownLatch forever = new CountDownLatch(1);
            try {
                forever.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, true);
    }

    /**
     * As {@link #run(Path, List, PrintStream, PrintStream)}, with what to do while the Grid is up (the CLI waits
     * until interrupted, or with {@code --check} nothing). Everything started is stopped when it returns.
     */
    public static int run(Path home, List<String> args, PrintStream out, Consumer<URI> whileUp) {
        return run(home, args, out, whileUp, false);
    }

    private static int run(Path home, List<String> args, PrintStream out, Consumer<URI> whileUp,
                           boolean stopOnExit) {
        if (args.isEmpty() || !args.get(0).equals("up")) {
            throw new IllegalArgumentException("grid: expected 'grid up'\n" + USAGE);
        }
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Options o = Options.parse(args.subList(1, args.size()));
        List<DeviceProfile> all = DeviceProfileLoader.loadAll(home.resolve("device-profiles"));
        List<DeviceProfile> chosen = o.profiles().map(names -> names.stream().map(n -> all.stream()
                .filter(p -> p.name().equals(n.trim())).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "grid up: --profiles names '" + n + "', which is not in device-profiles/"))).toList())
                .orElse(all);
        Path dir = o.dir().orElse(home.resolve(".consentry").resolve("grid"));
        // Event-bus ports are the hub's business; free ones keep two Grids on one machine apart.
        List<Integer> events = dev.consentry.process.FreePorts.pick(2);
        HubConfig hubConfig = HubConfig.defaults().withAddress(new HubAddress(GridConfig.LOOPBACK, o.port(),
                events.get(0), events.get(1)));
        List<RelayNodeConfig> relays = FarmGrid.relays(chosen, hubConfig.address(), o.nodePort());
        GridConfigFiles files = GridConfig.writeAll(dir, hubConfig, relays);
        out.println("hub:   " + files.hub());
        relays.forEach(r -> out.println("relay: " + files.nodes().get(r.name()) + " -> " + r.relayUrl() + " ("
                + r.stereotypes().size() + " handset" + (r.stereotypes().size() == 1 ? "" : "s") + ": "
                + String.join(", ", r.stereotypes().stream().map(s -> String.valueOf(s.get("lab:profile"))).toList())
                + ")"));
        if (o.configOnly()) {
            return 0;
        }
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            GridHub hub = GridHub.builder().withProjectHome(home).withConfig(files.hub()).withPort(o.port())
                    .withEventPorts(hubConfig.address().publishPort(), hubConfig.address().subscribePort())
                    .withLogFile(dir.resolve("hub.log")).withStartupTimeout(Duration.ofSeconds(90)).start();
            started.push(hub);
            for (RelayNodeConfig r : relays) {
                started.push(RelayNode.builder().withProjectHome(home).withConfig(files.nodes().get(r.name()))
                        .withPort(r.port()).withHub(hub).withLogFile(dir.resolve(r.name() + ".log"))
                        .withStartupTimeout(Duration.ofSeconds(120)).start());
            }
            out.println("Grid up at " + hub.url() + " with " + hub.nodes().size() + " relay node(s); run "
                    + "`consentry run --grid " + hub.url() + "`");
            if (stopOnExit) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started)));
            }
            whileUp.accept(hub.url());
            return 0;
        } finally {
            closeAll(started);
        }
    }

    private static synchronized void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // Stopping the rest matters more than reporting one that would not stop.
            }
        }
    }
}
