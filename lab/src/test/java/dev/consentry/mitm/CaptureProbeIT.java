package dev.consentry.mitm;

import dev.consentry.sink.SinkServer;
import dev.consentry.verdict.CaptureGap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Health probes through a real mitmdump: healthy, stalled (SIGSTOP) and back, dead. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CaptureProbeIT {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private static void signal(long pid, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -" + signal + " " + pid).isTrue();
    }

    @Test
    void aStalledProxyLeavesAGapFromTheLastGoodProbeToTheFirstGoodOneAfter() throws Exception {
        try (SinkServer sink = SinkServer.start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName("probe").withConfDir(dir.resolve("conf"))
                     .withWorkDir(dir.resolve("w")).withSink(sink.address()).start();
             CaptureProbe probe = new CaptureProbe(capture, PROBE_TIMEOUT)) {
            CaptureProbe.Result before = probe.probe();
            assertThat(before.healthy()).as(before.why()).isTrue();
            assertThat(probe.gaps()).isEmpty();
            assertThat(capture.flows()).allMatch(CaptureProbe::isProbe);

            signal(capture.pid(), "STOP");
            CaptureProbe.Result stalled;
            try {
                stalled = probe.probe();
            } finally {
                signal(capture.pid(), "CONT");
            }
            assertThat(stalled.healthy()).isFalse();
            assertThat(stalled.why()).contains("did not answer a probe within 2000 ms");

            CaptureProbe.Result after = probe.probe();
            assertThat(after.healthy()).as(after.why()).isTrue();
            assertThat(probe.gaps()).singleElement().satisfies(g -> {
                assertThat(g.from()).isEqualTo(before.at());
                assertThat(g.to()).isEqualTo(after.at());
                assertThat(g.why()).isEqualTo(stalled.why());
            });
            assertThat(capture.stop().problems()).isEmpty();
        }
    }

    @Test
    void aDeadProxyLeavesAGapThatNeverCloses() throws Exception {
        try (SinkServer sink = SinkServer.start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName("probe").withConfDir(dir.resolve("conf"))
                     .withWorkDir(dir.resolve("w")).withSink(sink.address()).start();
             CaptureProbe probe = new CaptureProbe(capture, PROBE_TIMEOUT).every(Duration.ofMillis(300))) {
            assertThat(probe.probe().healthy()).isTrue();
            ProcessHandle.of(capture.pid()).orElseThrow().destroyForcibly();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (probe.results().stream().filter(r -> !r.healthy()).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            probe.close();
            CaptureGap gap = probe.gaps().stream().findFirst().orElseThrow(() -> new AssertionError(
                    "no gap after mitmdump died: " + probe.results()));
            assertThat(probe.gaps()).hasSize(1);
            assertThat(gap.why()).contains("did not answer a probe").contains("the capture did not recover");
            assertThat(gap.to()).isAfter(gap.from());
        }
    }
}
