package dev.consentry.pages.miui;

import dev.consentry.pages.Locator;
import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import io.appium.java_client.android.AndroidDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks MIUI's first-boot wizard to the home screen, granting or declining each optional consent on the way and
 * reporting every decision to the recorder as it is made (the consent ledger).
 */
public final class MiuiSetupWizard {
    private static final By HOME = By.xpath("//*[@package='com.miui.home']");
    private static final int MAX_SCREENS = 20;

    private final AndroidDriver driver;
    private final FlowRecorder recorder;
    private final Duration screenTimeout;

    public MiuiSetupWizard(AndroidDriver driver, FlowRecorder recorder, Duration screenTimeout) {
        this.driver = driver;
        this.recorder = recorder;
        this.screenTimeout = screenTimeout;
    }

    /** @return the consent decisions made, in order */
    public List<ConsentDecision> completeDecliningEverything() {
        return complete(Set.of());
    }

    /**
     * Walks the wizard granting the purposes in {@code grant} and declining every other optional consent.
     *
     * @return the consent decisions made, in order
     */
    public List<ConsentDecision> complete(Set<String> grant) {
        List<ConsentDecision> decisions = new ArrayList<>();
        MiuiWizardScreen previous = null;
        for (int i = 0; i < MAX_SCREENS; i++) {
            Optional<MiuiWizardScreen> screen = awaitNextScreen(previous);
            if (screen.isEmpty()) {
                recorder.screen("home", screenshot());
                return decisions;
            }
            MiuiWizardScreen s = screen.get();
            for (MiuiWizardScreen.Consent consent : s.consents) {
                decisions.add(decide(s, consent, grant.contains(consent.purpose())));
            }
            recorder.screen(s.title, screenshot());
            click(s.advance());
            previous = s;
        }
        throw new IllegalStateException("the setup wizard did not reach the home screen after " + MAX_SCREENS
                + " screens");
    }

    /**
     * Polls until a wizard screen other than the one just left is showing (empty when the home screen is), so a slow
     * transition is not mistaken for the same screen twice.
     */
    private Optional<MiuiWizardScreen> awaitNextScreen(MiuiWizardScreen previous) {
        Instant deadline = Instant.now().plus(screenTimeout);
        String lastTitle = null;
        while (true) {
            if (!driver.findElements(HOME).isEmpty()) {
                return Optional.empty();
            }
            List<WebElement> titles = driver.findElements(MiuiWizardScreen.TITLE);
            if (!titles.isEmpty()) {
                lastTitle = titles.get(0).getText();
                Optional<MiuiWizardScreen> s = MiuiWizardScreen.byTitle(lastTitle);
                if (s.isPresent() && s.get() != previous) {
                    return s;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no known MIUI wizard screen and no home screen within " + screenTimeout
                        + (lastTitle == null ? "" : "; last title seen: '" + lastTitle + "'")
                        + "; page source starts: " + abbreviate(driver.getPageSource()));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private ConsentDecision decide(MiuiWizardScreen screen, MiuiWizardScreen.Consent consent, boolean grant) {
        Locator locator = consent.locator();
        WebElement box = locator.find(driver).orElseThrow(() -> new IllegalStateException(
                "screen '" + screen.title + "' should offer " + locator + " but it is not there"));
        if (Boolean.parseBoolean(box.getAttribute("checked")) != grant) {
            box.click();
        }
        WebElement after = locator.find(driver).orElseThrow();
        // The ledger records what the screen shows after the click, not what was intended.
        boolean granted = Boolean.parseBoolean(after.getAttribute("checked"));
        if (granted != grant) {
            throw new IllegalStateException("could not " + (grant ? "grant " : "decline ") + consent.purpose()
                    + " on '" + screen.title + "': the checkbox stays " + (granted ? "checked" : "unchecked"));
        }
        ConsentDecision d = new ConsentDecision(consent.purpose(), granted, screen.title, consent.resourceId(),
                Instant.now());
        recorder.consent(d);
        return d;
    }

    private void click(Locator locator) {
        locator.find(driver).orElseThrow(() -> new IllegalStateException("cannot find " + locator)).click();
    }

    private byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    private static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the wizard", e);
        }
    }
}
