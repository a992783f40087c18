package dev.consentry.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to search plus how they were obtained from what was sent, outermost transform first.
 *
 * @param declaredEncoding the Content-Encoding the sender declared for these bytes; only ever set on a raw body
 */
record View(byte[] data, List<String> transforms, String declaredEncoding) {
    static View root(byte[] data, String declaredEncoding) {
        return new View(data, List.of(), declaredEncoding);
    }

    View child(String transform, byte[] decoded) {
        List<String> t = new ArrayList<>(transforms);
        t.add(transform);
        return new View(decoded, List.copyOf(t), "");
    }

    int depth() {
        return transforms.size();
    }
}
