package dev.consentry.grid;

import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FarmGridTest {
    private static final HubAddress HUB = new HubAddress("127.0.0.1", 4444, 4442, 4443);

    @TempDir
    Path home;

    @Test
    void oneRelayPerAppiumServerWithOneStereotypePerHandset() throws Exception {
        List<DeviceProfile> profiles = List.of(
                profile("a", "serial-a", 8201, "http://10.0.0.7:4723"),
                profile("b", "serial-b", 8202, "http://10.0.0.8:4723"),
                profile("c", "serial-c", 8203, "http://10.0.0.7:4723"),
                profile("d", "serial-d", 8204, null));
        List<RelayNodeConfig> relays = FarmGrid.relays(profiles, HUB, 5555);
        assertThat(relays).extracting(RelayNodeConfig::name)
                .containsExactly("appium-10.0.0.7-4723", "appium-10.0.0.8-4723", "appium-127.0.0.1-4723");
        assertThat(relays).extracting(RelayNodeConfig::port).containsExactly(5555, 5556, 5557);
        RelayNodeConfig shared = relays.get(0);
        assertThat(shared.relayUrl()).isEqualTo(URI.create("http://10.0.0.7:4723"));
        assertThat(shared.stereotypes()).extracting(s -> s.get("appium:udid")).containsExactly("serial-a", "serial-c");
        assertThat(shared.stereotypes()).extracting(s -> s.get("lab:profile")).containsExactly("a", "c");
        List<String> toml = shared.toToml().lines().toList();
        assertThat(toml).contains("max-sessions = 2");
        assertThat(toml).anySatisfy(l -> assertThat(l).startsWith("configs = [\"1\", '{").contains("\"serial-a\"")
                .contains("}', \"1\", '{").contains("\"serial-c\"").endsWith("}']"));
        assertThat(relays.get(2).relayUrl()).isEqualTo(FarmGrid.DEFAULT_APPIUM);
    }

    @Test
    void twoHandsetsOnOneServerNeedTheirOwnUdidAndSystemPort() throws Exception {
        DeviceProfile a = profile("a", "serial-a", 8201, null);
        assertThatThrownBy(() -> FarmGrid.relays(List.of(a, profile("b", "serial-a", 8202, null)), HUB, 5555))
                .hasMessageContaining("b.yaml: appium.udid: 'serial-a' is also a's");
        assertThatThrownBy(() -> FarmGrid.relays(List.of(a, profile("c", "serial-c", 8201, null)), HUB, 5555))
                .hasMessageContaining("c.yaml: appium.systemPort: 8201 is also a's")
                .hasMessageContaining("parallel UiAutomator2 sessions need their own");
        // On different servers the same systemPort is fine.
        assertThat(FarmGrid.relays(List.of(a, profile("e", "serial-e", 8201, "http://10.0.0.9:4723")), HUB, 5555))
                .hasSize(2);
    }

    @Test
    void configOnlyWritesHubAndRelayTomlAndNamesThem() throws Exception {
        profile("a", "serial-a", 8201, "http://10.0.0.7:4723");
        profile("c", "serial-c", 8203, "http://10.0.0.7:4723");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path dir = home.resolve("out");
        int status = GridUp.run(home, List.of("up", "--config-only", "--dir", dir.toString(), "--port", "4544"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(dir.resolve("hub.toml")).content().contains("port = 4544").contains("session-request-timeout = 300");
        assertThat(dir.resolve("node-appium-10.0.0.7-4723.toml")).content().contains("max-sessions = 2")
                .contains("url = \"http://10.0.0.7:4723\"");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-> http://10.0.0.7:4723 (2 handsets: a, c)");
        assertThatThrownBy(() -> GridUp.run(home, List.of("up", "--port", "80"), System.out, System.err))
                .hasMessageContaining("--port expects a port 1024-65535, got '80'");
        assertThatThrownBy(() -> GridUp.run(home, List.of("up", "--profiles", "nope", "--config-only"), System.out,
                System.err)).hasMessageContaining("--profiles names 'nope'");
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertThat(GridUp.run(home, List.of("up", "--help"), new PrintStream(help, true, StandardCharsets.UTF_8),
                System.err)).isZero();
        assertThat(help.toString(StandardCharsets.UTF_8)).startsWith("usage: consentry grid up");
        assertThatThrownBy(() -> GridUp.run(home, List.of("up", "--colour"), System.out, System.err))
                .hasMessageStartingWith("grid up: unknown option '--colour'").hasMessageContaining("--config-only");
    }

    private DeviceProfile profile(String name, String udid, int systemPort, String server) throws Exception {
        Path dir = Files.createDirectories(home.resolve("device-profiles"));
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                manufacturer: Xiaomi
                model: Redmi 1S
                firmware: { fingerprint: "x", android: "4.4.4", released: "2014-08" }
                uiDialect: miui
                appium:
                  udid: "%s"
                  systemPort: %d
                %s
                identifiers:
                  imei: { command: "dumpsys iphonesubinfo", parse: "line:Device ID" }
                  phoneNumber: { command: "service call iphonesubinfo 6", parse: "parcel-utf16" }
                ca: { store: user, directory: /data/misc/keychain/cacerts-added }
                """.formatted(udid, systemPort, server == null ? "" : "  server: \"" + server + "\""));
        return DeviceProfileLoader.load(file);
    }
}
