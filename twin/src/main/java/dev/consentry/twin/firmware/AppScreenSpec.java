package dev.consentry.twin.firmware;

import java.util.Optional;

/**
 * A screen of an app outside the setup wizard (the contacts app, a cloud settings page, a confirmation dialog),
 * reached by an intent: explicitly by {@code package/activity}, or for a dialog that handles VIEW on a MIME type, by
 * that type. {@code screen.id()} is what {@code screen_entered:<id>} triggers name.
 *
 * @param dialog       drawn as an AlertDialog: title, message and buttons carry {@code android:id/...} ids
 * @param viewType     the MIME type this screen handles for {@code android.intent.action.VIEW}, if any
 * @param listContacts the screen lists the address book (name rows), as a contacts app's main screen does
 */
public record AppScreenSpec(ScreenSpec screen, String packageName, String activity, boolean dialog,
                            Optional<String> viewType, boolean listContacts) {
    public String id() {
        return screen.id();
    }

    /** The component as {@code am start -n} writes it, with the activity's class name in full. */
    public String component() {
        return packageName + "/" + (activity.startsWith(".") ? packageName + activity : activity);
    }
}
