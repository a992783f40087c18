package dev.consentry.suite;

import io.appium.java_client.android.AndroidDriver;
import org.testng.SkipException;

import java.util.Map;

/** Whether the handset is past its setup wizard, which the flows after first boot need. */
final class SetupState {
    private SetupState() {
    }

    /** Skips (never passes) the flow when the wizard has not finished: the flow's screens are not reachable. */
    static void requireSetUp(AndroidDriver driver, String flow) {
        Object out = driver.executeScript("mobile: shell", Map.of("command", "settings",
                "args", java.util.List.of("get", "global", "device_provisioned")));
        if (!String.valueOf(out).trim().equals("1")) {
            throw new SkipException(flow + " needs a handset past its setup wizard (settings global "
                    + "device_provisioned is '" + String.valueOf(out).trim() + "'): run first-boot before it, or set"
                    + " the handset up by hand or with Test Harness Mode (Android 10+)");
        }
    }
}
