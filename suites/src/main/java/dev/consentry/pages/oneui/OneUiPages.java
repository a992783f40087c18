package dev.consentry.pages.oneui;

import dev.consentry.pages.CloudSettings;
import dev.consentry.pages.ContactsApp;
import dev.consentry.pages.WizardWalker;
import dev.consentry.pages.WizardWalker.Consent;
import dev.consentry.pages.WizardWalker.Screen;

import java.util.List;

/** Samsung One UI screens: SecSetupWizard, Samsung Contacts and Samsung Cloud's settings. */
public final class OneUiPages {
    public static final WizardWalker.Wizard SETUP_WIZARD = new WizardWalker.Wizard(
            "com.sec.android.app.SecSetupWizard", "com.sec.android.app.launcher", List.of(
            new Screen("Welcome!", List.of(), "start_button", "Start"),
            new Screen("Terms and Conditions", List.of(
                    new Consent("diagnostics", "diagnostic_checkbox", "Sending of diagnostic data")),
                    "next_button", "Agree"),
            new Screen("Wi-Fi", List.of(), "skip_button", "Skip"),
            new Screen("Google services", List.of(
                    new Consent("location", "location_switch", "Use location"),
                    new Consent("diagnostics", "usage_switch", "Send usage and diagnostic data")),
                    "next_button", "Accept"),
            new Screen("Samsung account", List.of(), "skip_button", "Skip"),
            new Screen("You're all set up", List.of(), "finish_button", "Finish")));

    public static final ContactsApp.Spec CONTACTS = new ContactsApp.Spec("com.samsung.android.app.contacts",
            "com.samsung.android.app.contacts/com.samsung.android.contacts.contactslist.PeopleActivity",
            "cliv_name_textview", "Import");

    public static final CloudSettings.Spec SAMSUNG_CLOUD = new CloudSettings.Spec(
            "com.samsung.android.scloud/.app.ui.settings.view.main.MainSettingsActivity", "Samsung Cloud", List.of(
            new CloudSettings.Toggle("cloud_sync", "com.samsung.android.scloud:id/sync_switch", "Sync"),
            new CloudSettings.Toggle("backup", "com.samsung.android.scloud:id/backup_switch",
                    "Back up data automatically")));

    private OneUiPages() {
    }
}
