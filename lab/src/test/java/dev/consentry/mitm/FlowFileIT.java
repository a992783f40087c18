package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flow files written by Debian's real {@code mitmdump -w} around real loopback traffic ({@link RealFlowFiles}: HTTP
 * with a response body, a form POST, a WebSocket session with a message each way), read by {@link FlowFile}: whole,
 * cut short and damaged.
 */
class FlowFileIT {
    static final String IMEI = RealFlowFiles.IMEI;

    @TempDir
    static Path shared;
    static Path recorded;

    @TempDir
    Path dir;

    record Read(List<Integer> indexes, List<CapturedFlow> flows, List<List<FlowFile.Message>> ws, List<String> bad) {
    }

    @BeforeAll
    static void record() throws Exception {
        recorded = RealFlowFiles.record(shared);
    }

    @Test
    void readsEveryFlowInFileOrderWithoutResponseBodiesAndWithTheHandsetsWebSocketMessages() throws Exception {
        Read r = read(recorded);

        assertThat(r.bad()).isEmpty();
        assertThat(r.indexes()).containsExactly(0, 1, 2);
        assertThat(r.flows()).extracting(f -> f.request().method() + " " + f.request().path())
                .containsExactly("GET /time", "POST /reg", "GET /live");
        assertThat(r.flows()).extracting(CapturedFlow::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[0-9a-f-]{36}"));
        CapturedFlow post = r.flows().get(1);
        assertThat(new String(post.request().body(), StandardCharsets.UTF_8)).isEqualTo("imei=" + IMEI);
        assertThat(post.request().host()).isEqualTo("127.0.0.1");
        assertThat(post.request().scheme()).isEqualTo("http");
        assertThat(post.client()).startsWith("127.0.0.1:");
        // Responses are kept (status, headers) but their bodies, never leaks, are not read.
        assertThat(r.flows().get(0).response()).hasValueSatisfying(resp -> {
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.body()).isEmpty();
        });
        assertThat(r.ws().get(2)).extracting(m -> m.fromClient() + " " + new String(m.content(),
                StandardCharsets.UTF_8)).containsExactly("true hello imei=" + IMEI);
        assertThat(r.ws().get(0)).isEmpty();
    }

    @Test
    void aFileCutShortGivesItsWholeFlowsThenNamesTheFileFlowAndByte() throws Exception {
        byte[] all = Files.readAllBytes(recorded);
        List<Integer> starts = flowStarts(all);
        assertThat(starts).hasSize(3);
        Path cut = dir.resolve("cut.mitm");
        Files.write(cut, Arrays.copyOf(all, starts.get(2) + 40));
        List<Integer> seen = new ArrayList<>();

        assertThatThrownBy(() -> FlowFile.read(cut, dir.resolve("work"), Duration.ofMinutes(2), sink(seen,
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>())))
                .isInstanceOf(FlowFile.FlowFileException.class)
                .hasMessageContaining("cut.mitm")
                .hasMessageContaining("cannot read flow 2 (from byte " + starts.get(2) + ")")
                .hasMessageContaining("the 2 flows before it were read");
        assertThat(seen).containsExactly(0, 1);
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    @Test
    void aDamagedFlowIsNamedAndTheFlowsBeforeItAreRead() throws Exception {
        byte[] all = Files.readAllBytes(recorded);
        List<Integer> starts = flowStarts(all);
        byte[] damaged = all.clone();
        damaged[starts.get(2) - 1] = 'X'; // flow 1's closing type byte: its dictionary is no longer one
        Path bad = Files.write(dir.resolve("damaged.mitm"), damaged);
        List<Integer> seen = new ArrayList<>();

        assertThatThrownBy(() -> FlowFile.read(bad, dir.resolve("work"), Duration.ofMinutes(2), sink(seen,
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>())))
                .isInstanceOf(FlowFile.FlowFileException.class)
                .hasMessageContaining("damaged.mitm")
                .hasMessageContaining("cannot read flow 1 (from byte " + starts.get(1) + ")")
                .hasMessageContaining("corrupt or truncated");
        assertThat(seen).containsExactly(0);
    }

    @Test
    void notAFlowFileAtAllIsNamedAtFlowZero() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.mitm"), "12:not a flow file,");
        assertThatThrownBy(() -> read(junk)).isInstanceOf(FlowFile.FlowFileException.class)
                .hasMessageContaining("junk.mitm: cannot read flow 0 (from byte 0)")
                .hasMessageContaining("no flow before it");
    }

    @Test
    void anEmptyFileHoldsNoFlow() throws Exception {
        Path empty = Files.write(dir.resolve("empty.mitm"), new byte[0]);
        assertThat(read(empty).flows()).isEmpty();
    }

    /** Where each top-level tnetstring (one flow) starts: "LENGTH:" DATA TYPE-BYTE, one after another. */
    static List<Integer> flowStarts(byte[] file) {
        List<Integer> starts = new ArrayList<>();
        int i = 0;
        while (i < file.length) {
            starts.add(i);
            int colon = i;
            while (file[colon] != ':') {
                colon++;
            }
            int length = Integer.parseInt(new String(file, i, colon - i, StandardCharsets.US_ASCII));
            i = colon + 1 + length + 1;
        }
        return starts;
    }

    private Read read(Path file) {
        Read r = new Read(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        FlowFile.read(file, dir.resolve("work"), Duration.ofMinutes(2), sink(r.indexes(), r.flows(), r.ws(), r.bad()));
        return r;
    }

    private static FlowFile.Sink sink(List<Integer> indexes, List<CapturedFlow> flows,
                                      List<List<FlowFile.Message>> ws, List<String> bad) {
        return new FlowFile.Sink() {
            @Override
            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                indexes.add(index);
                flows.add(flow);
                ws.add(websocket);
            }

            @Override
            public void badFlow(int index, String problem) {
                bad.add(index + " " + problem);
            }
        };
    }

}
