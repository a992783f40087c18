package dev.consentry.suite;

import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.profile.Reset;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FlowHarnessTest {
    private static final Path PROFILES = Path.of("..", "device-profiles");

    @Test
    void testNameHasOneBlankWithoutASkinAndNamesTheSkinWhereThereIsOne() {
        DeviceProfile pixel = DeviceProfileLoader.load(PROFILES.resolve("pixel-8-android14.yaml"));
        assertThat(pixel.firmware().skin()).isEmpty();
        assertThat(FlowHarness.testName("contact-import", "pixel-8-android14", pixel))
                .isEqualTo("contact-import on pixel-8-android14 (Pixel 8, 2023-10)");

        DeviceProfile redmi = DeviceProfileLoader.load(PROFILES.resolve("redmi-1s-miui5-2014.yaml"));
        assertThat(FlowHarness.testName("first-boot", "redmi-1s-miui5-2014", redmi))
                .isEqualTo("first-boot on redmi-1s-miui5-2014 (" + redmi.model() + ", MIUI V5 "
                        + redmi.firmware().released() + ")");
    }

    @Test
    void testHarnessResetComesBeforeTheFlowsAfterFirstBootOnlyAndOnlyWhereTheProfileAsks() {
        DeviceProfile pixel = DeviceProfileLoader.load(PROFILES.resolve("pixel-8-android14.yaml"));
        DeviceProfile redmi = DeviceProfileLoader.load(PROFILES.resolve("redmi-note-8-miui12.yaml"));
        assertThat(pixel.reset()).isEqualTo(Reset.TEST_HARNESS);
        assertThat(FlowHarness.resetsBefore(pixel, ContactImportTest.FLOW)).isTrue();
        assertThat(FlowHarness.resetsBefore(pixel, CloudOptOutTest.FLOW)).isTrue();
        // The mode skips the setup wizard: before first boot it would leave nothing to walk.
        assertThat(FlowHarness.resetsBefore(pixel, FirstBootTest.FLOW)).isFalse();
        assertThat(FlowHarness.resetsBefore(redmi, ContactImportTest.FLOW)).isFalse();
    }
}
