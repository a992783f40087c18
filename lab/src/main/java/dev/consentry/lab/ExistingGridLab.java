package dev.consentry.lab;

import dev.consentry.grid.ExistingGrid;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.sink.SinkServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device farm's own Grid: checked for readiness, never started or stopped. The sink still runs here, on the
 * machine whose mitmdumps the handsets use, unless the run asks for real destinations.
 */
public final class ExistingGridLab implements Lab {
    private final URI gridUrl;
    private final List<String> profiles;
    private final String proxyHost;
    private final Optional<SinkServer> sink;

    public ExistingGridLab(URI gridUrl, List<DeviceProfile> profiles, String proxyHost, boolean withSink,
                           Path runDir) {
        ExistingGrid.awaitReady(gridUrl, java.time.Duration.ofSeconds(30));
        this.gridUrl = gridUrl;
        this.profiles = profiles.stream().map(DeviceProfile::name).toList();
        this.proxyHost = proxyHost;
        this.sink = withSink ? Optional.of(SinkServer.start()) : Optional.empty();
    }

    @Override
    public URI gridUrl() {
        return gridUrl;
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
        return proxyHost;
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("lab", "device farm");
        env.put("grid", gridUrl.toString());
        env.put("handsets", String.join(", ", profiles));
        env.put("sink", sink.isPresent() ? "on" : "off");
        return env;
    }

    @Override
    public void close() {
        sink.ifPresent(SinkServer::close);
    }
}
