package dev.consentry.prep;

import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Test Harness Mode's reset over Appium sessions, against virtual handsets that answer it as handsets do. */
class TestHarnessResetTest {
    private static final Path PROFILES = Path.of("..", "device-profiles");
    private static final Duration SHELL = Duration.ofSeconds(10);

    /** Sessions straight to a twin's Appium endpoint (the lab goes through the Grid; the calls are the same). */
    private static TestHarnessReset.Sessions<AndroidDriver> sessions(URI uri, String udid, AtomicInteger opened) {
        return new TestHarnessReset.Sessions<>() {
            @Override
            public AndroidDriver open() {
                try {
                    AndroidDriver d = new AndroidDriver(uri.toURL(), new UiAutomator2Options().setUdid(udid));
                    opened.incrementAndGet();
                    return d;
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Shell shell(AndroidDriver session) {
                return new AppiumShell(session, SHELL);
            }

            @Override
            public void close(AndroidDriver session) {
                try {
                    session.quit();
                } catch (RuntimeException e) {
                    // the handset rebooted under it
                }
            }
        };
    }

    @Test
    void resetsAnAndroid14HandsetAndHandsBackASessionOnTheNewBoot() throws Exception {
        DeviceProfile profile = DeviceProfileLoader.load(PROFILES.resolve("pixel-8-android14.yaml"));
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware("pixel-8-android14")
                .withSerial(profile.udid()).withSetupCompleted(true).withRebootTime(Duration.ofMillis(800)).start()) {
            AtomicInteger opened = new AtomicInteger();
            var sessions = sessions(twin.uri(), profile.udid(), opened);
            AndroidDriver first = sessions.open();
            Shell before = new AppiumShell(first, SHELL);
            before.run("settings", "put", "global", "http_proxy", "127.0.0.1:9");
            String bootBefore = before.run("cat", TestHarnessReset.BOOT_ID).trim();

            AndroidDriver back = new TestHarnessReset<>(sessions, profile, Duration.ofSeconds(20),
                    Duration.ofMillis(100)).reset(first);
            try {
                Shell after = new AppiumShell(back, SHELL);
                assertThat(after.run("cat", TestHarnessReset.BOOT_ID).trim()).isNotEqualTo(bootBefore);
                assertThat(after.run("settings", "get", "global", "http_proxy").trim()).isEqualTo("null");
                assertThat(after.run("settings", "get", "global", "device_provisioned").trim()).isEqualTo("1");
                assertThat(after.run("settings", "get", "secure", "android_id").trim())
                        .isEqualTo(twin.identity().androidId());
                assertThat(opened.get()).as("sessions opened: the first, then until the handset was back")
                        .isGreaterThanOrEqualTo(2);
            } finally {
                back.quit();
            }
        }
    }

    @Test
    void aHandsetWithoutTheCommandIsReportedWithTheProfileField() throws Exception {
        // A 4.4 handset: the profile loader already refuses reset: test-harness there; this is the handset's answer.
        DeviceProfile profile = DeviceProfileLoader.load(PROFILES.resolve("redmi-1s-miui5-2014.yaml"));
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014")
                .withSerial(profile.udid()).start()) {
            var sessions = sessions(twin.uri(), profile.udid(), new AtomicInteger());
            assertThatThrownBy(() -> new TestHarnessReset<>(sessions, profile, Duration.ofSeconds(5),
                    Duration.ofMillis(100)).reset(sessions.open()))
                    .isInstanceOf(PrepException.class)
                    .hasMessageContaining("`cmd testharness enable` did not reset " + profile.udid())
                    .hasMessageContaining("cmd: not found")
                    .hasMessageEndingWith(profile.source() + ": reset)");
            // The session it ran in was closed: a new one can start.
            sessions.close(sessions.open());
        }
    }

    @Test
    void aHandsetThatNeverComesBackTimesOutWithTheLastReason() {
        DeviceProfile profile = DeviceProfileLoader.load(PROFILES.resolve("pixel-8-android14.yaml"));
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        TestHarnessReset.Sessions<String> gone = new TestHarnessReset.Sessions<>() {
            @Override
            public String open() {
                attempts.incrementAndGet();
                throw new IllegalStateException("Device pixel8-android14 was not in the list of connected devices");
            }

            @Override
            public Shell shell(String session) {
                return (cmd, args) -> cmd.equals("cat") ? "0f0e0d0c-0b0a-0908-0706-050403020100\n" : "";
            }

            @Override
            public void close(String session) {
                closed.incrementAndGet();
            }
        };
        assertThatThrownBy(() -> new TestHarnessReset<>(gone, profile, Duration.ofMillis(500), Duration.ofMillis(50))
                .reset("s1"))
                .isInstanceOf(PrepException.class)
                .hasMessageContaining("pixel8-android14 was not back from Test Harness Mode's reset within 500 ms")
                .hasMessageContaining("last: Device pixel8-android14 was not in the list of connected devices")
                .hasMessageEndingWith("pixel-8-android14.yaml: reset)");
        assertThat(closed.get()).as("the session the command ran in").isEqualTo(1);
        assertThat(attempts.get()).isBetween(2, 20);
    }
}
