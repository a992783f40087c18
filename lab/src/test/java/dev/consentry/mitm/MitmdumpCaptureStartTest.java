package dev.consentry.mitm;

import dev.consentry.process.ProcessStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MitmdumpCaptureStartTest {
    @TempDir
    Path dir;

    @Test
    void missingMitmdumpTellsHowToInstallIt() {
        MitmdumpCapture.Builder builder = MitmdumpCapture.builder().withName("redmi-1s-miui5-2014")
                .withMitmdump(dir.resolve("no-such-mitmdump").toString())
                .withConfDir(dir.resolve("conf")).withWorkDir(dir.resolve("work"));

        assertThatThrownBy(builder::start).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("install Debian's mitmproxy package: apt-get install mitmproxy")
                .hasMessageContaining("command: " + dir.resolve("no-such-mitmdump") + " --listen-host 127.0.0.1")
                .hasMessageContaining("consentry_stream=127.0.0.1:");
    }

    @Test
    void builderRequiresConfDirAndWorkDir() {
        assertThatThrownBy(() -> MitmdumpCapture.builder().withWorkDir(dir).config())
                .hasMessageContaining("withConfDir");
        assertThatThrownBy(() -> MitmdumpCapture.builder().withConfDir(dir).config())
                .hasMessageContaining("withWorkDir");
    }

    @Test
    void portInUseHint() {
        assertThat(MitmdumpCapture.hints("exited with code 1\n[Errno 98] error while attempting to bind on "
                + "address ('127.0.0.1', 8080): address already in use"))
                .singleElement().asString().contains("withListenPort(0)");
    }
}
