package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Percent-decoding, '+' as space. Double-encoded values ("%2538" for "8") are unwrapped by decoding again; every
 * round that changes something is emitted, all as "url", because a value can be readable after one round and
 * damaged by the next ('+' in "+91..." becoming a space).
 *
 * <p>Each round is itself explored, which decodes it again: what that gives for rounds this loop reaches too (round
 * k + j for j + k up to {@value #MAX_ROUNDS}) is the same bytes one layer deeper, so nothing found in it could beat
 * what the loop's own round shows with a shorter chain; such rounds are decoded (to get past them) but not emitted.
 * A round knows whether the round after it changed anything, and which escape characters it holds, so exploring a
 * form's decoded view costs nothing here.
 */
final class UrlDecoder implements TextDecoder {
    static final String NAME = "url";
    private static final int MAX_ROUNDS = 3;
    /** What an undone escape needs around it to matter; null: every round is emitted. */
    private final EscapeNeighbours neighbours;

    UrlDecoder() {
        this(null);
    }

    UrlDecoder(EscapeNeighbours neighbours) {
        this.neighbours = neighbours;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        int k = view.urlRound();
        if (k > 0 && k < MAX_ROUNDS && !view.urlMore()) {
            return; // its parent's loop found nothing to undo in it
        }
        if (view.knownEscapes() >= 0 && (view.knownEscapes() & (Bytes.PERCENT | Bytes.PLUS)) == 0) {
            return;
        }
        Decoded next = decodeOnce(view.data(), null, k == 0 ? neighbours : null);
        view.knowEscapes(next.inEscapes);
        for (int round = 1; next != null && next.bytes != null; round++) {
            // A round knows exactly which escape characters it wrote: without '%' or '+' (a form's "hello+world%21")
            // the next round would only read it all to find nothing to undo. The next round is built only once
            // this one's view has been explored: two rounds of a 64 MB body held at once, with all that each
            // decodes to beneath it, ran a 512 MB heap out (a 200 KB gzip'd request with escapes throughout).
            boolean more = round < MAX_ROUNDS && (next.outEscapes & (Bytes.PERCENT | Bytes.PLUS)) != 0
                    && undoesAny(next.bytes);
            if (k == 0 || k + round > MAX_ROUNDS) {
                out.accept(view.child(NAME, next.bytes, next.dirty).knowEscapes(next.outEscapes)
                        .urlRound(round, more));
            }
            next = more ? decodeOnce(next.bytes, next.dirty, null) : null;
        }
    }

    /** Whether a round over {@code in} would undo an escape (as decodeOnce's search for its first). */
    private static boolean undoesAny(byte[] in) {
        for (int w = Bytes.skipClean(in, 0); w < in.length; w += 8) {
            long m = Bytes.escapeMask(Bytes.word(in, w));
            while (m != 0) {
                int at = w + (Long.numberOfTrailingZeros(m) >>> 3);
                m &= m - 1;
                if (undoes(in, at)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One round. The input is read a word at a time: a word without an escape character is stored whole, one with
     * one up to it, so a form with an escape every few dozen bytes costs a few word copies per escape, not a call.
     *
     * @param inDirty    ascending positions of the input bytes that differ from the original view (earlier rounds),
     *                   null for none, or {@link View#EVERYWHERE}
     * @param neighbours when not null (a first round), the round is not built when it would be {@link #inert}
     * @return the decoded bytes (null when there was nothing to decode) and the ascending positions of those that came
     *         out of an escape here or from a dirty byte before, plus the {@link Bytes#escapes} of input and output
     */
    private static Decoded decodeOnce(byte[] in, int[] inDirty, EscapeNeighbours neighbours) {
        int n = in.length;
        int inEscapes = 0;
        int outEscapes = 0; // of the bytes before the first escape undone: the escape characters left as they are
        int first = -1;
        find:
        for (int w = Bytes.skipClean(in, 0); w < n; w += 8) {
            long m = Bytes.escapeMask(Bytes.word(in, w));
            while (m != 0) {
                int at = w + (Long.numberOfTrailingZeros(m) >>> 3);
                m &= m - 1;
                int kind = Bytes.kind(in[at]);
                inEscapes |= kind;
                if (undoes(in, at)) {
                    first = at;
                    break find;
                }
                outEscapes |= kind;
            }
        }
        if (first < 0) {
            return new Decoded(null, null, inEscapes, inEscapes);
        }
        if (neighbours != null && outEscapes == 0) {
            int kinds = inert(in, first, neighbours);
            if (kinds >= 0) {
                return new Decoded(null, null, inEscapes | kinds, inEscapes | kinds);
            }
        }
        byte[] out = new byte[n];
        System.arraycopy(in, 0, out, 0, first);
        DirtyList dirty = new DirtyList(n);
        if (inDirty == View.EVERYWHERE) {
            dirty.everywhere(); // (and inDirty, empty, is passed at once below)
        }
        int k = 0; // the first entry of inDirty not yet passed
        int dirtyIn = inDirty == null ? 0 : inDirty.length;
        while (k < dirtyIn && inDirty[k] < first) {
            dirty.add(inDirty[k++]);
        }
        int i = first; // in[i] is an escape character
        int o = first;
        while (true) {
            byte c = in[i];
            int decoded = c == '+' ? ' ' : c == '%' && i + 2 < n ? HEX[in[i + 1] & 0xff] << 4 | HEX[in[i + 2] & 0xff]
                    : -1; // negative unless both are hex digits
            if (decoded >= 0) {
                inEscapes |= c == '+' ? Bytes.PLUS : Bytes.PERCENT;
                dirty.add(o);
                out[o++] = (byte) decoded;
                outEscapes |= Bytes.kind((byte) decoded);
                i += c == '+' ? 1 : 3;
                while (k < dirtyIn && inDirty[k] < i) {
                    k++; // inside the escape just undone, whose output is dirty anyway
                }
            } else {
                int kind = Bytes.kind(c);
                inEscapes |= kind;
                outEscapes |= kind; // a backslash, or a '%' that starts no escape: stays as it is
                if (k < dirtyIn && inDirty[k] == i) {
                    dirty.add(o);
                    k++;
                }
                out[o++] = c;
                i++;
            }
            // Copy up to the next escape character, a word at a time.
            int stretch;
            do {
                if (i >= n) {
                    return new Decoded(Arrays.copyOf(out, o), dirty.toArray(), inEscapes, outEscapes);
                }
                long w = Bytes.word(in, i);
                long m = Bytes.escapeMask(w);
                stretch = m == 0 ? Math.min(8, n - i) : Long.numberOfTrailingZeros(m) >>> 3;
                if (i + 8 <= n) {
                    Bytes.putWord(out, o, w); // o <= i: the bytes past the stretch are overwritten next
                } else {
                    System.arraycopy(in, i, out, o, stretch);
                }
                while (k < dirtyIn && inDirty[k] < i + stretch) {
                    dirty.add(o + inDirty[k++] - i);
                }
                i += stretch;
                o += stretch;
            } while (stretch == 8);
            if (i >= n) {
                return new Decoded(Arrays.copyOf(out, o), dirty.toArray(), inEscapes, outEscapes);
            }
        }
    }

    /**
     * Whether the first round of {@code in} (a view's bytes, whose first escape undone is at {@code first}, with no
     * escape character before it) would be inert: exploring it would find nothing its parent did not show with a
     * shorter chain, so it need not be built. A form's "hello+world%21" is: the space and the '!' are no base64
     * characters, so only a match holding one of them could be new, and {@link EscapeNeighbours} rules that out
     * from the bytes beside them; the base64 runs beside them are too short for the search or a decoder to read
     * ({@link View#base64Runs}: they are the parent's bytes anyway). What else a decoder could do with the round is
     * ruled out as cheaply: no escape character is left in it (no next round, no json escape), its first bytes are
     * printable text that is not zlib's header nor a multipart delimiter (no decompression, no parts), and it does
     * not parse as protobuf (read through the input, {@link Round}). Anything else is left to the real round.
     *
     * @return the {@link Bytes#escapes} kinds of {@code in} from {@code first} on when inert, else -1
     */
    static int inert(byte[] in, int first, EscapeNeighbours neighbours) {
        int n = in.length;
        if (first < 4 || !plainStart(in)) {
            return -1;
        }
        boolean[] b64 = Runs.BASE64;
        int runsMin = neighbours.runsMin;
        // The escapes are visited in order off one escape mask per word (the bytes an escape spans hold no other
        // escape character: '%' takes two hex digits), and each stretch of clean bytes between two escapes is read
        // once: its base64 run at either end must be too short for the search, and a run needs a base64 character
        // at the stretch's edge, one byte read, which a form's '&' after "%21" is not.
        if (first >= runsMin && b64[in[first - 1] & 0xff] && allBase64(in, first - runsMin, first)) {
            return -1;
        }
        int kinds = 0;
        int removed = 0; // input bytes the round drops: two per "%XX"
        int at = first;
        int value = undoneAt(in, first);
        int before = in[first - 1] & 0xff; // the round's byte before this escape's output
        int w = first; // the escape characters after `at` in the word at w are the bits of m
        long m = Bytes.escapeMask(Bytes.word(in, w));
        m &= m - 1;
        while (true) {
            boolean plus = in[at] == '+';
            int end = plus ? at + 1 : at + 3;
            // A base64 character joins the runs beside it; '%', '+' or '\\' would leave work for a next round or the
            // json decoder.
            if (KEEPS_WORK[value]) {
                return -1;
            }
            if (m == 0) {
                // No other escape in this word: whole blocks of 32 without one are skipped first (a form's stretch
                // between "%21" and the next '+' is about 40 bytes).
                w = ByteClasses.skipWithout(in, end, (byte) '%', (byte) '+', (byte) '\\');
                while (w < n && (m = Bytes.escapeMask(Bytes.word(in, w))) == 0) {
                    w += 8;
                }
            }
            int next = m == 0 ? n : w + (Long.numberOfTrailingZeros(m) >>> 3);
            m &= m - 1;
            int nextValue = -1;
            if (next < n) {
                nextValue = undoneAt(in, next);
                if (nextValue < 0) {
                    return -1; // a backslash or a '%' left as it is
                }
            }
            int after = end == n ? -1 : next == end ? nextValue : in[end] & 0xff;
            if (neighbours.mayMatter(before, value, after)) {
                return -1;
            }
            // The runs at both ends of the clean stretch [end, next) end at the escapes' outputs (no base64
            // characters); the last stretch has no escape after it.
            if (next - end >= runsMin && (b64[after] && allBase64(in, end, end + runsMin)
                    || next < n && b64[in[next - 1] & 0xff] && allBase64(in, next - runsMin, next))) {
                return -1;
            }
            kinds |= plus ? Bytes.PLUS : Bytes.PERCENT;
            removed += end - at - 1;
            if (next == n) {
                break;
            }
            before = next == end ? value : in[next - 1] & 0xff;
            at = next;
            value = nextValue;
        }
        int length = n - removed;
        return length < neighbours.minField || !ProtobufWire.parses(new Round(in, first), length) ? kinds : -1;
    }

    /** Byte values an escape may not be undone to in an inert round: base64 characters, '%' and '\\'. */
    private static final boolean[] KEEPS_WORK = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            KEEPS_WORK[b] = Runs.BASE64[b] || b == '%' || b == '\\';
        }
    }

    /**
     * The bytes of a first round read without building it, in ascending order of position (as a protobuf walk reads
     * them), for a round whose every '%' is undone: the input up to its first escape, then a cursor.
     */
    private static final class Round implements java.util.function.IntUnaryOperator {
        private final byte[] in;
        private final int first;
        private int at; // the round's byte `out` comes from in[at...]
        private int out;

        Round(byte[] in, int first) {
            this.in = in;
            this.first = first;
            this.at = first;
            this.out = first;
        }

        @Override
        public int applyAsInt(int p) {
            if (p < first) {
                return in[p];
            }
            while (out < p) {
                int e = nextEscape(in, at);
                if (e - at >= p - out) {
                    at += p - out;
                    out = p;
                } else {
                    out += e - at + 1;
                    at = e + (in[e] == '+' ? 1 : 3);
                }
            }
            return (byte) (in[at] == '+' ? ' ' : in[at] == '%' ? HEX[in[at + 1] & 0xff] << 4 | HEX[in[at + 2] & 0xff]
                    : in[at]);
        }
    }

    /**
     * Whether the first four bytes (kept by an inert round) are printable ASCII, so no gzip or zstd magic, and
     * neither zlib's header nor the "--" of a multipart delimiter.
     */
    private static boolean plainStart(byte[] in) {
        for (int i = 0; i < 4; i++) {
            if (in[i] < 0x20 || in[i] > 0x7e) {
                return false;
            }
        }
        boolean zlib = (in[0] & 0x0f) == 8 && ((in[0] & 0xff) << 8 | (in[1] & 0xff)) % 31 == 0;
        return !zlib && !(in[0] == '-' && in[1] == '-');
    }

    /**
     * Whether the bytes [from, to) are all base64 characters, eight at a time: next to a form's escapes they rarely
     * are, and a byte loop walking to the end of each word would mispredict its exit every time.
     */
    private static boolean allBase64(byte[] in, int from, int to) {
        for (int i = from; i < to; i += 8) {
            long all = Runs.base64Mask(Bytes.word(in, i));
            long wanted = to - i >= 8 ? HIGHS : HIGHS >>> 8 * (8 - (to - i));
            if ((all & wanted) != wanted) {
                return false;
            }
        }
        return true;
    }

    private static final long HIGHS = 0x8080808080808080L;

    /** The first escape character at or after {@code from}, or the length. */
    private static int nextEscape(byte[] in, int from) {
        for (int w = from; w < in.length; w += 8) {
            long m = Bytes.escapeMask(Bytes.word(in, w));
            if (m != 0) {
                return w + (Long.numberOfTrailingZeros(m) >>> 3);
            }
        }
        return in.length;
    }

    /** What the escape character at {@code at} is undone to, or -1 when it is not undone. */
    private static int undoneAt(byte[] in, int at) {
        if (in[at] == '+') {
            return ' ';
        }
        return in[at] == '%' && at + 2 < in.length ? HEX[in[at + 1] & 0xff] << 4 | HEX[in[at + 2] & 0xff] : -1;
    }

    /** Whether the escape character at {@code at} is undone: '+', or '%' and two hex digits. */
    private static boolean undoes(byte[] in, int at) {
        return in[at] == '+' || (in[at] == '%' && at + 2 < in.length
                && (HEX[in[at + 1] & 0xff] | HEX[in[at + 2] & 0xff]) >= 0);
    }

    /** Hex digits' values by byte, -1 for any other byte: a table read instead of three range tests. */
    private static final int[] HEX = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            HEX[b] = hex((byte) b);
        }
    }

    /** @param bytes null when there was nothing to decode */
    private record Decoded(byte[] bytes, int[] dirty, int inEscapes, int outEscapes) {
    }

    static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
