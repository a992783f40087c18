package dev.consentry.grid;

import dev.consentry.profile.DeviceProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Grid configuration files for a lab: the hub, and one relay node per handset profile. */
public final class GridConfig {
    public static final String HUB_FILE = "hub.toml";
    public static final String LOOPBACK = "127.0.0.1";

    private GridConfig() {
    }

    /** A relay node for a handset profile; its stereotype is {@link DeviceProfile#stereotype()}. */
    public static RelayNodeConfig relay(DeviceProfile profile, URI appiumUrl, HubAddress hub, int nodePort) {
        return relay(profile.name(), profile.stereotype(), appiumUrl, hub, nodePort);
    }

    /**
     * A relay node with an explicit stereotype, for servers that are not UiAutomator2 handsets (Appium's fake driver
     * in tests). Add {@code lab:profile} yourself if requests should be able to choose this node.
     */
    public static RelayNodeConfig relay(String name, Map<String, Object> stereotype, URI appiumUrl, HubAddress hub,
                                        int nodePort) {
        return new RelayNodeConfig(name, appiumUrl, stereotype, LOOPBACK, nodePort, hub);
    }

    /** Node file name for a profile: {@code node-<name>.toml}, with anything unsafe in a file name replaced. */
    public static String nodeFileName(String profileName) {
        return "node-" + profileName.replaceAll("[^A-Za-z0-9._-]", "_") + ".toml";
    }

    /** Writes one node's TOML into {@code dir} and returns the file. */
    public static Path write(Path dir, RelayNodeConfig node) {
        return writeFile(dir.resolve(nodeFileName(node.name())), node.toToml());
    }

    /**
     * Writes the whole set into {@code dir}: {@code hub.toml} and one {@code node-<profile>.toml} per relay, node
     * ports counting up from {@code firstNodePort} in the map's order. Each profile maps to the URL of the Appium
     * server (or virtual handset) behind it.
     */
    public static GridConfigFiles writeAll(Path dir, HubConfig hub, Map<DeviceProfile, URI> relays,
                                           int firstNodePort) {
        List<RelayNodeConfig> nodes = new java.util.ArrayList<>();
        int port = firstNodePort;
        for (Map.Entry<DeviceProfile, URI> e : relays.entrySet()) {
            nodes.add(relay(e.getKey(), e.getValue(), hub.address(), port++));
        }
        return writeAll(dir, hub, nodes);
    }

    public static GridConfigFiles writeAll(Path dir, HubConfig hub, List<RelayNodeConfig> nodes) {
        Map<String, Path> written = new LinkedHashMap<>();
        for (RelayNodeConfig node : nodes) {
            Path file = dir.resolve(nodeFileName(node.name()));
            if (written.containsValue(file)) {
                throw new IllegalArgumentException("two relay nodes would be written to " + file);
            }
            written.put(node.name(), file);
        }
        nodes.forEach(n -> writeFile(written.get(n.name()), n.toToml()));
        return new GridConfigFiles(writeFile(dir.resolve(HUB_FILE), hub.toToml()), written);
    }

    private static Path writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Grid config " + file, e);
        }
    }
}
