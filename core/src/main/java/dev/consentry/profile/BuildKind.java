package dev.consentry.profile;

import java.util.Optional;

/**
 * What kind of build the handset runs, and whether that lets the lab drive the setup wizard. A factory reset wipes
 * ADB authorisation and stock builds keep USB debugging off until the wizard ends, so only builds that keep ADB
 * through the wizard (userdebug or vendor test builds, rooted images that force adbd on) can run the first-boot flow.
 *
 * @param type             "user", "userdebug" or "eng"
 * @param adbThroughWizard the handset answers ADB (and so Appium) while the setup wizard shows
 * @param note             why, in words, for the report when first boot is skipped
 */
public record BuildKind(String type, boolean adbThroughWizard, Optional<String> note) {
    public String skipReason() {
        return "this " + type + " build does not keep ADB through the setup wizard, so the first-boot flow cannot be"
                + " driven" + note.map(n -> " (" + n + ")").orElse("");
    }
}
