package dev.consentry.allure;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.leak.Brotli;
import dev.consentry.leak.Finding;
import dev.consentry.leak.ProtobufWire;
import dev.consentry.leak.ScanTarget;
import dev.consentry.leak.StreamMagic;
import dev.consentry.leak.Zstd;
import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A finding's evidence told step by step, so a reader can check it without tools: the bytes as sent, then each
 * layer the leak engine took off (gunzip, url-decode, base64, ...), down to the canary, located. The steps are
 * replayed here from the finding's transform chain with the JDK's own decoders (and org.brotli:dec for brotli, with
 * core's {@link Brotli#storedPrefix} for stored meta-blocks cut short, core's {@link Zstd} for zstd; protobuf
 * messages are walked with core's {@link ProtobufWire}), independently of the engine that found it: it has to find
 * the canary's bytes itself, and if the replay does not reach the canary, the evidence says so instead of pretending. A truncated compressed stream yields what decoded before the damage, as
 * in the engine (those bytes left the handset all the same), and its stage says so.
 *
 * @param stages outermost first; the last holds the match when {@link #reached()}
 */
public record EvidenceChain(Finding finding, List<Stage> stages, boolean reached) {
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{8,}={0,2}");
    private static final Pattern HEX_RUN = Pattern.compile("(?:[0-9a-fA-F]{2}){6,}");
    private static final int MAX_INFLATED = 16 * 1024 * 1024;
    /** Nested protobuf messages walked, as deep as the engine walks them. */
    private static final int MAX_NESTING = 8;
    /** The leak engine's hash names (its chain's last element) and the JDK algorithms behind them. */
    private static final Map<String, String> HASHES = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
            "sha512", "SHA-512");
    /** The engine's names for a number field read as a canary's number (its chain's last element, after protobuf). */
    private static final Map<String, String> NUMBERS = Map.of("varint", "a varint (uint64)", "zigzag",
            "a zigzag varint (sint64)", "fixed64", "a fixed64 (8 bytes, little-endian)", "double",
            "a double (8 bytes, little-endian)", "e7", "degrees x 10^7 in a varint", "e6", "degrees x 10^6 in a varint",
            "float", "a float (4 bytes, little-endian)", "sfixed32-e7", "degrees x 10^7 in an sfixed32 (4 bytes, "
                    + "little-endian)", "sfixed32-e6", "degrees x 10^6 in an sfixed32 (4 bytes, little-endian)");
    /** The wire type each of those names is read from. */
    private static final Map<String, Integer> NUMBER_WIRES = Map.of("varint", 0, "zigzag", 0, "e7", 0, "e6", 0,
            "fixed64", 1, "double", 1, "float", 5, "sfixed32-e7", 5, "sfixed32-e6", 5);

    /**
     * @param step       what was done to get here: "sent" for the raw bytes, else the transform's name
     * @param data       the bytes at this stage
     * @param matchStart where the canary's form starts in {@code data}, -1 unless this is the last stage reached
     */
    public record Stage(String step, String label, byte[] data, int matchStart, int matchLength) {
    }

    public static EvidenceChain replay(Finding f, CapturedFlow flow) {
        return replay(f, flow, List.of());
    }

    /**
     * @param messages what the handset sent on the flow's WebSocket, for a finding at location "websocket" (the flow
     *                 itself holds only the upgrade request)
     */
    public static EvidenceChain replay(Finding f, CapturedFlow flow, List<byte[]> messages) {
        // A name can stand for several places (two X-Id headers, HTTP/2's cookies in several cookie headers, a
        // WebSocket's messages): the first whose replay reaches the canary is the evidence.
        Stage first = null;
        List<byte[]> places = f.location().equals(ScanTarget.WEBSOCKET) && !messages.isEmpty() ? messages
                : located(f.location(), flow.request());
        for (byte[] raw : places) {
            Stage sent = new Stage("sent", "as sent, " + f.location() + " (" + raw.length + " bytes)", raw, -1, 0);
            first = first == null ? sent : first;
            List<Stage> path = descend(f, raw, 0, new ArrayList<>(List.of(sent)));
            if (path != null) {
                return new EvidenceChain(f, List.copyOf(path), true);
            }
        }
        return new EvidenceChain(f, List.of(first), false);
    }

    /** Depth-first over the candidates a step yields (several base64 runs, say): the first path reaching the form. */
    private static List<Stage> descend(Finding f, byte[] data, int step, List<Stage> path) {
        List<String> t0 = f.transforms();
        if (step == t0.size() - 2 && HASHES.containsKey(t0.get(step + 1))) {
            // [..., "hex"|"base64", "sha256"]: the canary's hash stands in the view, encoded; it cannot be decoded,
            // only recomputed from the form and found.
            return hashed(f, data, t0.get(step), t0.get(step + 1), path);
        }
        if (step == t0.size() - 2 && t0.get(step).equals("protobuf") && NUMBERS.containsKey(t0.get(step + 1))) {
            return numberInField(f, data, t0.get(step + 1), path);
        }
        if (step == t0.size()) {
            byte[] form = f.form().getBytes(StandardCharsets.UTF_8);
            int at = indexOf(data, form);
            if (at < 0) {
                return null;
            }
            Stage last = path.remove(path.size() - 1);
            path.add(new Stage(last.step(), last.label(), last.data(), at, form.length));
            return path;
        }
        String t = f.transforms().get(step);
        // As the engine, a stream is looked for inside a view only where url or JSON escapes were undone into it.
        boolean unescaped = step > 0 && (t0.get(step - 1).equals("url") || t0.get(step - 1).equals("json"));
        for (Candidate next : decode(t, data, unescaped)) {
            List<Stage> p = new ArrayList<>(path);
            p.add(new Stage(t, next.label(), next.data(), -1, 0));
            List<Stage> done = descend(f, next.data(), step + 1, p);
            if (done != null) {
                return done;
            }
        }
        return null;
    }

    private static List<Stage> hashed(Finding f, byte[] data, String encoding, String hash, List<Stage> path) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(HASHES.get(hash)).digest(f.form().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        if (encoding.equals("protobuf")) {
            return rawInField(f, data, hash, digest, path);
        }
        // The engine matches the first 64 bits (see LeakDetector): find them, then show as much of the digest as
        // was sent after them (a 96- or 128-bit truncation, or all of it).
        List<String> texts = new ArrayList<>();
        int minChars;
        if (encoding.equals("hex")) {
            String hex = HexFormat.of().formatHex(digest);
            texts.add(hex);
            texts.add(hex.toUpperCase(Locale.ROOT));
            minChars = 16;
        } else {
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(digest);
            texts.add(b64);
            texts.add(b64.replace('+', '-').replace('/', '_'));
            minChars = 10;
        }
        for (String text : texts) {
            byte[] full = text.getBytes(StandardCharsets.US_ASCII);
            byte[] needle = Arrays.copyOf(full, minChars);
            for (int at = indexOf(data, needle, 0); at >= 0; at = indexOf(data, needle, at + 1)) {
                int bits = encoding.equals("hex") ? 64 : base64Bits(data, at + minChars, full[minChars]);
                if (bits < 64) {
                    continue;
                }
                int chars = minChars;
                while (at + chars < data.length && chars < full.length && data[at + chars] == full[chars]) {
                    chars++;
                }
                bits = Math.min(8 * digest.length, encoding.equals("hex") ? chars / 2 * 8
                        : Math.max(bits, chars * 6 / 8 * 8));
                String shown = new String(data, at, chars, StandardCharsets.US_ASCII);
                Stage last = path.remove(path.size() - 1);
                path.add(new Stage(last.step(), last.label(), last.data(), at, chars));
                path.add(new Stage(hash, hash + " of \"" + f.form() + "\", " + encoding + "-encoded ("
                        + (bits == 8 * digest.length ? "all " + bits + " bits" : "its first " + bits + " bits")
                        + "): " + shown, Arrays.copyOfRange(data, at, at + chars), 0, chars));
                return path;
            }
        }
        return null;
    }

    /**
     * [..., "protobuf", "sha256"]: the digest's raw bytes start a field of the message; as in the engine, its first 64
     * bits must be there, and as much of the rest as was sent is shown.
     */
    private static List<Stage> rawInField(Finding f, byte[] data, String hash, byte[] digest,
                                          List<Stage> path) {
        for (Candidate field : protobufFields(data)) {
            byte[] d = field.data();
            int n = 0;
            while (n < d.length && n < digest.length && d[n] == digest[n]) {
                n++;
            }
            if (n < 8) {
                continue;
            }
            int bits = 8 * n;
            path.add(new Stage("protobuf", field.label(), d, 0, n));
            path.add(new Stage(hash, hash + " of \"" + f.form() + "\", raw bytes ("
                    + (n == digest.length ? "all " + bits + " bits" : "its first " + bits + " bits") + "): "
                    + HexFormat.of().formatHex(d, 0, n), Arrays.copyOf(d, n), 0, n));
            return path;
        }
        return null;
    }

    /**
     * [..., "protobuf", one of {@link #NUMBERS}]: a number field of the message (or of one nested in it) holds the
     * number the form spells, in decimal (an IMEI, a phone number) or in hex (an Android ID, a MAC), or a location's
     * coordinate, to the form's decimals (truncated or rounded, as the engine's forms are), as a double or a float or
     * as a whole number of 10^-7 or 10^-6 degrees.
     */
    private static List<Stage> numberInField(Finding f, byte[] data, String encoding, List<Stage> path) {
        String form = f.form();
        if (!ProtobufWire.parses(data, 0, data.length)) {
            return null;
        }
        LongFunction<String> reads = switch (encoding) {
            case "double" -> coordinate(form);
            case "float" -> floatCoordinate(form);
            case "e7" -> scaled(form, 7);
            case "e6" -> scaled(form, 6);
            // A fixed32 comes in the low 32 bits: the int it is, sign-extended.
            case "sfixed32-e7" -> signed32(scaled(form, 7));
            case "sfixed32-e6" -> signed32(scaled(form, 6));
            default -> integer(form, encoding);
        };
        Integer wantedWire = NUMBER_WIRES.get(encoding);
        if (reads == null || wantedWire == null) {
            return null;
        }
        List<Stage> found = new ArrayList<>();
        numberFields(data, 0, data.length, "", 0, (label, number, wire, bytes, value) -> {
            // The engine's guard too, so that the field shown is one the engine could have read.
            String read = wire == wantedWire && !(wire == 5 && ProtobufWire.fixed32CouldBeText((int) value))
                    ? reads.apply(value) : null;
            if (found.isEmpty() && read != null) {
                String kind = wire == 0 ? "a varint" : wire == 1 ? "a fixed64" : "a fixed32";
                found.add(new Stage("protobuf", label + " (" + kind + ", "
                        + bytes.length + " bytes: " + HexFormat.of().formatHex(bytes) + ")", bytes, -1, 0));
                byte[] text = form.getBytes(StandardCharsets.US_ASCII);
                found.add(new Stage(encoding, "read as " + NUMBERS.get(encoding) + ": " + read, text, 0,
                        text.length));
            }
        });
        if (found.isEmpty()) {
            return null;
        }
        path.addAll(found);
        return path;
    }

    /** The field's value as read, when it is the number the form spells; else null. Null if the form is none. */
    private static LongFunction<String> integer(String form, String encoding) {
        long expected;
        try {
            expected = form.chars().allMatch(Character::isDigit) ? Long.parseUnsignedLong(form)
                    : Long.parseUnsignedLong(form, 16);
        } catch (NumberFormatException e) {
            return null;
        }
        return value -> {
            long read = encoding.equals("zigzag") ? (value >>> 1) ^ -(value & 1) : value;
            return read != expected ? null : Long.toUnsignedString(read)
                    + (form.equals(Long.toUnsignedString(read)) ? "" : " = 0x" + Long.toHexString(read));
        };
    }

    /** The double's value as read, when at the form's decimals it is the form; else null. Null if the form is none. */
    private static LongFunction<String> coordinate(String form) {
        Function<BigDecimal, String> at = decimals(form);
        if (at == null) {
            return null;
        }
        return bits -> {
            double d = Double.longBitsToDouble(bits);
            if (!(Math.abs(d) <= 180) || d == 0) {
                return null;
            }
            BigDecimal shown = BigDecimal.valueOf(d);
            String cut = at.apply(shown);
            return cut == null ? null : shown.toPlainString() + cut;
        };
    }

    /** The float's value as read (its own shortest text), when at the form's decimals it is the form; else null. */
    private static LongFunction<String> floatCoordinate(String form) {
        Function<BigDecimal, String> at = decimals(form);
        if (at == null) {
            return null;
        }
        return bits -> {
            float f = Float.intBitsToFloat((int) bits);
            if (!(Math.abs(f) <= 180) || f == 0) {
                return null;
            }
            BigDecimal shown = new BigDecimal(Float.toString(f));
            String cut = at.apply(shown);
            return cut == null ? null : shown.toPlainString() + cut;
        };
    }

    private static LongFunction<String> signed32(LongFunction<String> reads) {
        return reads == null ? null : bits -> reads.apply((int) bits);
    }

    /**
     * For a coordinate form ("12.9716"), what says how a value comes to it (", truncated to 4 decimals 12.9716"),
     * or null when it does not; null if the form has no decimals.
     */
    private static Function<BigDecimal, String> decimals(String form) {
        int dot = form.indexOf('.');
        if (dot < 0) {
            return null;
        }
        int decimals = form.length() - dot - 1;
        return value -> {
            for (RoundingMode mode : List.of(RoundingMode.DOWN, RoundingMode.HALF_UP)) {
                if (value.setScale(decimals, mode).toPlainString().equals(form)) {
                    return ", " + (mode == RoundingMode.DOWN ? "truncated" : "rounded") + " to " + decimals
                            + " decimals " + form;
                }
            }
            return null;
        };
    }

    /**
     * The whole number's value as read in 10^-{@code scale} degrees (signed: a negative int32 is sign-extended), when
     * at the form's decimals it is the form; else null. Null if the form is none.
     */
    private static LongFunction<String> scaled(String form, int scale) {
        Function<BigDecimal, String> at = decimals(form);
        if (at == null) {
            return null;
        }
        return value -> {
            BigDecimal degrees = BigDecimal.valueOf(value, scale);
            if (Math.abs(value) < 1_000_000 || degrees.abs().compareTo(BigDecimal.valueOf(180)) > 0) {
                return null; // as the engine: smaller numbers abound, larger are no coordinate
            }
            String shown = at.apply(degrees);
            return shown == null ? null : value + " = " + degrees.toPlainString() + shown;
        };
    }

    @FunctionalInterface
    private interface NumberField {
        void field(String label, int number, int wire, byte[] bytes, long value);
    }

    /** Every number field of a message that parses whole, and of each field of it that parses as a message. */
    private static void numberFields(byte[] d, int from, int to, String prefix, int nesting, NumberField out) {
        ProtobufWire.eachField(d, from, to, (number, start, len) -> {
            if (len > 0 && nesting < MAX_NESTING && ProtobufWire.parses(d, start, start + len)) {
                numberFields(d, start, start + len, prefix + number + ".", nesting + 1, out);
            }
        }, (number, wire, start, end, value) -> out.field("field " + prefix + number + " of the protobuf message",
                number, wire, Arrays.copyOfRange(d, start, end), value));
    }

    /**
     * After the first 10 base64 characters of a digest (60 bits), the 11th holds bits 60-63 in its top 4: 64 when
     * they agree with the digest's, else 0 (another digest, or a prefix cut short).
     */
    private static int base64Bits(byte[] data, int at, byte expected) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        if (at >= data.length) {
            return 0;
        }
        byte b = data[at] == '-' ? (byte) '+' : data[at] == '_' ? (byte) '/' : data[at];
        byte e = expected == '-' ? (byte) '+' : expected == '_' ? (byte) '/' : expected;
        int v = alphabet.indexOf(b);
        return v >= 0 && v >>> 2 == alphabet.indexOf(e) >>> 2 ? 64 : 0;
    }

    /** What a step yields: bytes to descend into, and what the reader is told they are. */
    record Candidate(byte[] data, String label) {
    }

    private static String label(String transform, byte[] data) {
        String what = switch (transform) {
            case "gzip" -> "gunzipped";
            case "deflate" -> "inflated";
            case "brotli" -> "brotli-decompressed";
            case "zstd" -> "zstd-decompressed";
            case "url" -> "URL-decoded";
            case "base64" -> "base64-decoded";
            case "json" -> "JSON escapes resolved";
            case "hex" -> "hex-decoded";
            default -> transform;
        };
        return what + " (" + data.length + " bytes)";
    }

    private static List<Candidate> plain(String transform, byte[] data) {
        return List.of(new Candidate(data, label(transform, data)));
    }

    static List<Candidate> decode(String transform, byte[] data) {
        return decode(transform, data, false);
    }

    /** @param unescaped the data is a view with url or JSON escapes undone: a stream may start inside it */
    static List<Candidate> decode(String transform, byte[] data, boolean unescaped) {
        try {
            return switch (transform) {
                case "gzip" -> embedded(transform, data, unescaped, d -> decompressed(transform,
                        () -> new GZIPInputStream(new ByteArrayInputStream(d))));
                case "deflate" -> embedded(transform, data, unescaped, EvidenceChain::inflateEither);
                case "brotli" -> brotli(data);
                case "zstd" -> embedded(transform, data, unescaped, EvidenceChain::zstd);
                case "url" -> plain(transform, percentDecode(data));
                case "json" -> json(jsonUnescape(new String(data, StandardCharsets.UTF_8)));
                case "base64" -> base64Runs(data).stream().map(b -> new Candidate(b, label(transform, b))).toList();
                case "hex" -> hexRuns(data).stream().map(b -> new Candidate(b, label(transform, b))).toList();
                // The next step needs a part's or a field's bytes from their first byte: each is a candidate.
                case "multipart" -> multipartParts(data);
                case "protobuf" -> protobufFields(data);
                default -> List.of();
            };
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * The stream from the data's first byte, then, in a view with escapes undone, from each later byte where its
     * magic stands (at most 8), as the engine decodes a stream inside one (url of gzip in a form field, after "d=").
     */
    private static List<Candidate> embedded(String transform, byte[] data, boolean unescaped,
                                            java.util.function.Function<byte[], List<Candidate>> decoder) {
        List<Candidate> out = new ArrayList<>(decoder.apply(data));
        if (!unescaped) {
            return out;
        }
        int tried = 0;
        for (int at = 1; at + 4 <= data.length && tried < 8; at++) {
            if (transform.equals(StreamMagic.at(data, at, data.length))) {
                tried++;
                out.addAll(decoder.apply(Arrays.copyOfRange(data, at, data.length)));
            }
        }
        return out;
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * The stream decompressed; of a truncated or corrupt one, what came out before the damage (labelled so), or
     * nothing when nothing did.
     */
    private static List<Candidate> decompressed(String transform, Opener opener) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean damaged = false;
        try (InputStream in = opener.open()) {
            drain(in, out);
        } catch (IOException | RuntimeException e) {
            damaged = true;
        }
        return damaged(transform, damaged ? beforeDamage(opener, out.size()) : out.toByteArray(), damaged);
    }

    /**
     * zlib reports corrupt data by an exception that loses what the failing read wrote (up to a whole buffer): the
     * stream is read again, the {@code good} bytes that came out before in whole reads, then one byte per read up to
     * the damage. A 1-byte read may write its byte before it meets the damage: a byte no longer 0 was written.
     */
    private static byte[] beforeDamage(Opener opener, int good) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        try (InputStream in = opener.open()) {
            byte[] buf = new byte[16 * 1024];
            for (int left = good, n; left > 0 && (n = in.read(buf, 0, Math.min(buf.length, left))) > 0; left -= n) {
                out.write(buf, 0, n);
            }
            for (int i = 0; i <= 16 * 1024 && out.size() < MAX_INFLATED; i++) {
                one[0] = 0;
                try {
                    if (in.read(one, 0, 1) <= 0) {
                        break;
                    }
                } catch (IOException | RuntimeException e) {
                    if (one[0] != 0) {
                        out.write(one[0]);
                    }
                    break;
                }
                out.write(one[0]);
            }
        } catch (IOException | RuntimeException e) {
            // As far as it went.
        }
        return out.toByteArray();
    }

    private static List<Candidate> damaged(String transform, byte[] got, boolean damaged) {
        if (!damaged) {
            return plain(transform, got);
        }
        if (got.length == 0) {
            return List.of();
        }
        return List.of(new Candidate(got, label(transform, got).replace(" (", ", the stream truncated or damaged: "
                + "what decoded before the damage (")));
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int n;
        while (out.size() < MAX_INFLATED
                && (n = in.read(buf, 0, Math.min(buf.length, MAX_INFLATED - out.size()))) > 0) {
            out.write(buf, 0, n);
        }
    }

    /**
     * Decoded by core's {@link Zstd}, as the engine decodes it: of a truncated or corrupt body, the blocks before the
     * damage (aircompressor alone hands out nothing of a frame cut short), the label saying where it broke.
     */
    private static List<Candidate> zstd(byte[] data) {
        Zstd.Decoded z = Zstd.decode(data, MAX_INFLATED);
        if (!z.damaged()) {
            return plain("zstd", z.bytes());
        }
        if (z.bytes().length == 0) {
            return List.of();
        }
        return List.of(new Candidate(z.bytes(), "zstd-decompressed, the stream truncated or damaged: what decoded "
                + "before the damage (" + z.bytes().length + " bytes; " + z.damage() + ")"));
    }

    private static List<Candidate> brotli(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BrotliInputStream in = null;
        boolean damaged = false;
        try {
            in = new BrotliInputStream(new ByteArrayInputStream(data));
            drain(in, out);
        } catch (IOException | RuntimeException e) {
            damaged = true;
            brotliRingBuffer(in, out);
            // Stored meta-blocks cut short: the decoder yields nothing of them, but their bytes stand in the stream.
            byte[] stored = Brotli.storedPrefix(data, MAX_INFLATED);
            if (stored.length > out.size()) {
                out.reset();
                out.writeBytes(stored);
            }
        }
        return damaged("brotli", out.toByteArray(), damaged);
    }

    private static final Field[] BROTLI_STATE = brotliFields();

    private static Field[] brotliFields() {
        try {
            Field state = BrotliInputStream.class.getDeclaredField("state");
            Class<?> type = state.getType();
            Field[] f = {state, type.getDeclaredField("ringBuffer"), type.getDeclaredField("pos"),
                    type.getDeclaredField("bytesWritten")};
            for (Field x : f) {
                x.setAccessible(true);
            }
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * org.brotli:dec 0.1.2 hands out decoded bytes only when its ring buffer fills or the stream ends: of a truncated
     * stream, what decoded after the last hand-out is read from its ring buffer (from the bytes handed out to where
     * decoding stopped).
     */
    private static void brotliRingBuffer(BrotliInputStream in, ByteArrayOutputStream out) {
        if (in == null || BROTLI_STATE == null) {
            return;
        }
        try {
            Object state = BROTLI_STATE[0].get(in);
            byte[] ring = (byte[]) BROTLI_STATE[1].get(state);
            int pos = BROTLI_STATE[2].getInt(state);
            int written = BROTLI_STATE[3].getInt(state);
            if (ring != null && pos <= ring.length && written >= 0 && written < pos) {
                out.write(ring, written, Math.min(pos - written, MAX_INFLATED - out.size()));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another layout of the decoder: nothing more
        }
    }

    private static List<Candidate> inflateEither(byte[] data) {
        List<Candidate> out = new ArrayList<>();
        // zlib as "deflate" should mean; raw deflate, as many senders use under that name
        out.addAll(decompressed("deflate", () -> new InflaterInputStream(new ByteArrayInputStream(data))));
        out.addAll(decompressed("deflate",
                () -> new InflaterInputStream(new ByteArrayInputStream(data), new Inflater(true))));
        return out;
    }

    /**
     * Each part's body (after its headers, up to the next delimiter), named by its Content-Disposition. The boundary
     * is read off the body's first line, as senders get the Content-Type's wrong.
     */
    private static List<Candidate> multipartParts(byte[] d) {
        List<Candidate> out = new ArrayList<>();
        if (d.length < 8 || d[0] != '-' || d[1] != '-') {
            return out;
        }
        int eol = indexOf(d, new byte[]{'\r', '\n'}, 2);
        if (eol < 3 || eol > 200) {
            return out;
        }
        byte[] delimiter = new byte[eol + 2];
        delimiter[0] = '\r';
        delimiter[1] = '\n';
        System.arraycopy(d, 0, delimiter, 2, eol);
        int partStart = eol + 2;
        for (int part = 1; partStart < d.length; part++) {
            int headersEnd = indexOf(d, new byte[]{'\r', '\n', '\r', '\n'}, partStart);
            if (headersEnd < 0) {
                break;
            }
            int contentStart = headersEnd + 4;
            int next = indexOf(d, delimiter, contentStart);
            int contentEnd = next < 0 ? d.length : next;
            Matcher name = PART_NAME.matcher(new String(d, partStart, headersEnd - partStart,
                    StandardCharsets.ISO_8859_1));
            byte[] body = Arrays.copyOfRange(d, contentStart, contentEnd);
            out.add(new Candidate(body, (name.find() ? "part '" + name.group(1) + "'" : "part " + part)
                    + " of the multipart body (" + body.length + " bytes)"));
            if (next < 0) {
                break;
            }
            int after = next + delimiter.length;
            if (after + 1 < d.length && d[after] == '-' && d[after + 1] == '-') {
                break;
            }
            partStart = after + 2;
        }
        return out;
    }

    private static final Pattern PART_NAME =
            Pattern.compile("(?i)content-disposition:[^\r\n]*?\\bname=\"?([^\";\r\n]*)");

    /**
     * Each length-delimited field of a message that parses whole, in order, and within a field that parses as a
     * message, its fields in turn, named by their path of field numbers ("field 3.2").
     */
    private static List<Candidate> protobufFields(byte[] d) {
        List<Candidate> out = new ArrayList<>();
        if (ProtobufWire.parses(d, 0, d.length)) {
            fields(d, 0, d.length, "", 0, out);
        }
        return out;
    }

    private static void fields(byte[] d, int from, int to, String prefix, int nesting, List<Candidate> out) {
        ProtobufWire.eachLengthDelimited(d, from, to, (number, start, len) -> {
            String path = prefix + number;
            if (len > 0) {
                out.add(new Candidate(Arrays.copyOfRange(d, start, start + len), "field " + path
                        + " of the protobuf message (" + len + " bytes)"));
                if (nesting < MAX_NESTING && ProtobufWire.parses(d, start, start + len)) {
                    fields(d, start, start + len, path + ".", nesting + 1, out);
                }
            }
        });
    }

    private static byte[] percentDecode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '%' && i + 2 < data.length && hex(data[i + 1]) >= 0 && hex(data[i + 2]) >= 0) {
                out.write(hex(data[i + 1]) * 16 + hex(data[i + 2]));
                i += 2;
            } else {
                out.write(b == '+' ? ' ' : b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /**
     * The text with JSON escapes resolved, as UTF-8; and where it differs, as the engine also reads a binary string
     * in JSON: each character up to U+00FF as that one byte, the rest as UTF-8.
     */
    private static List<Candidate> json(String unescaped) {
        byte[] utf8 = unescaped.getBytes(StandardCharsets.UTF_8);
        List<Candidate> out = new ArrayList<>(plain("json", utf8));
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream(unescaped.length());
        unescaped.codePoints().forEach(cp -> latin1.writeBytes(cp <= 0xff ? new byte[]{(byte) cp}
                : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)));
        byte[] binary = latin1.toByteArray();
        if (!Arrays.equals(binary, utf8)) {
            out.add(new Candidate(binary, "JSON escapes resolved, characters up to U+00FF read as one byte each, as"
                    + " in a binary string (" + binary.length + " bytes)"));
        }
        return out;
    }

    private static String jsonUnescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'u' -> {
                    if (i + 4 < s.length() && s.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append("\\u");
                    }
                }
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** Each base64 run decoded from its start and, as the canary may sit at any alignment, from the next three. */
    private static List<byte[]> base64Runs(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BASE64_RUN.matcher(new String(data, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            String run = m.group().replace('-', '+').replace('_', '/').replace("=", "");
            for (int skip = 0; skip < 4 && run.length() - skip >= 8; skip++) {
                String r = run.substring(skip);
                r = r.substring(0, r.length() - (r.length() % 4 == 1 ? 1 : 0));
                try {
                    out.add(Base64.getDecoder().decode(r + "==".substring(0, (4 - r.length() % 4) % 4)));
                } catch (IllegalArgumentException e) {
                    // not base64 at this alignment
                }
            }
        }
        return out;
    }

    private static List<byte[]> hexRuns(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = HEX_RUN.matcher(new String(data, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            out.add(HexFormat.of().parseHex(m.group().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /**
     * What the engine searched at {@code location} ({@link ScanTarget}), one entry per place of that name; the body
     * for a location the engine does not make (never empty).
     */
    private static List<byte[]> located(String location, HttpRequestData r) {
        List<byte[]> out = new ArrayList<>();
        for (ScanTarget t : ScanTarget.of(r)) {
            if (t.location().equals(location)) {
                out.add(t.bytes());
            }
        }
        return out.isEmpty() ? List.of(r.body()) : out;
    }

    private static int indexOf(byte[] data, byte[] form) {
        return indexOf(data, form, 0);
    }

    private static int indexOf(byte[] data, byte[] form, int from) {
        outer:
        for (int i = from; i + form.length <= data.length; i++) {
            for (int j = 0; j < form.length; j++) {
                if (data[i + j] != form[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Optional for readers that only want the decoded canary's surroundings. */
    public Optional<Stage> match() {
        return reached ? Optional.of(stages.get(stages.size() - 1)) : Optional.empty();
    }
}
