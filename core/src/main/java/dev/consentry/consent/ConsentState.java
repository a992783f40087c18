package dev.consentry.consent;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which purposes stood granted and which declined at one moment; a purpose in neither was never asked. */
public record ConsentState(SortedSet<String> granted, SortedSet<String> declined) {
    public static final ConsentState NONE = of(java.util.List.of(), java.util.List.of());

    public ConsentState {
        granted = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(granted));
        declined = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(declined));
    }

    public static ConsentState of(Collection<String> granted, Collection<String> declined) {
        return new ConsentState(new TreeSet<>(granted), new TreeSet<>(declined));
    }

    @Override
    public String toString() {
        return "granted " + (granted.isEmpty() ? "none" : String.join(", ", granted)) + "; declined "
                + (declined.isEmpty() ? "none" : String.join(", ", declined));
    }
}
