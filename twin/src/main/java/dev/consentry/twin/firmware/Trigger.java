package dev.consentry.twin.firmware;

import java.time.Duration;

/** When a traffic rule fires. Written in YAML as {@code boot}, {@code screen_entered:<screen>}, ... */
public sealed interface Trigger {
    record Boot() implements Trigger { }

    record ScreenEntered(String screen) implements Trigger { }

    record SetupComplete() implements Trigger { }

    /** A setting changed to the given state (from a wizard checkbox, when its screen is left). */
    record Toggle(String setting, boolean on) implements Trigger { }

    /** The address book changed (a contact inserted, imported or deleted), as a sync adapter would notice. */
    record ContactsChanged() implements Trigger { }

    /**
     * A SIM became ready (Android's {@code SIM_STATE_CHANGED} with state LOADED): at boot with a SIM in the tray, and
     * whenever one is inserted later.
     */
    record SimInserted() implements Trigger { }

    /** From boot on, every period, for as long as the handset runs. */
    record IdleEvery(Duration period) implements Trigger { }
}
