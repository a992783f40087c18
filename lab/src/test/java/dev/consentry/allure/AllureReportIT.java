package dev.consentry.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.process.ProjectHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
}
