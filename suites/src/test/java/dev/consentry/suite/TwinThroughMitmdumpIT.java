package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import dev.consentry.mitm.LabCa;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.pages.miui.MiuiSetupWizard;
import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.CanaryContact;
import dev.consentry.prep.HandsetPrep;
import dev.consentry.prep.PrepPlan;
import dev.consentry.prep.PreparedHandset;
import dev.consentry.prep.RestoreReport;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.sink.SinkServer;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture path without the Grid: a virtual handset prepared over mobile: shell sends real HTTP(S) through a real
 * mitmdump in sink mode, and the requests arrive in Java with their bodies.
 */
class TwinThroughMitmdumpIT {
    private static final Path HOME = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static SinkServer sink;
    private static Path work;

    @BeforeAll
    static void sink() throws Exception {
        sink = SinkServer.start();
        work = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "twin-mitmdump-it"));
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    /** What one first boot produced: the canaries prep read and planted, the flows, and whether cleanup was clean. */
    record Boot(PreparedHandset prepared, List<CapturedFlow> flows, List<String> problems, RestoreReport restore) {
    }

    private static Boot firstBoot(String profileName) throws Exception {
        DeviceProfile profile = DeviceProfileLoader.load(HOME.resolve("device-profiles/" + profileName + ".yaml"));
        Path confDir = work.resolve("confdir");
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(profile.virtualFirmware().orElseThrow())
                .withSerial(profile.udid()).withPort(0).start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName(profileName).withListenPort(0)
                     .withConfDir(confDir).withWorkDir(work.resolve(profileName)).withSink(sink.address()).start()) {
            LabCa ca = LabCa.load(confDir);
            UiAutomator2Options options = new UiAutomator2Options().setUdid(profile.udid()).setNoReset(true);
            AndroidDriver driver = new AndroidDriver(twin.uri().toURL(), options);
            PreparedHandset prepared;
            RestoreReport restore;
            try {
                HandsetPrep prep = new HandsetPrep(new AppiumShell(driver, Duration.ofSeconds(10)),
                        (path, bytes) -> driver.executeScript("mobile: pushFile",
                                Map.of("remotePath", path, "payload", Base64.getEncoder().encodeToString(bytes))),
                        profile);
                prepared = prep.prepare(new PrepPlan("127.0.0.1:" + capture.proxyAddress().getPort(), ca.pem(),
                        ca.androidFileName(), CanaryContact.generate(3)));
                new MiuiSetupWizard(driver, FlowRecorder.NONE, Duration.ofSeconds(10)).completeDecliningEverything();
                // Wait for the firmware's post-setup request rather than sleeping a fixed time.
                capture.awaitFlow(f -> f.request().host().equals("api.account.xiaomi.com"), Duration.ofSeconds(10));
                restore = prep.restore(prepared);
            } finally {
                driver.quit();
            }
            MitmdumpCapture.Outcome outcome = capture.stop();
            return new Boot(prepared, outcome.flows(), outcome.problems(), restore);
        }
    }

    private static String canary(PreparedHandset p, CanaryKind kind) {
        return p.canaries().stream().filter(c -> c.kind() == kind).map(Canary::value).findFirst().orElseThrow();
    }

    @Test
    void the2014FirmwaresPlainHttpPostArrivesWithTheImeiAndContactsInItsBody() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014");
        assertThat(boot.problems()).isEmpty();
        assertThat(boot.restore().leftovers()).isEmpty();
        CapturedFlow post = boot.flows().stream()
                .filter(f -> f.request().host().equals("api.account.xiaomi.com") && f.request().method().equals("POST"))
                .findFirst().orElseThrow(() -> new AssertionError("no POST to api.account.xiaomi.com in " + boot.flows()));
        assertThat(post.request().scheme()).isEqualTo("http");
        String body = new String(post.request().body(), StandardCharsets.UTF_8);
        assertThat(body).contains(canary(boot.prepared(), CanaryKind.IMEI));
        assertThat(post.response()).as("the sink answered").isPresent();
        assertThat(sink.lastFor("api.account.xiaomi.com")).isPresent();

        List<Finding> findings = new LeakDetector(boot.prepared().canaries()).scanAll(boot.flows());
        assertThat(findings).extracting(f -> f.canary().kind())
                .contains(CanaryKind.IMEI, CanaryKind.PHONE_NUMBER, CanaryKind.CONTACT_PHONE);
        assertThat(findings.stream().filter(f -> f.canary().kind() == CanaryKind.CONTACT_PHONE)
                .map(f -> f.canary().value()).distinct()).hasSize(3);
    }

    @Test
    void theAugust2014FirmwaresHttpsIsDecryptedOnceThePreppedCaIsTrustedAndCarriesNoCanary() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014-08");
        assertThat(boot.problems()).isEmpty();
        Optional<CapturedFlow> config = boot.flows().stream()
                .filter(f -> f.request().host().equals("api.account.xiaomi.com")).findFirst();
        assertThat(config).as("HTTPS to api.account.xiaomi.com, decrypted").get()
                .satisfies(f -> assertThat(f.request().scheme()).isEqualTo("https"));
        assertThat(new LeakDetector(boot.prepared().canaries()).scanAll(boot.flows())).isEmpty();
    }
}
