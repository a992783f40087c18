package dev.consentry.leak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The first 8 bytes of digests, as raw bytes, to be compared at the start of a protobuf field's value (where an SDK
 * puts a hashed id into a {@code bytes} field, whole or truncated). Raw digests are arbitrary bytes, so they are not
 * given to the {@link MultiMatcher}, which finds text around its anchor bytes; one look-up per field is enough.
 */
final class DigestPrefixes {
    static final int LENGTH = 8;

    private final Map<Long, int[]> byPrefix = new HashMap<>();

    /** @param prefixes per id, a digest's first {@link #LENGTH} bytes */
    DigestPrefixes(List<byte[]> prefixes) {
        Map<Long, List<Integer>> ids = new HashMap<>();
        for (int id = 0; id < prefixes.size(); id++) {
            byte[] p = prefixes.get(id);
            if (p.length != LENGTH) {
                throw new IllegalArgumentException("a digest prefix has " + LENGTH + " bytes, not " + p.length);
            }
            ids.computeIfAbsent(key(p, 0), k -> new ArrayList<>()).add(id);
        }
        ids.forEach((k, v) -> byPrefix.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Reports the id of every digest whose prefix {@code data} starts with. */
    void atStart(byte[] data, IntConsumer ids) {
        if (data.length < LENGTH) {
            return;
        }
        int[] found = byPrefix.get(key(data, 0));
        if (found != null) {
            Arrays.stream(found).forEach(ids);
        }
    }

    private static long key(byte[] b, int at) {
        long k = 0;
        for (int i = 0; i < LENGTH; i++) {
            k = k << 8 | (b[at + i] & 0xff);
        }
        return k;
    }
}
