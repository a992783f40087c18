package dev.consentry.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.profile.BuildKind;
import dev.consentry.profile.CaInstall;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.Firmware;
import dev.consentry.profile.IdentifierRead;
import dev.consentry.profile.Reset;
import dev.consentry.profile.UiDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridConfigTest {
    private static final HubAddress HUB = new HubAddress("127.0.0.1", 4444, 4442, 4443);

    static DeviceProfile profile(String name, String udid) {
        return new DeviceProfile(name, Path.of(name + ".yaml"), "Xiaomi", "Redmi 1S",
                new Firmware("Xiaomi/armani/armani:4.4.4", "4.4.4", "MIUI V5", "2014-08"), UiDialect.MIUI, udid, 8200,
                new IdentifierRead("dumpsys iphonesubinfo", "line:Device ID"),
                new IdentifierRead("service call iphonesubinfo 5", "parcel-utf16"),
                new CaInstall("user", "/data/misc/user/0/cacerts-added", Optional.empty()), Optional.empty(),
                new BuildKind("userdebug", true, Optional.empty()), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Reset.NONE, Optional.empty());
    }

    @Test
    void relayNodeTomlHasTheExpectedLines() throws Exception {
        RelayNodeConfig node = GridConfig.relay(profile("redmi-1s-2014-08", "twin-0001"),
                URI.create("http://127.0.0.1:4723"), HUB, 5555);

        List<String> lines = node.toToml().lines().toList();

        assertThat(lines).containsSubsequence(
                "[server]", "host = \"127.0.0.1\"", "port = 5555",
                "[events]", "publish = \"tcp://127.0.0.1:4442\"", "subscribe = \"tcp://127.0.0.1:4443\"",
                "[node]", "detect-drivers = false", "max-sessions = 1",
                "[relay]", "url = \"http://127.0.0.1:4723\"", "status-endpoint = \"/status\"");
        assertThat(lines).contains("configs = [\"1\", '{\"platformName\":\"Android\",\"appium:automationName\":"
                + "\"UiAutomator2\",\"appium:udid\":\"twin-0001\",\"lab:profile\":\"redmi-1s-2014-08\"}']");
        assertThat(stereotypeOf(node.toToml())).isEqualTo(profile("redmi-1s-2014-08", "twin-0001").stereotype());
    }

    @Test
    void awkwardValuesSurviveJsonInsideToml() throws Exception {
        Map<String, Object> stereotype = new LinkedHashMap<>();
        stereotype.put("platformName", "Fake");
        stereotype.put("appium:app", "C:\\apps\\fake \"one\".xml");
        stereotype.put("lab:profile", "o'brien");
        stereotype.put("lab:note", "line1\nline2\ttab");
        RelayNodeConfig node = GridConfig.relay("odd", stereotype, URI.create("http://127.0.0.1:4723"), HUB, 5555);

        String configsLine = node.toToml().lines().filter(l -> l.startsWith("configs = ")).findFirst().orElseThrow();

        assertThat(configsLine).doesNotContain("\n");
        assertThat(stereotypeOf(node.toToml())).isEqualTo(stereotype);
    }

    @Test
    void unprefixedCapabilityIsRefused() {
        assertThatThrownBy(() -> GridConfig.relay("x", Map.of("udid", "1"), URI.create("http://127.0.0.1:1"), HUB, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'udid' needs a vendor prefix");
    }

    @Test
    void committedHubTomlIsTheGeneratedDefault() throws Exception {
        Path committed = projectFile("grid-config/hub.toml");
        assertThat(Files.readString(committed)).isEqualTo(HubConfig.defaults().toToml());
        assertThat(HubConfig.defaults().toToml().lines()).contains("session-request-timeout = 300",
                "reject-unsupported-caps = true", "bind = true", "publish = \"tcp://127.0.0.1:4442\"");
    }

    @Test
    void writeAllWritesHubAndOneNodePerProfile(@TempDir Path dir) throws Exception {
        Map<DeviceProfile, URI> relays = new LinkedHashMap<>();
        relays.put(profile("redmi-1s-2014", "twin-a"), URI.create("http://127.0.0.1:4723"));
        relays.put(profile("redmi 1s/2014-08", "twin-b"), URI.create("http://127.0.0.1:4724"));
        HubConfig hub = new HubConfig(HUB, Duration.ofSeconds(120), true);

        GridConfigFiles files = GridConfig.writeAll(dir.resolve("run-1/grid"), hub, relays, 5600);

        assertThat(files.hub()).isEqualTo(dir.resolve("run-1/grid/hub.toml"));
        assertThat(Files.readString(files.hub())).contains("session-request-timeout = 120");
        assertThat(files.nodes()).containsOnlyKeys("redmi-1s-2014", "redmi 1s/2014-08");
        assertThat(files.nodes().get("redmi 1s/2014-08").getFileName()).hasToString("node-redmi_1s_2014-08.toml");
        String second = Files.readString(files.nodes().get("redmi 1s/2014-08"));
        assertThat(second.lines()).contains("port = 5601", "url = \"http://127.0.0.1:4724\"");
        assertThat(stereotypeOf(second)).containsEntry("appium:udid", "twin-b");
    }

    @Test
    void twoProfilesMappingToOneFileAreRefused(@TempDir Path dir) {
        URI url = URI.create("http://127.0.0.1:4723");
        List<RelayNodeConfig> nodes = List.of(GridConfig.relay("a/b", Map.of("lab:profile", "1"), url, HUB, 1),
                GridConfig.relay("a_b", Map.of("lab:profile", "2"), url, HUB, 2));
        assertThatThrownBy(() -> GridConfig.writeAll(dir, HubConfig.defaults(), nodes))
                .hasMessageContaining("two relay nodes would be written to");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stereotypeOf(String toml) throws Exception {
        String value = toml.lines().filter(l -> l.startsWith("configs = ")).findFirst().orElseThrow()
                .substring("configs = ".length());
        List<String> configs = TomlStrings.parseArray(value);
        assertThat(configs).hasSize(2);
        assertThat(configs.get(0)).isEqualTo("1");
        return new ObjectMapper().readValue(configs.get(1), LinkedHashMap.class);
    }

    static Path projectFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
