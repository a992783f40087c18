package dev.consentry.twin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Status codes and error bodies on the wire, which client libraries turn into exception types. */
class WebDriverProtocolTest {
    private VirtualHandset twin;
    private WireClient wire;

    @BeforeEach
    void start() {
        twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014").withSerial("redmi1s-2014").start();
        wire = new WireClient(twin.uri());
    }

    @AfterEach
    void stop() {
        twin.close();
    }

    @Test
    void statusLooksLikeAppium() throws Exception {
        var r = wire.get("/status");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.valueMap()).containsEntry("ready", true).containsKey("message");
        assertThat(((Map<?, ?>) r.valueMap().get("build")).containsKey("version")).isTrue();
    }

    @Test
    void sessionCreationChecksCapabilitiesLikeUiAutomator2() throws Exception {
        var wrongPlatform = wire.post("/session", Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("platformName", "iOS", "appium:automationName", "XCUITest"))));
        assertThat(wrongPlatform.status()).isEqualTo(500);
        assertThat(wrongPlatform.valueMap()).containsEntry("error", "session not created");

        var unprefixed = wire.post("/session", Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("platformName", "Android", "appium:automationName", "UiAutomator2", "udid", "x"))));
        assertThat(unprefixed.status()).isEqualTo(400);
        assertThat(unprefixed.valueMap()).containsEntry("error", "invalid argument");

        var firstMatch = wire.post("/session", Map.of("capabilities", Map.of(
                "alwaysMatch", Map.of("platformName", "android"),
                "firstMatch", List.of(Map.of("appium:automationName", "Espresso"),
                        Map.of("appium:automationName", "uiautomator2", "appium:udid", "redmi1s-2014")))));
        assertThat(firstMatch.status()).isEqualTo(200);
        Map<?, ?> caps = (Map<?, ?>) firstMatch.valueMap().get("capabilities");
        assertThat(caps.get("platformName")).isEqualTo("Android");
        assertThat(caps.get("udid")).isEqualTo("redmi1s-2014");
        String id = (String) firstMatch.valueMap().get("sessionId");

        var second = wire.post("/session", Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("platformName", "ANDROID", "appium:automationName", "UiAutomator2"))));
        assertThat(second.valueMap()).containsEntry("error", "session not created");
        assertThat(wire.delete("/session/" + id).status()).isEqualTo(200);
        assertThat(wire.delete("/session/" + id).valueMap()).containsEntry("error", "invalid session id");
    }

    @Test
    void errorsHaveW3cCodesAndStatuses() throws Exception {
        String s = wire.newSession("redmi1s-2014");
        var noElement = wire.post("/session/" + s + "/element", Map.of("using", "id", "value", "nope"));
        assertThat(noElement.status()).isEqualTo(404);
        assertThat(noElement.valueMap()).containsEntry("error", "no such element").containsKeys("message", "stacktrace");

        var badStrategy = wire.post("/session/" + s + "/element", Map.of("using", "css selector", "value", "x"));
        assertThat(badStrategy.status()).isEqualTo(400);
        assertThat(badStrategy.valueMap()).containsEntry("error", "invalid selector");

        var badXpath = wire.post("/session/" + s + "/elements", Map.of("using", "xpath", "value", "//*[@"));
        assertThat(badXpath.valueMap()).containsEntry("error", "invalid selector");

        assertThat(wire.postRaw("/session/" + s + "/element", "{not json").valueMap())
                .containsEntry("error", "invalid argument");
        var unknown = wire.get("/session/" + s + "/no/such/command");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.valueMap()).containsEntry("error", "unknown command");
        assertThat(wire.get("/session/not-a-session/source").valueMap()).containsEntry("error", "invalid session id");
    }

    @Test
    void elementsFromALeftScreenAreStale() throws Exception {
        String s = wire.newSession("redmi1s-2014");
        var next = wire.post("/session/" + s + "/element", Map.of("using", "id", "value", "next_button"));
        String eid = (String) next.valueMap().get("ELEMENT");
        var title = wire.post("/session/" + s + "/element", Map.of("using", "accessibility id", "value", "x"));
        assertThat(title.status()).isEqualTo(404);
        assertThat(wire.post("/session/" + s + "/element/" + eid + "/click", Map.of()).status()).isEqualTo(200);
        var stale = wire.get("/session/" + s + "/element/" + eid + "/text");
        assertThat(stale.status()).isEqualTo(404);
        assertThat(stale.valueMap()).containsEntry("error", "stale element reference");
    }

    @Test
    void shellCanBeDisabledLikeAppiumWithoutAllowInsecure() throws Exception {
        try (VirtualHandset locked = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                .withSerial("locked").withAllowShell(false).start()) {
            WireClient w = new WireClient(locked.uri());
            String s = w.newSession("locked");
            var r = w.post("/session/" + s + "/execute/sync", Map.of("script", "mobile: shell",
                    "args", List.of(Map.of("command", "getprop"))));
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.valueMap().get("message").toString()).contains("uiautomator2:adb_shell");
        }
    }

    @Test
    void severalTwinsRunSideBySide() throws Exception {
        try (VirtualHandset other = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                .withSerial("redmi1s-2014-08").start()) {
            assertThat(other.port()).isNotEqualTo(twin.port());
            String a = wire.newSession("redmi1s-2014");
            String b = new WireClient(other.uri()).newSession("redmi1s-2014-08");
            assertThat(wire.shell(a, "getprop ro.serialno", List.of())).isEqualTo("redmi1s-2014\n");
            assertThat(new WireClient(other.uri()).shell(b, "getprop", List.of("ro.serialno")))
                    .isEqualTo("redmi1s-2014-08\n");
            assertThat(twin.identity().imei()).isNotEqualTo(other.identity().imei());
        }
    }
}
