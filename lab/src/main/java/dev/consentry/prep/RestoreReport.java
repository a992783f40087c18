package dev.consentry.prep;

import java.util.List;

/** After cleanup: what is still not as it was before the run. Empty means the handset is back to its state. */
public record RestoreReport(List<String> leftovers) {
    public RestoreReport {
        leftovers = List.copyOf(leftovers);
    }

    public boolean clean() {
        return leftovers.isEmpty();
    }
}
