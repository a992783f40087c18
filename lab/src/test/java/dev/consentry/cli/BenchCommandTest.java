package dev.consentry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `consentry bench` on a tiny capture: it runs every measurement and the engine finds every planted leak. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void measuresEveryLineAndFindsThePlantedLeaks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Consentry.run(new String[]{"bench", "--size-mb", "8", "--canaries", "60", "--naive-mb", "1",
                "--dir", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(0);
        assertThat(text).containsPattern("capture: \\d+ flows, 8 MB of requests, file \\d+ MB, (\\d+) planted leaks");
        String planted = text.replaceAll("(?s).*, (\\d+) planted leaks.*", "$1");
        assertThat(Integer.parseInt(planted)).isPositive();
        assertThat(text).contains("leak engine (scan only)").contains(" " + planted + " findings");
        assertThat(text).contains("raw read of the HAR file").contains("analyze end to end")
                .contains("naive indexOf baseline (first 1 MB)").contains("MB/s");
        assertThat(dir.resolve("bench.har")).isNotEmptyFile();
    }
}
