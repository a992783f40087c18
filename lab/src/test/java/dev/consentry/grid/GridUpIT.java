package dev.consentry.grid;

import dev.consentry.process.FreePorts;
import dev.consentry.twin.VirtualHandset;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code consentry grid up} for real: hub and relay JVMs from TOML generated out of profiles whose {@code appium.server}
 * are two virtual handsets; a session asked for by {@code lab:profile} lands on the right one, and everything stops.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GridUpIT {
    @TempDir
    Path home;

    @Test
    void gridFromProfilesRoutesByProfileAndStopsEverything() throws Exception {
        Path project = Path.of("..").toAbsolutePath().normalize();
        Files.createSymbolicLink(home.resolve("grid-runtime"), project.resolve("grid-runtime"));
        try (VirtualHandset a = VirtualHandset.builder().withFirmware("redmi-1s-miui5-2014").withSerial("serial-a")
                .withSetupCompleted(true).start();
             VirtualHandset b = VirtualHandset.builder().withFirmware("pixel-8-android14").withSerial("serial-b")
                     .withSetupCompleted(true).start()) {
            profile("handset-a", "serial-a", 8201, a.uri().toString());
            profile("handset-b", "serial-b", 8202, b.uri().toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> seen = new ArrayList<>();
            int hubPort = FreePorts.one();
            int status = GridUp.run(home, List.of("up", "--dir", home.resolve("grid").toString(), "--port",
                    String.valueOf(hubPort), "--node-port", "0"), new PrintStream(out, true, StandardCharsets.UTF_8),
                    grid -> {
                        UiAutomator2Options o = new UiAutomator2Options();
                        o.setCapability("lab:profile", "handset-b");
                        AndroidDriver driver;
                        try {
                            driver = new AndroidDriver(grid.toURL(), o);
                        } catch (java.net.MalformedURLException e) {
                            throw new AssertionError(e);
                        }
                        try {
                            // The stereotype's udid was merged in by the Grid: the twin accepted the session.
                            seen.add(String.valueOf(driver.executeScript("mobile: shell",
                                    Map.of("command", "getprop", "args", List.of("ro.product.model")))).trim());
                        } finally {
                            driver.quit();
                        }
                    });
            assertThat(status).isZero();
            assertThat(seen).containsExactly("Pixel 8");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Grid up at http://127.0.0.1:" + hubPort
                    + " with 2 relay node(s)");
            assertThat(home.resolve("grid").resolve("hub.toml")).exists();
        }
        String marker = home.toString();
        assertThat(ProcessHandle.allProcesses().filter(ph -> ph.info().commandLine()
                .map(c -> c.contains(marker)).orElse(false)).toList()).as("Grid JVMs left running").isEmpty();
    }

    private void profile(String name, String udid, int systemPort, String server) throws Exception {
        Path dir = Files.createDirectories(home.resolve("device-profiles"));
        Files.writeString(dir.resolve(name + ".yaml"), """
                manufacturer: Xiaomi
                model: Redmi 1S
                firmware: { fingerprint: "x", android: "4.4.4", released: "2014-08" }
                uiDialect: miui
                appium: { udid: "%s", systemPort: %d, server: "%s" }
                identifiers:
                  imei: { command: "dumpsys iphonesubinfo", parse: "line:Device ID" }
                  phoneNumber: { command: "service call iphonesubinfo 6", parse: "parcel-utf16" }
                ca: { store: user, directory: /data/misc/keychain/cacerts-added }
                """.formatted(udid, systemPort, server));
    }
}
