package dev.consentry.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Data of these categories may go to this party once the user granted {@code purpose}.
 *
 * @param where file:line and field of the rule, so a message can cite it ({@code policies/default.yaml:31
 *              rules.cloud_messaging.vendor})
 */
public record Rule(String purpose, Party party, Set<String> categories, String where) {
    public Rule {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(party, "party");
        categories = Set.copyOf(categories);
    }

    @Override
    public String toString() {
        return where + ": " + String.join(", ", categories.stream().sorted().toList()) + " to " + party.id()
                + " under " + purpose;
    }
}
