package dev.consentry.pages;

import dev.consentry.suite.FlowRecorder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A contacts app as the contact-import flow uses it: a VIEW intent on a vCard file, the app's confirmation dialog,
 * then the list, which must show every imported name. One implementation for every dialect; the dialects differ in
 * package and ids, which {@link Spec} carries.
 */
public final class ContactsApp {
    /**
     * @param packageName   the contacts app's package (com.android.contacts, com.google.android.contacts, ...)
     * @param listComponent the activity showing the list, as {@code package/.Activity}
     * @param nameRowId     resource-id of a name in the list
     * @param confirmText   the confirmation dialog's OK button text, the fallback when its id differs
     */
    public record Spec(String packageName, String listComponent, String nameRowId, String confirmText) {
    }

    private static final String VCARD = "text/x-vcard";

    private final Screens screens;
    private final FlowRecorder recorder;
    private final Spec spec;

    public ContactsApp(Screens screens, FlowRecorder recorder, Spec spec) {
        this.screens = screens;
        this.recorder = recorder;
        this.spec = spec;
    }

    /**
     * Opens the vCard at {@code remotePath}, confirms the import and waits until the list shows every name.
     *
     * @throws IllegalStateException naming the missing contacts when they did not all arrive
     */
    public void importVcard(String remotePath, List<String> names, Duration arrival) {
        screens.view("file://" + remotePath, VCARD);
        Locator ok = Locator.of("vCard import OK", By.id("android:id/button1"),
                By.xpath("//android.widget.Button[@text='" + spec.confirmText() + "']"));
        WebElement button = screens.await(ok);
        recorder.screen("vCard import confirmation", screens.screenshot());
        button.click();
        screens.start(spec.listComponent());
        Locator row = Locator.of("contact name row", By.id(spec.packageName() + ":id/" + spec.nameRowId()));
        screens.await(row);
        Instant deadline = Instant.now().plus(arrival);
        Set<String> missing = new TreeSet<>(names);
        while (true) {
            screens.driver().findElements(By.id(spec.packageName() + ":id/" + spec.nameRowId()))
                    .forEach(e -> missing.remove(e.getText()));
            if (missing.isEmpty()) {
                recorder.screen("Contacts after import", screens.screenshot());
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                recorder.screen("Contacts after import", screens.screenshot());
                throw new IllegalStateException("the contacts list does not show " + missing + " " + arrival
                        + " after confirming the vCard import");
            }
            Screens.sleep(Duration.ofMillis(200));
        }
    }
}
