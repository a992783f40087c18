package dev.consentry.verdict;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;
import dev.consentry.policy.Party;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeTest {
    private static final Policy POLICY = PolicyLoader.load(Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath().getParent().resolve("policies"), "default");
    private static final Instant T0 = Instant.parse("2026-11-24T16:00:00Z");

    private static Instant t(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    private static CapturedFlow flow(String id, String scheme, String host, Instant at) {
        return new CapturedFlow(id, at, "127.0.0.1:5000", new HttpRequestData("POST", scheme, host, 443, "/x", "HTTP/1.1",
                List.of(), new byte[0]),
                Optional.empty(), Optional.empty());
    }

    private static Finding leak(CanaryKind kind, String value, String flowId, String host, String scheme) {
        return new Finding(Canary.of(kind, value), flowId, host, scheme, "body", List.of(), value, 0);
    }

    /** The first boot of a handset: Mi Cloud at 2 s, User Experience at 3 s, All set at 4 s, idle from 6 s. */
    private static final Timeline TIMELINE = Timeline.EMPTY.step("prep", t(0)).step("first-boot", t(1))
            .screen("Mi Cloud", t(2)).screen("User Experience Program", t(3)).screen("All set", t(4))
            .step("idle", t(6));

    private static ConsentEntry decision(String purpose, boolean granted, String screen, double at) {
        return new ConsentEntry(purpose, granted, screen, "first-boot", purpose + "_checkbox", t(at));
    }

    private static FlowResult judgeOne(String scheme, String host, CanaryKind kind, double sentAt,
                                       ConsentLedger ledger) {
        CapturedFlow f = flow("f1", scheme, host, t(sentAt));
        Evidence e = Evidence.of("redmi", "first-boot", List.of(f), List.of(leak(kind, "865123045678901", "f1", host,
                scheme))).withTimeline(TIMELINE);
        return Judge.judge(e, ledger, POLICY);
    }

    @Test
    void dataSentBeforeTheUserWasEverAskedFailsAsBeforeConsentNamingTheRuleThatWouldHaveAllowedIt() {
        FlowResult r = judgeOne("http", "api.account.xiaomi.com", CanaryKind.IMEI, 5.0,
                new ConsentLedger(List.of(decision("location", false, "Location", 3.2))));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        JudgedFinding j = r.findings().get(0);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
        assertThat(j.screen()).contains("All set");
        assertThat(j.step()).contains("first-boot");
        assertThat(j.consent().declined()).containsExactly("location");
        assertThat(j.party()).contains(Party.VENDOR);
        assertThat(j.rule()).get().asString().contains("rules.cloud_messaging.vendor");
        assertThat(j.explanation()).contains("imei 865123045678901", "http://api.account.xiaomi.com",
                "(xiaomi, vendor)", "1.0 s after screen 'All set' appeared", "(step first-boot)",
                "granted none; declined location", "cloud_messaging was never asked",
                "plain HTTP, which the policy forbids");
        assertThat(r.reason()).get().asString().startsWith("personal data left the handset: imei to "
                + "api.account.xiaomi.com (before_consent). First: imei");
    }

    @Test
    void aLeakInAWebSocketMessageIsSaidSo() {
        Finding sent = new Finding(Canary.of(CanaryKind.IMEI, "865123045678901"), "f1", "push.miui.com", "https",
                "websocket", List.of("base64"), "865123045678901", 5);
        FlowResult r = Judge.judge(Evidence.of("redmi", "first-boot", List.of(flow("f1", "https", "push.miui.com",
                t(5))), List.of(sent)), ConsentLedger.EMPTY, POLICY);
        assertThat(r.findings()).singleElement().satisfies(j -> assertThat(j.explanation())
                .contains("left in a WebSocket message for https://push.miui.com"));
    }

    @Test
    void aConsentAskedOnlyAfterTheDataLeftIsNamedWithHowMuchLater() {
        FlowResult r = judgeOne("https", "api.account.xiaomi.com", CanaryKind.PHONE_NUMBER, 1.5,
                new ConsentLedger(List.of(decision("cloud_messaging", true, "Mi Cloud", 2.5))));
        JudgedFinding j = r.findings().get(0);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
        assertThat(j.screen()).isEmpty();
        assertThat(j.explanation()).contains("cloud_messaging was only asked 1.0 s later on screen 'Mi Cloud'");
    }

    @Test
    void dataSentAfterItsPurposeWasDeclinedFailsAsAfterDecline() {
        FlowResult r = judgeOne("https", "api.account.xiaomi.com", CanaryKind.CONTACT_PHONE, 4.6,
                new ConsentLedger(List.of(decision("cloud_messaging", true, "Mi Cloud", 2.1),
                        decision("cloud_messaging", false, "Mi Cloud", 2.5))));
        JudgedFinding j = r.findings().get(0);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.AFTER_DECLINE);
        assertThat(j.consent().declined()).containsExactly("cloud_messaging");
        assertThat(j.explanation()).contains("cloud_messaging was declined on screen 'Mi Cloud' (step first-boot)",
                "2.1 s before it was sent");
    }

    @Test
    void dataAllowedByAGrantedRulePassesAndKeepsTheRuleAndConsent() {
        FlowResult r = judgeOne("https", "api.account.xiaomi.com", CanaryKind.IMEI, 4.0,
                new ConsentLedger(List.of(decision("cloud_messaging", true, "Mi Cloud", 2.5))));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        JudgedFinding j = r.findings().get(0);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.ALLOWED);
        assertThat(j.consent().granted()).containsExactly("cloud_messaging");
        assertThat(j.rule()).get().asString().contains("rules.cloud_messaging.vendor");
    }

    @Test
    void aDeclinedPurposeThatCoversTheDataOutweighsOneNeverAsked() {
        // device_identifier may go to the vendor under cloud_messaging (never asked) or diagnostics (declined).
        JudgedFinding j = judgeOne("https", "api.account.xiaomi.com", CanaryKind.IMEI, 5.0,
                new ConsentLedger(List.of(decision("diagnostics", false, "User Experience Program", 3.2))))
                .findings().get(0);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.AFTER_DECLINE);
        assertThat(j.rule()).get().asString().contains("rules.diagnostics.vendor");
    }

    @Test
    void grantedButOverPlainHttpIsCleartext() {
        FlowResult r = judgeOne("http", "api.account.xiaomi.com", CanaryKind.IMEI, 4.0,
                new ConsentLedger(List.of(decision("cloud_messaging", true, "Mi Cloud", 2.5))));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings().get(0).verdict()).isEqualTo(FindingVerdict.CLEARTEXT);
        assertThat(r.findings().get(0).explanation()).contains("must go over HTTPS");
    }

    @Test
    void aHostInNoDestinationIsUnlistedWhateverTheConsent() {
        FlowResult r = judgeOne("https", "collector.example.org", CanaryKind.IMEI, 4.0,
                new ConsentLedger(List.of(decision("cloud_messaging", true, "Mi Cloud", 2.5))));
        assertThat(r.findings().get(0).verdict()).isEqualTo(FindingVerdict.UNLISTED_DESTINATION);
        assertThat(r.findings().get(0).party()).isEmpty();
        assertThat(r.findings().get(0).explanation()).contains("collector.example.org belongs to no destination");
    }

    @Test
    void dataNoRuleLetsGoToThatPartyIsBeforeConsentWithTheNearestRule() {
        FlowResult r = judgeOne("https", "ads.doubleclick.net", CanaryKind.CONTACT_PHONE, 4.0, ConsentLedger.EMPTY);
        JudgedFinding j = r.findings().get(0);
        assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
        assertThat(j.explanation()).contains("No rule of policy default lets contacts go to third_party",
                "nearest: ", "which does not cover third_party");
    }

    @Test
    void opaqueTlsToAPartyThePolicyDoesNotExemptIsInconclusiveWithHostAndTime() {
        Evidence e = Evidence.of("redmi", "first-boot", List.of(flow("f1", "http", "connect.rom.miui.com", t(1))),
                List.of()).withOpaque(List.of(new OpaqueConnection("api.account.xiaomi.com", 443, t(4.5),
                "client does not trust the proxy's certificate"))).withTimeline(TIMELINE);
        FlowResult r = Judge.judge(e, ConsentLedger.EMPTY, POLICY);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.findings()).singleElement().satisfies(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.OPAQUE);
            assertThat(j.doubt()).isTrue();
            assertThat(j.screen()).contains("All set");
        });
        assertThat(r.reason()).get().asString().contains("TLS to api.account.xiaomi.com:443 (xiaomi, vendor)",
                "at " + t(4.5), "does not exempt xiaomi");
    }

    @Test
    void opaqueTlsToAnExemptPartyIsReportedButDoesNotBlockAPass() {
        Evidence e = Evidence.of("pixel", "first-boot", List.of(flow("f1", "http", "connect.rom.miui.com", t(1))),
                List.of()).withOpaque(List.of(new OpaqueConnection("android.googleapis.com", 443, t(4), "")));
        FlowResult r = Judge.judge(e, ConsentLedger.EMPTY, POLICY);
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.findings()).singleElement().satisfies(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.OPAQUE);
            assertThat(j.exempt()).isTrue();
        });
    }

    @Test
    void unobservedConnectionsAndCaptureGapsAreNeverAPass() {
        Evidence base = Evidence.of("redmi", "first-boot", List.of(flow("f1", "http", "connect.rom.miui.com", t(1))),
                List.of());
        FlowResult u = Judge.judge(base.withUnobserved(List.of(new UnobservedConnection("203.0.113.7", 443, "tcp",
                t(3), "SYN"))), ConsentLedger.EMPTY, POLICY);
        assertThat(u.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(u.findings()).extracting(JudgedFinding::verdict).containsExactly(FindingVerdict.UNOBSERVED);
        assertThat(u.reason()).get().asString().contains("203.0.113.7:443", "bypassed the proxy");
        assertThat(u.gaps()).isEmpty();

        UnobservedConnection named = new UnobservedConnection("api.account.xiaomi.com", "203.0.113.7", 80, "tcp",
                t(3), 512, 40, "frame 9");
        FlowResult n = Judge.judge(base.withUnobserved(List.of(named)), ConsentLedger.EMPTY, POLICY);
        assertThat(n.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(n.findings()).singleElement().satisfies(j -> {
            assertThat(j.connection()).contains(named);
            assertThat(j.explanation()).contains("api.account.xiaomi.com (203.0.113.7):80", "512 bytes out",
                    "40 bytes in", "[xiaomi, vendor]");
        });

        FlowResult g = Judge.judge(base.withGaps(List.of(new CaptureGap(t(2), t(5.5), "probe through the proxy "
                + "timed out"))), ConsentLedger.EMPTY, POLICY);
        assertThat(g.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(g.reason()).contains("capture gap from " + t(2) + " to " + t(5.5) + " (3.5 s): probe through "
                + "the proxy timed out");
        assertThat(g.gaps()).containsExactly(new CaptureGap(t(2), t(5.5), "probe through the proxy timed out"));
    }

    @Test
    void necessaryTrafficKnownToCarryNoIdentifierNeedsNoConsentAndBlocksNoVerdict() {
        Evidence base = Evidence.of("redmi", "first-boot", List.of(flow("f1", "http", "tracking.intl.miui.com", t(1))),
                List.of());
        UnobservedConnection time = new UnobservedConnection("time.xiaomi.com", "10.61.0.9", 80, "tcp", t(3), 90, 64,
                "frame 4");
        // Read in full in cleartext, nothing found: exempt, so the test passes.
        FlowResult read = Judge.judge(base.withUnobserved(List.of(time.withCarried(List.of()))), ConsentLedger.EMPTY,
                POLICY);
        assertThat(read.verdict()).isEqualTo(Verdict.PASS);
        assertThat(read.findings()).singleElement().satisfies(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.UNOBSERVED);
            assertThat(j.exempt()).isTrue();
            assertThat(j.explanation()).contains("found no identifier", "necessary traffic ('time', ",
                    "policies/default.yaml:61 necessary.time), which needs no consent");
        });
        // What it carried is unknown (TLS, or cut short): the same host proves nothing.
        FlowResult unknown = Judge.judge(base.withUnobserved(List.of(time)), ConsentLedger.EMPTY, POLICY);
        assertThat(unknown.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(unknown.reason()).get().asString().contains("what it carried is unknown",
                "matches necessary traffic 'time'");
        // Read and clean, but not necessary traffic: the bypass itself stays a doubt.
        UnobservedConnection other = new UnobservedConnection("push.example", "10.61.0.9", 80, "tcp", t(3), 90, 64,
                "frame 4").withCarried(List.of());
        assertThat(Judge.judge(base.withUnobserved(List.of(other)), ConsentLedger.EMPTY, POLICY).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void necessaryTrafficCarryingAnIdentifierIsJudgedLikeAnyOtherAndSaysWhy() {
        // Through the proxy: an OTA check with the IMEI in it.
        FlowResult viaProxy = judgeOne("https", "update.miui.com", CanaryKind.IMEI, 5.0, ConsentLedger.EMPTY);
        assertThat(viaProxy.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(viaProxy.findings()).singleElement().satisfies(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
            assertThat(j.explanation()).contains("matches necessary traffic 'ota check' (",
                    "policies/default.yaml:62 necessary.ota check) but is not exempt because it carried imei "
                            + "865123045678901");
        });
        // Past the proxy, read by the tap in cleartext: the leak is judged, the connection is not exempt.
        Finding onWire = new Finding(Canary.of(CanaryKind.IMEI, "865123045678901"), "tap:frame 7",
                "update.miui.com", "http", "tap", List.of(), "865123045678901", 21);
        UnobservedConnection ota = new UnobservedConnection("update.miui.com", "10.61.0.9", 80, "tcp", t(3), 120,
                64, "frame 7").withCarried(List.of(onWire));
        FlowResult bypass = Judge.judge(Evidence.of("redmi", "first-boot", List.of(flow("f1", "http",
                "tracking.intl.miui.com", t(1))), List.of()).withUnobserved(List.of(ota)), ConsentLedger.EMPTY, POLICY);
        assertThat(bypass.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bypass.findings()).extracting(JudgedFinding::verdict)
                .containsExactlyInAnyOrder(FindingVerdict.UNOBSERVED, FindingVerdict.BEFORE_CONSENT);
        assertThat(bypass.findings()).filteredOn(j -> j.verdict() == FindingVerdict.UNOBSERVED).singleElement()
                .satisfies(j -> {
                    assertThat(j.exempt()).isFalse();
                    assertThat(j.explanation()).contains("it carried imei 865123045678901",
                            "not exempt as necessary traffic ('ota check')");
                });
        assertThat(bypass.findings()).filteredOn(j -> j.leak().isPresent()).singleElement()
                .satisfies(j -> assertThat(j.explanation()).contains("not exempt because it carried imei",
                        "left in cleartext only the network tap saw (not the proxy) for http://update.miui.com"));
    }

    @Test
    void aViolationFailsEvenWhenTheCaptureAlsoHadProblems() {
        CapturedFlow f = flow("f1", "http", "api.account.xiaomi.com", t(5));
        Evidence e = Evidence.of("d", "first-boot", List.of(f), List.of(leak(CanaryKind.IMEI, "865123045678901",
                "f1", "api.account.xiaomi.com", "http"))).withProblems(List.of("mitmdump died"));
        assertThat(Judge.judge(e, ConsentLedger.EMPTY, POLICY).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void silenceIsInconclusiveAndCleanTrafficPasses() {
        assertThat(Judge.judge(Evidence.of("d", "f", List.of(), List.of()), ConsentLedger.EMPTY, POLICY).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Judge.judge(Evidence.of("d", "f", List.of(flow("f1", "http", "connect.rom.miui.com", t(1))),
                List.of()), ConsentLedger.EMPTY, POLICY).verdict()).isEqualTo(Verdict.PASS);
        assertThat(Judge.judge(Evidence.of("d", "f", List.of(), List.of()).withProblems(List.of("stream broke")),
                ConsentLedger.EMPTY, POLICY).reason()).contains("stream broke");
    }
}
