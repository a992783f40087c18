package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.mitm.RealFlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real `mitmdump -w` flow file, recorded through a real mitmdump, analysed by `consentry analyze`. */
class AnalyzeFlowFileIT {
    @TempDir
    Path dir;

    @Test
    void findsLeaksInAFlowFileRecordedByMitmdump() throws Exception {
        Path flows = dir.resolve("redmi.mitm");
        RealFlowFiles.throughMitmdump(dir, List.of("-w", flows.toString()), (client, base) -> {
            RealFlowFiles.send(client, HttpRequest.newBuilder(URI.create(base + "/time")).GET());
            RealFlowFiles.send(client, HttpRequest.newBuilder(URI.create(base + "/reg"))
                    .header("Cookie", "sid=1; d=" + Base64.getEncoder().encodeToString(
                            "imei=865123045678901".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("msisdn=%2B%39%31%39%38%37%36%35%30%30%30%30%31")));
        });
        assertThat(flows).isNotEmptyFile();
        Path canaries = canaries();
        Path json = dir.resolve("out.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Consentry.run(new String[]{"analyze", "--canaries", canaries.toString(), flows.toString(),
                "--json", json.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("flows").asInt()).isEqualTo(2);
        assertThat(root.get("findings")).extracting(f -> f.get("capture").asText() + " " + f.get("flowIndex")
                + " " + f.get("canary").asText() + " " + f.get("location").asText() + " " + f.get("transforms"))
                .containsExactly(
                        "redmi.mitm 1 imei cookie:d [\"base64\"]",
                        "redmi.mitm 1 phone_number body [\"url\"]");
        assertThat(root.get("findings").get(0).get("flowId").asText()).matches("[0-9a-f-]{36}");
        assertThat(root.get("findings").get(0).get("host").asText()).isEqualTo("127.0.0.1");

        // A damaged file before it is named, and the scan goes on to the next capture.
        byte[] good = Files.readAllBytes(flows);
        Path damaged = Files.write(dir.resolve("damaged.mitm"), java.util.Arrays.copyOf(good, good.length - 7));
        err.reset();
        int again = Consentry.run(new String[]{"analyze", "--canaries", canaries.toString(), damaged.toString(),
                flows.toString(), "--json", json.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(again).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("damaged.mitm: cannot read flow 1 (from byte ")
                .contains("the flow before it was read").doesNotContain("redmi.mitm");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("findings")).extracting(f -> f.get("capture")
                .asText() + " " + f.get("flowIndex")).containsExactly("redmi.mitm 1", "redmi.mitm 1");
    }

    @Test
    void theHandsetsWebSocketMessageIsALeakTheServersAndResponseBodiesAreNot() throws Exception {
        Path flows = RealFlowFiles.record(dir);
        Path canaries = canaries();
        Path json = dir.resolve("out.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Consentry.run(new String[]{"analyze", "--canaries", canaries.toString(), flows.toString(),
                "--json", json.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("flows").asInt()).isEqualTo(3);
        // Flow 0's response body holds the IMEI and the server's WebSocket message the phone number: neither counts.
        assertThat(root.get("findings")).extracting(f -> f.get("flowIndex") + " " + f.get("canary").asText() + " "
                + f.get("location").asText()).containsExactly("1 imei body", "2 imei websocket");
    }

    @Test
    void aDamagedFlowFileIsNamedNotCrashedOn() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mitm"), "12:not a flow file,");
        Path canaries = Files.writeString(dir.resolve("c.yaml"), "canaries:\n  - kind: imei\n    value: \"865123045678901\"\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Consentry.run(new String[]{"analyze", "--canaries", canaries.toString(), junk.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("junk.mitm: cannot read flow 0 (from byte 0)");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 flows");
    }

    /** The IMEI and phone number the recorded traffic carries, as analyze's canary file. */
    private Path canaries() throws IOException {
        return Files.writeString(dir.resolve("c.yaml"), """
                canaries:
                  - kind: imei
                    value: "865123045678901"
                  - kind: phone_number
                    value: "+919876500001"
                """);
    }
}
