package dev.consentry.leak;

import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.consentry.leak.LeakDetectorTest.DETECTOR;
import static dev.consentry.leak.LeakDetectorTest.IMEI;
import static dev.consentry.leak.LeakDetectorTest.PHONE;
import static dev.consentry.leak.LeakDetectorTest.concat;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.single;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** gRPC bodies: each length-prefixed message searched as the body, a compressed one decompressed first. */
class GrpcFramingTest {
    private static final List<HttpHeader> GRPC = List.of(new HttpHeader("content-type", "application/grpc"),
            new HttpHeader("grpc-encoding", "gzip"), new HttpHeader("te", "trailers"));

    static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(number << 3 | 2);
        o.write(value.length); // under 128 here
        o.writeBytes(value);
        return o.toByteArray();
    }

    static byte[] frame(int flag, byte[] message) {
        int n = message.length;
        return concat(new byte[]{(byte) flag, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n},
                message);
    }

    private static byte[] digestMessage() throws Exception {
        byte[] digest = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(utf8(IMEI.value())), 16);
        return concat(field(1, utf8("com.example.app")), field(2, digest));
    }

    private static List<String> chain(List<HttpHeader> headers, byte[] body) {
        return single(DETECTOR.scan(flow("/google.internal.Log/Upload", headers, body))).transforms();
    }

    @Test
    void eachMessageIsTakenApartAsAProtobufMessage() throws Exception {
        byte[] digest = digestMessage();
        // The same message unframed was always found; framed, its fields were never taken apart.
        assertThat(chain(List.of(), digest)).containsExactly("protobuf", "sha256");
        assertThat(chain(GRPC, frame(0, digest))).containsExactly("protobuf", "sha256");
        byte[] gzField = concat(field(1, utf8("app")), field(3, gzip(utf8("imei=" + IMEI.value()))));
        assertThat(chain(GRPC, frame(0, gzField))).containsExactly("protobuf", "gzip");
        // Several messages: one in the second is found too.
        assertThat(chain(GRPC, concat(frame(0, field(1, utf8("hello"))), frame(0, digest))))
                .containsExactly("protobuf", "sha256");
    }

    @Test
    void aCompressedMessageIsDecompressedByItsGrpcEncoding() throws Exception {
        assertThat(chain(GRPC, frame(1, gzip(digestMessage())))).containsExactly("gzip", "protobuf", "sha256");
        byte[] text = concat(field(1, utf8("app")), field(2, utf8("n=" + PHONE.value())));
        Finding f = single(DETECTOR.scan(flow("/s/M", GRPC, frame(1, gzip(text)))));
        assertThat(f.transforms()).containsExactly("gzip");
        assertThat(f.location()).isEqualTo("body");
        assertThat(f.offset()).isEqualTo(9); // in the message: key, length, "app", key, length, "n="
    }

    @Test
    void aCompressedMessageCutShortIsSaidAndWhatDecodedIsSearched() {
        byte[] msg = gzip(utf8("imei=" + IMEI.value() + "&pad=" + "y".repeat(100_000)));
        FlowScan s = DETECTOR.inspect(flow("/s/M", GRPC, frame(1, Arrays.copyOf(msg, msg.length - 20))));
        assertThat(single(s.findings()).transforms()).containsExactly("gzip");
        assertThat(s.damage()).singleElement().satisfies(d -> {
            assertThat(d.location()).isEqualTo("body");
            assertThat(d.problem()).startsWith("gRPC message 1 of 1: gzip stream is cut short");
        });
    }

    @Test
    void damageIsSaidOfItsMessageAndACodingNotDecodedOfTheGrpcEncoding() {
        List<HttpHeader> snappy = List.of(new HttpHeader("content-type", "application/grpc"),
                new HttpHeader("grpc-encoding", "snappy"));
        byte[] body = concat(frame(0, field(1, utf8("a"))), frame(1, utf8("not snappy, but who can tell")));
        assertThat(DETECTOR.inspect(flow("/s/M", snappy, body)).damage()).extracting(Damage::problem)
                .containsExactly("gRPC message 2 of 2: declared grpc-encoding snappy is not one the engine decodes"
                        + " (gzip, deflate, br, zstd): searched as sent");
        // The second of three messages declares gzip and is none; the bytes after the last whole one are named too.
        byte[] three = concat(frame(1, gzip(utf8("ok"))), frame(1, utf8("plain")), frame(0, utf8("z")),
                Arrays.copyOf(gzip(utf8("y".repeat(500) + IMEI.value() + "abc".repeat(300))), 30));
        assertThat(DETECTOR.inspect(flow("/s/M", GRPC, three)).damage()).extracting(Damage::problem)
                .satisfiesExactly(p -> assertThat(p).isEqualTo("gRPC message 2 of 3: declared gzip, but the message"
                                + " does not start as gzip (1f 8b): searched as sent"),
                        p -> assertThat(p).startsWith("the 30 bytes after the last whole gRPC message: gzip stream is"
                                + " cut short"));
    }

    @Test
    void whatTheFramingDoesNotAccountForIsSearchedAsItIs() throws Exception {
        // Cut mid-message: the whole messages, then the rest as sent.
        byte[] cut = concat(frame(0, field(1, utf8("a"))), frame(0, utf8("imei=" + IMEI.value() + " and more")));
        assertThat(chain(GRPC, Arrays.copyOf(cut, cut.length - 4))).isEmpty();
        // gRPC-Web's trailers frame (flag 0x80) is text, searched as the others.
        List<HttpHeader> web = List.of(new HttpHeader("Content-Type", "application/grpc-web+proto"));
        assertThat(chain(web, concat(frame(0, field(1, utf8("a"))), frame(0x80, utf8("x-id: " + IMEI.value())))))
                .isEmpty();
        // Not framed after all (a JSON error sent as gRPC): the body whole.
        assertThat(chain(GRPC, utf8("{\"imei\":\"" + IMEI.value() + "\"}"))).isEmpty();
    }

    @Test
    void onlyAGrpcContentTypeWithoutAnHttpCodingIsTakenApart() throws Exception {
        byte[] framed = frame(0, digestMessage());
        assertThat(DETECTOR.scan(flow("/s/M", List.of(new HttpHeader("content-type", "application/octet-stream")),
                framed))).isEmpty();
        List<HttpHeader> coded = new ArrayList<>(GRPC);
        coded.add(new HttpHeader("Content-Encoding", "gzip"));
        assertThat(chain(coded, gzip(concat(framed, utf8("imei=" + IMEI.value()))))).containsExactly("gzip");
        // The places the report's evidence replays from are the same messages.
        assertThat(ScanTarget.of(flow("/s/M", GRPC, concat(frame(0, utf8("ab")), frame(1, utf8("cd")))).request()))
                .filteredOn(t -> t.location().equals("body"))
                .extracting(t -> new String(t.bytes()), ScanTarget::declaredEncoding)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ab", ""),
                        org.assertj.core.groups.Tuple.tuple("cd", "gzip"));
    }

    /**
     * Every chain of {@link EveryChainTest} (to depth 3, every kind and the shortest values) sent as a gRPC message,
     * between two others: found with the same chain, the framing no layer; and, where a layer is left, as a gzip'd
     * message, with gzip first.
     */
    @Test
    void everyChainAsAMessageAndAsACompressedMessage() {
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (List<EveryChainTest.Transform> chain : EveryChainTest.chains()) {
            List<String> expected = EveryChainTest.reported(chain);
            for (dev.consentry.canary.Canary canary : EveryChainTest.CANARIES) {
                byte[] message = EveryChainTest.encode(chain, canary.value());
                byte[] around = frame(0, field(1, utf8("x")));
                List<List<String>> sent = new ArrayList<>(List.of(expected));
                List<byte[]> bodies = new ArrayList<>(List.of(concat(around, frame(0, message), around)));
                if (expected.size() < 3) {
                    List<String> gz = new ArrayList<>(List.of("gzip"));
                    gz.addAll(expected);
                    sent.add(gz);
                    bodies.add(concat(around, frame(1, gzip(message)), around));
                }
                for (int k = 0; k < bodies.size(); k++) {
                    tried++;
                    List<List<String>> got = EveryChainTest.DETECTOR.scan(flow("/s/M", GRPC, bodies.get(k))).stream()
                            .filter(f -> f.canary().equals(canary)).map(Finding::transforms).toList();
                    if (!got.equals(List.of(sent.get(k)))) {
                        wrong.add((k == 0 ? "framed " : "gzip'd ") + chain.stream()
                                .map(EveryChainTest.Transform::name).toList() + " " + canary.value() + ": expected "
                                + sent.get(k) + ", got " + got);
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(6000);
        assertThat(wrong).isEmpty();
    }
}
