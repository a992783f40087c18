package dev.consentry.twin.device;

/** Something that happened on the handset that firmware behaviour may react to. */
public sealed interface DeviceEvent {
    record Booted() implements DeviceEvent { }

    record ScreenEntered(String screen) implements DeviceEvent { }

    record SetupCompleted() implements DeviceEvent { }

    record ContactsChanged() implements DeviceEvent { }

    /** The SIM became ready: found at boot, or inserted while the handset runs. */
    record SimInserted() implements DeviceEvent { }

    record SettingChanged(String setting, boolean on) implements DeviceEvent { }
}
