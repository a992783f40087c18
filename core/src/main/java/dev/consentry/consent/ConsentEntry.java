package dev.consentry.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * One consent decision as it was made on screen.
 *
 * @param screen  the screen it was made on ("Mi Cloud")
 * @param step    the test step it was made in ("first-boot")
 * @param control the control's resource-id, for the evidence; empty when the decision had no control of its own
 */
public record ConsentEntry(String purpose, boolean granted, String screen, String step, String control, Instant at) {
    public ConsentEntry {
        String why = Purposes.invalid(purpose);
        if (why != null) {
            throw new IllegalArgumentException(why + ", got \"" + purpose + "\"");
        }
        Objects.requireNonNull(at, "at");
        screen = screen == null ? "" : screen;
        step = step == null ? "" : step;
        control = control == null ? "" : control;
    }

    public String decision() {
        return granted ? "granted" : "declined";
    }
}
