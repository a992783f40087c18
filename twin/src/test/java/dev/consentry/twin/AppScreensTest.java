package dev.consentry.twin;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.consentry.twin.TwinTests.awaitLog;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * App screens reached by intents, as the contact-import and cloud-opt-out page objects drive them: a vCard opened
 * with VIEW, the confirmation dialog, the contacts list, Mi Cloud's switches, and the traffic they cause.
 */
class AppScreensTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ravi;Canary;;;\r\nFN:Canary Ravi\r\n"
            + "TEL;TYPE=CELL:+919811112222\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Leela;Canary\r\n"
            + "TEL;CELL:+919833334444\r\nEND:VCARD\r\n";

    @TempDir
    static Path dir;
    static TestCa ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCa.create(dir, "api.account.xiaomi.com");
    }

    @Test
    void vcardViewIntentShowsTheDialogAndOkImportsIntoTheContactsList() throws Exception {
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                .withSerial("redmi1s-2014-08").withSetupCompleted(true).start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014-08");
            push(wire, s, "/sdcard/Download/c.vcf", VCARD);
            assertThat(mobile(wire, s, "mobile: startActivity", Map.of("action", "android.intent.action.VIEW",
                    "uri", "file:///sdcard/Download/c.vcf", "mimeType", "text/x-vcard")).status()).isEqualTo(200);
            String source = (String) wire.get("/session/" + s + "/source").value();
            assertThat(source).contains("resource-id=\"android:id/alertTitle\"")
                    .contains("resource-id=\"android:id/button1\"").contains("package=\"com.android.contacts\"");
            click(wire, s, "android:id/button1");
            assertThat(wire.shell(s, "content", List.of("query", "--uri", "content://com.android.contacts/data")))
                    .contains("data1=Canary Ravi").contains("data1=+919811112222")
                    .contains("data1=Canary Leela").contains("data1=+919833334444");
            assertThat(wire.shell(s, "am", List.of("start", "-n", "com.android.contacts/.activities.PeopleActivity")))
                    .startsWith("Starting: Intent {").doesNotContain("Error");
            String list = (String) wire.get("/session/" + s + "/source").value();
            assertThat(list).contains("text=\"Canary Ravi\"").contains("text=\"Canary Leela\"")
                    .contains("com.android.contacts:id/cliv_name_textview");
            assertThat(wire.shell(s, "am", List.of("start", "-n", "com.example/.Nothing")))
                    .contains("Error: Activity not started, unable to resolve Intent");
            assertThat(mobile(wire, s, "mobile: startActivity", Map.of("intent", "com.example/.Nothing")).status())
                    .isEqualTo(500);
        }
    }

    @Test
    void firmware2014UploadsEveryContactChangeUntilCloudMessagingIsSwitchedOff() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                     .withSerial("redmi1s-2014").withSetupCompleted(true).start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014");
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
            push(wire, s, "/sdcard/Download/c.vcf", VCARD);
            wire.shell(s, "am", List.of("start", "-a", "android.intent.action.VIEW", "-d",
                    "file:///sdcard/Download/c.vcf", "-t", "text/x-vcard"));
            click(wire, s, "android:id/button1");
            RecordingProxy.Flow upload = proxy.await(f -> f.target().contains("/cloudmsg/contacts")
                    && f.text().contains("%2B919833334444"), WAIT);
            assertThat(upload.scheme()).isEqualTo("http");
            assertThat(upload.text()).contains("imei=" + twin.identity().imei()).contains("%2B919811112222");

            wire.shell(s, "am", List.of("start", "-n", "com.miui.cloudservice/.ui.MiCloudSettingsActivity"));
            String settings = (String) wire.get("/session/" + s + "/source").value();
            assertThat(settings).containsPattern("checked=\"true\"[^>]*resource-id=\"com.miui.cloudservice:id/"
                    + "cloud_messaging_switch\"");
            click(wire, s, "com.miui.cloudservice:id/cloud_messaging_switch");
            assertThat(wire.shell(s, "settings", List.of("get", "secure", "cloud_messaging")).trim()).isEqualTo("0");
            assertThat((String) wire.get("/session/" + s + "/source").value()).containsPattern(
                    "checked=\"false\"[^>]*resource-id=\"com.miui.cloudservice:id/cloud_messaging_switch\"");
            int before = proxy.flows.size();
            wire.shell(s, "content", List.of("delete", "--uri", "content://com.android.contacts/raw_contacts"));
            awaitLog(twin, WAIT, "cloud-messaging-contacts: not sent, [cloud_messaging=on] does not hold");
            assertThat(proxy.flows.subList(before, proxy.flows.size()))
                    .noneMatch(f -> f.target().contains("/cloudmsg/"));
        }
    }

    private static void push(WireClient wire, String s, String path, String text) throws Exception {
        assertThat(mobile(wire, s, "mobile: pushFile", Map.of("remotePath", path, "payload",
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)))).status()).isEqualTo(200);
    }

    private static WireClient.Reply mobile(WireClient wire, String s, String script, Map<String, Object> args)
            throws Exception {
        return wire.post("/session/" + s + "/execute/sync", Map.of("script", script, "args", List.of(args)));
    }

    private static void click(WireClient wire, String s, String id) throws Exception {
        var found = wire.post("/session/" + s + "/element", Map.of("using", "id", "value", id));
        assertThat(found.status()).as(String.valueOf(found.body())).isEqualTo(200);
        String eid = (String) found.valueMap().get("element-6066-11e4-a52e-4f735466cecf");
        assertThat(wire.post("/session/" + s + "/element/" + eid + "/click", Map.of()).status()).isEqualTo(200);
    }
}
