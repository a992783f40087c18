package dev.consentry.pages;

import io.appium.java_client.android.AndroidDriver;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What every page object does with a driver: wait for a control, open an intent, take a screenshot. */
public final class Screens {
    private final AndroidDriver driver;
    private final Duration timeout;

    public Screens(AndroidDriver driver, Duration timeout) {
        this.driver = driver;
        this.timeout = timeout;
    }

    public AndroidDriver driver() {
        return driver;
    }

    /** Polls until the locator finds something; the error names every strategy tried and the screen shown. */
    public WebElement await(Locator locator) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<WebElement> e = locator.find(driver);
            if (e.isPresent()) {
                return e.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no " + locator + " within " + timeout + "; page source starts: "
                        + abbreviate(driver.getPageSource()));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** {@code mobile: startActivity} with an explicit component ("package/.Activity"). */
    public void start(String component) {
        driver.executeScript("mobile: startActivity", Map.of("intent", component));
    }

    /** {@code mobile: startActivity} for ACTION_VIEW on a file, as a file manager opens it. */
    public void view(String uri, String mimeType) {
        driver.executeScript("mobile: startActivity", Map.of("action", "android.intent.action.VIEW", "uri", uri,
                "mimeType", mimeType));
    }

    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    public static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the handset", e);
        }
    }
}
