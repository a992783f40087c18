package dev.consentry.suite;

import dev.consentry.lab.LabParameters;

import dev.consentry.pages.miui.MiuiSetupWizard;
import dev.consentry.profile.UiDialect;
import org.testng.ITestContext;
import org.testng.SkipException;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

import java.time.Duration;

/**
 * First boot: walk the setup wizard declining every optional consent, reach the home screen, idle, and check that no
 * canary left the handset.
 */
public class FirstBootTest {
    public static final String FLOW = "first-boot";

    @DataProvider(name = "handsets", parallel = true)
    public Object[][] handsets(ITestContext context) {
        return LabParameters.from(context).profiles().stream().map(p -> new Object[]{p}).toArray(Object[][]::new);
    }

    @Test(dataProvider = "handsets", groups = FLOW, description = "First boot with every optional consent declined")
    public void firstBootDeclinesEveryOptionalConsent(String profile, ITestContext context) {
        new FlowHarness(LabParameters.from(context)).run(profile, FLOW, (driver, device, recorder) -> {
            if (device.uiDialect() != UiDialect.MIUI) {
                throw new SkipException("no first-boot page objects for the " + device.uiDialect() + " dialect yet");
            }
            return new MiuiSetupWizard(driver, recorder, Duration.ofSeconds(30)).completeDecliningEverything();
        });
    }
}
