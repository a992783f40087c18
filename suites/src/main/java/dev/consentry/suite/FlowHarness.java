package dev.consentry.suite;

import dev.consentry.allure.HandsetFacts;
import dev.consentry.allure.HandsetFactsCollector;
import dev.consentry.lab.CaptureEvidence;
import dev.consentry.lab.ClientAttribution;
import dev.consentry.lab.LabParameters;
import dev.consentry.lab.tap.TcpdumpTap;
import dev.consentry.profile.TapConfig;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.mitm.CaptureMode;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.LabCa;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.CanaryContact;
import dev.consentry.prep.HandsetPrep;
import dev.consentry.prep.PrepPlan;
import dev.consentry.prep.PreparedHandset;
import dev.consentry.prep.RestoreReport;
import dev.consentry.prep.TestHarnessReset;
import dev.consentry.profile.Reset;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import io.qameta.allure.Allure;
import org.testng.ITestResult;
import org.testng.Reporter;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The frame every flow runs in, per handset: own capture, Appium session through the Grid, prep, the flow, idle,
 * cleanup, leak scan, verdict, evidence. Flows only supply the part that touches screens.
 */
public final class FlowHarness {
    /** Attribute under which the typed result rides on the TestNG result, for listeners that report it. */
    public static final String RESULT_ATTRIBUTE = FlowResult.class.getName();
    /**
     * Health probes through the handset's proxy: before and after the flow and this often in between. A probe that
     * gets no answer within the time-out opens a capture gap; generous, as 2 shared cores can be slow.
     */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** A handset's factory reset and boot take minutes; a twin's, seconds. */
    private static final Duration RESET_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RESET_POLL = Duration.ofSeconds(1);

    @FunctionalInterface
    public interface FlowBody {
        List<ConsentDecision> run(AndroidDriver driver, DeviceProfile profile, FlowRecorder recorder);
    }

    private final LabParameters lab;

    public FlowHarness(LabParameters lab) {
        this.lab = lab;
    }

    public FlowResult run(String profileName, String flow, FlowBody body) {
        return run(profileName, flow, List.of(), body);
    }

    /**
     * @param flowContacts contacts the flow itself puts on the handset (a vCard it imports): canaries like the
     *                     planted ones, and removed by cleanup like them
     */
    public FlowResult run(String profileName, String flow, List<CanaryContact> flowContacts, FlowBody body) {
        DeviceProfile profile = DeviceProfileLoader.load(lab.profilesDir().resolve(profileName + ".yaml"));
        // Every handset runs the same test method: the name must say which handset, for readers of the report.
        Allure.getLifecycle().updateTestCase(tc -> tc.setName(testName(flow, profileName, profile)));
        Allure.label("device", profileName);
        Allure.label("flow", flow);
        // Fail fast: the suite checked the handset once before it started (MIUI's USB debugging (Security settings)).
        HandsetPrechecks.requirePassed(profileName);
        Policy policy = PolicyLoader.load(lab.policy());
        LedgerRecorder recorder = new LedgerRecorder(new AllureFlowRecorder());
        PreparedHandset prepared;
        MitmdumpCapture.Outcome outcome;
        String handsetLog;
        List<CaptureGap> gaps;
        Optional<TcpdumpTap.Result> tapped = Optional.empty();
        InetSocketAddress proxyAddress;
        try (MitmdumpCapture capture = startCapture(profile, flow);
             CaptureProbe probe = new CaptureProbe(capture, PROBE_TIMEOUT);
             // The tap starts before prep and stops after cleanup: the whole flow runs under it.
             TapSession tap = startTap(profile, flow)) {
            proxyAddress = new InetSocketAddress(lab.proxyHost(), capture.proxyAddress().getPort());
            LabCa ca = LabCa.load(lab.confDir());
            AndroidDriver opened = Allure.step("Open Appium session through the Grid", () -> openSession(profile));
            // The reset ends the session it runs in (the handset reboots) and hands back one on the new boot.
            AndroidDriver driver = resetsBefore(profile, flow)
                    ? Allure.step("Reset: Test Harness Mode (cmd testharness enable), wait for the handset",
                            () -> new TestHarnessReset<>(sessions(profile), profile, RESET_TIMEOUT, RESET_POLL)
                                    .reset(opened))
                    : opened;
            try {
                HandsetPrep prep = new HandsetPrep(new AppiumShell(driver, Duration.ofSeconds(30)),
                        (path, bytes) -> driver.executeScript("mobile: pushFile",
                                Map.of("remotePath", path, "payload", Base64.getEncoder().encodeToString(bytes))),
                        profile);
                // On the lab's access point the handset has no proxy setting (":0" is Android's "none").
                String proxy = profile.accessPoint().isPresent() ? ":0"
                        : lab.proxyHost() + ":" + capture.proxyAddress().getPort();
                recorder.step("prep");
                prepared = Allure.step("Prep: proxy " + proxy + ", lab CA, identifiers, 3 canary contacts",
                        () -> prep.prepare(new PrepPlan(proxy, ca.pem(), ca.androidFileName(),
                                CanaryContact.generate(3))));
                AllureEvidence.beforeScan(prepared.canaries()).canaries(prepared.canaries());
                readHandsetFacts(profileName, new AppiumShell(driver, Duration.ofSeconds(30)));
                try {
                    probe.probe();
                    probe.every(PROBE_INTERVAL);
                    recorder.step(flow);
                    recorder.addUnrecorded(Allure.step(flow, () -> body.run(driver, profile, recorder)));
                    recorder.step("idle");
                    Allure.step("Idle " + lab.idle().toSeconds() + " s with the capture listening",
                            () -> Thread.sleep(lab.idle().toMillis()));
                } finally {
                    recorder.step("cleanup");
                    RestoreReport restore = Allure.step("Cleanup: proxy, CA, canary contacts",
                            () -> prep.restore(prepared));
                    if (!restore.clean()) {
                        AllureEvidence.beforeScan(prepared.canaries()).text("handset not restored", "text/plain",
                                String.join("\n", restore.leftovers()), ".txt");
                    }
                }
            } finally {
                // Read now, while the session lives; attached only if the test does not pass.
                handsetLog = HandsetLog.tail(new AppiumShell(driver, Duration.ofSeconds(30)), 300);
                driver.quit();
            }
            probe.close();
            probe.probe(); // after the flow: the capture must still see traffic, or the end of the flow is a gap
            tapped = tap.stop();
            outcome = attributed(profile, capture.stop());
            gaps = probe.gaps();
        }
        List<Canary> canaries = new ArrayList<>(prepared.canaries());
        flowContacts.forEach(c -> {
            canaries.add(new Canary(CanaryKind.CONTACT_PHONE, c.phone(), "imported contact " + c.name()));
            canaries.add(new Canary(CanaryKind.CONTACT_NAME, c.name(), "imported contact"));
        });
        Evidence captured = CaptureEvidence.of(profileName, flow, outcome, canaries, gaps, recorder.timeline());
        Evidence evidence = tapped.isEmpty() ? captured : CaptureEvidence.withTap(captured, outcome, tapped.get(),
                canaries, Set.of(profile.tap().get().address()), Set.of(proxyAddress));
        FlowResult result = Judge.judge(evidence, recorder.ledger(), policy);
        AllureEvidence after = AllureEvidence.afterScan(canaries, evidence.leaks());
        after.forReaders(profile.manufacturer() + " " + profile.model() + " (" + (profile.firmware().skin().isBlank()
                ? "Android " + profile.firmware().android() : profile.firmware().skin()) + ", "
                + profile.firmware().released() + ")", result);
        after.timeline(recorder.timeline(), recorder.ledger(), result);
        report(result, evidence, outcome, handsetLog, after, recorder.ledger(), policy);
        return result;
    }

    /**
     * Test Harness Mode skips the setup wizard, so it never runs before first boot: it would leave nothing to walk.
     */
    static boolean resetsBefore(DeviceProfile profile, String flow) {
        return profile.reset() == Reset.TEST_HARNESS && !flow.equals(FirstBootTest.FLOW);
    }

    private AndroidDriver openSession(DeviceProfile profile) {
        return openSession(lab, profile);
    }

    static AndroidDriver openSession(LabParameters lab, DeviceProfile profile) {
        try {
            return new AndroidDriver(lab.gridUrl().toURL(), options(profile));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("Grid URL " + lab.gridUrl() + ": " + e.getMessage(), e);
        }
    }

    private TestHarnessReset.Sessions<AndroidDriver> sessions(DeviceProfile profile) {
        return new TestHarnessReset.Sessions<>() {
            @Override
            public AndroidDriver open() {
                return openSession(profile);
            }

            @Override
            public dev.consentry.prep.Shell shell(AndroidDriver session) {
                return new AppiumShell(session, Duration.ofSeconds(30));
            }

            @Override
            public void close(AndroidDriver session) {
                try {
                    session.quit();
                } catch (RuntimeException e) {
                    // its UiAutomator2 server died with the reboot; the Grid frees the slot either way
                }
            }
        };
    }

    /** "contact-import on pixel-8-android14 (Pixel 8, 2023-10)"; a profile without a skin adds no blank. */
    static String testName(String flow, String profileName, DeviceProfile profile) {
        String build = (profile.firmware().skin() + " " + profile.firmware().released()).strip();
        return flow + " on " + profileName + " (" + profile.model() + ", " + build + ")";
    }

    /** The build that really ran, for the report's environment (the profile says what was expected). */
    private static void readHandsetFacts(String profile, AppiumShell shell) {
        HandsetFacts facts = Allure.step("Read the handset's build (getprop)",
                () -> HandsetFacts.read(profile, key -> shell.run("getprop", key)));
        Allure.step("Handset: " + facts.describe() + "; fingerprint " + facts.fingerprint());
        ITestResult testResult = Reporter.getCurrentTestResult();
        if (testResult != null) {
            testResult.setAttribute(HandsetFactsCollector.ATTRIBUTE, facts);
        }
    }

    private MitmdumpCapture startCapture(DeviceProfile profile, String flow) {
        MitmdumpCapture.Builder b = MitmdumpCapture.builder()
                .withName(profile.name())
                .withListenPort(0)
                .withConfDir(lab.confDir())
                .withWorkDir(lab.workDir().resolve(profile.name()).resolve(flow));
        lab.sink().ifPresent(b::withSink);
        // The access point's iptables (consentry ap-rules) redirect this handset's TCP 80/443 to this port.
        profile.accessPoint().ifPresent(ap -> b.withMode(CaptureMode.TRANSPARENT).withListenHost("0.0.0.0")
                .withListenPort(ap.port()));
        return Allure.step("Start mitmdump for " + profile.name()
                + (profile.accessPoint().isPresent() ? " (transparent, access point)" : ""), b::start);
    }

    private static MitmdumpCapture.Outcome attributed(DeviceProfile profile, MitmdumpCapture.Outcome outcome) {
        return profile.accessPoint().map(ap -> ClientAttribution.attribute(outcome, ap.handsetAddress()))
                .orElse(outcome);
    }

    /** The profile's network tap around one flow, or nothing when the profile names none. */
    private static final class TapSession implements AutoCloseable {
        private final Optional<TcpdumpTap> tap;

        TapSession(Optional<TcpdumpTap> tap) {
            this.tap = tap;
        }

        Optional<TcpdumpTap.Result> stop() {
            return tap.map(TcpdumpTap::stop);
        }

        @Override
        public void close() {
            tap.ifPresent(TcpdumpTap::close);
        }
    }

    private TapSession startTap(DeviceProfile profile, String flow) {
        if (profile.tap().isEmpty()) {
            return new TapSession(Optional.empty());
        }
        TapConfig t = profile.tap().get();
        TcpdumpTap.Builder b = TcpdumpTap.builder().withInterface(t.iface())
                .withFilter("host " + t.address().getHostAddress())
                .withFile(lab.workDir().resolve(profile.name()).resolve(flow).resolve("tap.pcap"));
        t.namespace().ifPresent(b::withNamespace);
        return new TapSession(Optional.of(Allure.step("Start tcpdump on " + t.iface() + " for "
                + t.address().getHostAddress(), b::start)));
    }

    private static UiAutomator2Options options(DeviceProfile profile) {
        UiAutomator2Options o = new UiAutomator2Options()
                .setUdid(profile.udid())
                .setSystemPort(profile.systemPort())
                .setNoReset(true)
                .setNewCommandTimeout(Duration.ofMinutes(5));
        o.setCapability("lab:profile", profile.name());
        return o;
    }

    private static void report(FlowResult result, Evidence captured, MitmdumpCapture.Outcome outcome,
                               String handsetLog, AllureEvidence evidence, ConsentLedger ledger, Policy policy) {
        ITestResult testResult = Reporter.getCurrentTestResult();
        if (testResult != null) {
            testResult.setAttribute(RESULT_ATTRIBUTE, result);
        }
        evidence.flows(captured.flows(), captured.sent());
        evidence.text("consent ledger (policy " + policy.name() + ")", "text/tab-separated-values",
                ledgerText(ledger), ".tsv");
        for (JudgedFinding j : result.findings()) {
            evidence.finding(j, captured.flows(), captured.sent());
        }
        if (result.verdict() != Verdict.PASS) {
            evidence.log("mitmdump log (tail)", outcome.logTail());
            evidence.log("handset log (tail)", handsetLog);
        }
        ConsentAssert.assertPassed(result);
        Allure.step(ConsentAssert.message(result));
    }

    private static String ledgerText(ConsentLedger ledger) {
        StringBuilder s = new StringBuilder("at\tpurpose\tdecision\tscreen\tstep\tcontrol\n");
        ledger.entries().forEach(e -> s.append(e.at()).append('\t').append(e.purpose()).append('\t')
                .append(e.decision()).append('\t').append(e.screen()).append('\t').append(e.step()).append('\t')
                .append(e.control()).append('\n'));
        return s.toString();
    }
}
