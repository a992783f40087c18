package dev.consentry.twin;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import static dev.consentry.twin.TwinTests.awaitLog;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firmwares' traffic, seen from a recording proxy as the lab's mitmdump would see it. Prep is done over the same
 * shell commands the lab uses.
 */
class TrafficTest {
    private static final String CA_DIR = "/data/misc/keychain/cacerts-added";
    private static final String PKG = "com.android.provision";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> CONTACT_PHONES = List.of("+919811111111", "+919822222222");

    @TempDir
    static Path dir;
    private static TestCa ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCa.create(dir, "api.account.xiaomi.com");
    }

    @Test
    void firmware2014UploadsImeiPhoneAndContactsOverHttpAfterSetup() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                     .withSerial("redmi1s-2014").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014");
            prep(wire, s, proxy, false);
            String imei = twin.identity().imei();
            completeWizard(wire, s, Set.of());
            RecordingProxy.Flow upload = proxy.await(f -> f.method().equals("POST"), WAIT);
            assertThat(upload.scheme()).isEqualTo("http");
            assertThat(upload.host()).isEqualTo("api.account.xiaomi.com");
            Map<String, String> form = form(upload.text());
            assertThat(form).containsEntry("imei", imei).containsEntry("phone", twin.identity().phoneNumber())
                    .containsEntry("contacts", String.join(",", CONTACT_PHONES));
            assertThat(upload.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
            // The connectivity check carries nothing personal.
            RecordingProxy.Flow check = proxy.await(f -> f.host().equals("connect.rom.miui.com"), WAIT);
            assertThat(check.method()).isEqualTo("GET");
            assertThat(check.target()).isEqualTo("/generate_204");
            assertThat(check.target() + check.headers() + check.text()).doesNotContain(imei);
        }
    }

    @Test
    void firmware2014RegistersImeiAndNumberWhenASimIsInsertedAfterSetupNotDuringTheWizard() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset atBoot = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                     .withSerial("redmi1s-sim-boot").start();
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                     .withSerial("redmi1s-sim").withSetupCompleted(true).withSimInserted(false).start()) {
            // A SIM found at power-on is detected in the wizard, before the handset is provisioned: nothing goes.
            awaitLog(atBoot, WAIT, "cloud-messaging-sim-detected: not sent");
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-sim");
            assertThat(wire.shell(s, "getprop", List.of("gsm.sim.state")).trim()).isEqualTo("ABSENT");
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
            assertThat(twin.insertSim()).isTrue();
            assertThat(twin.insertSim()).as("a second SIM cannot go into a full tray").isFalse();
            assertThat(wire.shell(s, "getprop", List.of("gsm.sim.state")).trim()).isEqualTo("READY");
            RecordingProxy.Flow register = proxy.await(f -> f.text().contains("event=sim_inserted"), WAIT);
            assertThat(register.host()).isEqualTo("api.account.xiaomi.com");
            assertThat(register.target()).isEqualTo("/pass/v3/cloudmsg/register");
            assertThat(form(register.text())).containsEntry("imei", twin.identity().imei())
                    .containsEntry("phone", twin.identity().phoneNumber());
            // Out and in again: registered again, as each SIM detection is.
            assertThat(twin.removeSim()).isTrue();
            assertThat(twin.insertSim()).isTrue();
            proxy.await(f -> f != register && f.text().contains("event=sim_inserted"), WAIT);
        }
    }

    @Test
    void firmware201408SendsNothingPersonalWhenCloudMessagingStaysOff() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                     .withSerial("redmi1s-2014-08").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014-08");
            prep(wire, s, proxy, true);
            completeWizard(wire, s, Set.of());
            // The HTTPS config fetch arriving proves TLS through the proxy works with the pushed CA...
            RecordingProxy.Flow config = proxy.await(f -> f.scheme().equals("https"), WAIT);
            assertThat(config.method()).isEqualTo("GET");
            assertThat(config.target()).startsWith("/pass/v3/config");
            // ...then give the opt-in upload (1 s after the toggle) ample time not to happen.
            Thread.sleep(2500);
            assertThat(proxy.flows).noneMatch(f -> f.method().equals("POST"));
            for (RecordingProxy.Flow f : proxy.flows) {
                assertThat(everything(f)).doesNotContain(twin.identity().imei(),
                        b64(twin.identity().imei()), twin.identity().phoneNumber(), CONTACT_PHONES.get(0));
            }
        }
    }

    @Test
    void firmware201408UploadsBase64JsonOverHttpsWhenCloudMessagingIsTurnedOn() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                     .withSerial("redmi1s-2014-08").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014-08");
            prep(wire, s, proxy, true);
            completeWizard(wire, s, Set.of("cloud_messaging_checkbox"));
            RecordingProxy.Flow upload = proxy.await(f -> f.method().equals("POST"), WAIT);
            assertThat(upload.scheme()).isEqualTo("https");
            assertThat(upload.host()).isEqualTo("api.account.xiaomi.com");
            assertThat(upload.headers()).containsEntry("content-encoding", "gzip");
            @SuppressWarnings("unchecked")
            Map<String, String> json = new ObjectMapper().readValue(upload.text(), Map.class);
            assertThat(unb64(json.get("d"))).isEqualTo(twin.identity().imei());
            assertThat(unb64(json.get("p"))).isEqualTo(twin.identity().phoneNumber());
            assertThat(unb64(json.get("c"))).isEqualTo(String.join(",", CONTACT_PHONES));
            assertThat(upload.text()).doesNotContain(twin.identity().imei());
        }
    }

    @Test
    void withoutTheCaHttpsFailsTheHandshakeAndTheProxySeesNoPlaintext() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                     .withSerial("redmi1s-2014-08").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014-08");
            prep(wire, s, proxy, false);
            completeWizard(wire, s, Set.of("cloud_messaging_checkbox"));
            awaitLog(twin, WAIT, "api.account.xiaomi.com/pass/v4/cloudmsg/register via proxy");
            assertThat(proxy.flows).noneMatch(f -> f.scheme().equals("https"));
            assertThat(String.join("\n", twin.logTail(50))).contains("failed").contains("SSLHandshakeException");
        }
    }

    @Test
    void aCaFileNotNamedBySubjectHashIsNotTrusted() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08")
                     .withSerial("redmi1s-2014-08").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("redmi1s-2014-08");
            wire.post("/session/" + s + "/execute/sync", Map.of("script", "mobile: pushFile", "args", List.of(Map.of(
                    "remotePath", CA_DIR + "/lab-ca.pem", "payload", b64(ca.caPem)))));
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
            completeWizard(wire, s, Set.of());
            awaitLog(twin, WAIT, "pass/v3/config");
            assertThat(proxy.flows).noneMatch(f -> f.scheme().equals("https"));
            assertThat(String.join("\n", twin.logTail(50))).contains("lab-ca.pem: a certificate for")
                    .contains("must be named " + subjectHashOld(ca.caCert.getSubjectX500Principal().getEncoded()));
        }
    }

    @Test
    void withoutProxyOrInternetNothingLeavesAndWithInternetTrafficGoesThereDirectly() throws Exception {
        try (RecordingProxy internet = new RecordingProxy(null)) {
            try (VirtualHandset offline = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                    .withSerial("offline").start()) {
                awaitLog(offline, WAIT, "generate_204: not sent, no route to host");
            }
            try (VirtualHandset online = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                    .withSerial("online").withInternet(Optional.of(internet.address())).start()) {
                RecordingProxy.Flow check = internet.await(f -> f.host().equals("connect.rom.miui.com"), WAIT);
                assertThat(check.target()).isEqualTo("/generate_204");
                WireClient wire = new WireClient(online.uri());
                String s = wire.newSession("online");
                // A proxy elsewhere than this machine is never contacted.
                wire.shell(s, "settings", List.of("put", "global", "http_proxy", "192.0.2.10:8080"));
                awaitLog(online, WAIT, "not a loopback address");
            }
        }
    }

    private static void prep(WireClient wire, String s, RecordingProxy proxy, boolean installCa) throws Exception {
        wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
        assertThat(wire.shell(s, "settings", List.of("get", "global", "http_proxy")).trim())
                .isEqualTo(proxy.hostPort());
        if (installCa) {
            String name = subjectHashOld(ca.caCert.getSubjectX500Principal().getEncoded()) + ".0";
            var r = wire.post("/session/" + s + "/execute/sync", Map.of("script", "mobile: pushFile", "args",
                    List.of(Map.of("remotePath", CA_DIR + "/" + name, "payload", b64(ca.caPem)))));
            assertThat(r.status()).isEqualTo(200);
            assertThat(wire.shell(s, "ls", List.of(CA_DIR))).contains(name);
        }
        for (int i = 0; i < CONTACT_PHONES.size(); i++) {
            String raw = "content://com.android.contacts/raw_contacts";
            wire.shell(s, "content", List.of("insert", "--uri", raw, "--bind", "account_type:s:", "--bind",
                    "account_name:s:"));
            String id = Integer.toString(i + 1);
            wire.shell(s, "content", List.of("insert", "--uri", "content://com.android.contacts/data", "--bind",
                    "raw_contact_id:i:" + id, "--bind", "mimetype:s:vnd.android.cursor.item/name", "--bind",
                    "data1:s:Canary " + id));
            wire.shell(s, "content", List.of("insert", "--uri", "content://com.android.contacts/data", "--bind",
                    "raw_contact_id:i:" + id, "--bind", "mimetype:s:vnd.android.cursor.item/phone_v2", "--bind",
                    "data1:s:" + CONTACT_PHONES.get(i), "--bind", "data2:i:2"));
        }
    }

    /** Walks the wizard, ticking the listed checkboxes and unticking every other one. */
    private static void completeWizard(WireClient wire, String s, Set<String> tick) throws Exception {
        for (int i = 0; i < 20; i++) {
            if (!elements(wire, s, "xpath", "//*[@package='com.miui.home']").isEmpty()) {
                return;
            }
            for (String eid : elements(wire, s, "xpath", "//android.widget.CheckBox")) {
                String id = (String) wire.get("/session/" + s + "/element/" + eid + "/attribute/resource-id").value();
                boolean checked = Boolean.parseBoolean((String) wire.get("/session/" + s + "/element/" + eid
                        + "/attribute/checked").value());
                if (checked != tick.contains(id.substring(id.indexOf(":id/") + 4))) {
                    wire.post("/session/" + s + "/element/" + eid + "/click", Map.of());
                }
            }
            String advance = elements(wire, s, "xpath", "//android.widget.Button").get(0);
            wire.post("/session/" + s + "/element/" + advance + "/click", Map.of());
        }
        throw new AssertionError("wizard did not end");
    }

    @SuppressWarnings("unchecked")
    private static List<String> elements(WireClient wire, String s, String using, String value) throws Exception {
        var r = wire.post("/session/" + s + "/elements", Map.of("using", using, "value", value));
        return ((List<Map<String, String>>) r.value()).stream().map(m -> m.get("ELEMENT")).toList();
    }

    private static String everything(RecordingProxy.Flow f) {
        return f.host() + f.target() + f.headers() + f.text();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** OpenSSL's subject_hash_old, computed independently of the twin's code. */
    static String subjectHashOld(byte[] derSubject) throws Exception {
        byte[] md = MessageDigest.getInstance("MD5").digest(derSubject);
        return String.format("%02x%02x%02x%02x", md[3], md[2], md[1], md[0]);
    }
}
