package dev.consentry.cli;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** `consentry diff` as a user runs it: exit status and what it prints. */
class DiffCommandTest {
    @TempDir
    Path home;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "--home";
        argv[1] = home.toString();
        System.arraycopy(args, 0, argv, 2, args.length);
        return Consentry.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static FlowResult leaking(String device, FindingVerdict v, String host) {
        Finding f = new Finding(Canary.of(CanaryKind.IMEI, "860239315879893"), "f1", host, "http", "body",
                List.of(), "860239315879893", 5);
        return FlowResult.failed(device, "first-boot", List.of(new JudgedFinding(v, Optional.of(f), host, "http",
                Instant.parse("2026-11-24T10:00:00Z"), Optional.empty(), Optional.empty(), ConsentState.NONE,
                Optional.empty(), Optional.empty(), Optional.empty(), false, "imei to " + host)), "leak");
    }

    @Test
    void aNewReleaseThatLeaksMoreRegressesAndOneThatStopsDoesNot() throws Exception {
        Path old = home.resolve("runs/1");
        Files.createDirectories(old);
        SummaryJson.write(List.of(FlowResult.passed("redmi-1s-2014-08", "first-boot")), old.resolve("summary.json"));
        SummaryJson.write(List.of(leaking("redmi-1s-2014", FindingVerdict.BEFORE_CONSENT, "api.account.xiaomi.com"),
                FlowResult.passed("redmi-1s-2014-08", "first-boot")), home.resolve("both.json"));

        assertThat(run("diff", "runs/1", "both.json", "--new-device", "redmi-1s-2014")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("REGRESSED",
                "+ api.account.xiaomi.com: imei", "new data categories sent: imei", "first-boot: PASS -> FAIL");

        out.reset();
        assertThat(run("diff", "both.json", "both.json", "--old-device", "redmi-1s-2014",
                "--new-device", "redmi-1s-2014-08")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no regression",
                "hosts no longer receiving personal data: api.account.xiaomi.com");
    }

    @Test
    void unusableInputExitsTwoAndSaysWhy() {
        assertThat(run("diff", "missing.json", "other.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.json: no such file");
        err.reset();
        assertThat(run("diff", "only-one.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected OLD and NEW");
    }
}
