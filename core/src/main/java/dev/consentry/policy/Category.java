package dev.consentry.policy;

import dev.consentry.canary.CanaryKind;

import java.util.Objects;
import java.util.Set;

/** A kind of personal data a policy speaks about ({@code device_identifier}), made of canary kinds (imei, serial). */
public record Category(String id, Set<CanaryKind> kinds) {
    public Category {
        Objects.requireNonNull(id, "id");
        kinds = Set.copyOf(kinds);
    }
}
