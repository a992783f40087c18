package dev.consentry.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to search plus how they were obtained from what was sent, outermost transform first.
 *
 * @param declaredEncoding the Content-Encoding the sender declared for these bytes; only ever set on a raw body
 * @param dirty            for a view that is its parent with a few escapes undone (url, json): the ascending
 *                         positions of the bytes that came out of an escape, everything else being a verbatim copy of
 *                         the parent; null when the whole view is new (base64, hex, gzip, a root). Only what touches a
 *                         dirty byte can hold anything the parent did not already show with a shorter chain.
 */
record View(byte[] data, List<String> transforms, String declaredEncoding, int[] dirty) {
    static View root(byte[] data, String declaredEncoding) {
        return new View(data, List.of(), declaredEncoding, null);
    }

    View child(String transform, byte[] decoded) {
        return child(transform, decoded, null);
    }

    View child(String transform, byte[] decoded, int[] dirty) {
        List<String> t = new ArrayList<>(transforms.size() + 1);
        t.addAll(transforms);
        t.add(transform);
        return new View(decoded, List.copyOf(t), "", dirty);
    }

    int depth() {
        return transforms.size();
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
