package dev.consentry.pages;

import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a setup wizard described as data ({@link Wizard}) to the launcher, declining (or granting, when asked) each
 * optional consent and reporting every decision to the recorder as it is made. Screens
 * are recognised by title, not assumed in order, because builds add and drop screens.
 */
public final class WizardWalker {
    private static final int MAX_SCREENS = 20;

    /** An optional consent: a checkbox or switch whose checked state means "granted". */
    public record Consent(String purpose, String resourceId, String label) {
        Locator locator(String pkg) {
            return Locator.of(purpose + " toggle", By.id(pkg + ":id/" + resourceId),
                    By.xpath("//*[(@class='android.widget.Switch' or @class='android.widget.CheckBox') and @text='"
                            + label + "']"));
        }
    }

    /** One screen: its title, the consents it offers, and the control that moves on. */
    public record Screen(String title, List<Consent> consents, String advanceId, String advanceText) {
        public Screen {
            consents = List.copyOf(consents);
        }

        Locator advance(String pkg) {
            return Locator.of("'" + title + "' " + advanceText, By.id(pkg + ":id/" + advanceId),
                    By.xpath("//*[@package='" + pkg + "' and @text=\"" + advanceText + "\"]"));
        }
    }

    /** A wizard: its package (for ids), the launcher's package (the end), the screens it may show. */
    public record Wizard(String packageName, String launcherPackage, List<Screen> screens) {
        public Wizard {
            screens = List.copyOf(screens);
        }

        Optional<Screen> byTitle(String title) {
            return screens.stream().filter(s -> s.title().equalsIgnoreCase(title.trim())).findFirst();
        }
    }

    private final Screens screens;
    private final FlowRecorder recorder;
    private final Wizard wizard;
    private final Duration screenTimeout;

    public WizardWalker(Screens screens, FlowRecorder recorder, Wizard wizard, Duration screenTimeout) {
        this.screens = screens;
        this.recorder = recorder;
        this.wizard = wizard;
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
        Screen previous = null;
        for (int i = 0; i < MAX_SCREENS; i++) {
            Optional<Screen> screen = awaitNextScreen(previous);
            if (screen.isEmpty()) {
                recorder.screen("home", screens.screenshot());
                return decisions;
            }
            Screen s = screen.get();
            for (Consent c : s.consents()) {
                decisions.add(decide(s, c, grant.contains(c.purpose())));
            }
            recorder.screen(s.title(), screens.screenshot());
            screens.await(s.advance(wizard.packageName())).click();
            previous = s;
        }
        throw new IllegalStateException("the setup wizard did not reach the home screen after " + MAX_SCREENS
                + " screens");
    }

    private Optional<Screen> awaitNextScreen(Screen previous) {
        By home = By.xpath("//*[@package='" + wizard.launcherPackage() + "']");
        By title = By.id(wizard.packageName() + ":id/title");
        Instant deadline = Instant.now().plus(screenTimeout);
        String lastTitle = null;
        while (true) {
            if (!screens.driver().findElements(home).isEmpty()) {
                return Optional.empty();
            }
            List<WebElement> titles = screens.driver().findElements(title);
            if (!titles.isEmpty()) {
                lastTitle = titles.get(0).getText();
                Optional<Screen> s = wizard.byTitle(lastTitle);
                if (s.isPresent() && s.get() != previous) {
                    return s;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no known " + wizard.packageName() + " screen and no home screen"
                        + " within " + screenTimeout + (lastTitle == null ? "" : "; last title seen: '" + lastTitle
                        + "'") + "; page source starts: " + Screens.abbreviate(screens.driver().getPageSource()));
            }
            Screens.sleep(Duration.ofMillis(200));
        }
    }

    private ConsentDecision decide(Screen screen, Consent consent, boolean grant) {
        Locator locator = consent.locator(wizard.packageName());
        WebElement toggle = screens.await(locator);
        if (Boolean.parseBoolean(toggle.getAttribute("checked")) != grant) {
            toggle.click();
        }
        // The ledger records what the screen shows after the click, not what was intended.
        boolean granted = Boolean.parseBoolean(screens.await(locator).getAttribute("checked"));
        if (granted != grant) {
            throw new IllegalStateException("could not " + (grant ? "grant " : "decline ") + consent.purpose()
                    + " on '" + screen.title() + "': it stays " + (granted ? "on" : "off"));
        }
        ConsentDecision d = new ConsentDecision(consent.purpose(), granted, screen.title(), consent.resourceId(),
                Instant.now());
        recorder.consent(d);
        return d;
    }
}
