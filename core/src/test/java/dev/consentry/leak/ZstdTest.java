package dev.consentry.leak;

import dev.consentry.canary.Canary;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdOutputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.consentry.leak.LeakDetectorTest.b64;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static dev.consentry.leak.TransformTableTest.DETECTOR;
import static dev.consentry.leak.TransformTableTest.EVERY_KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Zstandard bodies cut short or damaged. The fixtures are real encoder output (resources/dev/consentry/leak/zstd/
 * make-fixtures.py: Debian's zstd CLI 1.5.4): telemetry.json (5.7 KB, the IMEI at byte 19, a contact's phone number
 * at its end) in blocks of about 300 compressed bytes, as a streaming sender flushing as it goes writes them, and in
 * one block as the CLI writes it by default; binary.bin (incompressible, the IMEI in the middle) in one raw block.
 */
class ZstdTest {
    private static final Canary IMEI = EVERY_KIND.get(0);
    private static final Canary CONTACT_PHONE = EVERY_KIND.get(4);
    private static final int CAP = 64 << 20;

    static byte[] fixture(String name) {
        try (InputStream in = ZstdTest.class.getResourceAsStream("zstd/" + name)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Finding> scan(byte[] body) {
        return DETECTOR.scan(flow("/collect", List.of(), body));
    }

    /** Where block {@code n} (from 1) of the only frame ends, read off the block headers after a header that long. */
    private static int blockEnd(byte[] z, int headerSize, int n) {
        int at = headerSize;
        for (int i = 1; ; i++) {
            int h = (z[at] & 0xff) | (z[at + 1] & 0xff) << 8 | (z[at + 2] & 0xff) << 16;
            assertThat((h >>> 1) & 3).as("block %d is compressed", i).isEqualTo(2);
            at += 3 + (h >>> 3);
            if (i == n) {
                return at;
            }
            assertThat(h & 1).as("block %d is not the last", i).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // from a file: single segment, a 2-byte content size, a checksum
            "blocks-file.zst, 7, 4",
            // from a pipe: a window descriptor, no content size, a checksum
            "blocks-stream.zst, 6, 4",
            // -19 --no-check: single segment, a 2-byte content size, no checksum
            "blocks-19-nocheck.zst, 7, 0",
            // --long=27 from a pipe: a 128 MB window, which aircompressor alone refuses even whole
            "long-window-stream.zst, 6, 4"})
    void aCliFrameCutAnywhereYieldsEveryBlockBeforeTheCut(String name, int headerSize, int checksum) {
        byte[] z = fixture(name);
        byte[] plain = fixture("telemetry.json");
        int firstBlockEnd = blockEnd(z, headerSize, 1);
        int previous = 0;
        for (int cut = 0; cut <= z.length; cut++) {
            byte[] body = Arrays.copyOf(z, cut);
            Zstd.Decoded d = Zstd.decode(body, CAP);
            assertThat(d.bytes()).as("cut %d", cut).isEqualTo(Arrays.copyOf(plain, d.bytes().length));
            assertThat(d.bytes().length).as("cut %d", cut).isGreaterThanOrEqualTo(previous);
            previous = d.bytes().length;
            assertThat(d.damaged()).as("cut %d", cut).isEqualTo(cut < z.length);

            // The IMEI stands in block 1, the contact's number in the last block; from a pipe, the encoder left the
            // number as it is in the compressed bytes (raw literals), where it is found as sent.
            List<Tuple> expected = new ArrayList<>();
            if (cut >= firstBlockEnd) {
                expected.add(tuple(IMEI, List.of("zstd")));
            }
            if (new String(body, StandardCharsets.ISO_8859_1).contains(CONTACT_PHONE.value())) {
                expected.add(tuple(CONTACT_PHONE, List.of()));
            } else if (cut >= z.length - checksum) {
                expected.add(tuple(CONTACT_PHONE, List.of("zstd")));
            }
            assertThat(scan(body)).as("cut %d", cut).extracting(Finding::canary, Finding::transforms)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(previous).isEqualTo(plain.length);
    }

    @Test
    void theDamageIsNamed() {
        byte[] z = fixture("blocks-stream.zst");
        int first = blockEnd(z, 6, 1);
        int second = blockEnd(z, 6, 2);
        assertThat(Zstd.decode(Arrays.copyOf(z, 5), CAP).damage())
                .isEqualTo("frame 1 cut in its header; no block before it decodes");
        assertThat(Zstd.decode(Arrays.copyOf(z, first + 1), CAP).damage())
                .isEqualTo("frame 1 cut in the header of block 2; recovered 1 block of 1 frame");
        assertThat(Zstd.decode(Arrays.copyOf(z, second - 1), CAP).damage())
                .isEqualTo("frame 1 cut in block 2, a compressed block; recovered 1 block of 1 frame");
        assertThat(Zstd.decode(Arrays.copyOf(z, z.length - 2), CAP).damage())
                .isEqualTo("frame 1 cut in its checksum; recovered 4 blocks of 1 frame");
    }

    /** The limit: a block is decoded whole or not at all, and small bodies are one block. */
    @Test
    void aFrameOfOneCompressedBlockCutInsideItYieldsNothing() {
        byte[] z = fixture("one-block.zst");
        for (int cut : new int[]{12, z.length / 2, z.length - 5}) {
            Zstd.Decoded d = Zstd.decode(Arrays.copyOf(z, cut), CAP);
            assertThat(d.bytes()).isEmpty();
            assertThat(d.damage()).isEqualTo("frame 1 cut in block 1, a compressed block; no block before it decodes");
            assertThat(scan(Arrays.copyOf(z, cut))).isEmpty();
        }
        assertThat(scan(z)).extracting(Finding::canary).containsExactlyInAnyOrder(IMEI, CONTACT_PHONE);
    }

    @Test
    void aRawBlockCutShortYieldsItsBytesUpToTheCut() {
        byte[] z = fixture("raw-block.zst");
        byte[] plain = fixture("binary.bin");
        int header = 4 + 1 + 2 + 3; // magic, descriptor, 2-byte content size (single segment), block header
        assertThat((z[header - 3] >>> 1) & 3).as("a raw block").isEqualTo(0);
        int imeiEnd = header + 1500 + 15;
        for (int cut = imeiEnd - 3; cut <= imeiEnd + 3; cut++) {
            Zstd.Decoded d = Zstd.decode(Arrays.copyOf(z, cut), CAP);
            assertThat(d.bytes()).isEqualTo(Arrays.copyOf(plain, cut - header));
            assertThat(d.damage()).endsWith("recovered 1 block of 1 frame, the last a raw block cut short");
            // The engine found these bytes before: a raw block's bytes stand in the body as they are. (An IMEI is
            // matched without its check digit too.)
            assertThat(scan(Arrays.copyOf(z, cut))).as("cut %d", cut).extracting(Finding::canary, Finding::transforms)
                    .containsExactlyElementsOf(cut < imeiEnd - 1 ? List.of() : List.of(tuple(IMEI, List.of())));
        }
    }

    /** aircompressor's own encoder writes blocks of 128 KB: a body of 300 KB is three. */
    @Test
    void framesFromAircompressorCutAfterTheirFirstBlockYieldIt() throws IOException {
        byte[] plain = telemetry(300_000);
        ZstdCompressor compressor = new ZstdCompressor();
        byte[] buf = new byte[compressor.maxCompressedLength(plain.length)];
        byte[] whole = Arrays.copyOf(buf, compressor.compress(plain, 0, plain.length, buf, 0, buf.length));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(streamed)) {
            out.write(plain);
        }
        for (byte[] z : List.of(whole, streamed.toByteArray())) {
            for (int cut : new int[]{z.length / 2, z.length * 3 / 4, z.length - 5}) {
                Zstd.Decoded d = Zstd.decode(Arrays.copyOf(z, cut), CAP);
                assertThat(d.bytes().length).as("cut %d of %d", cut, z.length).isGreaterThanOrEqualTo(128 * 1024);
                assertThat(d.bytes()).isEqualTo(Arrays.copyOf(plain, d.bytes().length));
                assertThat(scan(Arrays.copyOf(z, cut))).extracting(Finding::canary, Finding::transforms)
                        .contains(tuple(IMEI, List.of("zstd")));
            }
            assertThat(Zstd.decode(Arrays.copyOf(z, 200), CAP).bytes()).isEmpty();
        }
    }

    @Test
    void aTruncatedFrameInsideBase64IsFoundWithItsChain() {
        byte[] z = fixture("blocks-stream.zst");
        byte[] cut = Arrays.copyOf(z, blockEnd(z, 6, 2) - 10);
        assertThat(scan(utf8("{\"v\":3,\"blob\":\"" + b64(cut) + "\"}")))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(tuple(IMEI, List.of("base64", "zstd")));
    }

    @Test
    void framesOneAfterAnotherAndSkippableFrames() {
        byte[] z = fixture("blocks-stream.zst");
        byte[] plain = fixture("telemetry.json");
        byte[] skippable = {0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};
        // A whole frame, then one cut after its first block: all of the first, the block of the second.
        byte[] two = cat(z, Arrays.copyOf(z, blockEnd(z, 6, 1) + 20));
        Zstd.Decoded d = Zstd.decode(two, CAP);
        assertThat(d.bytes()).isEqualTo(cat(plain, Arrays.copyOf(plain, d.bytes().length - plain.length)));
        assertThat(d.bytes().length).isGreaterThan(plain.length);
        assertThat(d.damage()).isEqualTo("frame 2 cut in block 2, a compressed block; recovered 5 blocks of 2 frames");
        // Skippable frames (a seekable archive's index, say) are not damage; aircompressor alone fails on them.
        for (byte[] body : List.of(cat(skippable, z), cat(z, skippable), cat(z, skippable, z))) {
            Zstd.Decoded s = Zstd.decode(body, CAP);
            assertThat(s.damaged()).isFalse();
            assertThat(s.bytes()).isEqualTo(body.length > 2 * z.length ? cat(plain, plain) : plain);
            assertThat(scan(body)).extracting(Finding::canary, Finding::transforms)
                    .contains(tuple(IMEI, List.of("zstd")));
        }
        // A skippable frame cut short ends the walk, after the frames before it.
        Zstd.Decoded s = Zstd.decode(cat(z, Arrays.copyOf(skippable, 9)), CAP);
        assertThat(s.bytes()).isEqualTo(plain);
        assertThat(s.damage()).startsWith("skippable frame 2 cut short");
        // Bytes after the last frame that are not a frame.
        assertThat(Zstd.decode(cat(z, utf8("garbage")), CAP).damage())
                .isEqualTo("7 bytes at offset " + z.length + " are not a zstd frame; recovered 4 blocks of 1 frame");
    }

    @Test
    void aCorruptBlockYieldsTheBlocksBeforeItAndIsNamed() {
        byte[] z = fixture("blocks-19-nocheck.zst");
        byte[] plain = fixture("telemetry.json");
        int first = blockEnd(z, 7, 1);
        byte[] bad = z.clone();
        Arrays.fill(bad, first + 3, first + 60, (byte) 0xff); // block 2's content, its header left alone
        Zstd.Decoded d = Zstd.decode(bad, CAP);
        assertThat(d.damage()).isEqualTo("block 2 of frame 1 does not decode (corrupt); recovered 1 block of 1 frame");
        assertThat(d.bytes()).isEqualTo(Arrays.copyOf(plain, d.bytes().length)).isNotEmpty();
        assertThat(scan(bad)).extracting(Finding::canary).containsExactly(IMEI);

        // A checksum that does not match: the frame is decoded without it.
        byte[] sum = fixture("blocks-stream.zst");
        sum[sum.length - 1] ^= 1;
        Zstd.Decoded c = Zstd.decode(sum, CAP);
        assertThat(c.bytes()).isEqualTo(plain);
        assertThat(c.damage()).startsWith("it does not decode as it stands");

        byte[] reserved = z.clone();
        reserved[7] |= 0b110; // block type 3
        assertThat(Zstd.decode(reserved, CAP).damage())
                .isEqualTo("block 1 of frame 1 has the reserved block type (corrupt); no block before it decodes");
        byte[] huge = z.clone();
        huge[9] = (byte) 0xff; // a block size of 2 MB
        assertThat(Zstd.decode(huge, CAP).damage()).startsWith("block 1 of frame 1 is larger than a block may be");
    }

    @Test
    void randomDamageNeverThrowsAndStaysWithinTheCap() {
        Random r = new Random(11);
        byte[] z = fixture("blocks-file.zst");
        for (int i = 0; i < 2_000; i++) {
            byte[] bad = Arrays.copyOf(z, 5 + r.nextInt(z.length));
            for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                bad[4 + r.nextInt(bad.length - 4)] = (byte) r.nextInt();
            }
            Zstd.Decoded d = Zstd.decode(bad, 3000);
            assertThat(d.bytes().length).isLessThanOrEqualTo(3000);
            assertThat(d.damage()).doesNotStartWith("not decoded");
            assertThat(scan(bad)).allSatisfy(f -> assertThat(f.transforms()).first().isEqualTo("zstd"));
        }
        // Headers and block headers of random bytes, after skippable frames and whole frames.
        byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2};
        for (int i = 0; i < 20_000; i++) {
            byte[] tail = new byte[r.nextInt(40)];
            r.nextBytes(tail);
            byte[] head = switch (i % 3) {
                case 0 -> new byte[]{0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
                case 1 -> cat(skippable, new byte[]{0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
                default -> cat(z, new byte[]{0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
            };
            Zstd.Decoded d = Zstd.decode(cat(head, tail), 3000);
            assertThat(d.bytes().length).isLessThanOrEqualTo(3000);
            assertThat(d.damage()).doesNotStartWith("not decoded");
        }
    }

    @Test
    void theOutputCapHoldsWholeAndCut() {
        byte[] z = fixture("blocks-stream.zst");
        assertThat(Zstd.decode(z, 1000).bytes()).hasSize(1000);
        assertThat(Zstd.decode(Arrays.copyOf(z, blockEnd(z, 6, 3)), 1000).bytes()).hasSize(1000);
    }

    @Test
    void whatStartsAZstdBody() {
        byte[] z = fixture("blocks-stream.zst");
        assertThat(Zstd.startsFrame(z)).isTrue();
        assertThat(Zstd.startsFrame(cat(new byte[]{0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 9}, z))).isTrue();
        // a skippable frame and nothing after it, one longer than the body, or not a frame at all
        assertThat(Zstd.startsFrame(new byte[]{0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 9})).isFalse();
        assertThat(Zstd.startsFrame(cat(new byte[]{0x50, 0x2a, 0x4d, 0x18, 100, 0, 0, 0}, z))).isFalse();
        assertThat(Zstd.startsFrame(Arrays.copyOf(z, 3))).isFalse();
        assertThat(Zstd.startsFrame(utf8("{\"imei\":1}"))).isFalse();
    }

    /** JSON events, the IMEI first, the contact's number last. */
    static byte[] telemetry(int size) {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder("{\"imei\":\"" + IMEI.value() + "\",\"events\":[");
        while (s.length() < size) {
            s.append("{\"t\":").append(1712000000 + r.nextInt(100000)).append(",\"dur\":").append(r.nextInt(9000))
                    .append(",\"id\":\"").append(Long.toHexString(r.nextLong())).append("\"},");
        }
        return utf8(s.append("{}],\"tel\":\"").append(CONTACT_PHONE.value()).append("\"}").toString());
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
