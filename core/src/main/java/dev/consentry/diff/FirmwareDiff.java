package dev.consentry.diff;

import dev.consentry.verdict.FlowResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a new firmware release does with personal data that the old one did not: new destinations, new kinds of
 * data, and data that used to wait for consent and now leaves before it. Also what went away and how each flow's
 * verdict changed, for the vendor's release notes. Regressions are what a certification should stop on.
 *
 * @param newHosts     destinations the new release sends personal data to and the old did not, with what it sends
 * @param newCategories kinds of personal data the new release sends (anywhere) and the old did not
 * @param movedBeforeConsent exposures sent only after consent by the old release and before it by the new
 * @param goneHosts    destinations the old release sent personal data to and the new does not
 * @param verdicts     per flow: "first-boot: FAIL -> PASS"; flows run on only one side say so
 */
public record FirmwareDiff(String oldLabel, String newLabel, Map<String, Set<String>> newHosts,
                           Set<String> newCategories, List<Exposure> movedBeforeConsent, Set<String> goneHosts,
                           List<String> verdicts) {
    public FirmwareDiff {
        Objects.requireNonNull(oldLabel, "oldLabel");
        Objects.requireNonNull(newLabel, "newLabel");
        newHosts = Map.copyOf(newHosts);
        newCategories = Set.copyOf(newCategories);
        movedBeforeConsent = List.copyOf(movedBeforeConsent);
        goneHosts = Set.copyOf(goneHosts);
        verdicts = List.copyOf(verdicts);
    }

    /** @param old and {@code neu}: the results of one handset (one firmware) each, any number of flows */
    public static FirmwareDiff between(String oldLabel, List<FlowResult> old, String newLabel, List<FlowResult> neu) {
        return compare(oldLabel, Exposure.of(old), verdictsOf(old), newLabel, Exposure.of(neu), verdictsOf(neu));
    }

    /** @param oldVerdicts and {@code newVerdicts}: flow -> PASS, FAIL or INCONCLUSIVE */
    public static FirmwareDiff compare(String oldLabel, Set<Exposure> before, Map<String, String> oldVerdicts,
                                       String newLabel, Set<Exposure> after, Map<String, String> newVerdicts) {
        Set<String> oldHosts = before.stream().map(Exposure::host).collect(Collectors.toSet());
        Map<String, Set<String>> newHosts = new TreeMap<>();
        after.stream().filter(e -> !oldHosts.contains(e.host()))
                .forEach(e -> newHosts.computeIfAbsent(e.host(), h -> new TreeSet<>()).add(e.category()));
        Set<String> oldCategories = before.stream().map(Exposure::category).collect(Collectors.toSet());
        Set<String> newCategories = after.stream().map(Exposure::category).filter(c -> !oldCategories.contains(c))
                .collect(Collectors.toCollection(TreeSet::new));
        List<Exposure> moved = after.stream().filter(Exposure::beforeConsent)
                .filter(e -> before.stream().anyMatch(o -> o.afterConsent() && o.flow().equals(e.flow())
                        && o.host().equals(e.host()) && o.category().equals(e.category()))
                        && before.stream().noneMatch(o -> o.beforeConsent() && o.flow().equals(e.flow())
                        && o.host().equals(e.host()) && o.category().equals(e.category())))
                .sorted(Exposure.ORDER).toList();
        Set<String> newHostNames = after.stream().map(Exposure::host).collect(Collectors.toSet());
        Set<String> gone = oldHosts.stream().filter(h -> !newHostNames.contains(h))
                .collect(Collectors.toCollection(TreeSet::new));
        return new FirmwareDiff(oldLabel, newLabel, newHosts, newCategories, moved, gone,
                verdicts(oldVerdicts, newVerdicts));
    }

    private static Map<String, String> verdictsOf(List<FlowResult> results) {
        Map<String, String> v = new TreeMap<>();
        results.forEach(r -> v.put(r.flow(), r.verdict().name()));
        return v;
    }

    private static List<String> verdicts(Map<String, String> o, Map<String, String> n) {
        Set<String> flows = new TreeSet<>(o.keySet());
        flows.addAll(n.keySet());
        List<String> out = new ArrayList<>();
        for (String f : flows) {
            out.add(f + ": " + o.getOrDefault(f, "not run") + " -> " + n.getOrDefault(f, "not run"));
        }
        return out;
    }

    /** New hosts, new data categories or data moved before consent: the new release exposes more than the old. */
    public boolean regressed() {
        return !newHosts.isEmpty() || !newCategories.isEmpty() || !movedBeforeConsent.isEmpty();
    }

    /** The diff for a person: what changed, plainly, regressions first. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("old: ").append(oldLabel).append('\n').append("new: ").append(newLabel).append("\n\n");
        s.append(regressed() ? "REGRESSED: the new release sends personal data the old one did not\n"
                : "no regression: the new release sends no personal data the old one did not\n");
        s.append("\nnew hosts receiving personal data:");
        if (newHosts.isEmpty()) {
            s.append(" none\n");
        } else {
            s.append('\n');
            new TreeMap<>(newHosts).forEach((h, cats) -> s.append("  + ").append(h).append(": ")
                    .append(String.join(", ", cats)).append('\n'));
        }
        s.append("new data categories sent:").append(newCategories.isEmpty() ? " none"
                : " " + String.join(", ", new TreeSet<>(newCategories))).append('\n');
        s.append("moved from after consent to before it:");
        if (movedBeforeConsent.isEmpty()) {
            s.append(" none\n");
        } else {
            s.append('\n');
            movedBeforeConsent.forEach(e -> s.append("  ! ").append(e.category()).append(" to ").append(e.host())
                    .append(" in ").append(e.flow()).append('\n'));
        }
        s.append("hosts no longer receiving personal data:").append(goneHosts.isEmpty() ? " none"
                : " " + String.join(", ", new TreeSet<>(goneHosts))).append('\n');
        s.append("verdicts:\n");
        verdicts.forEach(v -> s.append("  ").append(v).append('\n'));
        return s.toString();
    }
}
