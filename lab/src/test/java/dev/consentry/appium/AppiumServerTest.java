package dev.consentry.appium;

import dev.consentry.process.ProcessStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start failures that are explained without (or before) a server running. */
class AppiumServerTest {
    @Test
    void missingNodeModulesSaysRunNpmCi(@TempDir Path home) {
        assertThatThrownBy(() -> AppiumServer.builder().withAppiumHome(home).start())
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("Appium is not installed in " + home)
                .hasMessageContaining("run `npm ci` in " + home);
    }

    @Test
    void busyPortIsNamed(@TempDir Path home) throws Exception {
        fakeInstall(home);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> AppiumServer.builder().withAppiumHome(home).withPort(busy.getLocalPort()).start())
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("127.0.0.1:" + busy.getLocalPort())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void missingNodeJsIsNamed(@TempDir Path home) throws Exception {
        fakeInstall(home);
        assertThatThrownBy(() -> AppiumServer.builder().withAppiumHome(home).withNode(home + "/no-such-node").start())
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("Node.js (`" + home + "/no-such-node`) cannot be run")
                .hasMessageContaining("command: ");
    }

    @Test
    void serverThatDiesShowsCommandAndLogTail(@TempDir Path home) throws Exception {
        // A stand-in index.js that fails like a broken install: Node runs it, it prints and exits.
        Files.createDirectories(home.resolve("node_modules/appium"));
        Files.writeString(home.resolve(AppiumServer.ENTRY),
                "console.error(\"Error: Cannot find module 'appium-base-driver'\"); process.exit(3);\n");
        assertThatThrownBy(() -> AppiumServer.builder().withAppiumHome(home).withLogFile(home.resolve("a.log"))
                .withAdbShell(true).start())
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("--allow-insecure uiautomator2:adb_shell")
                .hasMessageContaining("APPIUM_HOME=" + home)
                .hasMessageContaining("| Error: Cannot find module 'appium-base-driver'")
                .hasMessageContaining("hint: the Appium install in " + home + " is incomplete: run `npm ci` there");
    }

    private static void fakeInstall(Path home) throws Exception {
        Files.createDirectories(home.resolve("node_modules/appium"));
        Files.writeString(home.resolve(AppiumServer.ENTRY), "process.exit(1);\n");
    }
}
