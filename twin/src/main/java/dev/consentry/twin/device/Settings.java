package dev.consentry.twin.device;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Android's settings provider: three namespaces of string values, as {@code settings put|get|delete|list} sees them. */
public final class Settings {
    public enum Namespace { SYSTEM, SECURE, GLOBAL }

    private final Map<Namespace, Map<String, String>> values = new ConcurrentHashMap<>();

    public Settings() {
        for (Namespace n : Namespace.values()) {
            values.put(n, new ConcurrentHashMap<>());
        }
    }

    public void put(Namespace ns, String key, String value) {
        values.get(ns).put(key, value);
    }

    public Optional<String> get(Namespace ns, String key) {
        return Optional.ofNullable(values.get(ns).get(key));
    }

    public void delete(Namespace ns, String key) {
        values.get(ns).remove(key);
    }

    public Map<String, String> list(Namespace ns) {
        return new TreeMap<>(values.get(ns));
    }
}
