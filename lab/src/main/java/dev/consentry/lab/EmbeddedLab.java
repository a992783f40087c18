package dev.consentry.lab;

import dev.consentry.grid.GridConfig;
import dev.consentry.grid.GridHub;
import dev.consentry.grid.RelayNode;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.sink.SinkServer;
import dev.consentry.twin.VirtualHandset;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The default lab: one virtual handset per profile that names a twin firmware, each behind its own relay node on a
 * local Selenium Grid hub, plus the sink that stands in for the internet. Everything it starts it stops, in reverse
 * order, also when starting fails half-way.
 */
public final class EmbeddedLab implements Lab {
    private final Deque<AutoCloseable> started;
    private final GridHub hub;
    private final List<String> profiles;
    private final Optional<SinkServer> sink;

    private EmbeddedLab(Deque<AutoCloseable> started, GridHub hub, List<String> profiles, Optional<SinkServer> sink) {
        this.started = started;
        this.hub = hub;
        this.profiles = profiles;
        this.sink = sink;
    }

    /**
     * @param profiles profiles with {@code virtual.firmware}; others are refused, as there is nothing to run them on
     * @param runDir   where Grid configs and logs go
     * @param withSink start the sink (captures then never reach the real destination)
     */
    public static EmbeddedLab start(List<DeviceProfile> profiles, Path home, Path runDir, boolean withSink) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Optional<SinkServer> sink = Optional.empty();
            if (withSink) {
                SinkServer s = SinkServer.start();
                started.push(s);
                sink = Optional.of(s);
            }
            Map<DeviceProfile, VirtualHandset> twins = new LinkedHashMap<>();
            for (DeviceProfile p : profiles) {
                String firmware = p.virtualFirmware().orElseThrow(() -> new IllegalArgumentException(
                        p.source() + ": virtual.firmware: the embedded lab needs a virtual handset for '" + p.name()
                                + "'; run it on a farm with --grid URL instead"));
                if (p.accessPoint().isPresent()) {
                    throw new IllegalArgumentException(p.source() + ": capture: the embedded lab's virtual handsets "
                            + "run behind a proxy setting only; run '" + p.name() + "' on a lab with its access point "
                            + "(--grid URL, and `consentry ap-rules` on the access point's host)");
                }
                // A build that drops ADB in the wizard reaches a lab already set up (by hand or Test Harness Mode).
                VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware).withSerial(p.udid())
                        .withSetupCompleted(!p.build().adbThroughWizard()).withPort(0).start();
                started.push(twin);
                twins.put(p, twin);
            }
            Path gridDir = runDir.resolve("grid");
            GridHub hub = GridHub.builder().withProjectHome(home).withPort(0)
                    .withLogFile(gridDir.resolve("hub.log")).withStartupTimeout(Duration.ofSeconds(90)).start();
            started.push(hub);
            // Node JVMs take seconds each to start and register: start them side by side.
            List<CompletableFuture<RelayNode>> nodes = new ArrayList<>();
            twins.forEach((profile, twin) -> nodes.add(CompletableFuture.supplyAsync(() -> {
                Path config = GridConfig.write(gridDir, GridConfig.relay(profile, twin.uri(), hub.address(), 0));
                return RelayNode.builder().withProjectHome(home).withConfig(config).withHub(hub)
                        .withLogFile(gridDir.resolve(profile.name() + "-node.log"))
                        .withStartupTimeout(Duration.ofSeconds(120)).start();
            })));
            RuntimeException failure = null;
            for (CompletableFuture<RelayNode> f : nodes) {
                try {
                    started.push(f.join());
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new EmbeddedLab(started, hub, profiles.stream().map(DeviceProfile::name).toList(), sink);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    @Override
    public URI gridUrl() {
        return hub.url();
    }

    @Override
    public List<String> profiles() {
        return profiles;
    }

    @Override
    public Optional<InetSocketAddress> sink() {
        return sink.map(SinkServer::address);
    }

    @Override
    public String proxyHost() {
        return "127.0.0.1";
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("lab", "embedded (virtual handsets)");
        env.put("grid", hub.url().toString());
        env.put("handsets", String.join(", ", profiles));
        env.put("sink", sink.map(s -> "on").orElse("off"));
        return env;
    }

    @Override
    public void close() {
        closeAll(started, null);
    }

    private static void closeAll(Deque<AutoCloseable> started, RuntimeException primary) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                }
            }
        }
    }
}
