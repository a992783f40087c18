package dev.consentry.suite;

import dev.consentry.lab.CaptureEvidence;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.LabCa;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.pages.miui.MiuiSetupWizard;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.CanaryContact;
import dev.consentry.prep.HandsetPrep;
import dev.consentry.prep.PrepPlan;
import dev.consentry.prep.PreparedHandset;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.sink.SinkServer;
import dev.consentry.twin.VirtualHandset;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import dev.consentry.consent.ConsentLedger;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every finding verdict and every fail-closed case, driven end to end: a virtual handset walks its wizard with
 * consents granted or declined, its real HTTP(S) goes through a real mitmdump (sink mode) watched by health probes,
 * and the capture is judged against the shipped default policy and a few test policies.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConsentVerdictsIT {
    private static final Path HOME = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Path TEST_POLICIES = Path.of(System.getProperty("basedir", "."), "src/test/resources/policies")
            .toAbsolutePath();
    private static final Policy DEFAULT = PolicyLoader.load(HOME.resolve("policies"), "default");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static SinkServer sink;
    private static Path work;

    @BeforeAll
    static void sink() throws Exception {
        sink = SinkServer.start();
        work = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "consent-verdicts-it"));
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    private static Policy testPolicy(String name) {
        return PolicyLoader.load(TEST_POLICIES, name);
    }

    /** What to do to the lab while the handset boots, to prove the verdict fails closed. */
    enum Sabotage { NONE, UNTRUST_CA, KILL_PROXY, STALL_PROXY }

    /** One first boot: the evidence and the ledger to judge. */
    record Boot(Evidence evidence, ConsentLedger ledger) {
        FlowResult judge(Policy policy) {
            return dev.consentry.verdict.Judge.judge(evidence, ledger, policy);
        }
    }

    private static Boot firstBoot(String profileName, Set<String> grant, Sabotage sabotage) throws Exception {
        DeviceProfile profile = DeviceProfileLoader.load(HOME.resolve("device-profiles/" + profileName + ".yaml"));
        Path confDir = work.resolve("confdir");
        String name = profileName + "-" + String.join("+", grant) + "-" + sabotage;
        LedgerRecorder recorder = new LedgerRecorder(FlowRecorder.NONE);
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(profile.virtualFirmware().orElseThrow())
                .withSerial(profile.udid()).withPort(0).start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName(name)
                     .withListenPort(0).withConfDir(confDir).withWorkDir(work.resolve(name))
                     .withSink(sink.address()).start();
             CaptureProbe probe = new CaptureProbe(capture, PROBE_TIMEOUT)) {
            LabCa ca = LabCa.load(confDir);
            AndroidDriver driver = new AndroidDriver(twin.uri().toURL(),
                    new UiAutomator2Options().setUdid(profile.udid()).setNoReset(true));
            PreparedHandset prepared;
            try {
                HandsetPrep prep = new HandsetPrep(new AppiumShell(driver, Duration.ofSeconds(10)),
                        (path, bytes) -> driver.executeScript("mobile: pushFile",
                                Map.of("remotePath", path, "payload", Base64.getEncoder().encodeToString(bytes))),
                        profile);
                recorder.step("prep");
                prepared = prep.prepare(new PrepPlan("127.0.0.1:" + capture.proxyAddress().getPort(), ca.pem(),
                        ca.androidFileName(), CanaryContact.generate(3)));
                if (sabotage == Sabotage.UNTRUST_CA) {
                    // The handset no longer trusts the lab CA, as a pinning app would refuse it.
                    driver.executeScript("mobile: shell", Map.of("command", "rm",
                            "args", List.of(prepared.caRemotePath())));
                }
                assertThat(probe.probe().healthy()).as("probe before the flow").isTrue();
                probe.every(Duration.ofMillis(500));
                recorder.step("first-boot");
                recorder.addUnrecorded(new MiuiSetupWizard(driver, recorder, Duration.ofSeconds(10)).complete(grant));
                recorder.step("idle");
                if (sabotage == Sabotage.KILL_PROXY) {
                    ProcessHandle.of(capture.pid()).orElseThrow().destroyForcibly();
                }
                if (sabotage == Sabotage.STALL_PROXY) {
                    signal(capture.pid(), "STOP");
                    try {
                        Thread.sleep(PROBE_TIMEOUT.toMillis() + 1500);
                    } finally {
                        signal(capture.pid(), "CONT");
                    }
                }
                // Long enough for the firmwares' post-setup requests (0.5-1 s after the wizard) and a probe or two.
                Thread.sleep(3000);
                recorder.step("cleanup");
                prep.restore(prepared);
            } finally {
                driver.quit();
            }
            probe.close();
            probe.probe();
            MitmdumpCapture.Outcome outcome = capture.stop();
            return new Boot(CaptureEvidence.of(profileName, "first-boot", outcome, prepared.canaries(), probe.gaps(),
                    recorder.timeline()), recorder.ledger());
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -" + signal).isTrue();
    }

    private static List<JudgedFinding> of(FlowResult r, String kind) {
        return r.findings().stream().filter(j -> j.leak().map(f -> f.canary().kind().id().equals(kind)).orElse(false))
                .toList();
    }

    @Test
    void the2014FirmwareFailsBeforeConsentAfterDeclineAndUnlistedDependingOnThePolicy() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014", Set.of(), Sabotage.NONE);
        assertThat(boot.evidence().gaps()).isEmpty();
        assertThat(boot.ledger().entries()).extracting(e -> e.purpose() + "=" + e.decision())
                .containsExactly("diagnostics=declined", "location=declined");

        FlowResult byDefault = boot.judge(DEFAULT);
        assertThat(byDefault.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(of(byDefault, "phone_number")).isNotEmpty().allSatisfy(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
            assertThat(j.screen()).hasValueSatisfying(s -> assertThat(s).isIn("All set", "home"));
            assertThat(j.step()).hasValueSatisfying(s -> assertThat(s).isIn("first-boot", "idle"));
            assertThat(j.consent().declined()).containsExactly("diagnostics", "location");
            assertThat(j.explanation()).contains("cloud_messaging was never asked", "plain HTTP");
        });
        // device_identifier to the vendor is also allowed under diagnostics, which the user declined.
        assertThat(of(byDefault, "imei")).isNotEmpty().allSatisfy(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.AFTER_DECLINE);
            assertThat(j.explanation()).contains("diagnostics was declined on screen 'User Experience Program'");
        });
        assertThatThrownBy(() -> ConsentAssert.assertNoLeak(boot.evidence(), boot.ledger(), DEFAULT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("FAIL redmi-1s-miui5-2014 first-boot")
                .hasMessageContaining("- before_consent: phone_number")
                .hasMessageContaining("- after_decline: imei");

        FlowResult unlisted = boot.judge(testPolicy("no-vendor-destinations"));
        assertThat(unlisted.violations()).isNotEmpty().extracting(JudgedFinding::verdict)
                .containsOnly(FindingVerdict.UNLISTED_DESTINATION);
    }

    @Test
    void consentGrantedButSentOverPlainHttpIsCleartext() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014", Set.of("diagnostics"), Sabotage.NONE);
        FlowResult r = boot.judge(testPolicy("diagnostics-covers-uploads"));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.violations()).extracting(JudgedFinding::verdict).containsOnly(FindingVerdict.CLEARTEXT);
        assertThat(r.violations()).allSatisfy(j -> assertThat(j.consent().granted()).containsExactly("diagnostics"));
    }

    @Test
    void theAugust2014FirmwarePassesDeclinedAndIsAllowedWhenCloudMessagingIsGranted() throws Exception {
        Boot declined = firstBoot("redmi-1s-miui5-2014-08", Set.of(), Sabotage.NONE);
        FlowResult pass = ConsentAssert.assertNoLeak(declined.evidence(), declined.ledger(), DEFAULT);
        assertThat(pass.findings()).isEmpty();

        Boot granted = firstBoot("redmi-1s-miui5-2014-08", Set.of("cloud_messaging"), Sabotage.NONE);
        FlowResult allowed = ConsentAssert.assertNoLeak(granted.evidence(), granted.ledger(), DEFAULT);
        assertThat(allowed.findings()).isNotEmpty().allSatisfy(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.ALLOWED);
            assertThat(j.scheme()).isEqualTo("https");
            assertThat(j.consent().granted()).contains("cloud_messaging");
            assertThat(j.rule()).get().asString().contains("rules.cloud_messaging.vendor");
        });
        assertThat(allowed.findings()).extracting(j -> j.leak().orElseThrow().canary().kind().id())
                .contains("imei", "phone_number", "contact_phone");
    }

    @Test
    void tlsTheHandsetRefusesIsOpaqueAndInconclusiveUnlessThePolicyExemptsTheParty() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014-08", Set.of(), Sabotage.UNTRUST_CA);
        FlowResult r = boot.judge(DEFAULT);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.findings()).filteredOn(j -> j.verdict() == FindingVerdict.OPAQUE).isNotEmpty()
                .allSatisfy(j -> {
                    assertThat(j.host()).isEqualTo("api.account.xiaomi.com");
                    assertThat(j.exempt()).isFalse();
                });
        assertThat(r.reason()).get().asString().contains("TLS to api.account.xiaomi.com:443 (xiaomi, vendor) could "
                + "not be decrypted at ", "does not exempt xiaomi");
        assertThatThrownBy(() -> ConsentAssert.assertNoLeak(boot.evidence(), boot.ledger(), DEFAULT))
                .isInstanceOf(InconclusiveException.class);

        FlowResult exempt = boot.judge(testPolicy("vendor-pinning-exempt"));
        assertThat(exempt.verdict()).as(exempt.reason().orElse("")).isEqualTo(Verdict.PASS);
        assertThat(exempt.findings()).isNotEmpty().allSatisfy(j -> assertThat(j.exempt()).isTrue());
    }

    @Test
    void aProxyThatDiesMidFlowIsInconclusiveWithTheGap() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014-08", Set.of(), Sabotage.KILL_PROXY);
        FlowResult r = boot.judge(DEFAULT);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(boot.evidence().gaps()).singleElement().satisfies(g ->
                assertThat(g.why()).contains("the capture did not recover"));
        assertThat(r.reason()).get().asString().contains("capture gap from ", "mitmdump died");
    }

    @Test
    void aProxyThatStallsIsInconclusiveWithTheGapsTimeSpan() throws Exception {
        Boot boot = firstBoot("redmi-1s-miui5-2014-08", Set.of(), Sabotage.STALL_PROXY);
        FlowResult r = boot.judge(DEFAULT);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(boot.evidence().gaps()).singleElement().satisfies(g -> {
            assertThat(g.length()).isGreaterThanOrEqualTo(PROBE_TIMEOUT);
            assertThat(g.why()).contains("did not answer a probe").doesNotContain("did not recover");
        });
        assertThat(r.reason()).get().asString().startsWith("capture gap from ");
    }
}
