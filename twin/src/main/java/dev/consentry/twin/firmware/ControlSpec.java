package dev.consentry.twin.firmware;

import java.util.Optional;

/**
 * A control on a screen. In the setup wizard a checkbox or switch with a {@code setting} turns into that setting when
 * the user leaves the screen, which is the moment real wizards commit their choices; on a settings screen a switch
 * commits when it is tapped, as Android's preference switches do.
 */
public record ControlSpec(ControlType type, String id, String text, boolean checked, Optional<String> setting,
                          ControlAction action) {
    public enum ControlType { BUTTON, CHECKBOX, SWITCH }

    public boolean toggles() {
        return type != ControlType.BUTTON;
    }

    /** NEXT/FINISH move through the wizard; BACK leaves an app screen; IMPORT_VCARD imports the viewed vCard. */
    public enum ControlAction { NONE, NEXT, FINISH, BACK, IMPORT_VCARD }
}
