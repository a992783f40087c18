package dev.consentry.verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A span of time in which the capture may not have seen what the handset sent: a health probe through the proxy
 * failed (proxy died or stalled). {@code from} is the last moment the capture was known healthy, {@code to} the first
 * moment it was again (or the end of the test, when it never recovered).
 */
public record CaptureGap(Instant from, Instant to, String why) {
    public CaptureGap {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        why = why == null ? "" : why;
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a gap ends after it starts: " + from + " > " + to);
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    @Override
    public String toString() {
        return "capture gap from " + from + " to " + to + " (" + Judge.seconds(length()) + "): " + why;
    }
}
