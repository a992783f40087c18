package dev.consentry.twin.firmware;

import java.util.List;

/** The first-boot setup wizard: screens in the order the firmware shows them. */
public record WizardSpec(String packageName, List<ScreenSpec> screens) {
    public WizardSpec {
        screens = List.copyOf(screens);
    }
}
