package dev.consentry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** `consentry bench` on a tiny capture: it runs every measurement and the engine finds every planted leak. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void measuresEveryLineAndFindsThePlantedLeaks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Consentry.run(new String[]{"bench", "--size-mb", "8", "--canaries", "60", "--naive-mb", "1",
                "--mitm-mb", "0", "--keep", "--dir", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(0);
        assertThat(text).containsPattern("capture: \\d+ flows, 8 MB of requests, file \\d+ MB, (\\d+) planted leaks");
        String planted = text.replaceAll("(?s).*, (\\d+) planted leaks.*", "$1");
        assertThat(Integer.parseInt(planted)).isPositive();
        assertThat(text).contains("leak engine (scan only)").contains(" " + planted + " findings");
        assertThat(text).containsPattern("analyze end to end, " + Runtime.getRuntime().availableProcessors()
                + " scanner threads, wall +[\\d.]+ MB in +[\\d.]+ s = +[\\d.]+ MB/s  " + planted + " findings\n");
        assertThat(text).contains("raw read of the HAR file").contains("analyze end to end")
                .contains("naive indexOf baseline (first 1 MB)").contains("MB/s");
        assertThat(text).contains("leak engine, thread CPU time (per core)")
                .containsPattern("goal: engine >= 200 MB/s per core: [\\d.]+ MB/s \\(CPU time\\): (PASS|NOT MET)")
                .containsPattern("goal: engine >= 20x naive: \\d+x: (PASS|NOT MET)")
                .contains("goal: engine >= 50x mitmdump's ~b filter: not measured")
                .contains("raw read, per core, in request bytes");
        // The goal compares rates of the same bytes, the capture's requests: the raw read's rate in request bytes is
        // its rate in file bytes scaled by requests over file, and the goal's ratio is that rate over the engine's.
        // (Read off the MB/s lines, printed to 0.1 MB/s; the goal's ratios, to 0.1x, are too coarse on 8 MB.)
        double fileRate = rate(text, "raw read, thread CPU time (per core)");
        double requestRate = rate(text, "raw read, per core, in request bytes");
        double engineRate = rate(text, "leak engine, thread CPU time (per core)");
        double fileOverRequests = Files.size(dir.resolve("bench.har")) / 1048576.0
                / mb(text, "raw read, per core, in request bytes");
        assertThat(fileOverRequests).isGreaterThan(1.1);
        assertThat(fileRate / requestRate).isCloseTo(fileOverRequests, within(0.02));
        Matcher goal = Pattern.compile("goal: within 4x of the raw read \\(both CPU time, request bytes\\): raw/engine"
                + " = ([\\d.]+)x: (PASS|NOT MET) \\(file bytes over request bytes, as printed before: ([\\d.]+)x\\)")
                .matcher(text);
        assertThat(goal.find()).as(text).isTrue();
        double sameBytes = Double.parseDouble(goal.group(1));
        assertThat(sameBytes).isCloseTo(requestRate / engineRate, within(0.06 + requestRate / engineRate * 0.01));
        assertThat(Double.parseDouble(goal.group(3))).isCloseTo(fileRate / engineRate,
                within(0.06 + fileRate / engineRate * 0.01));
        assertThat(goal.group(2)).isEqualTo(sameBytes <= 4 ? "PASS" : "NOT MET");
        assertThat(dir.resolve("bench.har")).isNotEmptyFile();

        // Where the engine's time goes, by kind of body: shares of bytes and of time each add up to the whole, and the
        // kinds' costs, weighted by their bytes, are the engine's own rate.
        Matcher kind = Pattern.compile("  engine on (JSON|form|gzip'd JSON|binary): +([\\d.]+)% of request bytes, +"
                + "([\\d.]+)% of its CPU time, +([\\d.]+) ns per byte\n").matcher(text);
        List<String> kinds = new ArrayList<>();
        double bytesShare = 0;
        double timeShare = 0;
        double weightedNs = 0;
        while (kind.find()) {
            kinds.add(kind.group(1));
            bytesShare += Double.parseDouble(kind.group(2));
            timeShare += Double.parseDouble(kind.group(3));
            weightedNs += Double.parseDouble(kind.group(2)) / 100 * Double.parseDouble(kind.group(4));
        }
        assertThat(kinds).as(text).containsExactly("JSON", "form", "gzip'd JSON", "binary");
        assertThat(bytesShare).isCloseTo(100, within(0.3));
        assertThat(timeShare).isCloseTo(100, within(0.3));
        double engineNs = 1e9 / (engineRate * 1048576);
        assertThat(weightedNs).isCloseTo(engineNs, within(0.02 + engineNs * 0.01));
    }

    /** The MB/s a report line printed. */
    private static double rate(String text, String line) {
        return Double.parseDouble(reportLine(text, line).group(3));
    }

    /** The MB a report line printed. */
    private static double mb(String text, String line) {
        return Double.parseDouble(reportLine(text, line).group(1));
    }

    private static Matcher reportLine(String text, String line) {
        Matcher m = Pattern.compile(Pattern.quote(line) + " +([\\d.]+) MB in +([\\d.]+) s = +([\\d.]+) MB/s")
                .matcher(text);
        assertThat(m.find()).as(line + " in " + text).isTrue();
        return m;
    }

    @Test
    void deletesWhatItGeneratedUnlessKept() {
        int code = Consentry.run(new String[]{"bench", "--size-mb", "1", "--canaries", "20", "--naive-mb", "0",
                "--mitm-mb", "0", "--dir", dir.toString()}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), System.err);
        assertThat(code).isEqualTo(0);
        assertThat(dir.resolve("bench.har")).doesNotExist();
    }

    @Test
    void quotesValuesForPythonRegularExpressions() {
        assertThat(BenchCommand.regexQuote("+91 98.7(6)")).isEqualTo("\\+91 98\\.7\\(6\\)");
    }
}
