package dev.consentry.leak;

import java.util.Arrays;

/** A growable list of ints without boxing, for positions collected while decoding. */
final class IntList {
    private int[] items = new int[16];
    private int size;

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
