package dev.consentry.grid;

import dev.consentry.profile.DeviceProfile;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device farm's Grid as the profiles describe it: one relay node per Appium server, advertising one stereotype per
 * handset that server drives ({@code appium:udid} pins the handset, {@code lab:profile} lets a test choose it).
 */
public final class FarmGrid {
    /** Where a profile's handset is driven from when it names no {@code appium.server}. */
    public static final URI DEFAULT_APPIUM = URI.create("http://127.0.0.1:4723");

    private FarmGrid() {
    }

    /**
     * @return relay configs in the order the servers first appear in {@code profiles}, node ports counting up from
     *         {@code firstNodePort}
     * @throws IllegalArgumentException when two profiles on one server share a udid or a systemPort (UiAutomator2
     *                                  sessions in parallel on one server need their own)
     */
    public static List<RelayNodeConfig> relays(List<DeviceProfile> profiles, HubAddress hub, int firstNodePort) {
        Map<URI, List<DeviceProfile>> byServer = new LinkedHashMap<>();
        for (DeviceProfile p : profiles) {
            byServer.computeIfAbsent(p.appiumServer().orElse(DEFAULT_APPIUM), u -> new ArrayList<>()).add(p);
        }
        List<RelayNodeConfig> nodes = new ArrayList<>();
        int port = firstNodePort;
        for (Map.Entry<URI, List<DeviceProfile>> e : byServer.entrySet()) {
            check(e.getKey(), e.getValue());
            List<Map<String, Object>> stereotypes = e.getValue().stream().map(DeviceProfile::stereotype).toList();
            nodes.add(new RelayNodeConfig(serverName(e.getKey()), e.getKey(), stereotypes, GridConfig.LOOPBACK,
                    port == 0 ? 0 : port++, hub));
        }
        return nodes;
    }

    /** A file-name-safe name for a server: {@code appium-10.0.0.7-4723}. */
    static String serverName(URI server) {
        int port = server.getPort() != -1 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
        return "appium-" + server.getHost() + "-" + port;
    }

    private static void check(URI server, List<DeviceProfile> handsets) {
        Map<String, String> udids = new LinkedHashMap<>();
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (DeviceProfile p : handsets) {
            String other = udids.putIfAbsent(p.udid(), p.name());
            if (other != null) {
                throw new IllegalArgumentException(p.source() + ": appium.udid: '" + p.udid() + "' is also "
                        + other + "'s, on the same Appium server " + server);
            }
            String samePort = ports.putIfAbsent(p.systemPort(), p.name());
            if (samePort != null) {
                throw new IllegalArgumentException(p.source() + ": appium.systemPort: " + p.systemPort()
                        + " is also " + samePort + "'s, on the same Appium server " + server
                        + "; parallel UiAutomator2 sessions need their own");
            }
        }
    }
}
