package dev.consentry.twin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cmd testharness enable} as an Android 10+ handset answers it: reset, reboot, back provisioned, adb kept. */
class TestHarnessModeTest {
    private static final String CA_DIR = "/apex/com.android.conscrypt/cacerts";

    @Test
    void enableWipesTheHandsetRebootsPastTheWizardAndKeepsAdb() throws Exception {
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware("pixel-8-android14").withSerial("pixel-th")
                .withSetupCompleted(true).withRebootTime(Duration.ofMillis(700)).start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("pixel-th");
            String androidId = wire.shell(s, "settings", List.of("get", "secure", "android_id")).trim();
            String bootId = wire.shell(s, "cat", List.of("/proc/sys/kernel/random/boot_id")).trim();
            assertThat(bootId).matches("[0-9a-f-]{36}");
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", "127.0.0.1:8080"));
            assertThat(wire.post("/session/" + s + "/execute/sync", Map.of("script", "mobile: pushFile", "args",
                    List.of(Map.of("remotePath", CA_DIR + "/0a1b2c3d.0", "payload",
                            Base64.getEncoder().encodeToString("pem".getBytes()))))).status()).isEqualTo(200);
            wire.shell(s, "content", List.of("insert", "--uri", "content://com.android.contacts/raw_contacts",
                    "--bind", "account_type:s:", "--bind", "account_name:s:"));
            wire.shell(s, "settings", List.of("put", "secure", "usage_diagnostics", "1"));

            assertThat(wire.shell(s, "cmd", List.of("testharness", "enable"))).isEmpty();

            // The UiAutomator2 server died with the boot: the old session's commands fail until it is deleted.
            WireClient.Reply dead = awaitFailure(wire, s);
            assertThat(dead.status()).isEqualTo(500);
            assertThat(String.valueOf(dead.valueMap().get("message")))
                    .contains("instrumentation process is not running");
            assertThat(wire.delete("/session/" + s).status()).isEqualTo(200);

            String s2 = awaitNewSession(wire, "pixel-th", Duration.ofSeconds(10));
            assertThat(wire.shell(s2, "settings", List.of("get", "global", "device_provisioned")).trim())
                    .isEqualTo("1");
            assertThat(wire.shell(s2, "settings", List.of("get", "global", "http_proxy")).trim()).isEqualTo("null");
            assertThat(wire.shell(s2, "ls", List.of(CA_DIR)).trim()).isEmpty();
            assertThat(wire.shell(s2, "content", List.of("query", "--uri",
                    "content://com.android.contacts/raw_contacts"))).contains("No result found");
            // The wizard never ran: its pre-ticked boxes were never committed; a setting changed by hand is gone.
            assertThat(wire.shell(s2, "settings", List.of("get", "secure", "usage_diagnostics")).trim())
                    .isEqualTo("null");
            assertThat(wire.shell(s2, "getprop", List.of("persist.sys.test_harness")).trim()).isEqualTo("1");
            assertThat(wire.shell(s2, "cat", List.of("/proc/sys/kernel/random/boot_id")).trim())
                    .matches("[0-9a-f-]{36}").isNotEqualTo(bootId);
            assertThat(wire.shell(s2, "settings", List.of("get", "secure", "android_id")).trim())
                    .as("a wipe generates a new Android ID").matches("[0-9a-f]{16}").isNotEqualTo(androidId)
                    .isEqualTo(twin.identity().androidId());
            assertThat(wire.shell(s2, "cmd", List.of("phone", "get-imei", "0"))).contains(twin.identity().imei());
            assertThat((String) wire.get("/session/" + s2 + "/source").value())
                    .contains("com.google.android.apps.nexuslauncher").doesNotContain("setupwizard");
        }
    }

    @Test
    void handsetsBeforeAndroid10DoNotKnowTheCommand() throws Exception {
        try (VirtualHandset kitkat = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                .withSerial("kitkat").start()) {
            WireClient wire = new WireClient(kitkat.uri());
            String s = wire.newSession("kitkat");
            assertThat(wire.shell(s, "cmd", List.of("testharness", "enable"))).contains("cmd: not found");
            assertThat(wire.shell(s, "settings", List.of("get", "global", "device_provisioned")).trim())
                    .isEqualTo("0");
        }
    }

    private static WireClient.Reply awaitFailure(WireClient wire, String s) throws Exception {
        Instant end = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(end)) {
            WireClient.Reply r = wire.post("/session/" + s + "/execute/sync", Map.of("script", "mobile: shell",
                    "args", List.of(Map.of("command", "echo", "args", List.of("up")))));
            if (r.status() != 200) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the session kept working after cmd testharness enable");
    }

    private static String awaitNewSession(WireClient wire, String udid, Duration timeout) throws Exception {
        Instant end = Instant.now().plus(timeout);
        String lastError = "";
        boolean sawOffline = false;
        while (Instant.now().isBefore(end)) {
            WireClient.Reply r = wire.post("/session", Map.of("capabilities", Map.of("alwaysMatch",
                    Map.of("platformName", "Android", "appium:automationName", "UiAutomator2", "appium:udid", udid))));
            if (r.status() == 200) {
                assertThat(sawOffline).as("the handset was off adb while it rebooted").isTrue();
                return (String) r.valueMap().get("sessionId");
            }
            lastError = String.valueOf(r.valueMap().get("message"));
            sawOffline |= lastError.contains("was not in the list of connected devices");
            Thread.sleep(100);
        }
        throw new AssertionError("no session within " + timeout + ": " + lastError);
    }
}
