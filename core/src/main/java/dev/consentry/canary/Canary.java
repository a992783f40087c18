package dev.consentry.canary;

import java.util.Objects;

/**
 * A value whose appearance in outgoing traffic is evidence that personal data left the handset.
 *
 * @param origin where the value came from, for the report: "read: dumpsys iphonesubinfo", "planted: contact 1"
 */
public record Canary(CanaryKind kind, String value, String origin) {
    public Canary {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        origin = origin == null ? "" : origin;
    }

    public static Canary of(CanaryKind kind, String value) {
        return new Canary(kind, value, "");
    }
}
