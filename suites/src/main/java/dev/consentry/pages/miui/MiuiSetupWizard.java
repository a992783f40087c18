package dev.consentry.pages.miui;

import dev.consentry.pages.Screens;
import dev.consentry.pages.WizardWalker;
import dev.consentry.pages.WizardWalker.Consent;
import dev.consentry.pages.WizardWalker.Screen;
import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import io.appium.java_client.android.AndroidDriver;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Walks MIUI's first-boot wizard ({@code com.android.provision}) to the home screen, granting or declining each
 * optional consent on the way and reporting every decision to the recorder as it is made (the consent ledger). Builds differ in which screens they show (the August 2014 update added Mi Cloud; MIUI 12 words its
 * screens differently), so screens are recognised by title instead of assumed in order.
 */
public final class MiuiSetupWizard {
    static final WizardWalker.Wizard WIZARD = new WizardWalker.Wizard("com.android.provision", "com.miui.home",
            List.of(
                    new Screen("Language", List.of(), "next_button", "Next"),
                    new Screen("Region", List.of(), "next_button", "Next"),
                    new Screen("Wi-Fi", List.of(), "skip_button", "Skip"),
                    new Screen("Mi account", List.of(), "skip_button", "Skip"),
                    new Screen("Mi Cloud", List.of(
                            new Consent("cloud_messaging", "cloud_messaging_checkbox", "Cloud Messaging")),
                            "next_button", "Next"),
                    new Screen("User Experience Program", List.of(
                            new Consent("diagnostics", "user_experience_checkbox", "Send usage data")),
                            "next_button", "Next"),
                    new Screen("Location", List.of(new Consent("location", "location_checkbox", "Use location")),
                            "next_button", "Next"),
                    new Screen("All set", List.of(), "group_primary_button", "Get started")));

    private final WizardWalker walker;

    public MiuiSetupWizard(AndroidDriver driver, FlowRecorder recorder, Duration screenTimeout) {
        this.walker = new WizardWalker(new Screens(driver, screenTimeout), recorder, WIZARD, screenTimeout);
    }

    /** @return the consent decisions made, in order */
    public List<ConsentDecision> completeDecliningEverything() {
        return walker.complete(Set.of());
    }

    /**
     * Walks the wizard granting the purposes in {@code grant} and declining every other optional consent.
     *
     * @return the consent decisions made, in order
     */
    public List<ConsentDecision> complete(Set<String> grant) {
        return walker.complete(grant);
    }
}
