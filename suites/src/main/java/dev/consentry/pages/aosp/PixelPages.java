package dev.consentry.pages.aosp;

import dev.consentry.pages.CloudSettings;
import dev.consentry.pages.ContactsApp;
import dev.consentry.pages.WizardWalker;
import dev.consentry.pages.WizardWalker.Consent;
import dev.consentry.pages.WizardWalker.Screen;

import java.util.List;

/**
 * Pixel / AOSP-with-GMS screens: Google's setup wizard ({@code com.google.android.setupwizard}), Google Contacts
 * (which keeps AOSP's {@code com.android.contacts} class names) and Google backup in Play services.
 */
public final class PixelPages {
    public static final WizardWalker.Wizard SETUP_WIZARD = new WizardWalker.Wizard(
            "com.google.android.setupwizard", "com.google.android.apps.nexuslauncher", List.of(
            new Screen("Hi there", List.of(), "start", "Start"),
            new Screen("Connect to Wi-Fi", List.of(), "skip_button", "Skip"),
            new Screen("Copy apps & data", List.of(), "skip_button", "Don't copy"),
            new Screen("Sign in", List.of(), "skip_button", "Skip"),
            new Screen("Google services", List.of(
                    new Consent("location", "location_switch", "Use location"),
                    new Consent("location", "scanning_switch", "Allow scanning"),
                    new Consent("diagnostics", "usage_switch", "Send usage and diagnostic data")),
                    "next_button", "Accept"),
            new Screen("Set a PIN", List.of(), "skip_button", "Skip"),
            new Screen("You're all set", List.of(), "done_button", "Done")));

    public static final ContactsApp.Spec CONTACTS = new ContactsApp.Spec("com.google.android.contacts",
            "com.google.android.contacts/com.android.contacts.activities.PeopleActivity", "cliv_name_textview", "OK");

    public static final CloudSettings.Spec BACKUP = new CloudSettings.Spec(
            "com.google.android.gms/.backup.component.BackupSettingsActivity", "Backup", List.of(
            new CloudSettings.Toggle("backup", "com.google.android.gms:id/backup_switch",
                    "Backup by Google One")));

    private PixelPages() {
    }
}
