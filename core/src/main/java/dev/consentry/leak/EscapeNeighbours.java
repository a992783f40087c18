package dev.consentry.leak;

import java.util.List;

/**
 * Which bytes the patterns hold on either side of each byte value: a byte that came out of an escape can be part of a
 * match only when its neighbours could sit beside it in some pattern. A form's '+' undone between two lower-case
 * words ("hello world") or a "%21" undone to '!' is then known to change nothing, without probing the patterns at
 * every offset where a space occurs in a name or a phone number.
 */
final class EscapeNeighbours {
    private final boolean[] first = new boolean[256];
    private final boolean[] last = new boolean[256];
    /** Bit b of the four longs from 4v: some pattern holds byte b right before (after) byte v. */
    private final long[] before = new long[256 * 4];
    private final long[] after = new long[256 * 4];
    /** The shortest base64 run the search or a decoder reads ({@link View#base64Runs}). */
    final int runsMin;
    /** The shortest field {@link ProtobufDecoder} emits: a shorter view is never parsed. */
    final int minField;

    EscapeNeighbours(List<byte[]> patterns, int runsMin, int minField) {
        this.runsMin = runsMin;
        this.minField = minField;
        for (byte[] p : patterns) {
            for (int j = 0; j < p.length; j++) {
                int v = p[j] & 0xff;
                if (j == 0) {
                    first[v] = true;
                } else {
                    set(before, v, p[j - 1] & 0xff);
                }
                if (j == p.length - 1) {
                    last[v] = true;
                } else {
                    set(after, v, p[j + 1] & 0xff);
                }
            }
        }
    }

    private static void set(long[] sets, int v, int b) {
        sets[v << 2 | b >>> 6] |= 1L << b;
    }

    private static boolean has(long[] sets, int v, int b) {
        return b >= 0 && (sets[v << 2 | b >>> 6] & 1L << b) != 0;
    }

    /**
     * Whether some match could hold the byte {@code value} with {@code prev} before it and {@code next} after it
     * (-1: the data ends there). A necessary condition only, side by side: false means no pattern can be there.
     */
    boolean mayMatter(int prev, int value, int next) {
        return (first[value] || has(before, value, prev)) && (last[value] || has(after, value, next));
    }
}
