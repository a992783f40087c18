package dev.consentry.suite;

import dev.consentry.lab.LabParameters;
import dev.consentry.pages.DialectPages;
import org.testng.ITestContext;
import org.testng.annotations.Test;

import java.time.Duration;

/**
 * Cloud opt-out: open the vendor's cloud settings (Mi Cloud, Google backup, Samsung Cloud), switch every service
 * off, idle, and check that no canary left the handset.
 */
public class CloudOptOutTest {
    public static final String FLOW = "cloud-opt-out";

    @Test(dataProvider = Handsets.NAME, dataProviderClass = Handsets.class, groups = FLOW,
            description = "Switch every cloud service off")
    public void nothingLeavesAfterOptingOutOfTheCloud(String profile, ITestContext context) {
        new FlowHarness(LabParameters.from(context)).run(profile, FLOW, (driver, device, recorder) -> {
            SetupState.requireSetUp(driver, FLOW);
            return new DialectPages(device.uiDialect(), driver, recorder, Duration.ofSeconds(30)).cloud()
                    .switchEverythingOff();
        });
    }
}
