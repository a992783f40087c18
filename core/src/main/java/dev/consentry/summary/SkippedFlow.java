package dev.consentry.summary;

import java.util.Objects;

/**
 * A flow that did not run on a handset, and why (e.g. a stock build that drops ADB in the setup wizard). Kept apart
 * from the verdicts: a skip is neither a pass nor a doubt about a capture, but a reviewer must still see the gap.
 */
public record SkippedFlow(String device, String flow, String reason) {
    public SkippedFlow {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(reason, "reason");
    }
}
