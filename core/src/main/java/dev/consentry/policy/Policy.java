package dev.consentry.policy;

import dev.consentry.canary.CanaryKind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which personal data may go where under which consent, as one policy file says. Load with {@link PolicyLoader}.
 *
 * @param name            the file name without .yaml
 * @param source          where it was loaded from, for messages
 * @param purposes        every purpose rules may name: the built-in ones and those the file declares
 * @param forbidCleartext personal data over plain HTTP is a violation whatever the consent
 */
public record Policy(String name, String source, String description, Set<String> purposes, List<Category> categories,
                     List<Destination> destinations, List<Rule> rules, boolean forbidCleartext,
                     List<NecessaryTraffic> necessary) {
    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        description = description == null ? "" : description;
        purposes = Set.copyOf(purposes);
        categories = List.copyOf(categories);
        destinations = List.copyOf(destinations);
        rules = List.copyOf(rules);
        necessary = List.copyOf(necessary);
    }

    /** The category a canary kind belongs to; empty when the policy does not name the kind (then no rule allows it). */
    public Optional<Category> categoryOf(CanaryKind kind) {
        return categories.stream().filter(c -> c.kinds().contains(kind)).findFirst();
    }

    /** The first destination (in file order) whose hosts match. */
    public Optional<Destination> destinationOf(String host) {
        return destinations.stream().filter(d -> d.matches(host)).findFirst();
    }

    public Optional<NecessaryTraffic> necessaryFor(String host) {
        return necessary.stream().filter(n -> n.matches(host)).findFirst();
    }

    /** Rules that let {@code category} go to {@code party}, whatever their purpose. */
    public List<Rule> rulesFor(String category, Party party) {
        return rules.stream().filter(r -> r.party() == party && r.categories().contains(category)).toList();
    }
}
