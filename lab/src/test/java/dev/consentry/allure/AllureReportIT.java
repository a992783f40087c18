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
                 "statusDetails":{"message":"FAIL redmi-1s-miui5-2014 first-boot: personal data left the handset without the consent the policy requires\\n- before_consent: imei to api.account.xiaomi.com"},
                 "attachments":[{"name":"finding: imei 865123045678901 sent to http://api.account.xiaomi.com",
                                 "source":"e1-attachment.txt","type":"text/plain"}],
                 "start":1700000000000,"stop":1700000001000}
                """);
        AllureReport allure = AllureReport.inTools(ProjectHome.locate().resolve(".consentry/tools"));
        allure.describe(results, Map.of("handsets", "redmi-1s-miui5-2014"), "consentry run");
        Path index = allure.generate(results, dir.resolve("latest"), dir.resolve("full"), dir.resolve("history"),
                "Consentry nightly");

        String overview = renderedText(index, "");
        assertThat(overview).contains("Consentry nightly")
                .contains("Before consent: personal data sent before the user was asked");
        String page = renderedText(index, "#testresult/" + testCaseUid(index));
        assertThat(page).contains("- before_consent: imei to api.account.xiaomi.com")
                .contains("finding: imei 865123045678901 sent to http://api.account.xiaomi.com");
    }

    /**
     * Each audience's view, in a real browser: the overview shows the run's categories and its measured
     * environment; the failing handset's page shows the plain verdict (procurement), the decoded evidence
     * (engineers), the matrix and the baseline diff (vendors); the evidence embedded in the file highlights the IMEI.
     */
    @Test
    void overviewAndFailingPageShowEachAudiencesView() throws Exception {
        Path results = dir.resolve("allure-results");
        Files.createDirectories(results);
        var imei = new dev.consentry.canary.Canary(dev.consentry.canary.CanaryKind.IMEI, "860239315879893",
                "read: dumpsys iphonesubinfo");
        var gz = new java.io.ByteArrayOutputStream();
        try (var g = new java.util.zip.GZIPOutputStream(gz)) {
            g.write(("d=" + java.util.Base64.getEncoder().encodeToString("{\"imei\":\"860239315879893\"}"
                    .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8));
        }
        var flow = new dev.consentry.capture.CapturedFlow("f1", java.time.Instant.parse("2026-11-24T10:00:00Z"), "",
                new dev.consentry.capture.HttpRequestData("POST", "http", "api.account.xiaomi.com", 80, "/register",
                        "HTTP/1.1", List.of(new dev.consentry.capture.HttpHeader("Content-Encoding", "gzip")),
                        gz.toByteArray()), java.util.Optional.empty(), java.util.Optional.empty());
        var finding = new dev.consentry.leak.LeakDetector(List.of(imei)).scan(flow).get(0);
        Files.writeString(results.resolve("ev-attachment.html"),
                EvidenceHtml.render(EvidenceChain.replay(finding, flow), s -> s));
        var judged = new dev.consentry.verdict.JudgedFinding(dev.consentry.verdict.FindingVerdict.BEFORE_CONSENT,
                java.util.Optional.of(finding), finding.host(), "http", flow.started(), java.util.Optional.empty(),
                java.util.Optional.of("xiaomi"), dev.consentry.consent.ConsentState.NONE, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), false, "imei before consent");
        var result = dev.consentry.verdict.FlowResult.failed("redmi-1s-miui5-2014", "first-boot", List.of(judged),
                "personal data left the handset");
        Files.writeString(results.resolve("mx-attachment.html"), MatrixHtml.matrix(
                dev.consentry.diff.ExposureMatrix.of(result.device(), List.of(result))));
        var node = new ObjectMapper().createObjectNode();
        node.put("uuid", "44444444-4444-4444-4444-444444444444").put("historyId", "fb-redmi-2014")
                .put("status", "failed").put("name", "first-boot on redmi-1s-miui5-2014")
                .put("descriptionHtml", PlainLanguage.html("Xiaomi Redmi 1S (MIUI V5, 2014-07)", result))
                .put("start", 1700000000000L).put("stop", 1700000001000L);
        node.putArray("labels").add(new ObjectMapper().createObjectNode().put("name", "device")
                .put("value", "redmi-1s-miui5-2014")).add(new ObjectMapper().createObjectNode().put("name", "flow")
                .put("value", "first-boot")).add(new ObjectMapper().createObjectNode().put("name", "feature")
                .put("value", PlainLanguage.features(result).get(0)));
        node.putObject("statusDetails").put("message", "FAIL redmi-1s-miui5-2014 first-boot: personal data left "
                + "the handset without the consent the policy requires\n- before_consent: imei before consent");
        var attachments = node.putArray("attachments");
        attachments.addObject().put("name", "evidence: imei decoded (gzip > base64)").put("source",
                "ev-attachment.html").put("type", "text/html");
        attachments.addObject().put("name", "matrix: destination x data category x consent").put("source",
                "mx-attachment.html").put("type", "text/html");
        new ObjectMapper().writeValue(results.resolve("44444444-4444-4444-4444-444444444444-result.json").toFile(),
                node);
        AllureReport allure = AllureReport.inTools(ProjectHome.locate().resolve(".consentry/tools"));
        allure.describe(results, RunEnvironment.of(Map.of("lab", "embedded")).measure("mitmdump",
                java.net.URI.create("http://127.0.0.1:9/"), ProjectHome.locate().resolve("appium")).entries(),
                Executor.forRun("20261124-020000", "Consentry nightly", Map.of()));
        BaselineDiffs.attach(results, dir.resolve("runs"), dir.resolve("runs/20261124-020000"), List.of(result),
                Map.of("redmi-1s-miui5-2014", "Xiaomi Redmi 1S"));
        Path index = allure.generate(results, dir.resolve("latest"), dir.resolve("full"), dir.resolve("history"),
                "Consentry nightly");

        String overview = renderedText(index, "");
        String mitmproxy = RunEnvironment.mitmproxyVersion("mitmdump");
        assertThat(mitmproxy).doesNotStartWith("unknown");
        assertThat(overview).contains("Before consent: personal data sent before the user was asked")
                .contains("mitmproxy").contains(mitmproxy.split(" ")[0]);
        String page = renderedText(index, "#testresult/" + testCaseUid(index));
        assertThat(page).contains("Xiaomi Redmi 1S (MIUI V5, 2014-07)",
                        "fails: personal data left the phone without the consent the user gave",
                        "sent to api.account.xiaomi.com (xiaomi) before the user was asked",
                        "evidence: imei decoded (gzip &gt; base64)",
                        "matrix: destination x data category x consent",
                        "baseline diff: no certified run of this model yet")
                .doesNotContain("860239315879893");
        // Procurement's cross-handset view: per data category and destination, the handsets that sent it.
        assertThat(renderedText(index, "#behaviors")).contains(
                "The phone's IMEI (its unique hardware identity): sent to api.account.xiaomi.com before the user was "
                        + "asked", "first-boot on redmi-1s-miui5-2014");
        assertThat(embeddedAttachments(index)).anySatisfy(a -> assertThat(a)
                .contains("<mark>860239315879893</mark>", "gunzipped", "base64-decoded"));
    }

    /** The attachments as the single-file report embeds them (base64, keyed by data/attachments/&lt;uid&gt;). */
    private static List<String> embeddedAttachments(Path index) throws Exception {
        Matcher m = Pattern.compile("'data/attachments/[^']+','([A-Za-z0-9+/=]+)'").matcher(Files.readString(index));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(new String(java.util.Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        assertThat(out).as("attachments embedded in the single file").isNotEmpty();
        return out;
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
