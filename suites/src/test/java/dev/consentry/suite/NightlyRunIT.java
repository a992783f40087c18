package dev.consentry.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job end to end, as a user runs it: the CLI in its own JVM starts the embedded lab (sink, virtual
 * handsets, Grid hub and relay nodes), runs suites/nightly.xml with real mitmdumps, writes the reports and stops
 * everything it started.
 */
class NightlyRunIT {
    @TempDir
    static Path reports;
    static int exitCode;
    static String output;
    static JsonNode summary;

    @BeforeAll
    static void runNightly() throws Exception {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path home = module.getParent();
        String cp = module.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(module.resolve("target/runtime-classpath.txt")).trim();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector", "-cp", cp,
                "dev.consentry.cli.Consentry", "--home", home.toString(),
                "run", "--reports", reports.toString(), "--idle", "3"));
        Path log = reports.resolve("cli.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("consentry run did not finish in 8 minutes:\n" + Files.readString(log));
        }
        exitCode = p.exitValue();
        output = Files.readString(log);
        Path json = reports.resolve("latest/summary.json");
        assertThat(json).as("summary.json; CLI output:\n" + output).exists();
        summary = new ObjectMapper().readTree(json.toFile());
    }

    private static JsonNode result(String device) {
        return result(device, "first-boot");
    }

    private static JsonNode result(String device, String flow) {
        return StreamSupport.stream(summary.get("results").spliterator(), false)
                .filter(r -> r.get("device").asText().equals(device) && r.get("flow").asText().equals(flow))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + flow + " result for " + device + " in " + summary));
    }

    private static List<JsonNode> findings(JsonNode result, String canary) {
        return StreamSupport.stream(result.get("findings").spliterator(), false)
                .filter(f -> f.has("canary") && f.get("canary").asText().equals(canary)).toList();
    }

    @Test
    void the2014FirmwareFailsWithItsImeiPhoneNumberAndAllThreeContactsSentToXiaomi() {
        JsonNode r = result("redmi-1s-miui5-2014");
        assertThat(r.get("flow").asText()).isEqualTo("first-boot");
        assertThat(r.get("verdict").asText()).as(output).isEqualTo("FAIL");
        assertThat(findings(r, "imei")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("host").asText()).isEqualTo("api.account.xiaomi.com"))
                .allSatisfy(f -> assertThat(f.get("scheme").asText()).isEqualTo("http"));
        assertThat(findings(r, "phone_number")).isNotEmpty();
        assertThat(findings(r, "contact_phone").stream().map(f -> f.get("value").asText()).distinct())
                .hasSize(3);
        assertThat(output).containsPattern("FAIL\\s+redmi-1s-miui5-2014\\s+first-boot");
        // Judged under policies/default.yaml: sent after the wizard, where Cloud Messaging was never offered.
        JsonNode phone = findings(r, "phone_number").get(0);
        assertThat(phone.get("verdict").asText()).isEqualTo("before_consent");
        assertThat(phone.at("/consent/declined")).extracting(JsonNode::asText).contains("diagnostics", "location");
        assertThat(phone.at("/consent/granted")).isEmpty();
        assertThat(phone.get("step").asText()).isIn("first-boot", "idle");
        assertThat(phone.get("screen").asText()).isIn("All set", "home");
        assertThat(phone.get("explanation").asText()).contains("cloud_messaging was never asked");
    }

    @Test
    void theAugust2014UpdatePasses() {
        JsonNode r = result("redmi-1s-miui5-2014-08");
        assertThat(r.get("verdict").asText()).as(output).isEqualTo("PASS");
        assertThat(r.get("findings")).isEmpty();
        assertThat(output).containsPattern("PASS\\s+redmi-1s-miui5-2014-08\\s+first-boot");
    }

    @Test
    void the2014FirmwareUploadsImportedContactsOverPlainHttp() {
        JsonNode r = result("redmi-1s-miui5-2014", "contact-import");
        assertThat(r.get("verdict").asText()).as(output).isEqualTo("FAIL");
        // Five contacts: three planted by prep, two imported from the vCard, all in the Cloud Messaging upload.
        assertThat(findings(r, "contact_phone").stream().map(f -> f.get("value").asText()).distinct()).hasSize(5);
        assertThat(findings(r, "contact_phone"))
                .allSatisfy(f -> assertThat(f.get("host").asText()).isEqualTo("api.account.xiaomi.com"))
                .allSatisfy(f -> assertThat(f.get("scheme").asText()).isEqualTo("http"));
    }

    @Test
    void the2014FirmwareUploadsContactsBeforeTheUserCanOptOutOfTheCloud() {
        JsonNode r = result("redmi-1s-miui5-2014", "cloud-opt-out");
        assertThat(r.get("verdict").asText()).as(output).isEqualTo("FAIL");
        assertThat(findings(r, "imei")).isNotEmpty();
        assertThat(findings(r, "contact_phone").stream().map(f -> f.get("value").asText()).distinct()).hasSize(3);
    }

    @Test
    void theAugust2014UpdatePassesContactImportAndCloudOptOut() {
        for (String flow : List.of("contact-import", "cloud-opt-out")) {
            JsonNode r = result("redmi-1s-miui5-2014-08", flow);
            assertThat(r.get("verdict").asText()).as(flow + "\n" + output).isEqualTo("PASS");
            assertThat(r.get("findings")).as(flow).isEmpty();
        }
    }

    @Test
    void summaryNamesTheThreeFlowsAndEveryProfile() {
        List<String> pairs = StreamSupport.stream(summary.get("results").spliterator(), false)
                .map(r -> r.get("device").asText() + " " + r.get("flow").asText()).toList();
        List<String> expected = new ArrayList<>();
        for (String device : List.of("redmi-1s-miui5-2014", "redmi-1s-miui5-2014-08", "redmi-note-8-miui12",
                "pixel-8-android14", "galaxy-s23-oneui6")) {
            for (String flow : List.of("first-boot", "contact-import", "cloud-opt-out")) {
                if (!(device.equals("galaxy-s23-oneui6") && flow.equals("first-boot"))) {
                    expected.add(device + " " + flow);
                }
            }
        }
        assertThat(pairs).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void miui12SendsAppUsageWithTheAndroidIdAfterDiagnosticsWereDeclined() {
        for (String flow : List.of("first-boot", "contact-import", "cloud-opt-out")) {
            JsonNode r = result("redmi-note-8-miui12", flow);
            assertThat(r.get("verdict").asText()).as(flow + "\n" + output).isEqualTo("FAIL");
            assertThat(findings(r, "android_id")).as(flow).isNotEmpty()
                    .allSatisfy(f -> assertThat(f.get("host").asText()).isEqualTo("tracking.intl.miui.com"))
                    .allSatisfy(f -> assertThat(f.get("scheme").asText()).isEqualTo("https"));
        }
    }

    @Test
    void pixel8IsCleanOnceOptedOut() {
        for (String flow : List.of("first-boot", "contact-import", "cloud-opt-out")) {
            JsonNode r = result("pixel-8-android14", flow);
            assertThat(r.get("verdict").asText()).as(flow + "\n" + output).isEqualTo("PASS");
        }
    }

    /**
     * The Pixel profile asks for Test Harness Mode: its flows after first boot start with the reset (the twin reboots,
     * the harness waits for a session on the new boot); first boot and profiles without it never reset.
     */
    @Test
    void pixelIsResetWithTestHarnessModeBeforeTheFlowsAfterFirstBootOnly() throws Exception {
        Path run;
        try (var runs = Files.list(reports.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
        try (var files = Files.list(run.resolve("allure-results"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-result.json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                byName.put(r.path("name").asText(), r);
            }
        }
        java.util.function.Function<String, List<JsonNode>> resets = name -> {
            JsonNode r = byName.get(name);
            assertThat(r).as(name + " in " + byName.keySet()).isNotNull();
            return StreamSupport.stream(r.path("steps").spliterator(), false)
                    .filter(st -> st.path("name").asText().startsWith("Reset: Test Harness Mode")).toList();
        };
        for (String flow : List.of("contact-import", "cloud-opt-out")) {
            assertThat(resets.apply(flow + " on pixel-8-android14 (Pixel 8, 2023-10)")).singleElement()
                    .satisfies(st -> assertThat(st.path("status").asText()).isEqualTo("passed"));
        }
        assertThat(resets.apply("first-boot on pixel-8-android14 (Pixel 8, 2023-10)")).isEmpty();
        assertThat(byName.keySet()).filteredOn(n -> n.startsWith("contact-import on redmi-note-8-miui12 "))
                .singleElement().satisfies(n -> assertThat(resets.apply(n)).isEmpty());
    }

    /** MIUI's "USB debugging (Security settings)" is checked once per handset, before the suite's first flow. */
    @Test
    void theMiuiPrecheckRunsOnceBeforeTheSuite() throws Exception {
        Path run;
        try (var runs = Files.list(reports.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        List<JsonNode> befores = new ArrayList<>();
        try (var files = Files.list(run.resolve("allure-results"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-container.json")).toList()) {
                new ObjectMapper().readTree(f.toFile()).path("befores").forEach(befores::add);
            }
        }
        assertThat(befores).filteredOn(b -> b.path("name").asText().equals("checkEachHandsetOnce")).singleElement()
                .satisfies(b -> {
                    assertThat(b.path("status").asText()).isEqualTo("passed");
                    assertThat(StreamSupport.stream(b.path("steps").spliterator(), false)
                            .map(st -> st.path("name").asText()).toList()).containsExactly(
                            "Precheck redmi-note-8-miui12 (`getprop persist.security.adbinput`): passed");
                });
    }

    @Test
    void stockSamsungSkipsFirstBootAndIsInconclusiveWhereItsHttpsStaysOpaque() {
        assertThat(output).containsPattern("SKIPPED\\s+galaxy-s23-oneui6 first-boot: this user build does not keep"
                + " ADB through the setup wizard");
        // ... and summary.json lists the skip, so a reader of the JSON alone sees the gap.
        assertThat(summary.get("skipped").toString()).contains("\"device\":\"galaxy-s23-oneui6\"",
                "\"flow\":\"first-boot\"", "does not keep ADB through the setup wizard");
        for (String flow : List.of("contact-import", "cloud-opt-out")) {
            JsonNode r = result("galaxy-s23-oneui6", flow);
            assertThat(r.get("verdict").asText()).as(flow + "\n" + output).isEqualTo("INCONCLUSIVE");
            assertThat(r.get("reason").asText()).contains("configuration.samsungcloud.com")
                    .contains("could not be decrypted");
        }
    }

    @Test
    void exitStatusSaysAHandsetFailed() {
        assertThat(exitCode).as(output).isEqualTo(1);
    }

    @Test
    void htmlReportIsASingleFileWithTheFailingTest() throws Exception {
        Path index = reports.resolve("latest/index.html");
        assertThat(index).exists();
        assertThat(Files.size(index)).isGreaterThan(100_000);
    }

    /** Redaction end to end: read identifiers masked in the canary table, kept in the evidence; no private key. */
    @Test
    void attachmentsShowIdentifiersOnlyAsEvidenceAndNeverAPrivateKey() throws Exception {
        String imei = findings(result("redmi-1s-miui5-2014"), "imei").get(0).get("value").asText();
        List<Path> attachments;
        try (var files = Files.walk(reports.resolve("runs"))) {
            attachments = files.filter(f -> f.getFileName().toString().contains("-attachment")).toList();
        }
        List<String> tables = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        List<String> decoded = new ArrayList<>();
        for (Path a : attachments) {
            String text = Files.readString(a, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).as(a.toString()).doesNotContain("PRIVATE KEY");
            if (a.toString().endsWith(".tsv") && text.startsWith("kind\tvalue")) { // not the consent ledger
                tables.add(text);
            } else if (text.startsWith("canary:     imei")) {
                evidence.add(text);
            } else if (a.toString().endsWith(".html")) {
                decoded.add(text);
            }
        }
        // One canary table per handset and flow that ran.
        assertThat(tables).hasSize(summary.get("results").size()).allSatisfy(t -> assertThat(t).contains("imei\t[imei ...")
                .doesNotContainPattern("imei\t\\d{15}"));
        assertThat(String.join("", tables)).doesNotContain(imei);
        assertThat(evidence).anySatisfy(e -> assertThat(e).contains("imei = " + imei));
        // The decoded chain reaches the IMEI and highlights it.
        assertThat(decoded).anySatisfy(d -> assertThat(d).contains("<mark>" + imei + "</mark>")
                .doesNotContain("did not reach the canary"));
    }

    /** environment.properties and executor.json say what ran, measured: mitmdump's version, each handset's build. */
    @Test
    void theReportSaysWhatRanAsMeasured() throws Exception {
        Path results;
        try (var runs = Files.list(reports.resolve("runs"))) {
            results = runs.findFirst().orElseThrow().resolve("allure-results");
        }
        java.util.Properties env = new java.util.Properties();
        try (var in = Files.newInputStream(results.resolve("environment.properties"))) {
            env.load(in);
        }
        assertThat(env.getProperty("mitmproxy")).as(env.toString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(env.getProperty("selenium_grid")).as(env.toString()).startsWith("4.");
        assertThat(env.getProperty("fingerprint.redmi-1s-miui5-2014"))
                .isEqualTo("Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH41.0:user/release-keys");
        assertThat(env.getProperty("handset.redmi-1s-miui5-2014-08")).startsWith("Xiaomi Redmi 1S, Android 4.4.4");
        assertThat(new ObjectMapper().readTree(results.resolve("executor.json").toFile()).path("buildOrder").asLong())
                .isGreaterThan(20260000000000L);
    }

    /**
     * Procurement's plain verdict is the failing test's description; the vendor's matrix and baseline diff are
     * attached to it; the run keeps its summary.json as a later run's baseline.
     */
    @Test
    void eachAudienceFindsItsViewOnTheHandsetsPage() throws Exception {
        Path run;
        try (var runs = Files.list(reports.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertThat(run.resolve("summary.json")).exists();
        JsonNode failing = null;
        try (var files = Files.list(run.resolve("allure-results"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-result.json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                if (r.path("name").asText().startsWith("first-boot on redmi-1s-miui5-2014 ")) {
                    failing = r;
                }
            }
        }
        assertThat(failing).as("the 2014 handset's result").isNotNull();
        assertThat(failing.path("descriptionHtml").asText()).contains("Xiaomi Redmi 1S",
                "fails: personal data left the phone", "the phone's IMEI".substring(4), "sent to api.account.xiaomi.com");
        List<String> names = StreamSupport.stream(failing.path("attachments").spliterator(), false)
                .map(a -> a.path("name").asText()).toList();
        assertThat(names).contains("matrix: destination x data category x consent",
                "baseline diff: no certified run of this model yet");
        // The handset's own log (logcat over mobile: shell) sits beside mitmdump's when a test does not pass.
        JsonNode handsetLog = StreamSupport.stream(failing.path("attachments").spliterator(), false)
                .filter(a -> a.path("name").asText().equals("handset log (tail)")).findFirst()
                .orElseThrow(() -> new AssertionError("no handset log attached: " + names));
        assertThat(Files.readString(run.resolve("allure-results").resolve(handsetLog.path("source").asText())))
                .doesNotContain("unavailable").containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\S+ (net|ui|shell): ");
    }

    @Test
    void nothingItStartedIsStillRunning() {
        String marker = reports.toString();
        List<String> left = ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(ph -> ph.pid() + " " + ph.info().commandLine().orElse("")).toList();
        assertThat(left).as("processes still running after consentry run").isEmpty();
    }
}
