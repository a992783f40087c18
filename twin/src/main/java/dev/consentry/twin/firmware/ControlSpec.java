package dev.consentry.twin.firmware;

import java.util.Optional;

/**
 * A control on a wizard screen. A checkbox with a {@code setting} turns into that setting when the user leaves the
 * screen, which is the moment real wizards commit their choices.
 */
public record ControlSpec(ControlType type, String id, String text, boolean checked, Optional<String> setting,
                          ControlAction action) {
    public enum ControlType { BUTTON, CHECKBOX }

    public enum ControlAction { NONE, NEXT, FINISH }
}
