package dev.consentry.twin;

import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.FirmwareLoader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What the twin's tests share: a one-screen firmware around the traffic under test, waiting on the log, the CA. */
final class TwinTests {
    static final String CA_DIR = "/data/misc/keychain/cacerts-added";

    private TwinTests() {
    }

    /** A firmware with a one-button wizard and the given {@code traffic:} entries (YAML lines, indented by two). */
    static Firmware oneScreenFirmware(String name, String rules) {
        return FirmwareLoader.parse(name + ".yaml", String.join("\n",
                "name: " + name,
                "device:",
                "  manufacturer: X",
                "  model: Y",
                "  screen: { width: 720, height: 1280, density: 320 }",
                "  caDirectory: " + CA_DIR,
                "setupWizard:",
                "  package: com.android.provision",
                "  screens:",
                "    - id: only",
                "      title: Only",
                "      controls:",
                "        - { type: button, id: done, text: Done, action: finish }",
                "home: { package: com.miui.home }",
                "traffic:",
                rules, ""));
    }

    /** Waits (bounded) until a line of the twin's log holds {@code fragment}. */
    static void awaitLog(VirtualHandset twin, Duration wait, String fragment) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (twin.logTail(300).stream().anyMatch(l -> l.contains(fragment))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("log never showed '" + fragment + "': " + twin.logTail(30));
    }

    /** Pushes the test CA into {@link #CA_DIR} under its subject_hash_old name, as the lab's prep does. */
    static void pushCa(WireClient wire, String session, TestCa ca) throws Exception {
        String name = TrafficTest.subjectHashOld(ca.caCert.getSubjectX500Principal().getEncoded()) + ".0";
        wire.post("/session/" + session + "/execute/sync", Map.of("script", "mobile: pushFile", "args",
                List.of(Map.of("remotePath", CA_DIR + "/" + name, "payload", Base64.getEncoder()
                        .encodeToString(ca.caPem.getBytes(StandardCharsets.US_ASCII))))));
    }
}
