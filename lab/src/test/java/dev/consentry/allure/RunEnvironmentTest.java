package dev.consentry.allure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class RunEnvironmentTest {
    @TempDir
    Path dir;

    private static final Map<String, String> REDMI = Map.of(
            "ro.product.manufacturer", "Xiaomi", "ro.product.model", "Redmi 1S",
            "ro.build.fingerprint", "Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH41.0:user/release-keys",
            "ro.build.display.id", "KTU84P", "ro.build.version.incremental", "JHCMIBH41.0",
            "ro.build.version.release", "4.4.4", "ro.miui.ui.version.name", "V5");

    @Test
    void handsetFactsComeFromItsProperties() {
        HandsetFacts f = HandsetFacts.read("redmi-1s-miui5-2014", k -> REDMI.getOrDefault(k, ""));
        assertThat(f.describe()).isEqualTo("Xiaomi Redmi 1S, Android 4.4.4, MIUI V5, build KTU84P JHCMIBH41.0");
        assertThat(HandsetFacts.read("pixel", k -> null).describe()).isEmpty();
    }

    @Test
    void measuresTheInstalledAppiumAndSaysWhatItCouldNotMeasure() throws Exception {
        Path appium = dir.resolve("appium/node_modules/appium");
        Files.createDirectories(appium);
        Files.writeString(appium.resolve("package.json"), "{\"name\":\"appium\",\"version\":\"3.8.0\"}");
        assertThat(RunEnvironment.appiumVersions(dir.resolve("appium"))).isEqualTo("appium 3.8.0");
        assertThat(RunEnvironment.appiumVersions(dir.resolve("nowhere"))).startsWith("unknown: no Appium under");
        assertThat(RunEnvironment.mitmproxyVersion(dir.resolve("no-mitmdump").toString()))
                .startsWith("unknown: ").contains("did not start");
    }

    @Test
    void environmentPropertiesSurviveAllureReadingThemBack() throws Exception {
        Map<String, String> env = RunEnvironment.of(Map.of("lab", "embedded"))
                .handsets(List.of(HandsetFacts.read("redmi-1s-miui5-2014", k -> REDMI.getOrDefault(k, ""))))
                .entries();
        env.put("odd key=1", "C:\\path\nnext \u4e2d");
        new AllureReport(dir).describe(dir.resolve("results"), env, Executor.forRun("20261124-180000",
                "Consentry nightly", Map.of("BUILD_URL", "http://ci.lab/job/7/")));
        Properties p = new Properties();
        try (var in = Files.newInputStream(dir.resolve("results/environment.properties"))) {
            p.load(in);
        }
        assertThat(p.getProperty("fingerprint.redmi-1s-miui5-2014"))
                .isEqualTo("Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH41.0:user/release-keys");
        assertThat(p.getProperty("firmware.redmi-1s-miui5-2014")).isEqualTo("MIUI V5 KTU84P JHCMIBH41.0");
        assertThat(p.getProperty("odd_key=1")).isEqualTo("C:\\path\nnext \u4e2d");
        assertThat(Files.readString(dir.resolve("results/executor.json")))
                .contains("\"buildOrder\" : 20261124180000", "\"buildUrl\" : \"http://ci.lab/job/7/\"");
    }
}
