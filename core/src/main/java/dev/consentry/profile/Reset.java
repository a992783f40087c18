package dev.consentry.profile;

/** How the lab puts a handset back to a known state between the flows that follow first boot. */
public enum Reset {
    /** Prep's own cleanup only (proxy, CA, canary contacts removed and checked). */
    NONE,
    /**
     * {@code cmd testharness enable} (Android 10+) before contact import and cloud opt-out: a factory reset that
     * keeps the adb keys and skips the setup wizard, so it never stands in for first boot.
     */
    TEST_HARNESS;

    /** Android's first release with Test Harness Mode. */
    public static final int TEST_HARNESS_SINCE_ANDROID = 10;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
