package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds canaries in what a handset sent: the URL, each header, each cookie and the body, plain or wrapped in up to
 * {@value #MAX_DEPTH} layers of url, base64, hex, json escapes, multipart parts, protobuf fields, gzip, deflate,
 * brotli and zstd, or hashed (MD5, SHA-1, SHA-256, SHA-512 of any form, hex or base64, or as raw bytes starting a
 * protobuf field; whole or truncated to a prefix of at least 64 bits).
 *
 * <p>How it stays linear: all forms of all canaries, their base64 encodings at the three byte alignments and their
 * hashes go into one {@link MultiMatcher}, so each decoded view is read once whatever the number of canaries.
 * Decoders only ever produce views no larger than their input (except decompression, which is capped), so a body
 * costs a bounded multiple of its size. Views are explored depth first, so at most one chain of decoded copies is
 * alive at a time. A view that is its parent with a few escapes undone (url, json) is searched only where an undone
 * escape could change the outcome, and its base64 and hex runs are decoded only where they touch one: the rest was
 * searched in the parent already, with a shorter chain. Hex and base64 runs are copied out only when their decoded
 * bytes are plausible (see {@link Plausible}), which is checked while decoding.
 *
 * <p>Layers that leave the value's bytes as they were (a form field, a multipart part, a protobuf string) appear in
 * a chain only when something inside them still had to be decoded: a plain value in a protobuf is reported plain.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class LeakDetector {
    public static final int MAX_DEPTH = 3;
    /**
     * Base64 runs shorter than this are not decoded as an outer layer when every canary form has 9 bytes or more:
     * a run of 16 decodes to 12 bytes, which hold such a form's base64 (12+) or hex (18+). Shorter forms lower it
     * (see {@link #minLayerRun}).
     */
    private static final int MIN_BASE64_RUN = 16;
    private static final int MAX_INFLATED = 64 * 1024 * 1024;
    /**
     * Hash prefixes searched: 8 bytes. SDKs send digests truncated to 128 bits (Clearcut's SHA-256/128), 96 or 64; one
     * pattern of the first 64 bits matches all of them and the whole digest. Why no shorter: a prefix of b bits matches
     * a random position with odds 2^-b per pattern, and there are about 1,000 canaries x ~6 forms x 4 algorithms x 4
     * texts (hex either case, base64 either alphabet) = ~10^5 of them. Over a 1 GB capture (~10^9 positions, most of
     * them inside hex ids and base64 blobs): 10^9 x 10^5 x 2^-64 = 5 x 10^-6 false findings at 64 bits (one per
     * ~200,000 GB), but 10^-3 at 56, 0.36 at 48 and 2 x 10^4 at 32 bits: a nightly farm would fail on noise.
     */
    private static final int HASH_PREFIX_BYTES = 8;
    /** The base64 characters that hold the first 60 bits of a hash prefix; the next one holds 4 more (see accept). */
    private static final int HASH_BASE64_CHARS = 10;
    private static final List<String> HASHES = List.of("MD5", "SHA-1", "SHA-256", "SHA-512");

    private final List<Canary> canaries;
    private final List<Pattern> patterns = new ArrayList<>();
    private final MultiMatcher matcher;
    /** Raw digests, compared at the start of protobuf fields only: {@link #raw}'s ids index the patterns. */
    private final List<Pattern> rawPatterns = new ArrayList<>();
    private final DigestPrefixes raw;
    /** Canaries that are numbers, compared in protobuf number fields. */
    private final WireNumbers numbers;
    private final ProtobufDecoder protobuf;
    /**
     * For each byte value, every offset from a match's start at which that byte can decide the match: where a pattern
     * holds it, and for base64 forms also the few characters on either side that {@link Base64Alphabet#verify} reads.
     */
    private final int[][] offsetsOf;
    private final InflateDecoder inflate;
    private final List<Decoder> decoders;
    /** The shortest base64 run the matcher or a decoder needs: each view's runs are found once, at this length. */
    private final int runsMin;
    /**
     * The shortest view decoded: a form's '+' for a space undone leaves it as long as it was, so a 6-character name
     * sent as "Li+Wei" (a cookie, a header, a form of one field) is a view of 6 bytes to decode.
     */
    private final int minDecodable;

    /** @throws IllegalArgumentException if a canary is too short to match safely */
    public LeakDetector(List<Canary> canaries) {
        this.canaries = List.copyOf(canaries);
        List<byte[]> texts = new ArrayList<>();
        List<byte[]> rawPrefixes = new ArrayList<>();
        int shortestForm = Integer.MAX_VALUE;
        List<List<String>> forms = this.canaries.stream().map(CanaryForms::of).toList();
        for (int c = 0; c < this.canaries.size(); c++) {
            for (String form : forms.get(c)) {
                byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
                shortestForm = Math.min(shortestForm, bytes.length);
                add(texts, new Pattern(c, form, bytes, null, -1, List.of()), bytes);
                for (Base64Alphabet.EncodedForm e : Base64Alphabet.encodings(bytes)) {
                    add(texts, new Pattern(c, form, bytes, e, -1, List.of(Base64RunDecoder.NAME)), e.text());
                }
                for (String algorithm : HASHES) {
                    addHash(texts, rawPrefixes, c, form, bytes, algorithm);
                }
            }
        }
        matcher = texts.isEmpty() ? null : new MultiMatcher(texts);
        int minLayer = minLayerRun(shortestForm);
        minDecodable = Math.max(CanaryForms.MIN_SIGNIFICANT, Math.min(MIN_DECODABLE, shortestForm));
        raw = new DigestPrefixes(rawPrefixes);
        offsetsOf = matcher == null ? null : offsetsOf(texts);
        // A decoded run shorter than the shortest pattern, and too short to decode further, holds nothing: with
        // typical canaries (10+ characters) this skips 13-digit timestamps and 16-digit ids.
        int hexMinBytes = matcher == null ? CanaryForms.MIN_SIGNIFICANT
                : Math.max(CanaryForms.MIN_SIGNIFICANT, Math.min(matcher.shortestPattern(), MIN_DECODABLE));
        runsMin = Math.min(matcher == null ? Integer.MAX_VALUE : matcher.runMin(),
                Math.min(Math.min(minLayer, Base64RunDecoder.MESSAGE_CHARS), 2 * hexMinBytes));
        inflate = new InflateDecoder(MAX_INFLATED);
        numbers = new WireNumbers(this.canaries, forms);
        protobuf = new ProtobufDecoder(minLayer, numbers);
        decoders = List.of(
                inflate,
                new UrlDecoder(new EscapeNeighbours(texts, runsMin, minLayer)),
                new JsonUnescaper(),
                new Base64RunDecoder(minLayer, runsMin),
                new HexRunDecoder(hexMinBytes, runsMin),
                new MultipartDecoder(),
                protobuf);
    }

    /**
     * The shortest base64 run (and protobuf field) decoded as a layer of its own: one long enough to hold the
     * shortest form's base64, the shortest thing beneath it the search can still find. Below that, a layer holds at
     * most the form itself, which the matcher finds as base64 in the outer view already. A 6-character name's base64
     * is 8 characters, so base64 of that base64 is a run of 11 (16 would miss it); most canary sets have no form under
     * 9 bytes and keep 16, which spares the decoding of the many 11-15 character runs (timestamps, ids) in text.
     */
    static int minLayerRun(int shortestFormBytes) {
        int base64OfBase64 = unpaddedBase64(unpaddedBase64(Math.min(shortestFormBytes, MIN_BASE64_RUN)));
        return Math.max(8, Math.min(MIN_BASE64_RUN, base64OfBase64));
    }

    private static int unpaddedBase64(int bytes) {
        return (4 * bytes + 2) / 3;
    }

    private int[][] offsetsOf(List<byte[]> texts) {
        int longest = matcher.longestPattern();
        // Offsets -3..longest+1, shifted by 3.
        boolean[][] seen = new boolean[256][longest + 5];
        // The base64 characters around a pattern that may sit inside a longer base64 string depend on its length
        // alone: gathered by length and set once, not per pattern (with 1,000 canaries that loop of 256 values per
        // pattern took a quarter of the detector's construction).
        boolean[] base64Around = new boolean[longest + 1];
        boolean anyBase64Around = false;
        for (int id = 0; id < texts.size(); id++) {
            byte[] t = texts.get(id);
            for (int j = 0; j < t.length; j++) {
                seen[t[j] & 0xff][j + 3] = true;
            }
            Pattern p = patterns.get(id);
            if (p.base64 != null || p.nextBits >= 0) {
                base64Around[t.length] = true;
                anyBase64Around = true;
            }
        }
        for (int v = 0; v < 256 && anyBase64Around; v++) {
            if (Base64Alphabet.isBase64((byte) v)) {
                seen[v][0] = seen[v][1] = seen[v][2] = true; // offsets -3, -2, -1
                for (int length = 0; length <= longest; length++) {
                    if (base64Around[length]) {
                        seen[v][length + 3] = seen[v][length + 4] = true;
                    }
                }
            }
        }
        int[][] out = new int[256][];
        for (int v = 0; v < 256; v++) {
            int n = 0;
            for (boolean b : seen[v]) {
                n += b ? 1 : 0;
            }
            out[v] = new int[n];
            int k = 0;
            for (int j = 0; j < seen[v].length; j++) {
                if (seen[v][j]) {
                    out[v][k++] = j - 3;
                }
            }
        }
        return out;
    }

    private void add(List<byte[]> texts, Pattern p, byte[] text) {
        texts.add(text);
        patterns.add(p);
    }

    private void addHash(List<byte[]> texts, List<byte[]> rawPrefixes, int c, String form, byte[] bytes,
                         String algorithm) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
        String name = algorithm.replace("-", "").toLowerCase(Locale.ROOT);
        byte[] prefix = Arrays.copyOf(digest, HASH_PREFIX_BYTES);
        rawPatterns.add(new Pattern(c, form, bytes, null, -1, List.of(name)));
        rawPrefixes.add(prefix);
        String hex = HexFormat.of().formatHex(prefix);
        List<String> hexChain = List.of(HexRunDecoder.NAME, name);
        add(texts, new Pattern(c, form, bytes, null, -1, hexChain), hex.getBytes(StandardCharsets.US_ASCII));
        add(texts, new Pattern(c, form, bytes, null, -1, hexChain),
                hex.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        // 8 bytes are 10 base64 characters that depend on nothing after them and an 11th whose top 4 bits are the
        // prefix's last 4 (its low 2 bits are the next byte's, or zero when the digest ends there): the pattern is
        // the 10, and accept checks the 11th, padded or not, truncated anywhere from 64 bits on or not.
        String b64 = Base64.getEncoder().encodeToString(prefix).substring(0, HASH_BASE64_CHARS);
        int next = prefix[7] & 0x0f;
        List<String> b64Chain = List.of(Base64RunDecoder.NAME, name);
        add(texts, new Pattern(c, form, bytes, null, next, b64Chain), b64.getBytes(StandardCharsets.US_ASCII));
        String urlSafe = b64.replace('+', '-').replace('/', '_');
        if (!urlSafe.equals(b64)) {
            add(texts, new Pattern(c, form, bytes, null, next, b64Chain), urlSafe.getBytes(StandardCharsets.US_ASCII));
        }
    }

    public List<Canary> canaries() {
        return canaries;
    }

    /** One finding per canary and location, the one with the shortest transform chain. */
    public List<Finding> scan(CapturedFlow flow) {
        return inspect(flow).findings();
    }

    /**
     * As {@link #scan}, also saying what of the request could not be decoded as its sender declared (a body whose
     * Content-Encoding is cut short, corrupt or not what it says): that part was not searched.
     */
    public FlowScan inspect(CapturedFlow flow) {
        if (matcher == null) {
            return new FlowScan(List.of(), List.of());
        }
        HttpRequestData request = flow.request();
        Map<String, Hits> byLocation = new LinkedHashMap<>();
        List<Damage> damage = new ArrayList<>();
        boolean outOfMemory = false;
        for (ScanTarget target : ScanTarget.of(request)) {
            Hits best = byLocation.computeIfAbsent(target.location(), l -> new Hits(canaries.size()));
            boolean grpc = !target.part().isEmpty(); // only a gRPC body is searched in parts
            View root = grpc ? View.root(target.bytes(), target.declaredEncoding(), "grpc-encoding")
                    : View.root(target.bytes(), target.declaredEncoding());
            outOfMemory |= !exploredWhole(root, best, problem -> damage.add(new Damage(target.location(),
                    grpc ? target.part() + ": " + problem : problem)));
        }
        List<Finding> findings = new ArrayList<>();
        byLocation.forEach((location, best) -> {
            for (Best b : best.all()) {
                if (b != null) {
                    findings.add(new Finding(canaries.get(b.canary), flow.id(), request.host(), request.scheme(),
                            location, b.transforms, b.form, b.offset));
                }
            }
        });
        return new FlowScan(findings, damage, outOfMemory);
    }

    /**
     * A message the handset sent on the flow's WebSocket, reported at {@code location} (e.g. "websocket"). Messages
     * the server sent are not leaks and must not be passed here.
     */
    public List<Finding> scanMessage(CapturedFlow flow, String location, byte[] message) {
        return inspectMessage(flow, location, message).findings();
    }

    /**
     * As {@link #scanMessage}, also saying what of the message could not be decoded (a gzip stream by its magic, cut
     * short) or was not searched because the scan ran out of heap, as {@link #inspect} does for a request.
     */
    public FlowScan inspectMessage(CapturedFlow flow, String location, byte[] message) {
        if (matcher == null) {
            return new FlowScan(List.of(), List.of());
        }
        Hits best = new Hits(canaries.size());
        List<Damage> damage = new ArrayList<>();
        boolean outOfMemory = !exploredWhole(View.root(message, ""), best,
                problem -> damage.add(new Damage(location, problem)));
        List<Finding> findings = new ArrayList<>();
        for (Best b : best.all()) {
            if (b != null) {
                findings.add(new Finding(canaries.get(b.canary), flow.id(), flow.request().host(),
                        flow.request().scheme(), location, b.transforms, b.form, b.offset));
            }
        }
        return new FlowScan(findings, damage, outOfMemory);
    }

    /**
     * Explores a request part or a message from its root; false when the heap ran out on the way, which is then said
     * as damage. A request of a few hundred KB can decode to several copies of 64 MB (gzip, then url and JSON escapes
     * throughout); those copies are this call's alone and garbage once it unwinds, so the heap is whole again here:
     * what was found stands, the rest is said not searched (fail closed), and the caller may try the flow again with
     * more room (see FlowScan#outOfMemory).
     */
    private boolean exploredWhole(View root, Hits best, Consumer<String> damage) {
        try {
            explore(root, best, damage);
            return true;
        } catch (OutOfMemoryError e) {
            damage.accept("not searched in full: the scan ran out of Java heap (at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB) while decoding it; what decoded before was"
                    + " searched");
            return false;
        }
    }

    public List<Finding> scanAll(List<CapturedFlow> flows) {
        List<Finding> all = new ArrayList<>();
        for (CapturedFlow f : flows) {
            all.addAll(scan(f));
        }
        return List.copyOf(all);
    }

    /**
     * @param damage hears what the sender's declared Content-Encoding did not decode; null below the root and below
     *               the last of its codings
     */
    private void explore(View view, Hits best, Consumer<String> damage) {
        if (view.scalarWire() >= 0) {
            int depth = view.depth();
            numbers.match(view.scalarWire(), view.scalarValue(), (n, encoding) -> accept(view, depth, view.data(),
                    new Pattern(n.canary(), n.form(), n.form().getBytes(StandardCharsets.US_ASCII), null, -1,
                            List.of(encoding)), 0, best));
            return;
        }
        if (view.isField()) {
            raw.atStart(view.data(), id -> accept(view, view.depth(), view.data(), rawPatterns.get(id), 0, best));
            if (view.prefixOnly()) {
                return;
            }
        }
        if (view.depth() < MAX_DEPTH && inflate.wholeGzip(view, child -> explore(child, best, null))) {
            return; // its compressed bytes hold nothing a sender wrote (see wholeGzip)
        }
        if (view.data().length >= matcher.shortestPattern()) {
            search(view, best);
        }
        if (view.depth() >= MAX_DEPTH) {
            return;
        }
        byte[] data = view.data();
        if (data.length < minDecodable) {
            if (damage != null && data.length > 0 && !view.declaredEncoding().isEmpty()) {
                // Too short to hold a canary, but a body cut or corrupt against its Content-Encoding is still said
                // (an empty one sent nothing to decode).
                inflateDeclared(view, best, damage);
            }
            // A message of one number field (a key and a phone number's varint: 6 bytes) is shorter than anything else
            // worth decoding.
            if (numbers.any() && data.length >= WireNumbers.SHORTEST_MESSAGE) {
                protobuf.decode(view, child -> explore(child, best, null));
            }
            return;
        }
        boolean binary = looksBinary(data);
        for (Decoder d : decoders) {
            // Text encodings are not undone inside binary data: in random bytes '%', '+' and '\\' abound, and each
            // "decoding" would be a full copy explored again at every depth, for nothing a sender could mean.
            if (damage != null && d instanceof InflateDecoder) {
                inflateDeclared(view, best, damage);
            } else if (!binary || !(d instanceof TextDecoder)) {
                d.decode(view, child -> explore(child, best, null));
            }
        }
    }

    private void inflateDeclared(View view, Hits best, Consumer<String> damage) {
        // A child that still declares codings (the body listed several) speaks for the sender's declaration as the
        // body did: its damage is reported too.
        inflate.decode(view, child -> explore(child, best, child.declaredEncoding().isEmpty() ? null : damage),
                damage);
    }

    /**
     * Views shorter than this are not decoded: a protobuf message of one 8-byte digest field (a hashed id truncated
     * to 64 bits) is 10 bytes, the hex of a 6-character value 12. A set with a shorter form lowers it to that form's
     * length (see the constructor).
     */
    private static final int MIN_DECODABLE = 2 + ProtobufDecoder.DIGEST_MIN;

    /** Control characters other than tab, CR and LF in the first kilobyte: not text. */
    static boolean looksBinary(byte[] data) {
        int n = Math.min(data.length, 1024);
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xff;
            if (b < 0x09 || (b > 0x0d && b < 0x20)) {
                return true;
            }
        }
        return false;
    }

    private void search(View view, Hits best) {
        int depth = view.depth();
        byte[] data = view.data();
        MultiMatcher.Sink sink = (id, start) -> accept(view, depth, data, patterns.get(id), start, best);
        int[] dirty = view.dirty();
        if (dirty == null || !probeCheaper(data, dirty)) {
            matcher.scanAnywhere(data, sink);
            int[] runs = view.base64Runs(runsMin);
            for (int r = 0; r < runs.length; r += 2) {
                // A run that neither holds nor borders a dirty byte is, with the bytes either side of it, a verbatim
                // copy of one in the parent (escapes always leave a dirty byte), and a match in it reads only it
                // (Base64Alphabet.verify reads base64 characters only): the parent showed it with a shorter chain.
                if (view.touchesDirty(runs[r], runs[r + 1])) {
                    matcher.scanRun(data, runs[r], runs[r + 1], sink);
                }
            }
            return;
        }
        // A match that neither holds nor borders a dirty byte is a copy of one in the parent, found there with a
        // shorter chain: only the starts that put a dirty byte at one of the offsets where its value occurs in some
        // pattern are probed ('+' undone to a space: the few offsets of spaces in phone numbers and names).
        for (int c : dirty) {
            for (int j : offsetsOf[data[c] & 0xff]) {
                matcher.probe(data, c - j, data[c], sink);
            }
        }
    }

    /** Whether probing around the dirty bytes reads fewer places than a full scan would. */
    private boolean probeCheaper(byte[] data, int[] dirty) {
        long probes = 0;
        long budget = data.length / 8; // a probe costs a few samples of a scan (which reads every 3rd to 8th byte)
        for (int c : dirty) {
            probes += offsetsOf[data[c] & 0xff].length;
            if (probes > budget) {
                return false;
            }
        }
        return true;
    }

    private void accept(View view, int depth, byte[] data, Pattern p, int start, Hits best) {
        int length = depth + (p.tail.size() > 1 ? 1 : p.tail.size()); // a hash and its encoding: one layer
        if (length > MAX_DEPTH) {
            return;
        }
        Best current = best.get(p.canary);
        int chainSize = depth + p.tail.size();
        // Matches do not arrive in order of start: within one view the earliest wins, at one start the longest form.
        boolean better = current == null || chainSize < current.transforms.size()
                || (chainSize == current.transforms.size() && current.view == view && (start < current.start
                || (start == current.start && p.form.length() > current.form.length())));
        if (!better) {
            return;
        }
        long offset = start;
        if (p.base64 != null) {
            if (!Base64Alphabet.verify(data, start, p.base64, p.bytes)) {
                return;
            }
            offset = Base64Alphabet.decodedOffset(data, start, p.base64);
        }
        if (p.nextBits >= 0) {
            int after = start + HASH_BASE64_CHARS;
            if (after >= data.length || Base64Alphabet.value(data[after]) >>> 2 != p.nextBits) {
                return;
            }
        }
        List<String> chain = new ArrayList<>(view.transforms());
        chain.addAll(p.tail);
        best.put(p.canary, new Best(p.canary, List.copyOf(chain), p.form, offset, view, start));
    }

    /**
     * @param base64   null unless the text is a base64 encoding of the form at some alignment
     * @param nextBits for the base64 of a hash prefix, the top 4 bits the character after the text must hold; else -1
     * @param tail     what the text adds to the view's chain: nothing, ["base64"], or e.g. ["hex","sha256"]; a
     *                 raw digest's is ["sha256"] alone, a protobuf number field's ["varint"] (see {@link WireNumbers})
     */
    private record Pattern(int canary, String form, byte[] bytes, Base64Alphabet.EncodedForm base64, int nextBits,
                           List<String> tail) {
    }

    /**
     * The best match so far per canary in one location. Most locations hold none: the array (one slot per canary,
     * thousands) is allocated on the first match, not for every header and cookie of every flow.
     */
    private static final class Hits {
        private final int canaries;
        private Best[] best;

        Hits(int canaries) {
            this.canaries = canaries;
        }

        Best get(int canary) {
            return best == null ? null : best[canary];
        }

        void put(int canary, Best b) {
            if (best == null) {
                best = new Best[canaries];
            }
            best[canary] = b;
        }

        Best[] all() {
            return best == null ? new Best[0] : best;
        }
    }

    private record Best(int canary, List<String> transforms, String form, long offset, View view, int start) {
    }
}
