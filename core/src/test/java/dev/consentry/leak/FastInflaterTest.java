package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FastInflater} against zlib ({@link Inflater}): the same bytes and the same end of stream wherever it decodes,
 * and it decodes every valid stream zlib's deflate makes; {@link InflateDecoder} with its fast path says and keeps
 * exactly what the zlib-only decoder does, damaged input included.
 */
class FastInflaterTest {
    private static final int[] STRATEGIES = {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY};

    /** What zlib makes of a raw deflate stream at {@code start}: its output, whether it finished, where it ended. */
    private record Zlib(byte[] bytes, boolean finished, int end) { }

    private static Zlib zlib(byte[] in, int start) {
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            inflater.setInput(in, start, in.length - start);
            byte[] buf = new byte[1 << 16];
            for (int round = 0; round < 1 << 20 && !inflater.finished(); round++) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            return new Zlib(out.toByteArray(), inflater.finished(), in.length - inflater.getRemaining());
        } catch (DataFormatException e) {
            return new Zlib(out.toByteArray(), false, -1);
        } finally {
            inflater.end();
        }
    }

    /** The fast path's output, or null where it declines. */
    private record Fast(byte[] bytes, int end) { }

    private static Fast fast(byte[] in, int start, int initial, int maxOutput) {
        FastInflater f = new FastInflater();
        f.out = new byte[initial];
        f.outPos = 0;
        int end = f.inflate(in, start, maxOutput);
        return end == FastInflater.FAIL ? null : new Fast(Arrays.copyOf(f.out, f.outPos), end);
    }

    private static byte[] deflate(byte[] data, int level, int strategy) {
        Deflater d = new Deflater(level, true);
        d.setStrategy(strategy);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int round = 0; round < 1 << 20 && !d.finished(); round++) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** JSON-like text: digits, hex, repeated keys (matches of many lengths and distances), as the bench's bodies. */
    static byte[] text(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("{\"events\":[");
        while (s.length() < size) {
            s.append("{\"ts\":").append(1400000000000L + r.nextInt(1 << 30)).append(",\"name\":\"ev_")
                    .append(Integer.toString(r.nextInt(1 << 20), 36)).append("\",\"v\":").append(r.nextDouble())
                    .append(",\"uid\":\"").append(Long.toHexString(r.nextLong())).append("\"},");
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Short periods (every match distance from 1 to 20) and runs: the copies that overlap their source. */
    private static byte[] periodic(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int period = 1 + r.nextInt(20);
            int run = 1 + r.nextInt(600);
            for (int k = 0; k < run && i < size; k++, i++) {
                b[i] = (byte) ('a' + (k % period) + (period > 10 ? r.nextInt(2) * (k / 97 % 2) : 0));
            }
        }
        return b;
    }

    /** Decodes {@code stream} (followed by other bytes) as zlib does, asserting that the fast path took it. */
    private static void assertSameAsZlib(byte[] stream, byte[] original, String what) {
        byte[] in = Arrays.copyOf(stream, stream.length + 11); // bytes after the stream: its end must be found
        Arrays.fill(in, stream.length, in.length, (byte) 0x5a);
        Zlib z = zlib(in, 0);
        assertThat(z.finished()).as(what).isTrue();
        assertThat(z.bytes()).as(what).isEqualTo(original);
        for (int initial : new int[]{Math.max(1, original.length), 1}) {
            Fast f = fast(in, 0, initial, 64 << 20);
            assertThat(f).as(what + ": the fast path declined a valid stream").isNotNull();
            assertThat(f.bytes()).as(what).isEqualTo(z.bytes());
            assertThat(f.end()).as(what + ": end of stream").isEqualTo(z.end()).isEqualTo(stream.length);
        }
    }

    @Test
    void everyLevelAndStrategyDecodesAsZlibDoes() {
        int[] sizes = {0, 1, 2, 3, 9, 100, 259, 4_000, 40_000, 70_000};
        int cases = 0;
        for (int size : sizes) {
            List<byte[]> inputs = List.of(text(size, size), random(size, size), periodic(size, size));
            for (byte[] data : inputs) {
                for (int level = 0; level <= 9; level++) {
                    for (int strategy : STRATEGIES) {
                        assertSameAsZlib(deflate(data, level, strategy), data,
                                "size " + size + " level " + level + " strategy " + strategy);
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(sizes.length * 3 * 10 * 3);
    }

    @Test
    void skewedAlphabetsWithCodesFromOneToFifteenBitsDecodeAsZlibDoes() {
        // Byte k drawn with weight ratio^-k: steep ratios give literal codes of 1-4 bits (entries holding two or three
        // literals) beside codes of up to 15 bits (subtables); flat ones, codes of one length. Literal-only and with
        // matches, every table size from a 2-symbol to a 256-symbol alphabet.
        Random r = new Random(13);
        int cases = 0;
        for (double ratio : new double[]{1.02, 1.3, 1.62, 2.0, 3.0}) {
            for (int alphabet : new int[]{2, 5, 17, 64, 256}) {
                double[] cumulative = new double[alphabet];
                double sum = 0;
                for (int k = 0; k < alphabet; k++) {
                    sum += Math.pow(ratio, -k);
                    cumulative[k] = sum;
                }
                byte[] data = new byte[30_000];
                for (int i = 0; i < data.length; i++) {
                    double x = r.nextDouble() * sum;
                    int k = 0;
                    while (k < alphabet - 1 && cumulative[k] < x) {
                        k++;
                    }
                    data[i] = (byte) (k * 37 + 11);
                }
                for (int strategy : STRATEGIES) {
                    assertSameAsZlib(deflate(data, 6, strategy), data,
                            "ratio " + ratio + " alphabet " + alphabet + " strategy " + strategy);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(5 * 5 * 3);
    }

    @Test
    void aMegabyteAndFarMatchesDecodeAsZlibDoes() {
        byte[] big = text(1 << 20, 5);
        for (int level : new int[]{1, 6, 9}) {
            assertSameAsZlib(deflate(big, level, Deflater.DEFAULT_STRATEGY), big, "1 MB text level " + level);
        }
        byte[] noise = random(1 << 20, 6);
        assertSameAsZlib(deflate(noise, 6, Deflater.DEFAULT_STRATEGY), noise, "1 MB random (stored blocks)");
        // 32 KB of noise, then the same again: matches 32768 bytes back, 258 bytes long.
        byte[] twice = new byte[3 * 32768];
        byte[] block = random(32768, 7);
        for (int i = 0; i < 3; i++) {
            System.arraycopy(block, 0, twice, i * 32768, 32768);
        }
        assertSameAsZlib(deflate(twice, 9, Deflater.DEFAULT_STRATEGY), twice, "distance 32768");
    }

    /** Writes deflate bits least significant first; Huffman codes go most significant bit first (RFC 1951 3.1.1). */
    private static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long buffer;
        int count;

        Bits put(long value, int n) {
            buffer |= value << count;
            count += n;
            while (count >= 8) {
                out.write((int) buffer);
                buffer >>>= 8;
                count -= 8;
            }
            return this;
        }

        Bits code(int code, int length) {
            return put(Integer.reverse(code) >>> (32 - length), length);
        }

        byte[] bytes() {
            if (count > 0) {
                out.write((int) buffer);
            }
            return out.toByteArray();
        }
    }

    private static void fixedLiteralOrLength(Bits b, int symbol) {
        if (symbol < 144) {
            b.code(0x30 + symbol, 8);
        } else if (symbol < 256) {
            b.code(0x190 + symbol - 144, 9);
        } else if (symbol < 280) {
            b.code(symbol - 256, 7);
        } else {
            b.code(0xc0 + symbol - 280, 8);
        }
    }

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
            67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
            5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
            769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
            11, 11, 12, 12, 13, 13};

    /** A match in a fixed-Huffman block (length 3-258, distance 1-32768): RFC 1951 3.2.5's tables. */
    private static void fixedMatch(Bits b, int length, int distance) {
        int li = 0;
        while (li + 1 < LENGTH_BASE.length && LENGTH_BASE[li + 1] <= length) {
            li++;
        }
        fixedLiteralOrLength(b, 257 + li);
        b.put(length - LENGTH_BASE[li], LENGTH_EXTRA[li]);
        int di = 0;
        while (di + 1 < DIST_BASE.length && DIST_BASE[di + 1] <= distance) {
            di++;
        }
        b.code(di, 5);
        b.put(distance - DIST_BASE[di], DIST_EXTRA[di]);
    }

    @Test
    void fixedHuffmanBlocksWithEveryLengthAndFarDistancesDecodeAsZlibDoes() {
        // Final fixed block: 33,000 literals, then a match of every length 3-258 at distances up to 32768.
        Bits b = new Bits().put(1, 1).put(1, 2);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random r = new Random(11);
        for (int i = 0; i < 33_000; i++) {
            int literal = r.nextInt(256);
            fixedLiteralOrLength(b, literal);
            expected.write(literal);
        }
        byte[] all = Arrays.copyOf(expected.toByteArray(), 33_000 + 34_000);
        int size = 33_000;
        for (int length = 3; length <= 258; length++) {
            int distance = length % 5 == 0 ? 32768 : 1 + r.nextInt(length % 3 == 0 ? 7 : 32768);
            fixedMatch(b, length, distance);
            for (int k = 0; k < length; k++, size++) {
                all[size] = all[size - distance];
            }
        }
        expected.reset();
        expected.write(all, 0, size);
        fixedLiteralOrLength(b, 256);
        assertSameAsZlib(b.bytes(), expected.toByteArray(), "fixed Huffman block");
        assertThat(expected.size()).isEqualTo(33_000 + (3 + 258) * 256 / 2);
    }

    @Test
    void overlappingMatchesAtEveryShortDistanceWithAndWithoutLiteralsBetweenDecodeAsZlibDoes() {
        // Every distance 1-16 with lengths 3-40, followed by no literal (a match right after a match), or one to three:
        // a literal entry after a match is written before it is known to be one, and a short copy reads bytes just
        // written. The stream is final and ends right after, so the last symbols run at the input's end as well.
        Bits b = new Bits().put(1, 1).put(1, 2);
        Random r = new Random(12);
        byte[] all = new byte[200_000];
        int size = 0;
        for (int i = 0; i < 16; i++, size++) {
            all[size] = (byte) ('a' + r.nextInt(26));
            fixedLiteralOrLength(b, all[size]);
        }
        for (int distance = 1; distance <= 16; distance++) {
            for (int length = 3; length <= 40; length++) {
                fixedMatch(b, length, distance);
                for (int k = 0; k < length; k++, size++) {
                    all[size] = all[size - distance];
                }
                for (int k = r.nextInt(4); k > 0; k--, size++) {
                    all[size] = (byte) r.nextInt(256);
                    fixedLiteralOrLength(b, all[size] & 0xff);
                }
            }
        }
        fixedLiteralOrLength(b, 256);
        assertSameAsZlib(b.bytes(), Arrays.copyOf(all, size), "short distances");
        assertThat(size).isGreaterThan(16 * (3 + 40) * 38 / 2);
    }

    @Test
    void invalidFixedCodesAndDistancesTooFarBackAreLeftToZlib() {
        List<byte[]> streams = new ArrayList<>();
        Bits tooFar = new Bits().put(1, 1).put(1, 2); // one literal, then a match 2 bytes back
        fixedLiteralOrLength(tooFar, 'a');
        fixedMatch(tooFar, 3, 2);
        fixedLiteralOrLength(tooFar, 256);
        streams.add(tooFar.bytes());
        for (int symbol : new int[]{286, 287}) {
            Bits b = new Bits().put(1, 1).put(1, 2);
            fixedLiteralOrLength(b, 'a');
            fixedLiteralOrLength(b, symbol);
            streams.add(b.bytes());
        }
        for (int distanceCode : new int[]{30, 31}) {
            Bits b = new Bits().put(1, 1).put(1, 2);
            fixedLiteralOrLength(b, 'a');
            fixedLiteralOrLength(b, 257);
            b.code(distanceCode, 5);
            fixedLiteralOrLength(b, 256);
            streams.add(b.bytes());
        }
        streams.add(new Bits().put(1, 1).put(3, 2).put(0, 20).bytes()); // block type 3
        for (byte[] s : streams) {
            byte[] in = Arrays.copyOf(s, s.length + 8);
            assertThat(zlib(in, 0).finished()).isFalse();
            assertThat(fast(in, 0, 64, 1 << 20)).isNull();
        }
    }

    @Test
    void cutAndCorruptStreamsAreLeftToZlibOrDecodeAsItDoes() {
        Random r = new Random(13);
        int declined = 0;
        int decoded = 0;
        for (byte[] data : List.of(text(20_000, 1), periodic(9_000, 2), random(3_000, 3))) {
            for (int level : new int[]{0, 1, 6, 9}) {
                byte[] stream = deflate(data, level, level == 1 ? Deflater.HUFFMAN_ONLY : Deflater.DEFAULT_STRATEGY);
                for (int cut = 0; cut < stream.length; cut += 1 + stream.length / 60) {
                    byte[] in = Arrays.copyOf(stream, cut);
                    assertThat(zlib(in, 0).finished()).isFalse();
                    assertThat(fast(in, 0, 1024, 1 << 22)).as("cut at " + cut).isNull();
                    declined++;
                }
                for (int k = 0; k < 150; k++) {
                    byte[] in = stream.clone();
                    int at = r.nextInt(Math.min(in.length, k < 50 ? 40 : in.length));
                    in[at] ^= (byte) (1 << r.nextInt(8));
                    Zlib z = zlib(in, 0);
                    Fast f = fast(in, 0, 1024, 1 << 22);
                    if (f == null) {
                        declined++;
                    } else {
                        // Damage zlib does not notice either (a flipped literal): the same bytes, the same end.
                        assertThat(z.finished()).as("flip at " + at).isTrue();
                        assertThat(f.bytes()).isEqualTo(z.bytes());
                        assertThat(f.end()).isEqualTo(z.end());
                        decoded++;
                    }
                }
            }
        }
        assertThat(declined).isGreaterThan(1000);
        assertThat(decoded).isGreaterThan(100);
    }

    @Test
    void outputReachingTheCapIsLeftToZlib() {
        byte[] data = text(10_000, 4);
        byte[] stream = deflate(data, 6, Deflater.DEFAULT_STRATEGY);
        assertThat(fast(stream, 0, 100, 10_000)).isNull();
        assertThat(fast(stream, 0, 100, 10_001)).isNotNull();
        assertThat(fast(stream, 0, 100, 10_001).bytes()).isEqualTo(data);
    }

    // InflateDecoder with the fast path against the zlib-only one: the same views, the same damage messages.

    private record Decoded(List<String> views, List<String> damage) { }

    private static Decoded decode(byte[] body, String declared, int maxOutput, boolean fastPath) {
        List<String> views = new ArrayList<>();
        List<String> damage = new ArrayList<>();
        new InflateDecoder(maxOutput, fastPath).decode(View.root(body, declared),
                v -> views.add(v.transforms() + " " + v.declaredEncoding() + " " + Arrays.toString(v.data())),
                damage::add);
        return new Decoded(views, damage);
    }

    private static void assertSameDecoding(byte[] body, String declared, int maxOutput) {
        assertThat(decode(body, declared, maxOutput, true))
                .as("%d bytes declared '%s'", body.length, declared)
                .isEqualTo(decode(body, declared, maxOutput, false));
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] zlibStream(byte[] data, byte[] dictionary) {
        Deflater d = new Deflater(6);
        if (dictionary != null) {
            d.setDictionary(dictionary);
        }
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 1024];
        int n = 0;
        for (int round = 0; round < 1 << 20 && !d.finished(); round++) {
            n += d.deflate(buf, n, buf.length - n);
        }
        d.end();
        return Arrays.copyOf(buf, n);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void threadsSharingOneDecoderEachGetTheirOwnBytes() throws Exception {
        InflateDecoder shared = new InflateDecoder(1 << 20);
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            plain.add(i % 2 == 0 ? text(5_000 + 3_000 * i, i) : periodic(4_000 + 1_000 * i, i));
            bodies.add(gzip(plain.get(i)));
        }
        List<Thread> threads = new ArrayList<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int offset = t;
            threads.add(new Thread(() -> {
                for (int round = 0; round < 200; round++) {
                    int i = (round + offset) % bodies.size();
                    List<byte[]> out = new ArrayList<>();
                    shared.decode(View.root(bodies.get(i), "gzip"), v -> out.add(v.data()), p -> wrong.add(p));
                    if (out.size() != 1 || !Arrays.equals(out.get(0), plain.get(i))) {
                        wrong.add("body " + i + " round " + round);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theDecoderSaysAndKeepsWhatTheZlibOnlyOneDoes() throws Exception {
        byte[] a = text(30_000, 8);
        byte[] b = periodic(5_000, 9);
        byte[] gz = gzip(a);
        byte[] zl = zlibStream(a, null);
        byte[] badAdler = zl.clone();
        badAdler[badAdler.length - 1] ^= 1;
        List<byte[]> bodies = new ArrayList<>(List.of(gz, concat(gz, gzip(b)), concat(gz, gzip(b), gzip(new byte[0])),
                concat(gz, gzip(b), new byte[]{0x1f, (byte) 0x8b, 8}), concat(gz, new byte[]{1, 2, 3}), zl, badAdler,
                Arrays.copyOf(zl, zl.length - 2), zlibStream(a, "dictionary".getBytes(StandardCharsets.UTF_8)),
                deflate(a, 6, Deflater.DEFAULT_STRATEGY), gzip(new byte[0])));
        Random r = new Random(17);
        for (int k = 0; k < 40; k++) {
            byte[] cut = Arrays.copyOf(k % 2 == 0 ? gz : zl, r.nextInt(gz.length));
            byte[] flipped = (k % 2 == 0 ? concat(gz, gzip(b)) : zl).clone();
            flipped[10 + r.nextInt(flipped.length - 10)] ^= (byte) (1 << r.nextInt(8));
            bodies.add(cut);
            bodies.add(flipped);
        }
        for (byte[] body : bodies) {
            for (String declared : new String[]{"", "gzip", "deflate"}) {
                assertSameDecoding(body, declared, 1 << 20);
                assertSameDecoding(body, declared, 4096);
                assertSameDecoding(body, declared, 30_000);
            }
        }
        // Output right at the cap: the fast path leaves a body that reaches it to zlib, which says so.
        for (int cap : new int[]{a.length - 1, a.length, a.length + 1, a.length + b.length, a.length + b.length + 1}) {
            assertSameDecoding(gz, "gzip", cap);
            assertSameDecoding(concat(gz, gzip(b)), "gzip", cap);
            assertSameDecoding(zl, "deflate", cap);
        }
        // What the fast path decodes is what it should (the comparison above cannot tell an empty result twice).
        assertThat(decode(concat(gz, gzip(b)), "gzip", 1 << 20, true).views())
                .containsExactly("[gzip]  " + Arrays.toString(concat(a, b)));
        assertThat(decode(badAdler, "deflate", 1 << 20, true).damage()).singleElement().asString()
                .startsWith("deflate stream is corrupt near byte");
    }
}
