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
