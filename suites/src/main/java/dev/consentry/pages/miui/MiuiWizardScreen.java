package dev.consentry.pages.miui;

import dev.consentry.pages.Locator;
import io.appium.java_client.AppiumBy;
import org.openqa.selenium.By;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The MIUI V5 setup wizard ({@code com.android.provision}) as data: how each screen is recognised, which optional
 * consents it offers and how to move on. Firmware builds differ in which screens they show (the August 2014 update
 * added Mi Cloud), so the walker recognises screens instead of assuming an order.
 */
enum MiuiWizardScreen {
    LANGUAGE("Language", List.of(), "next_button", "Next"),
    REGION("Region", List.of(), "next_button", "Next"),
    WIFI("Wi-Fi", List.of(), "skip_button", "Skip"),
    MI_ACCOUNT("Mi account", List.of(), "skip_button", "Skip"),
    MI_CLOUD("Mi Cloud", List.of(new Consent("cloud_messaging", "cloud_messaging_checkbox", "Cloud Messaging")),
            "next_button", "Next"),
    USER_EXPERIENCE("User Experience Program",
            List.of(new Consent("diagnostics", "user_experience_checkbox", "Send usage data")), "next_button", "Next"),
    LOCATION("Location", List.of(new Consent("location", "location_checkbox", "Use location")), "next_button", "Next"),
    FINISH("All set", List.of(), "group_primary_button", "Get started");

    static final String PACKAGE = "com.android.provision";
    static final By TITLE = AppiumBy.id(PACKAGE + ":id/title");

    /** An optional consent on a screen: a checkbox whose checked state means "granted". */
    record Consent(String purpose, String resourceId, String label) {
        Locator locator() {
            return Locator.of(purpose + " checkbox", AppiumBy.id(PACKAGE + ":id/" + resourceId),
                    By.xpath("//android.widget.CheckBox[@text='" + label + "']"));
        }
    }

    final String title;
    final List<Consent> consents;
    private final String advanceId;
    private final String advanceText;

    MiuiWizardScreen(String title, List<Consent> consents, String advanceId, String advanceText) {
        this.title = title;
        this.consents = consents;
        this.advanceId = advanceId;
        this.advanceText = advanceText;
    }

    Locator advance() {
        return Locator.of(name().toLowerCase() + " " + advanceText, AppiumBy.id(PACKAGE + ":id/" + advanceId),
                By.xpath("//*[@package='" + PACKAGE + "' and @text='" + advanceText + "']"));
    }

    static Optional<MiuiWizardScreen> byTitle(String title) {
        return Arrays.stream(values()).filter(s -> s.title.equalsIgnoreCase(title.trim())).findFirst();
    }
}
