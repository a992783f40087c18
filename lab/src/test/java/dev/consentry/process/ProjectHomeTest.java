package dev.consentry.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectHomeTest {
    @Test
    void aCheckoutHoldsTheGridRuntimeAndTheAppiumInstall(@TempDir Path dir) throws Exception {
        assertThat(ProjectHome.isHome(dir)).isFalse();
        Files.createDirectories(dir.resolve("grid-runtime"));
        Files.writeString(dir.resolve("grid-runtime/pom.xml"), "<project/>");
        assertThat(ProjectHome.isHome(dir)).isFalse();
        Files.createDirectories(dir.resolve("appium"));
        Files.writeString(dir.resolve("appium/package.json"), "{}");
        assertThat(ProjectHome.isHome(dir)).isTrue();
    }
}
