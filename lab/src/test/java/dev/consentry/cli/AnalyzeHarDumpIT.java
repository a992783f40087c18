package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.mitm.RealFlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A HAR written by mitmproxy's own exporter (Debian's har_dump.py, run by Debian's mitmdump), which stores a request
 * body as text with its Content-Encoding undone while the header still says gzip: analyze finds the canary in it
 * without a gzip layer and reports no damage.
 */
class AnalyzeHarDumpIT {
    private static final Path HAR_DUMP = Path.of("/usr/share/doc/mitmproxy/examples/contrib/har_dump.py");

    @TempDir
    Path dir;

    @Test
    void aGzipBodyInMitmproxysHarDumpIsFoundWithoutDamage() throws Exception {
        assertThat(HAR_DUMP).as("Debian's mitmproxy package ships har_dump.py").isRegularFile();
        Path har = dir.resolve("hardump.har");
        // har_dump.py writes the HAR in its done() hook, when mitmdump shuts down.
        RealFlowFiles.throughMitmdump(dir, List.of("-s", HAR_DUMP.toString(), "--set", "hardump=" + har),
                (client, base) -> {
                    RealFlowFiles.send(client, HttpRequest.newBuilder(URI.create(base + "/up"))
                            .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(AnalyzeCommandTest.gzip(
                                    "{\"imei\":\"865123045678901\"}".getBytes(StandardCharsets.UTF_8)))));
                    RealFlowFiles.send(client, HttpRequest.newBuilder(URI.create(base + "/reg"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("msisdn=%2B919876500001")));
                });
        assertThat(har).as(() -> "mitmdump's log: " + log()).isNotEmptyFile();
        JsonNode written = new ObjectMapper().readTree(har.toFile()).get("log").get("entries").get(0).get("request");
        // What the fix is about, as mitmproxy wrote it: the header says gzip, the text is the decoded JSON.
        assertThat(written.get("headers").toString()).contains("{\"name\":\"Content-Encoding\",\"value\":\"gzip\"}");
        assertThat(written.get("postData").get("text").asText()).isEqualTo("{\"imei\":\"865123045678901\"}");
        assertThat(written.get("postData").has("encoding")).isFalse();

        Path json = dir.resolve("out.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = analyze(canaries("865123045678901", "+919876500001"), har, json, err);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(1); // findings
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("flows").asInt()).isEqualTo(2);
        assertThat(root.get("findings")).extracting(f -> f.get("flowIndex") + " " + f.get("canary").asText() + " "
                + f.get("location").asText() + " " + f.get("transforms")).containsExactly(
                "0 imei body []",
                "1 phone_number body []");

        // Canaries the capture does not hold: nothing found, nothing unscanned, exit 0.
        err.reset();
        assertThat(analyze(canaries("490154203237518", "+14155550123"), har, json, err)).isEqualTo(0);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private int analyze(Path canaries, Path har, Path json, ByteArrayOutputStream err) {
        return Consentry.run(new String[]{"analyze", "--canaries", canaries.toString(), har.toString(), "--json",
                json.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path canaries(String imei, String phone) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), "canaries:\n  - kind: imei\n    value: \"" + imei
                + "\"\n  - kind: phone_number\n    value: \"" + phone + "\"\n");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("mitmdump.log"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
