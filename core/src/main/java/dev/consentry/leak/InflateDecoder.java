package dev.consentry.leak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * gzip, deflate and zstd ({@link Zstd}), recognised by the declared Content-Encoding or by their magic bytes, and brotli
 * where declared or, bounded, guessed inside a blob ({@link Brotli}) (senders compress bodies
 * without saying so, and compressed blobs turn up inside base64 fields). A Content-Encoding listing several codings
 * is undone one layer per view, last-applied first.
 *
 * <p>A truncated or corrupt stream yields what decompressed before the damage: those bytes left the handset all the
 * same, and a leak detector that fails closed should look at them. Output is capped so a small "zip bomb" body cannot
 * exhaust memory; past the cap the remainder is not searched.
 */
final class InflateDecoder implements Decoder {
    static final String GZIP = "gzip";
    static final String DEFLATE = "deflate";
    static final String BROTLI = "brotli";
    static final String ZSTD = "zstd";

    /** Content codings undone here ({@link #codings} reads identity and x-gzip); encrypted ones (aes128gcm) not. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of(GZIP, DEFLATE, "br", ZSTD);

    private final int maxOutput;
    private final boolean fastPath;

    InflateDecoder(int maxOutput) {
        this(maxOutput, true);
    }

    /** {@code fastPath} false: zlib only, the reference the fast path is tested against. */
    InflateDecoder(int maxOutput, boolean fastPath) {
        this.maxOutput = maxOutput;
        this.fastPath = fastPath;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        decode(view, out, null);
        embedded(view, out);
    }

    /** Streams tried per view by {@link #embedded}: a form rarely holds more than a few compressed fields. */
    private static final int MAX_EMBEDDED = 8;

    /**
     * Streams that start inside a view the url or JSON decoder made: a form field or query parameter of
     * percent-encoded gzip ({@code data=%1F%8B%08...}) decodes to a view whose stream starts after {@code data=},
     * where {@link #decode(View, Consumer, Consumer)} never looks (base64 and hex runs, protobuf fields and multipart
     * parts are views of their own, so their streams start at their first byte). Such a view is its parent with
     * escapes undone, so the stream's magic came out of escapes: only starts at or just before an undone byte are
     * tried, and only {@link StreamMagic}'s.
     */
    private void embedded(View view, Consumer<View> out) {
        int[] dirty = view.dirty();
        if (view.dirtyEverywhere()) {
            everywhere(view, out);
            return;
        }
        if (dirty == null) {
            return;
        }
        byte[] d = view.data();
        int tried = 0;
        int checked = 0; // starts below this were looked at
        for (int k = 0; k < dirty.length && tried < MAX_EMBEDDED; k++) {
            for (int at = Math.max(Math.max(1, checked), dirty[k] - 1); at <= dirty[k]; at++) {
                if (StreamMagic.at(d, at, d.length) != null) {
                    tried++;
                    decode(view.from(at), out, null);
                }
            }
            checked = dirty[k] + 1;
        }
    }

    /** {@link #embedded} for a view with escapes throughout: a stream may start at any byte (up to 8 tried). */
    private void everywhere(View view, Consumer<View> out) {
        byte[] d = view.data();
        int tried = 0;
        for (int at = 1; at + 4 <= d.length && tried < MAX_EMBEDDED; at++) {
            int b = d[at] & 0xff;
            if ((b == 0x1f || b == 0x78 || b == 0x28) && StreamMagic.at(d, at, d.length) != null) {
                tried++;
                decode(view.from(at), out, null);
            }
        }
    }

    /**
     * As {@link #decode(View, Consumer)}, for a request's raw body or header: {@code damage} also hears what was wrong
     * with an encoding the sender declared (Content-Encoding) or that strong magic bytes announce (gzip's 1f 8b 08,
     * zstd's frame): not that encoding after all, cut short, corrupt, or past the output cap. What decoded is searched
     * all the same; what could not be decoded is not. zlib's two-byte check and guessed brotli are too weak to speak
     * for a body that declared nothing: one random body in ~500 passes the zlib check.
     *
     * <p>A Content-Encoding of several codings ("gzip, br") lists them in the order they were applied (RFC 9110 8.4):
     * one call undoes the last-applied only, and hands on a view that still declares the others (see
     * {@link View#undone}), so each layer is searched, decoded and, when damaged, reported as a body of its own.
     */
    void decode(View view, Consumer<View> out, Consumer<String> damage) {
        byte[] d = view.data();
        Layer at = new Layer(view.transforms(), view.declaredBy().equals(View.CONTENT_ENCODING) ? "the body"
                : "the message");
        Consumer<String> told = damage == null ? problem -> { } : at.prefixed(damage);
        Consumer<String> ifDeclared = view.declaredEncoding().isEmpty() ? problem -> { } : told;
        List<String> codings = codings(view.declaredEncoding());
        String outer = codings.isEmpty() ? "" : codings.get(codings.size() - 1);
        if (!outer.isEmpty() && !KNOWN.contains(outer)) {
            List<String> before = codings.subList(0, codings.size() - 1);
            told.accept("declared " + view.declaredBy() + " " + outer + " is not one the engine decodes"
                    + " (gzip, deflate, br, zstd): " + at.asIs() + (before.isEmpty() ? ""
                    : "; " + String.join(", ", before) + ", applied before it, could not be undone"));
            // Nothing under an encoding the engine cannot undo is reachable: only magic bytes speak now.
            codings = List.of();
            outer = "";
        }
        boolean gzipMagic = d.length >= 2 && (d[0] & 0xff) == 0x1f && (d[1] & 0xff) == 0x8b;
        if (gzipMagic || outer.equals(GZIP)) {
            emit(view, GZIP, inflate(d, Format.GZIP, gzipMagic && d.length >= 3 && d[2] == 8 ? told : ifDeclared, at),
                    rest(codings, GZIP), out, told);
            return;
        }
        if (Zstd.startsFrame(d)) {
            Zstd.Decoded z = Zstd.decode(d, maxOutput);
            emit(view, ZSTD, told(ZSTD, z.bytes(), z.damage(), told), rest(codings, ZSTD), out, told);
            return;
        }
        if (outer.equals(ZSTD)) {
            told.accept("declared zstd, but " + at.what() + " does not start as a zstd frame (28 b5 2f fd): "
                    + at.asIs());
        }
        // Brotli has no magic bytes: decoded in full where declared; elsewhere only guessed (see Brotli), as starting
        // a decoder (and its window, up to 16 MB) on every blob would cost more than the rest of the scan.
        if (outer.equals("br")) {
            Brotli.Decoded b = Brotli.decodeDeclared(d, maxOutput);
            emit(view, BROTLI, told(BROTLI, b.bytes(), b.damage(), told), rest(codings, "br"), out, told);
            return;
        }
        boolean zlibMagic = d.length >= 2 && (d[0] & 0x0f) == 8 && ((d[0] & 0xff) << 8 | (d[1] & 0xff)) % 31 == 0;
        if (zlibMagic) {
            emit(view, DEFLATE, inflate(d, Format.ZLIB, ifDeclared, at), rest(codings, DEFLATE), out, told);
        } else if (outer.equals(DEFLATE)) {
            // "Content-Encoding: deflate" should mean zlib, but many servers and clients send raw deflate.
            emit(view, DEFLATE, inflate(d, Format.RAW, told, at), rest(codings, DEFLATE), out, told);
        } else if (view.declaredEncoding().isEmpty() && mayHideBrotli(view)) {
            emit(view, BROTLI, Brotli.guess(d, maxOutput), List.of(), out, told);
        }
    }

    /**
     * The declared codings in the order applied, lower case, {@code identity} (which means none) left out and
     * {@code x-gzip} read as gzip (RFC 9110 8.4.1.3). Senders vary case and spacing ("GZIP ,  br").
     */
    static List<String> codings(String declared) {
        if (declared.isEmpty()) {
            return List.of(); // every view below a body: no list to build
        }
        List<String> out = new ArrayList<>();
        for (String c : declared.split(",")) {
            String coding = c.strip().toLowerCase(Locale.ROOT);
            if (!coding.isEmpty() && !coding.equals("identity")) {
                out.add(coding.equals("x-gzip") ? GZIP : coding);
            }
        }
        return out;
    }

    /**
     * What is left to undo once {@code undone} is: the codings before it when it was the last applied. Magic bytes may
     * pick another than the declaration's last: a sender that listed its codings in the wrong order still has the
     * others undone (taking out the one found); one whose declaration does not name what was found is trusted no
     * further, as a single wrong Content-Encoding always was (the magic's layer is undone, nothing more).
     */
    private static List<String> rest(List<String> codings, String undone) {
        int i = codings.lastIndexOf(undone);
        if (i < 0) {
            return List.of();
        }
        List<String> rest = new ArrayList<>(codings);
        rest.remove(i);
        return rest;
    }

    /**
     * Where the bytes being decoded stand, for damage messages: the body as sent, or what undoing the body's
     * last-applied codings left (named by the layers undone, so a reader knows which layer broke).
     *
     * @param root what the bytes as sent are called: "the body", or a gRPC body's "the message"
     */
    private record Layer(List<String> undone, String root) {
        String what() {
            return undone.isEmpty() ? root : "the " + undone.get(undone.size() - 1) + " output";
        }

        String asIs() {
            return undone.isEmpty() ? "searched as sent" : "searched as " + undone.get(undone.size() - 1)
                    + " decoded it";
        }

        Consumer<String> prefixed(Consumer<String> damage) {
            return undone.isEmpty() ? damage
                    : problem -> damage.accept("after undoing " + String.join(", then ", undone) + ": " + problem);
        }
    }

    /** {@code bytes}, having told what was wrong with the stream they came from, or that they filled the cap. */
    private byte[] told(String name, byte[] bytes, String damage, Consumer<String> told) {
        if (!damage.isEmpty()) {
            told.accept(name + " " + damage);
        } else if (bytes.length >= maxOutput) {
            told.accept(capped(name));
        }
        return bytes;
    }

    private String capped(String what) {
        String cap = maxOutput % (1 << 20) == 0 ? (maxOutput >> 20) + " MB" : maxOutput + " bytes";
        return what + " output reaches the " + cap + " cap: only the first " + cap + " were searched";
    }

    /** The layers whose output is a whole blob a sender put there as such: where undeclared brotli is guessed. */
    private static final java.util.Set<String> BLOB_LAYERS = java.util.Set.of(Base64RunDecoder.NAME,
            HexRunDecoder.NAME, ProtobufDecoder.NAME, MultipartDecoder.NAME);

    /**
     * A whole body or WebSocket message sent without Content-Encoding, or a whole base64 or hex run, protobuf field or
     * multipart part (the caller found no magic in it) that does not read as text: text is never brotli, and those are
     * where senders put compressed data undeclared (an SDK posting brotli as application/octet-stream, say).
     */
    private static boolean mayHideBrotli(View view) {
        List<String> t = view.transforms();
        byte[] d = view.data();
        return (t.isEmpty() || BLOB_LAYERS.contains(t.get(t.size() - 1)))
                && Brotli.headerFits(d, d.length, d.length)
                && (LeakDetector.looksBinary(d) || !Plausible.worthSearching(d));
    }

    private static void emit(View view, String name, byte[] decoded, Consumer<View> out) {
        if (decoded.length > 0) {
            out.accept(view.child(name, decoded));
        }
    }

    /** As above, the view still declaring {@code rest} (the codings applied before this one) when there are any. */
    private static void emit(View view, String name, byte[] decoded, List<String> rest, Consumer<View> out,
                             Consumer<String> told) {
        if (rest.isEmpty() || decoded.length == 0) {
            emit(view, name, decoded, out);
            return;
        }
        View undone = view.undone(name, decoded, String.join(", ", rest));
        if (undone.depth() >= LeakDetector.MAX_DEPTH) {
            // The engine decodes no deeper than this (see LeakDetector.MAX_DEPTH): say so rather than stop silently.
            told.accept(String.join(", ", rest) + ", applied before this " + name + ", not undone: the engine undoes"
                    + " at most " + LeakDetector.MAX_DEPTH + " layers; the " + name + " output was searched as it is");
        }
        out.accept(undone);
    }

    private enum Format { GZIP, ZLIB, RAW }

    /**
     * The fast path's tables (about 14 KB), one set per thread: the detector is shared between threads. Held by this
     * decoder, not by the class, so they go with the detector that owns it.
     */
    private final ThreadLocal<FastInflater> fast = ThreadLocal.withInitial(FastInflater::new);

    /**
     * Inflates straight from the array into an array sized from the gzip trailer's length when there is one.
     * Concatenated gzip members are all inflated. Valid streams take {@link FastInflater} (faster than zlib on gzip'd
     * JSON; measured figures in README "Leak engine speed"); the rest, and so every damage message, zlib.
     */
    private byte[] inflate(byte[] data, Format format, Consumer<String> damage, Layer layer) {
        byte[] fast = null;
        if (fastPath) {
            try {
                fast = fastInflate(data, format);
            } catch (RuntimeException e) {
                fast = null; // not expected; zlib then decides, as for any stream the fast path is unsure of
            }
        }
        return fast != null ? fast : zlibInflate(data, format, damage, layer);
    }

    /**
     * The fast path: {@link FastInflater} over the same members as {@link #zlibInflate}, or null where anything is
     * unusual (damage, a cut, a preset dictionary, the cap, a zlib check mismatch), which zlib then inflates from the
     * start, as the reference for what is said and what is kept. Same output and same end of each gzip member.
     */
    private byte[] fastInflate(byte[] data, Format format) {
        return fastInflate(data, format, false);
    }

    /** @param whole as {@link #wholeGzip} asks: null also unless the view is its members alone, headers plain */
    private byte[] fastInflate(byte[] data, Format format, boolean whole) {
        FastInflater inflater = fast.get();
        inflater.out = new byte[Math.max(1, firstGuess(data, format))];
        inflater.outPos = 0;
        try {
            return fastInflate(data, format, inflater, whole);
        } finally {
            inflater.release();
        }
    }

    private byte[] fastInflate(byte[] data, Format format, FastInflater inflater, boolean whole) {
        if (format == Format.ZLIB) {
            // zlibMagic: method 8, header check; a window over 32 KB or a preset dictionary goes to zlib.
            if (data.length < 2 || (data[0] & 0xff) >>> 4 > 7 || (data[1] & 0x20) != 0) {
                return null;
            }
            int end = inflater.inflate(data, 2, maxOutput);
            if (end == FastInflater.FAIL || end + 4 > data.length) {
                return null;
            }
            Adler32 adler = new Adler32();
            adler.update(inflater.out, 0, inflater.outPos);
            long stated = (data[end] & 0xffL) << 24 | (data[end + 1] & 0xff) << 16 | (data[end + 2] & 0xff) << 8
                    | (data[end + 3] & 0xff);
            if (adler.getValue() != stated) {
                return null;
            }
        } else if (format == Format.RAW) {
            if (inflater.inflate(data, 0, maxOutput) == FastInflater.FAIL) {
                return null;
            }
        } else {
            int at = 0;
            do {
                int start = gzipHeaderEnd(data, at);
                if (start < 0 || whole && (start != at + 10 || (data[at + 3] & ~FTEXT) != 0)) {
                    if (at == 0 || whole) {
                        return null; // zlib's path says what is wrong with the header
                    }
                    break;
                }
                int end = inflater.inflate(data, start, maxOutput);
                if (end == FastInflater.FAIL || end + 8 > data.length) {
                    return null; // a cut trailer too: zlib's path says so
                }
                at = end + 8; // past the member's CRC32 and ISIZE, as zlibInflate
            } while (at + 2 <= data.length && (data[at] & 0xff) == 0x1f && (data[at + 1] & 0xff) == 0x8b
                    && inflater.outPos < maxOutput);
            if (whole && at != data.length) {
                return null;
            }
        }
        byte[] bytes = inflater.out;
        return inflater.outPos == bytes.length ? bytes : Arrays.copyOf(bytes, inflater.outPos);
    }

    /** gzip's header flag that the data is probably text: a hint that changes nothing of the stream. */
    private static final int FTEXT = 1;

    /**
     * Whether the view is gzip and nothing else, inflated here to {@code out}: its bytes are gzip members back to
     * back, each with the fixed 10-byte header only (no name, comment or extra field: text a sender fills) and deflate
     * data that {@link FastInflater} decodes in full, the last one's trailer ending the view, and it declares no
     * coding but gzip. Then its bytes hold nothing a sender wrote as such: Huffman codes, and stored blocks whose bytes
     * are in the output too; a canary "found" in them is chance, and base64 or protobuf "decoded" from them noise.
     * The caller searches and decodes only the output (10-15% of a gzip'd JSON body's scan went to its compressed
     * bytes; README "Leak engine speed"). False, having done nothing, for anything else: the usual way then decides.
     */
    boolean wholeGzip(View view, Consumer<View> out) {
        byte[] d = view.data();
        if (!fastPath || d.length < 18 || (d[0] & 0xff) != 0x1f || (d[1] & 0xff) != 0x8b || d[2] != 8) {
            return false;
        }
        List<String> codings = codings(view.declaredEncoding());
        if (!codings.isEmpty() && !codings.equals(List.of(GZIP))) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = fastInflate(d, Format.GZIP, true);
        } catch (RuntimeException e) {
            return false; // not expected; the usual way decides, as in inflate
        }
        if (decoded == null) {
            return false;
        }
        emit(view, GZIP, decoded, out);
        return true;
    }

    /**
     * The reference path: zlib through one {@link Inflater} per member (no stream and its 512-byte reads), which also
     * tells and salvages damage.
     */
    private byte[] zlibInflate(byte[] data, Format format, Consumer<String> damage, Layer layer) {
        String name = format == Format.GZIP ? GZIP : DEFLATE;
        Out out = new Out(firstGuess(data, format));
        int at = 0;
        do {
            int start = at;
            boolean nowrap = true;
            if (format == Format.GZIP) {
                start = gzipHeaderEnd(data, at);
                if (start < 0) {
                    if (at == 0) {
                        damage.accept(data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b
                                ? "gzip header is cut short or not deflate: nothing decoded, " + layer.asIs()
                                : "declared gzip, but " + layer.what() + " does not start as gzip (1f 8b): "
                                + layer.asIs());
                    }
                    break;
                }
            } else if (format == Format.ZLIB) {
                nowrap = false;
            }
            int memberStart = out.size;
            Inflater inflater = new Inflater(nowrap);
            try {
                inflater.setInput(data, start, data.length - start);
                while (out.size < maxOutput && !inflater.finished()) {
                    if (out.size == out.bytes.length) {
                        out.ensure((int) Math.min(maxOutput, 2L * out.bytes.length));
                    }
                    int n = inflater.inflate(out.bytes, out.size, out.bytes.length - out.size);
                    out.size += n;
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                }
                if (!inflater.finished()) {
                    damage.accept(out.size >= maxOutput ? capped(name)
                            : inflater.needsDictionary() ? name + " stream needs a preset dictionary: nothing decoded"
                            : name + " stream is cut short (" + layer.what() + "'s " + data.length
                            + " bytes end mid-stream): the "
                            + out.size + " bytes decoded before the cut were searched, the rest could not be decoded");
                    break;
                }
                if (format != Format.GZIP) {
                    break;
                }
                if (inflater.getRemaining() < 8) {
                    // Everything was decoded and is searched; said all the same, as the body is not what was sent
                    // whole (a capture cut at the end, or a sender's bug) and a reviewer should not have to guess.
                    damage.accept("gzip trailer is cut short (" + layer.what() + " ends "
                            + inflater.getRemaining() + " bytes into its 8 of CRC-32 and length): the stream"
                            + " itself decoded whole, its " + (out.size - memberStart) + " bytes were searched");
                    break;
                }
                at = data.length - inflater.getRemaining() + 8; // past the member's CRC32 and ISIZE
            } catch (DataFormatException | RuntimeException e) {
                // Corrupt: keep what came out before the damage (see class comment).
                long near = keepBeforeDamage(data, start, nowrap, memberStart, out);
                damage.accept(name + " stream is corrupt near byte " + near + " of " + data.length + " ("
                        + e.getMessage() + "): the " + out.size
                        + " bytes decoded before it were searched, the rest could not be decoded");
                break;
            } finally {
                inflater.end();
            }
        } while (at + 2 <= data.length && (data[at] & 0xff) == 0x1f && (data[at + 1] & 0xff) == 0x8b
                && out.size < maxOutput);
        // The gzip trailer usually states the size exactly: then the buffer is the result, not copied once more.
        return out.size == out.bytes.length ? out.bytes : Arrays.copyOf(out.bytes, out.size);
    }

    /**
     * zlib reports corrupt data by an exception that loses the count of what that call wrote, and one call may have
     * written the whole body up to the damage (the buffer is sized from the trailer). The member is inflated again
     * with the output handed out in steps, 4 KB and then 1 byte, so what decoded before the damage is kept in
     * {@code out}. Corrupt bodies only pay this: at most two more passes over the member.
     *
     * @return where in {@code data} the last step that decoded had read to: near the damage
     */
    private static long keepBeforeDamage(byte[] data, int start, boolean nowrap, int memberStart, Out out) {
        int good = out.size;
        long read = start;
        for (int step : new int[]{4096, 1}) {
            Inflater inflater = new Inflater(nowrap);
            try {
                inflater.setInput(data, start, data.length - start);
                int size = memberStart;
                while (size < good) {
                    // Output is the same in every pass: what decoded in steps before decodes in one call now.
                    int n = inflater.inflate(out.bytes, size, good - size);
                    if (n == 0) {
                        break;
                    }
                    size += n;
                }
                while (size < out.bytes.length && !inflater.finished()) {
                    out.bytes[size] = 0;
                    int n = inflater.inflate(out.bytes, size, Math.min(step, out.bytes.length - size));
                    if (n == 0) {
                        break;
                    }
                    size += n;
                    good = size;
                    read = start + inflater.getBytesRead();
                }
            } catch (DataFormatException | RuntimeException e) {
                // The step that met the damage: everything before it is kept. A 1-byte step may have written its
                // byte before reading the bad block header: a byte that is no longer 0 was. (A 0 byte, lost so, can
                // end no text pattern.)
                if (step == 1 && good < out.bytes.length && out.bytes[good] != 0) {
                    good++;
                }
            } finally {
                inflater.end();
            }
        }
        out.size = good;
        return read;
    }

    /** The output buffer's first size: what a gzip trailer states, else four times the input; at most the cap. */
    private int firstGuess(byte[] data, Format format) {
        return (int) Math.min(maxOutput,
                format == Format.GZIP && data.length >= 18 ? gzipSize(data) : 4L * data.length);
    }

    /** The uncompressed size the trailer of the last member states (mod 2^32), as a first guess for the buffer. */
    private int gzipSize(byte[] d) {
        int n = d.length;
        long size = (d[n - 4] & 0xffL) | (d[n - 3] & 0xffL) << 8 | (d[n - 2] & 0xffL) << 16 | (d[n - 1] & 0xffL) << 24;
        return (int) Math.max(1024, Math.min(size, Math.min(maxOutput, 64L * n + 1024)));
    }

    /** Where the deflate data of the gzip member at {@code at} starts (RFC 1952), or -1 if its header is broken. */
    private static int gzipHeaderEnd(byte[] d, int at) {
        if (at + 10 > d.length || (d[at] & 0xff) != 0x1f || (d[at + 1] & 0xff) != 0x8b || d[at + 2] != 8) {
            return -1;
        }
        int flags = d[at + 3] & 0xff;
        int i = at + 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (i + 2 > d.length) {
                return -1;
            }
            i += 2 + ((d[i] & 0xff) | (d[i + 1] & 0xff) << 8);
        }
        for (int bit : new int[]{8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (i < d.length && d[i] != 0) {
                    i++;
                }
                i++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            i += 2;
        }
        return i <= d.length ? i : -1;
    }

    private static final class Out {
        byte[] bytes;
        int size;

        Out(int initial) {
            bytes = new byte[Math.max(1, initial)];
        }

        void ensure(int capacity) {
            if (capacity > bytes.length) {
                bytes = Arrays.copyOf(bytes, capacity);
            }
        }
    }
}
