package dev.consentry.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessSpecTest {
    @Test
    void commandLineQuotesWhatAShellWouldExpand() {
        ProcessSpec spec = new ProcessSpec("x", List.of("java", "-cp", "/opt/grid lib/*", "it's"),
                Map.of("APPIUM_HOME", "/work/appium"), Path.of("."), Path.of("x.log"));
        assertThat(spec.commandLine())
                .isEqualTo("APPIUM_HOME=/work/appium java -cp '/opt/grid lib/*' 'it'\\''s'");
    }

    @Test
    void environmentIsWrittenInNameOrder() {
        ProcessSpec spec = new ProcessSpec("x", List.of("run"), Map.of("B", "2", "A", "1 1", "C", "3"),
                Path.of("."), Path.of("x.log"));
        assertThat(spec.commandLine()).isEqualTo("A='1 1' B=2 C=3 run");
    }

    @Test
    void emptyCommandIsRejected() {
        assertThatThrownBy(() -> ProcessSpec.of("nothing", List.of(), Path.of("."), Path.of("x.log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty command for nothing");
    }
}
