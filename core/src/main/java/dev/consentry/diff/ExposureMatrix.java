package dev.consentry.diff;

import dev.consentry.verdict.FlowResult;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * For one firmware (one handset's results): which data category reached which destination in which consent state.
 * What a vendor certifying a release reads first.
 *
 * @param cells host -> category -> consent states it was sent in ("before_consent", "allowed", ...)
 */
public record ExposureMatrix(String device, SortedSet<String> hosts, SortedSet<String> categories,
                             Map<String, Map<String, SortedSet<String>>> cells) {
    public static ExposureMatrix of(String device, List<FlowResult> results) {
        return of(device, Exposure.of(results));
    }

    public static ExposureMatrix of(String device, Set<Exposure> exposures) {
        SortedSet<String> hosts = new TreeSet<>();
        SortedSet<String> categories = new TreeSet<>();
        Map<String, Map<String, SortedSet<String>>> cells = new TreeMap<>();
        for (Exposure e : exposures) {
            hosts.add(e.host());
            categories.add(e.category());
            cells.computeIfAbsent(e.host(), h -> new TreeMap<>())
                    .computeIfAbsent(e.category(), c -> new TreeSet<>()).add(e.consent());
        }
        return new ExposureMatrix(device, hosts, categories, cells);
    }

    /** The consent states {@code category} reached {@code host} in; empty when it did not. */
    public SortedSet<String> cell(String host, String category) {
        return cells.getOrDefault(host, Map.of()).getOrDefault(category, new TreeSet<>());
    }

    public boolean empty() {
        return hosts.isEmpty();
    }
}
