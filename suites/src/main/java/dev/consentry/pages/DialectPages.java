package dev.consentry.pages;

import dev.consentry.pages.aosp.PixelPages;
import dev.consentry.pages.miui.MiuiApps;
import dev.consentry.pages.oneui.OneUiPages;
import dev.consentry.pages.miui.MiuiSetupWizard;
import dev.consentry.profile.UiDialect;
import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import io.appium.java_client.android.AndroidDriver;

import java.time.Duration;
import java.util.List;

/** Picks the page objects of a handset's UI dialect, so flows are written once for every vendor. */
public final class DialectPages {
    private final UiDialect dialect;
    private final AndroidDriver driver;
    private final FlowRecorder recorder;
    private final Duration timeout;

    public DialectPages(UiDialect dialect, AndroidDriver driver, FlowRecorder recorder, Duration timeout) {
        this.dialect = dialect;
        this.driver = driver;
        this.recorder = recorder;
        this.timeout = timeout;
    }

    /** Walks the setup wizard to the home screen, declining every optional consent. */
    public List<ConsentDecision> completeSetupWizardDecliningEverything() {
        return switch (dialect) {
            case MIUI -> new MiuiSetupWizard(driver, recorder, timeout).completeDecliningEverything();
            case AOSP -> new WizardWalker(screens(), recorder, PixelPages.SETUP_WIZARD, timeout)
                    .completeDecliningEverything();
            case ONE_UI -> new WizardWalker(screens(), recorder, OneUiPages.SETUP_WIZARD, timeout)
                    .completeDecliningEverything();
        };
    }

    private Screens screens() {
        return new Screens(driver, timeout);
    }

    public ContactsApp contacts() {
        return new ContactsApp(screens(), recorder, switch (dialect) {
            case MIUI -> MiuiApps.CONTACTS;
            case AOSP -> PixelPages.CONTACTS;
            case ONE_UI -> OneUiPages.CONTACTS;
        });
    }

    public CloudSettings cloud() {
        return new CloudSettings(screens(), recorder, switch (dialect) {
            case MIUI -> MiuiApps.MI_CLOUD;
            case AOSP -> PixelPages.BACKUP;
            case ONE_UI -> OneUiPages.SAMSUNG_CLOUD;
        });
    }
}
