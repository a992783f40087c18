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

    @Override
    public void decode(View view, Consumer<View> out) {
        int k = view.urlRound();
        if (k > 0 && k < MAX_ROUNDS && !view.urlMore()) {
            return; // its parent's loop found nothing to undo in it
        }
        if (view.knownEscapes() >= 0 && (view.knownEscapes() & (Bytes.PERCENT | Bytes.PLUS)) == 0) {
            return;
        }
        Decoded next = decodeOnce(view.data(), null);
        view.knowEscapes(next.inEscapes);
        for (int round = 1; next != null && next.bytes != null; round++) {
            Decoded after = round >= MAX_ROUNDS ? null
                    // A round knows exactly which escape characters it wrote: without '%' or '+' (a form's
                    // "hello+world%21") the next round would only read it all to find nothing to undo.
                    : (next.outEscapes & (Bytes.PERCENT | Bytes.PLUS)) == 0
                    ? new Decoded(null, null, next.outEscapes, next.outEscapes)
                    : decodeOnce(next.bytes, next.dirty);
            if (k == 0 || k + round > MAX_ROUNDS) {
                out.accept(view.child(NAME, next.bytes, next.dirty).knowEscapes(next.outEscapes)
                        .urlRound(round, after != null && after.bytes != null));
            }
            next = after;
        }
    }

    /**
     * One round. The input is read a word at a time: a word without an escape character is stored whole, one with
     * one up to it, so a form with an escape every few dozen bytes costs a few word copies per escape, not a call.
     *
     * @param inDirty ascending positions of the input bytes that differ from the original view (earlier rounds), or
     *                null for none
     * @return the decoded bytes (null when there was nothing to decode) and the ascending positions of those that came
     *         out of an escape here or from a dirty byte before, plus the {@link Bytes#escapes} of input and output
     */
    private static Decoded decodeOnce(byte[] in, int[] inDirty) {
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
        byte[] out = new byte[n];
        System.arraycopy(in, 0, out, 0, first);
        IntList dirty = new IntList();
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
