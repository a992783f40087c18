package dev.consentry.grid;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One stereotype a node offers, and how many sessions of it can run at once. */
public record NodeStereotype(int slots, Map<String, Object> capabilities) {
    public NodeStereotype {
        capabilities = Collections.unmodifiableMap(new LinkedHashMap<>(capabilities));
    }

    static boolean sameValue(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x.equalsIgnoreCase(y);
        }
        return a != null && a.equals(b);
    }
}
