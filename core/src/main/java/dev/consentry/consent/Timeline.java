package dev.consentry.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the test was doing when: each mark says from when a step (prep, first-boot, idle, cleanup) and a screen were
 * active. A captured flow is tagged with the mark in force when it was sent.
 */
public record Timeline(List<Mark> marks) {
    public static final Timeline EMPTY = new Timeline(List.of());

    /** From {@code at} on, {@code step} ran and {@code screen} showed (empty: no screen known yet in this step). */
    public record Mark(Instant at, String step, Optional<String> screen) {
        public Mark {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(step, "step");
            screen = screen == null ? Optional.empty() : screen;
        }
    }

    public Timeline {
        List<Mark> sorted = new ArrayList<>(marks);
        sorted.sort(Comparator.comparing(Mark::at));
        marks = List.copyOf(sorted);
    }

    public Timeline step(String step, Instant at) {
        return with(new Mark(at, step, Optional.empty()));
    }

    /** A screen reached within the step in force at {@code at}. */
    public Timeline screen(String screen, Instant at) {
        String step = at(at).map(Mark::step).orElse("");
        return with(new Mark(at, step, Optional.of(screen)));
    }

    private Timeline with(Mark m) {
        List<Mark> more = new ArrayList<>(marks);
        more.add(m);
        return new Timeline(more);
    }

    /** The mark in force at {@code at}: the last one made at or before it. */
    public Optional<Mark> at(Instant at) {
        Mark last = null;
        for (Mark m : marks) {
            if (m.at().isAfter(at)) {
                break;
            }
            last = m;
        }
        return Optional.ofNullable(last);
    }

    /** The last screen shown at or before {@code at}, in any step, and when it appeared. */
    public Optional<Mark> lastScreen(Instant at) {
        Mark last = null;
        for (Mark m : marks) {
            if (m.at().isAfter(at)) {
                break;
            }
            if (m.screen().isPresent()) {
                last = m;
            }
        }
        return Optional.ofNullable(last);
    }
}
