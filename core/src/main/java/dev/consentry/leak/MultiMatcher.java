package dev.consentry.leak;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Aho-Corasick over bytes: finds every occurrence of every pattern in one pass, so the cost of a scan grows with the
 * data, not with data times forms. Built as a full DFA over byte classes (bytes that occur in no pattern share one
 * class), which keeps the table small and the inner loop a single array lookup per byte, ready for streaming later.
 */
final class MultiMatcher {
    @FunctionalInterface
    interface Sink {
        void match(int pattern, int start);
    }

    private static final int[] NONE = new int[0];

    private final int[] classOf = new int[256];
    private final int classes;
    private final int[] delta;
    private final int[][] outputs;
    private final int[] lengths;

    MultiMatcher(List<byte[]> patterns) {
        int next = 1;
        for (byte[] p : patterns) {
            if (p.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            for (byte b : p) {
                if (classOf[b & 0xff] == 0) {
                    classOf[b & 0xff] = next++;
                }
            }
        }
        classes = next;
        lengths = patterns.stream().mapToInt(p -> p.length).toArray();

        List<int[]> trie = new ArrayList<>();
        List<int[]> own = new ArrayList<>();
        trie.add(newRow());
        own.add(NONE);
        for (int id = 0; id < patterns.size(); id++) {
            int s = 0;
            for (byte b : patterns.get(id)) {
                int c = classOf[b & 0xff];
                if (trie.get(s)[c] < 0) {
                    trie.get(s)[c] = trie.size();
                    trie.add(newRow());
                    own.add(NONE);
                }
                s = trie.get(s)[c];
            }
            int[] o = own.get(s);
            int[] grown = Arrays.copyOf(o, o.length + 1);
            grown[o.length] = id;
            own.set(s, grown);
        }

        int states = trie.size();
        delta = new int[states * classes];
        outputs = new int[states][];
        int[] fail = new int[states];
        Deque<Integer> queue = new ArrayDeque<>();
        outputs[0] = own.get(0);
        for (int c = 0; c < classes; c++) {
            int t = trie.get(0)[c];
            if (t < 0) {
                delta[c] = 0;
            } else {
                delta[c] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        // Breadth-first, so a state's failure target is complete before the state itself is filled in.
        while (!queue.isEmpty()) {
            int s = queue.poll();
            outputs[s] = concat(own.get(s), outputs[fail[s]]);
            for (int c = 0; c < classes; c++) {
                int t = trie.get(s)[c];
                if (t < 0) {
                    delta[s * classes + c] = delta[fail[s] * classes + c];
                } else {
                    delta[s * classes + c] = t;
                    fail[t] = delta[fail[s] * classes + c];
                    queue.add(t);
                }
            }
        }
    }

    /** Reports each match by pattern index and start offset, in order of the match's end. */
    void scan(byte[] data, Sink sink) {
        int s = 0;
        for (int i = 0; i < data.length; i++) {
            s = delta[s * classes + classOf[data[i] & 0xff]];
            int[] out = outputs[s];
            for (int p : out) {
                sink.match(p, i + 1 - lengths[p]);
            }
        }
    }

    int shortestPattern() {
        return Arrays.stream(lengths).min().orElse(Integer.MAX_VALUE);
    }

    private int[] newRow() {
        int[] row = new int[classes];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] concat(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
