package dev.consentry.leak;

import java.util.Arrays;

/**
 * The positions of a decoded view's dirty bytes (see {@link View}), collected while decoding, at most one per 16
 * bytes of input. Past that, escapes are everywhere: a search around them would read the view whole anyway, and
 * their positions, four bytes each, could take four times the view's own memory ('+' throughout a 64 MB form, one
 * gzip'd request of 200 KB). The list then lets them go and stands for every byte ({@link View#EVERYWHERE}).
 */
final class DirtyList {
    private final int cap;
    private int[] items = new int[16];
    private int size;

    /** @param inputLength the length of what is being decoded, which bounds the output's */
    DirtyList(int inputLength) {
        cap = Math.max(64, inputLength / 16);
    }

    void add(int position) {
        if (items == null) {
            return;
        }
        if (size == cap) {
            items = null;
            return;
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.min(cap, size * 2));
        }
        items[size++] = position;
    }

    /** Every byte from here on is dirty (what this decodes came from a view dirty throughout). */
    void everywhere() {
        items = null;
    }

    /** The positions in ascending order, or {@link View#EVERYWHERE}. */
    int[] toArray() {
        return items == null ? View.EVERYWHERE : Arrays.copyOf(items, size);
    }
}
