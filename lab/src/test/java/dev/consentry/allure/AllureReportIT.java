package dev.consentry.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.process.ProjectHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real allure-commandline: two nightly runs in a row, the second report's trend knows the first. */
class AllureReportIT {
    @TempDir
    Path dir;

    private static void result(Path results, String uuid, String status) throws Exception {
        Files.createDirectories(results);
        Files.writeString(results.resolve(uuid + "-result.json"), """
                {"uuid":"%s","historyId":"first-boot-redmi","name":"first-boot on redmi","status":"%s",
                 "start":1700000000000,"stop":1700000001000,"labels":[{"name":"suite","value":"nightly"}]}
                """.formatted(uuid, status));
    }

    @Test
    void keepsTheTrendAcrossRunsAndWritesASingleFileReport() throws Exception {
        AllureReport allure = AllureReport.inTools(ProjectHome.locate().resolve(".consentry/tools"));
        Path history = dir.resolve("reports/history");
        Path latest = dir.resolve("reports/latest");

        Path night1 = dir.resolve("runs/1/allure-results");
        result(night1, "11111111-1111-1111-1111-111111111111", "failed");
        allure.describe(night1, Map.of("handsets", "redmi"), "consentry run");
        allure.generate(night1, latest, dir.resolve("runs/1/allure-report"), history, "Consentry nightly");

        Path night2 = dir.resolve("runs/2/allure-results");
        result(night2, "22222222-2222-2222-2222-222222222222", "passed");
        allure.describe(night2, Map.of("handsets", "redmi"), "consentry run");
        Path index = allure.generate(night2, latest, dir.resolve("runs/2/allure-report"), history,
                "Consentry nightly");

        JsonNode trend = new ObjectMapper().readTree(history.resolve("history-trend.json").toFile());
        assertThat(trend).hasSize(2);
        assertThat(trend.get(0).at("/data/passed").asInt()).isEqualTo(1);
        assertThat(trend.get(1).at("/data/failed").asInt()).isEqualTo(1);
        assertThat(index).isEqualTo(latest.resolve("index.html"));
        // Single file: nothing beside it that the page would have to fetch.
        try (var files = Files.list(latest)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("index.html");
        }
    }

    /**
     * What a procurement reviewer sees: the single-file report opened from disk in a real browser (Debian's headless
     * Chromium) shows the failing test's verdict, its category and its evidence.
     */
    @Test
    void failingTestRendersWithItsEvidenceFromAPlainFile() throws Exception {
        Path results = dir.resolve("allure-results");
        Files.createDirectories(results);
        Files.writeString(results.resolve("e1-attachment.txt"), "canary: imei = 865123045678901\n");
        Files.writeString(results.resolve("33333333-3333-3333-3333-333333333333-result.json"), """
                {"uuid":"33333333-3333-3333-3333-333333333333","historyId":"fb-redmi","status":"failed",
                 "name":"first-boot on redmi-1s-miui5-2014",
                 "statusDetails":{"message":"FAIL redmi-1s-miui5-2014 first-boot: imei to api.account.xiaomi.com"},
                 "attachments":[{"name":"finding: imei 865123045678901 sent to http://api.account.xiaomi.com",
                                 "source":"e1-attachment.txt","type":"text/plain"}],
                 "start":1700000000000,"stop":1700000001000}
                """);
        AllureReport allure = AllureReport.inTools(ProjectHome.locate().resolve(".consentry/tools"));
        allure.describe(results, Map.of("handsets", "redmi-1s-miui5-2014"), "consentry run");
        Path index = allure.generate(results, dir.resolve("latest"), dir.resolve("full"), dir.resolve("history"),
                "Consentry nightly");

        String overview = renderedText(index, "");
        assertThat(overview).contains("Consentry nightly").contains("Personal data left the handset");
        String page = renderedText(index, "#testresult/" + testCaseUid(index));
        assertThat(page).contains("FAIL redmi-1s-miui5-2014 first-boot: imei to api.account.xiaomi.com")
                .contains("finding: imei 865123045678901 sent to http://api.account.xiaomi.com");
    }

    /** The single-file report embeds each data file base64-encoded; the test case's own uid is in its name. */
    private static String testCaseUid(Path index) throws Exception {
        Matcher m = Pattern.compile("data/test-cases/([0-9a-f]+)\\.json").matcher(Files.readString(index));
        assertThat(m.find()).as("a test case in the report").isTrue();
        return m.group(1);
    }

    private String renderedText(Path index, String fragment) throws Exception {
        Path out = dir.resolve("dom-" + Math.abs(fragment.hashCode()) + ".html");
        List<String> cmd = List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=10000", "--dump-dom", index.toUri() + fragment);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + String.join(" ", cmd));
        }
        return Files.readString(out, StandardCharsets.UTF_8).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
    }

    private static String chromium() {
        for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(name))) {
                return name;
            }
        }
        throw new AssertionError("Debian's chromium is not installed: scripts/setup.sh installs it "
                + "(apt-get install chromium)");
    }
}
