package dev.consentry.twin;

import io.appium.java_client.AppiumBy;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real Appium Java client drives a twin as it would a handset behind Appium 3. */
class AppiumClientCompatibilityTest {
    private VirtualHandset twin;
    private AndroidDriver driver;

    @BeforeEach
    void start() throws Exception {
        twin = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014-08").withSerial("redmi1s-2014-08")
                .withPort(0).start();
        driver = new AndroidDriver(twin.uri().toURL(), options("redmi1s-2014-08"));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        twin.close();
    }

    private static UiAutomator2Options options(String udid) {
        UiAutomator2Options o = new UiAutomator2Options().setUdid(udid).setSystemPort(8202).setNoReset(true)
                .setNewCommandTimeout(Duration.ofMinutes(1));
        o.setCapability("lab:profile", "redmi-1s-miui5-2014-08");
        return o;
    }

    @Test
    void findsClicksAndReadsAttributes() {
        assertThat(driver.findElement(AppiumBy.id("com.android.provision:id/title")).getText()).isEqualTo("Language");
        driver.findElement(AppiumBy.id("next_button")).click();
        assertThat(driver.findElement(By.xpath("//*[@resource-id='com.android.provision:id/title']")).getText())
                .isEqualTo("Region");
        driver.findElement(By.xpath("//*[@package='com.android.provision' and @text='Next']")).click();
        driver.findElement(AppiumBy.id("com.android.provision:id/skip_button")).click();
        driver.findElement(AppiumBy.id("com.android.provision:id/skip_button")).click();

        WebElement box = driver.findElement(AppiumBy.id("com.android.provision:id/cloud_messaging_checkbox"));
        assertThat(box.getAttribute("checked")).isEqualTo("false");
        assertThat(box.getAttribute("class")).isEqualTo("android.widget.CheckBox");
        assertThat(box.getAttribute("resource-id")).isEqualTo("com.android.provision:id/cloud_messaging_checkbox");
        assertThat(box.isDisplayed()).isTrue();
        assertThat(box.isEnabled()).isTrue();
        assertThat(box.getRect().getWidth()).isPositive();
        box.click();
        assertThat(driver.findElement(By.xpath("//android.widget.CheckBox[@text='Cloud Messaging']"))
                .getAttribute("checked")).isEqualTo("true");
        assertThat(driver.findElements(AppiumBy.id("com.android.provision:id/no_such_thing"))).isEmpty();
        assertThatThrownBy(() -> driver.findElement(AppiumBy.accessibilityId("nothing")))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(driver.getPageSource()).contains("<hierarchy", "cloud_messaging_checkbox", "checked=\"true\"");
    }

    @Test
    void screenshotIsAPngOfTheScreen() throws Exception {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(720);
        assertThat(img.getHeight()).isEqualTo(1280);
        // Something was drawn where the title is (not just background).
        boolean dark = false;
        for (int x = 48; x < 400 && !dark; x++) {
            for (int y = 120; y < 220 && !dark; y++) {
                dark = (img.getRGB(x, y) & 0xff) < 0x80;
            }
        }
        assertThat(dark).as("title text drawn").isTrue();
    }

    @Test
    void mobileShellAndFiles() {
        Object out = driver.executeScript("mobile: shell",
                Map.of("command", "getprop", "args", List.of("ro.build.fingerprint")));
        assertThat(out.toString().trim()).isEqualTo("Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH42.0:user/release-keys");
        driver.executeScript("mobile: pushFile", Map.of("remotePath", "/sdcard/x.txt", "payload", "aGVsbG8="));
        assertThat(driver.executeScript("mobile: pullFile", Map.of("remotePath", "/sdcard/x.txt")))
                .isEqualTo("aGVsbG8=");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) driver.executeScript("mobile: deviceInfo", Map.of());
        assertThat(info).containsEntry("model", "Redmi 1S").containsEntry("realDisplaySize", "720x1280");
    }

    @Test
    void onlyOneSessionAndOnlyTheRightUdid() throws Exception {
        assertThatThrownBy(() -> new AndroidDriver(twin.uri().toURL(), options("redmi1s-2014-08")))
                .isInstanceOf(SessionNotCreatedException.class).hasMessageContaining("still running");
        driver.quit();
        driver = null;
        assertThatThrownBy(() -> new AndroidDriver(twin.uri().toURL(), options("someone-else")))
                .isInstanceOf(SessionNotCreatedException.class)
                .hasMessageContaining("Device someone-else was not in the list of connected devices");
        driver = new AndroidDriver(twin.uri().toURL(), options("redmi1s-2014-08"));
        assertThat(driver.getSessionId()).isNotNull();
    }
}
