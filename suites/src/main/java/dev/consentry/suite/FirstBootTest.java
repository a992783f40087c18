package dev.consentry.suite;

import dev.consentry.lab.LabParameters;

import dev.consentry.pages.DialectPages;
import dev.consentry.profile.BuildKind;
import dev.consentry.profile.DeviceProfileLoader;
import org.testng.ITestContext;
import org.testng.SkipException;
import org.testng.annotations.Test;

import java.time.Duration;

/**
 * First boot: walk the setup wizard declining every optional consent, reach the home screen, idle, and check that no
 * canary left the handset.
 */
public class FirstBootTest {
    public static final String FLOW = "first-boot";

    @Test(dataProvider = Handsets.NAME, dataProviderClass = Handsets.class, groups = FLOW,
            description = "First boot with every optional consent declined")
    public void firstBootDeclinesEveryOptionalConsent(String profile, ITestContext context) {
        LabParameters lab = LabParameters.from(context);
        // Decided before a session opens: on such a build nothing can answer until a person finishes the wizard.
        BuildKind build = DeviceProfileLoader.load(lab.profilesDir().resolve(profile + ".yaml")).build();
        if (!build.adbThroughWizard()) {
            throw new SkipException(build.skipReason());
        }
        new FlowHarness(lab).run(profile, FLOW, (driver, device, recorder) ->
                new DialectPages(device.uiDialect(), driver, recorder, Duration.ofSeconds(30))
                        .completeSetupWizardDecliningEverything());
    }
}
