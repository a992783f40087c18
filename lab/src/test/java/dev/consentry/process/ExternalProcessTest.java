package dev.consentry.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalProcessTest {
    @TempDir
    Path dir;

    private ProcessSpec sh(String script) {
        return ProcessSpec.of("test shell", List.of("sh", "-c", script), dir, dir.resolve("logs/out.log"));
    }

    @Test
    void earlyExitReportsCodeCommandAndLogTail() {
        ExternalProcess p = ExternalProcess.start(sh("echo first; echo 'it broke'; exit 3"),
                text -> text.contains("it broke") ? List.of("fix the thing") : List.of());

        assertThatThrownBy(() -> p.awaitReady("never", Duration.ofSeconds(10), () -> Optional.of("waiting")))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("exited with code 3 before never")
                .hasMessageContaining("command: sh -c 'echo first; echo '\\''it broke'\\''; exit 3'")
                .hasMessageContaining("hint: fix the thing")
                .hasMessageContaining("| it broke")
                .satisfies(e -> assertThat(((ProcessStartException) e).logTail()).isEqualTo("first\nit broke"));
    }

    @Test
    void timeOutStopsTheProcessAndSaysWhatWasMissing() {
        ExternalProcess p = ExternalProcess.start(sh("sleep 30"));

        assertThatThrownBy(() -> p.awaitReady("port 1 open", Duration.ofMillis(300),
                () -> Optional.of("nothing listens")))
                .hasMessageContaining("was not ready within 300 ms (port 1 open; last check: nothing listens)");
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void readyAsSoonAsTheCheckSaysSo() throws Exception {
        Path marker = dir.resolve("ready");
        ExternalProcess p = ExternalProcess.start(sh("sleep 0.3; touch " + marker + "; sleep 30"));
        try {
            p.awaitReady("marker file", Duration.ofSeconds(10),
                    () -> Files.exists(marker) ? Optional.empty() : Optional.of("no marker"));
            assertThat(p.isAlive()).isTrue();
        } finally {
            assertThat(p.stop(Duration.ofSeconds(5)).killed()).isFalse();
        }
    }

    @Test
    void stubbornProcessIsKilledAfterTheGracePeriod() {
        ExternalProcess p = ExternalProcess.start(sh("trap '' TERM; echo up; while true; do sleep 0.1; done"));
        p.awaitReady("says up", Duration.ofSeconds(10),
                () -> p.logTail(1).contains("up") ? Optional.empty() : Optional.of("silent"));

        ProcessExit exit = p.stop(Duration.ofMillis(500));

        assertThat(exit.killed()).isTrue();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void missingProgramFailsAtStartWithTheCommand() {
        assertThatThrownBy(() -> ExternalProcess.start(ProcessSpec.of("ghost", List.of(dir + "/ghost", "-v"), dir,
                dir.resolve("ghost.log")))).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("ghost could not be started").hasMessageContaining("command: " + dir + "/ghost -v");
    }

    @Test
    void failureTailLeavesOutStackFramesAndHintsLookFurtherBack() throws Exception {
        // The telling line sits above more frames than the tail shows, as with a Grid JVM's BindException.
        StringBuilder log = new StringBuilder("Exception in thread \"main\" java.lang.IllegalStateException: boom\n");
        for (int i = 0; i < 200; i++) {
            log.append("\tat org.example.Frame").append(i).append(".run(Frame.java:").append(i).append(")\n");
        }
        log.append("Caused by: java.net.BindException: Address already in use\n")
                .append("    at sun.nio.ch.Net.bind(Net.java:555)\n")
                .append("\t... 12 more\n");
        Path script = Files.writeString(dir.resolve("log.txt"), log);
        ExternalProcess p = ExternalProcess.start(sh("cat " + script + "; exit 1"),
                ExternalProcess.hintsFor("IllegalStateException: boom", "look above the stack trace"));

        assertThatThrownBy(() -> p.awaitReady("never", Duration.ofSeconds(10), () -> Optional.of("waiting")))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("hint: look above the stack trace")
                .hasMessageContaining("| Caused by: java.net.BindException: Address already in use")
                .hasMessageNotContaining("\tat ")
                .hasMessageNotContaining("... 12 more")
                .satisfies(e -> assertThat(((ProcessStartException) e).logTail()).isEqualTo(
                        "Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
                                + "Caused by: java.net.BindException: Address already in use"));
    }

    @Test
    void readableTailKeepsTheLastLinesThatAreNotStackFrames() {
        String log = "a\nb\n\tat x.Y.z(Y.java:1)\nc\n  ... 3 more\nd";

        assertThat(ExternalProcess.readableTail(log, 3)).isEqualTo("b\nc\nd");
        assertThat(ExternalProcess.readableTail("", 3)).isEmpty();
    }

    @Test
    void hintsForGivesEachHintOnceInTheOrderGiven() {
        var hints = ExternalProcess.hintsFor("EADDRINUSE", "port in use", "BindException", "port in use",
                "SyntaxError", "old Node.js");

        assertThat(hints.apply("SyntaxError ... BindException ... EADDRINUSE"))
                .containsExactly("port in use", "old Node.js");
        assertThat(hints.apply("fine")).isEmpty();
        assertThatThrownBy(() -> ExternalProcess.hintsFor("lonely")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs expected");
    }

    @Test
    void stopEndsTheChildrenToo() {
        // The child ignores SIGTERM and outlives the parent unless it is found and killed.
        ExternalProcess p = ExternalProcess.start(sh("sh -c \"trap '' TERM; echo child; while true; do sleep 0.1;"
                + " done\" & wait"));
        p.awaitReady("child up", Duration.ofSeconds(10),
                () -> p.logTail(1).contains("child") ? Optional.empty() : Optional.of("no child yet"));
        List<ProcessHandle> children = ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
        assertThat(children).isNotEmpty();

        p.stop(Duration.ofSeconds(2));

        assertThat(p.isAlive()).isFalse();
        // The kill is sent, not awaited: give the kernel a moment to end the child.
        assertThat(children).allSatisfy(child ->
                assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(5)));
    }

    @Test
    void tailReadsOnlyTheLastLines() throws Exception {
        Path log = dir.resolve("big.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(log, sb);

        assertThat(ExternalProcess.tail(log, 2)).isEqualTo("line 19998\nline 19999");
        assertThat(ExternalProcess.tail(dir.resolve("absent.log"), 2)).isEmpty();
    }
}
