package dev.consentry.grid.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessSpecTest {
    @Test
    void commandLineQuotesWhatAShellWouldExpand() {
        ProcessSpec spec = new ProcessSpec("x", List.of("java", "-cp", "/opt/grid lib/*", "it's"),
                Map.of("APPIUM_HOME", "/work/appium"), Path.of("."), Path.of("x.log"));
        assertThat(spec.commandLine())
                .isEqualTo("APPIUM_HOME=/work/appium java -cp '/opt/grid lib/*' 'it'\\''s'");
    }

    @Test
    void freePortsAreDistinctAndFree() {
        List<Integer> ports = FreePorts.pick(3);
        assertThat(ports).doesNotHaveDuplicates().allMatch(p -> !FreePorts.inUse(p));
    }
}
