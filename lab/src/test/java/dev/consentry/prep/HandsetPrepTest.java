package dev.consentry.prep;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prep and cleanup against a virtual handset's shell, exactly the commands a lab handset gets. */
class HandsetPrepTest {
    private static final Path PROFILES = Path.of("..", "device-profiles");
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @FunctionalInterface
    interface OnHandset {
        void run(VirtualHandset twin, AndroidDriver driver, DeviceProfile profile) throws Exception;
    }

    /** Runs {@code body} in a session on a set-up virtual handset of {@code firmware} with the profile's udid. */
    private static void onHandset(String firmware, String profileName, OnHandset body) throws Exception {
        DeviceProfile profile = DeviceProfileLoader.load(PROFILES.resolve(profileName + ".yaml"));
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware).withSerial(profile.udid())
                .withSetupCompleted(true).start()) {
            AndroidDriver driver = new AndroidDriver(twin.uri().toURL(), new UiAutomator2Options()
                    .setUdid(profile.udid()));
            try {
                body.run(twin, driver, profile);
            } finally {
                driver.quit();
            }
        }
    }

    @Test
    void cleanupRemovesWhatPrepAndTheFlowAddedAndSaysTheHandsetIsBack() throws Exception {
        onHandset("redmi-note-8-miui12", "redmi-note-8-miui12", (twin, driver, profile) -> {
            HandsetPrep prep = prep(driver, profile, new AppiumShell(driver, Duration.ofSeconds(10)));
            HandsetState before = prep.state();
            PreparedHandset prepared = prep.prepare(plan());
            // Android 10 reads: IMEI by service call, the Android ID, serial and Wi-Fi MAC as the profile says.
            assertThat(prepared.canaries()).extracting(Canary::kind).contains(CanaryKind.IMEI,
                    CanaryKind.PHONE_NUMBER, CanaryKind.ANDROID_ID, CanaryKind.SERIAL, CanaryKind.WIFI_MAC);
            assertThat(prepared.canaries()).contains(new Canary(CanaryKind.WIFI_MAC, twin.identity().wifiMac(),
                    "read: cat /sys/class/net/wlan0/address"));
            assertThat(prepared.canaries()).contains(new Canary(CanaryKind.IMEI, twin.identity().imei(),
                    "read: service call iphonesubinfo 1 s16 com.android.shell"));
            // What a flow adds on top: an imported contact and the vCard it came from.
            driver.executeScript("mobile: pushFile", Map.of("remotePath", "/sdcard/Download/x.vcf", "payload",
                    Base64.getEncoder().encodeToString("BEGIN:VCARD\nFN:A B\nTEL:+919800011122\nEND:VCARD\n"
                            .getBytes(StandardCharsets.UTF_8))));
            driver.executeScript("mobile: startActivity", Map.of("action", "android.intent.action.VIEW",
                    "uri", "file:///sdcard/Download/x.vcf", "mimeType", "text/x-vcard"));
            driver.findElement(io.appium.java_client.AppiumBy.id("android:id/button1")).click();
            assertThat(prep.state().rawContactIds()).hasSize(4);

            RestoreReport report = prep.restore(prepared);
            assertThat(report.leftovers()).isEmpty();
            assertThat(prep.state()).isEqualTo(before);
        });
    }

    @Test
    void whatCleanupCouldNotUndoIsReportedOneByOne() throws Exception {
        onHandset("redmi-1s-miui5-2014", "redmi-1s-miui5-2014", (twin, driver, profile) -> {
            AppiumShell real = new AppiumShell(driver, Duration.ofSeconds(10));
            // A handset whose rm and contact deletion silently do nothing (a read-only store, a provider that
            // refuses deletes): cleanup must say so instead of assuming.
            Shell stubborn = (command, args) -> command.equals("rm")
                    || (command.equals("content") && args[0].equals("delete")) ? "" : real.run(command, args);
            HandsetPrep prep = prep(driver, profile, stubborn);
            PreparedHandset prepared = prep.prepare(plan());
            RestoreReport report = prep.restore(prepared);
            assertThat(report.clean()).isFalse();
            assertThat(report.leftovers()).anySatisfy(l -> assertThat(l).startsWith("trust store has ["))
                    .anySatisfy(l -> assertThat(l).startsWith("canary contacts still present: raw_contacts"))
                    .noneSatisfy(l -> assertThat(l).contains("proxy"));
        });
    }

    @Test
    void miuiPrecheckStopsPrepWithTheReasonBeforeAnythingChanges() throws Exception {
        // The Note 8 profile's precheck against a handset where "USB debugging (Security settings)" is off.
        onHandset("redmi-1s-miui5-2014", "redmi-note-8-miui12", (twin, driver, profile) -> {
            AppiumShell shell = new AppiumShell(driver, Duration.ofSeconds(10));
            HandsetPrep prep = prep(driver, profile, shell);
            assertThatThrownBy(() -> prep.prepare(plan())).isInstanceOf(PrepException.class)
                    .hasMessageContaining("USB debugging (Security settings)")
                    .hasMessageContaining("`getprop persist.security.adbinput` printed '', expected '1'");
            assertThat(shell.run("settings", "get", "global", "http_proxy").trim()).isEqualTo("null");
        });
    }

    @Test
    void anIdentifierThatCannotBeItsKindStopsPrepNamingTheCommandAndWhatItPrinted() throws Exception {
        onHandset("redmi-note-8-miui12", "redmi-note-8-miui12", (twin, driver, profile) -> {
            AppiumShell real = new AppiumShell(driver, Duration.ofSeconds(10));
            // Android 8+ gives "unknown" for the serial to a caller without READ_PRIVILEGED_PHONE_STATE: searched
            // for, that word would be found in every other request.
            Shell restricted = (command, args) -> command.equals("getprop") && args[0].equals("ro.serialno")
                    ? "unknown\n" : real.run(command, args);
            HandsetPrep prep = prep(driver, profile, restricted);
            assertThatThrownBy(() -> prep.prepare(plan())).isInstanceOf(PrepException.class)
                    .hasMessageStartingWith("read serial with `getprop ro.serialno` (parse trim, from ")
                    .hasMessageContaining("redmi-note-8-miui12.yaml), but serial canary \"unknown\" is too common"
                            + " to match safely")
                    .hasMessageEndingWith("; the handset printed: unknown");
        });
    }

    private static HandsetPrep prep(AndroidDriver driver, DeviceProfile profile, Shell shell) {
        return new HandsetPrep(shell, (path, bytes) -> driver.executeScript("mobile: pushFile",
                Map.of("remotePath", path, "payload", Base64.getEncoder().encodeToString(bytes))), profile);
    }

    private static PrepPlan plan() {
        return new PrepPlan("127.0.0.1:9", PEM, "1a2b3c4d.0", CanaryContact.generate(3, new Random(7)));
    }

}
