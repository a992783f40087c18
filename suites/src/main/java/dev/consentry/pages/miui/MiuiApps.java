package dev.consentry.pages.miui;

import dev.consentry.pages.CloudSettings;
import dev.consentry.pages.ContactsApp;

import java.util.List;

/** MIUI's own apps the flows use: its build of AOSP Contacts and the Mi Cloud settings page. */
public final class MiuiApps {
    public static final ContactsApp.Spec CONTACTS = new ContactsApp.Spec("com.android.contacts",
            "com.android.contacts/.activities.PeopleActivity", "cliv_name_textview", "OK");

    /** Mi Cloud: sync and Cloud Messaging, the service that uploaded the 2014 address books. */
    public static final CloudSettings.Spec MI_CLOUD = new CloudSettings.Spec(
            "com.miui.cloudservice/.ui.MiCloudSettingsActivity", "Mi Cloud", List.of(
            new CloudSettings.Toggle("cloud_sync", "com.miui.cloudservice:id/sync_switch", "Mi Cloud sync"),
            new CloudSettings.Toggle("cloud_messaging", "com.miui.cloudservice:id/cloud_messaging_switch",
                    "Cloud Messaging")));

    private MiuiApps() {
    }
}
