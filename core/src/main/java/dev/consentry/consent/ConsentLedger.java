package dev.consentry.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every consent decision of one test, in the order made. A later decision on the same purpose replaces an earlier
 * one from its time on (a user who unchecks a box after checking it has declined).
 */
public record ConsentLedger(List<ConsentEntry> entries) {
    public static final ConsentLedger EMPTY = new ConsentLedger(List.of());

    public ConsentLedger {
        List<ConsentEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(ConsentEntry::at)); // stable: same-instant entries keep their order
        entries = List.copyOf(sorted);
    }

    public ConsentLedger with(ConsentEntry entry) {
        List<ConsentEntry> more = new ArrayList<>(entries);
        more.add(entry);
        return new ConsentLedger(more);
    }

    /** The decision on {@code purpose} in force at {@code at} (made at or before it), if any was made. */
    public Optional<ConsentEntry> decisionAt(String purpose, Instant at) {
        ConsentEntry last = null;
        for (ConsentEntry e : entries) {
            if (e.at().isAfter(at)) {
                break;
            }
            if (e.purpose().equals(purpose)) {
                last = e;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The first decision on {@code purpose} made after {@code at}: "sent 0.4 s before Cloud Messaging was asked". */
    public Optional<ConsentEntry> firstAfter(String purpose, Instant at) {
        return entries.stream().filter(e -> e.purpose().equals(purpose) && e.at().isAfter(at)).findFirst();
    }

    public ConsentState stateAt(Instant at) {
        Map<String, Boolean> state = new LinkedHashMap<>();
        for (ConsentEntry e : entries) {
            if (e.at().isAfter(at)) {
                break;
            }
            state.put(e.purpose(), e.granted());
        }
        return ConsentState.of(state.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList(),
                state.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList());
    }
}
