package dev.consentry.twin.firmware;

import java.util.List;

/** One wizard screen; {@code id} is what {@code screen_entered:<id>} triggers name. */
public record ScreenSpec(String id, String title, String text, List<ControlSpec> controls) {
    public ScreenSpec {
        controls = List.copyOf(controls);
    }
}
