package dev.consentry.suite;

import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.PrepException;
import dev.consentry.prep.Shell;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;

import java.net.MalformedURLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's once-per-handset precheck against virtual handsets with MIUI's setting on and off. */
class HandsetPrechecksTest {
    private static final Path PROFILES = Path.of("..", "device-profiles");

    @Test
    void checksOnlyHandsetsWithAPrecheckOnceAndNamesTheOneThatFails() {
        DeviceProfile note8 = DeviceProfileLoader.load(PROFILES.resolve("redmi-note-8-miui12.yaml"));
        DeviceProfile pixel = DeviceProfileLoader.load(PROFILES.resolve("pixel-8-android14.yaml"));
        List<String> opened = new ArrayList<>();
        // The Note 8 profile on a handset whose MIUI has "USB debugging (Security settings)" on, then on one without
        // the setting (a 2014 firmware answers the getprop with nothing).
        for (String firmware : List.of("redmi-note-8-miui12", "redmi-1s-miui5-2014")) {
            try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware).withSerial(note8.udid())
                    .withSetupCompleted(true).start()) {
                Map<String, String> failed = HandsetPrechecks.check(List.of(note8, pixel), p -> {
                    opened.add(p.name());
                    AndroidDriver driver = driver(twin, p);
                    return new HandsetPrechecks.Session() {
                        @Override
                        public Shell shell() {
                            return new AppiumShell(driver, Duration.ofSeconds(10));
                        }

                        @Override
                        public void close() {
                            driver.quit();
                        }
                    };
                });
                if (firmware.equals("redmi-note-8-miui12")) {
                    assertThat(failed).isEmpty();
                } else {
                    assertThat(failed).containsOnlyKeys("redmi-note-8-miui12");
                    assertThat(failed.get("redmi-note-8-miui12")).contains("USB debugging (Security settings)")
                            .contains("`getprop persist.security.adbinput` printed '', expected '1'")
                            .endsWith("redmi-note-8-miui12.yaml: precheck)");
                    // Flows of that handset fail at once with the same message.
                    assertThat(HandsetPrechecks.failure(failed, "redmi-note-8-miui12")).contains(
                            failed.get("redmi-note-8-miui12"));
                    assertThat(HandsetPrechecks.failure(failed, "pixel-8-android14")).isEmpty();
                }
                // The session is closed: the flows can open theirs.
                driver(twin, note8).quit();
            }
        }
        assertThat(opened).as("only the handset with a precheck, once per check").containsExactly(
                "redmi-note-8-miui12", "redmi-note-8-miui12");
    }

    @Test
    void aHandsetWithoutASessionIsLeftToItsFlowsAndOutsideASuiteNothingIsRequired() {
        DeviceProfile note8 = DeviceProfileLoader.load(PROFILES.resolve("redmi-note-8-miui12.yaml"));
        assertThat(HandsetPrechecks.check(List.of(note8), p -> {
            throw new IllegalStateException("Could not find a connected Android device in 20000ms");
        })).isEmpty();
        HandsetPrechecks.requirePassed("redmi-note-8-miui12");
        // A shell refused (Appium without adb_shell) is as clear a reason as a failed check.
        assertThat(HandsetPrechecks.check(List.of(note8), p -> {
            throw new PrepException("mobile: shell `getprop` failed (start Appium with --allow-insecure "
                    + "uiautomator2:adb_shell)");
        })).containsEntry("redmi-note-8-miui12", "mobile: shell `getprop` failed (start Appium with "
                + "--allow-insecure uiautomator2:adb_shell)");
    }

    private static AndroidDriver driver(VirtualHandset twin, DeviceProfile p) {
        try {
            return new AndroidDriver(twin.uri().toURL(), new UiAutomator2Options().setUdid(p.udid()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
