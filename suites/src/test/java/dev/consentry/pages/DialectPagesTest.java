package dev.consentry.pages;

import dev.consentry.profile.UiDialect;
import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dialect's page objects against its virtual handset, without Grid or capture: the wizard walked to the
 * launcher with every consent declined, a vCard imported through the contacts app, every cloud switch turned off. The
 * handset's own settings say whether the choices really took.
 */
class DialectPagesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ParameterizedTest
    @CsvSource({
            "redmi-1s-miui5-2014-08, MIUI, com.miui.home, cloud_messaging, 3",
            "redmi-note-8-miui12, MIUI, com.miui.home, user_experience, 2",
            "pixel-8-android14, AOSP, com.google.android.apps.nexuslauncher, usage_diagnostics, 3",
            "galaxy-s23-oneui6, ONE_UI, com.sec.android.app.launcher, usage_diagnostics, 3"})
    void wizardContactsAndCloudOnEachDialect(String firmware, UiDialect dialect, String launcher, String setting,
                                             int consents) throws Exception {
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware).withSerial("s-" + firmware)
                .start()) {
            AndroidDriver driver = new AndroidDriver(twin.uri().toURL(),
                    new UiAutomator2Options().setUdid("s-" + firmware));
            try {
                List<String> screens = new ArrayList<>();
                FlowRecorder recorder = new FlowRecorder() {
                    @Override
                    public void screen(String name, byte[] screenshot) {
                        screens.add(name);
                    }

                    @Override
                    public void consent(ConsentDecision decision) {
                    }
                };
                DialectPages pages = new DialectPages(dialect, driver, recorder, TIMEOUT);

                List<ConsentDecision> wizard = pages.completeSetupWizardDecliningEverything();
                assertThat(wizard).hasSize(consents).noneMatch(ConsentDecision::granted);
                assertThat(screens).last().isEqualTo("home");
                assertThat(driver.getPageSource()).contains("package=\"" + launcher + "\"");
                assertThat(shell(driver, "settings", "get", "secure", setting)).isEqualTo("0");
                assertThat(shell(driver, "settings", "get", "global", "device_provisioned")).isEqualTo("1");

                driver.executeScript("mobile: pushFile", Map.of("remotePath", "/sdcard/Download/c.vcf", "payload",
                        Base64.getEncoder().encodeToString(("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Canary Meera 4242\r\n"
                                + "TEL;TYPE=CELL:+919876501234\r\nEND:VCARD\r\n").getBytes(StandardCharsets.UTF_8))));
                pages.contacts().importVcard("/sdcard/Download/c.vcf", List.of("Canary Meera 4242"), TIMEOUT);
                assertThat(shell(driver, "content", "query", "--uri", "content://com.android.contacts/data"))
                        .contains("data1=+919876501234");

                List<ConsentDecision> cloud = pages.cloud().switchEverythingOff();
                assertThat(cloud).isNotEmpty().noneMatch(ConsentDecision::granted);
                for (ConsentDecision d : cloud) {
                    assertThat(driver.getPageSource()).containsPattern("checked=\"false\"[^>]*resource-id=\""
                            + d.control() + "\"");
                }
            } finally {
                driver.quit();
            }
        }
    }

    private static String shell(AndroidDriver driver, String command, String... args) {
        return String.valueOf(driver.executeScript("mobile: shell", Map.of("command", command, "args",
                List.of(args)))).trim();
    }
}
