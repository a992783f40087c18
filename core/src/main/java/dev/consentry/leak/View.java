package dev.consentry.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to search plus how they were obtained from what was sent, outermost transform first.
 *
 * <p>The data's maximal runs of base64 characters are found once per view and shared: the matcher looks for most
 * patterns only inside them, the base64 decoder decodes them, and the hex decoder finds hex runs only inside them
 * (hex digits are base64 characters), so a text view is walked for runs once instead of three times.
 */
final class View {
    private final byte[] data;
    private final List<String> transforms;
    private final String declaredEncoding;
    /** The header that declared {@link #declaredEncoding}: Content-Encoding, or a gRPC message's grpc-encoding. */
    private final String declaredBy;
    private final int[] dirty;
    /** Dirty throughout: given {@link #EVERYWHERE} (too many escapes to list); {@link #dirty} is then null. */
    private final boolean dirtyEverywhere;
    private int[] runs;
    private int runsMin;
    /** {@link Bytes#escapes} of the data, or -1 until someone looked. */
    private int escapes = -1;
    /** k when this view is round k of percent-decoding its parent, else 0 (see {@link UrlDecoder}). */
    private int urlRound;
    /** For a url round: whether the round after it changed anything. */
    private boolean urlMore;
    /** A protobuf field's value, whole: its first bytes may be a raw digest (see {@link DigestPrefixes}). */
    private boolean field;
    /**
     * A field whose value only its first bytes are looked at in: one that parses as a message (its own fields are
     * views of their own) or too short to decode, made a view only because a raw digest is 8 to 64 bytes.
     */
    private boolean prefixOnly;
    /** For a protobuf number field's bytes: its wire type (0, 1 or 5, see {@link WireNumbers}), else -1. */
    private int scalarWire = -1;
    private long scalarValue;

    /**
     * @param declaredEncoding the Content-Encoding the sender declared for these bytes: set on a raw body, and on
     *                         what undoing the last-applied of several codings left (the codings still to undo)
     * @param dirty            for a view that is its parent with a few escapes undone (url, json): the ascending
     *                         positions of the bytes that came out of an escape, everything else being a verbatim
     *                         copy of the parent; null when the whole view is new (base64, hex, gzip, a root). Only
     *                         what touches a dirty byte can hold anything the parent did not already show with a
     *                         shorter chain. {@link #EVERYWHERE} when every byte may be (see {@link DirtyList}):
     *                         the view is then searched and decoded as one new as a whole, and a stream may start
     *                         anywhere in it.
     */
    private View(byte[] data, List<String> transforms, String declaredEncoding, String declaredBy, int[] dirty) {
        this.data = data;
        this.transforms = transforms;
        this.declaredEncoding = declaredEncoding;
        this.declaredBy = declaredBy;
        this.dirtyEverywhere = dirty == EVERYWHERE;
        this.dirty = dirtyEverywhere ? null : dirty;
    }

    /** A dirty list that stands for every byte of the view (compared by identity). */
    static final int[] EVERYWHERE = new int[0];

    static View root(byte[] data, String declaredEncoding) {
        return root(data, declaredEncoding, CONTENT_ENCODING);
    }

    static View root(byte[] data, String declaredEncoding, String declaredBy) {
        return new View(data, List.of(), declaredEncoding, declaredBy, null);
    }

    static final String CONTENT_ENCODING = "Content-Encoding";

    View child(String transform, byte[] decoded) {
        return child(transform, decoded, null);
    }

    View child(String transform, byte[] decoded, int[] dirty) {
        return new View(decoded, chain(transform), "", CONTENT_ENCODING, dirty);
    }

    /**
     * A body that declared several content codings, with its last-applied one undone: {@code stillDeclared} are the
     * codings applied before it, still to undo (RFC 9110 8.4 lists them in the order applied).
     */
    View undone(String transform, byte[] decoded, String stillDeclared) {
        return new View(decoded, chain(transform), stillDeclared, declaredBy, null);
    }

    /**
     * The data from {@code start} on, as a view with this one's chain: where a stream begins inside a view (see
     * {@link InflateDecoder}), what decodes it is one layer under this view, as if it began the view.
     */
    View from(int start) {
        return new View(java.util.Arrays.copyOfRange(data, start, data.length), transforms, "", CONTENT_ENCODING,
                null);
    }

    private List<String> chain(String transform) {
        List<String> t = new ArrayList<>(transforms.size() + 1);
        t.addAll(transforms);
        t.add(transform);
        return List.copyOf(t);
    }

    byte[] data() {
        return data;
    }

    List<String> transforms() {
        return transforms;
    }

    String declaredEncoding() {
        return declaredEncoding;
    }

    String declaredBy() {
        return declaredBy;
    }

    /** The dirty bytes' positions; null when the view is new as a whole or {@link #dirtyEverywhere()}. */
    int[] dirty() {
        return dirty;
    }

    /** Whether every byte may have come out of an escape: there were too many to list (see {@link DirtyList}). */
    boolean dirtyEverywhere() {
        return dirtyEverywhere;
    }

    int depth() {
        return transforms.size();
    }

    /** Which of '%', '+' and '\\' the data holds ({@link Bytes#escapes}); one pass on the first call. */
    int escapes() {
        if (escapes < 0) {
            escapes = Bytes.escapes(data);
        }
        return escapes;
    }

    /** {@link #escapes()} if known without a pass, else -1. */
    int knownEscapes() {
        return escapes;
    }

    /** Tells the view its {@link #escapes()} by a decoder that has just seen every byte of it. */
    View knowEscapes(int kinds) {
        escapes = kinds;
        return this;
    }

    View urlRound(int round, boolean more) {
        urlRound = round;
        urlMore = more;
        return this;
    }

    /** Marks this view as a protobuf field's whole value; {@code prefixOnly} as described at {@link #prefixOnly()}. */
    View field(boolean prefixOnly) {
        field = true;
        this.prefixOnly = prefixOnly;
        return this;
    }

    boolean isField() {
        return field;
    }

    /** A field's value that is not itself searched or decoded: only its first bytes are compared to raw digests. */
    boolean prefixOnly() {
        return prefixOnly;
    }

    /** Marks this view as the bytes of a protobuf number field of that wire type, holding {@code value}. */
    View scalar(int wire, long value) {
        scalarWire = wire;
        scalarValue = value;
        return this;
    }

    /** The wire type of the number field these bytes are, or -1 when they are none. */
    int scalarWire() {
        return scalarWire;
    }

    long scalarValue() {
        return scalarValue;
    }

    int urlRound() {
        return urlRound;
    }

    boolean urlMore() {
        return urlMore;
    }

    /**
     * The maximal runs of base64 characters at least {@code min} long, as (start, end) pairs in order; computed on the
     * first call (callers of one detector all ask with the same {@code min}, the shortest any of them needs). In a
     * view with dirty bytes, only the runs that {@link #touchesDirty touch one}: every caller skips the others, and
     * finding them means reading only around the dirty bytes (a form's url view: a few bytes per "+" or "%21").
     */
    int[] base64Runs(int min) {
        if (runs == null || runsMin != min) {
            if (dirty == null) {
                runs = Runs.base64(data, 0, data.length, min);
            } else {
                IntList found = new IntList();
                runsAroundDirty(min, found);
                runs = found.toArray();
            }
            runsMin = min;
        }
        return runs;
    }

    /** A run touches dirty byte c when it holds c - 1, c or c + 1; each run is walked once, in order. */
    private void runsAroundDirty(int min, IntList found) {
        boolean[] b64 = Runs.BASE64;
        int done = 0; // before it, every run has been reported or ruled out; data[done - 1] is not base64
        for (int c : dirty) {
            int last = Math.min(c + 1, data.length - 1);
            for (int p = Math.max(c - 1, done); p <= last; p++) {
                if (!b64[data[p] & 0xff]) {
                    continue;
                }
                int start = p;
                while (start > done && b64[data[start - 1] & 0xff]) {
                    start--;
                }
                int end = p + 1;
                while (end < data.length && b64[data[end] & 0xff]) {
                    end++;
                }
                if (end - start >= min) {
                    found.add(start);
                    found.add(end);
                }
                done = end;
                p = end;
            }
        }
    }

    /** Whether [from, to) holds or borders a dirty byte; always true for a view that is new as a whole. */
    boolean touchesDirty(int from, int to) {
        if (dirty == null) {
            return true;
        }
        int lo = 0;
        int hi = dirty.length;
        int target = from - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (dirty[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < dirty.length && dirty[lo] <= to;
    }
}
