package dev.consentry.twin.webdriver;

import dev.consentry.twin.ui.ClickOutcome;
import dev.consentry.twin.ui.UiSnapshot;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the WebDriver layer needs from a handset; the handset itself knows nothing of HTTP or sessions. */
public interface Device {
    String serial();

    String platformVersion();

    /** False while the handset reboots: adb does not list it, so no session can start on it. */
    default boolean online() {
        return true;
    }

    /**
     * Counts boots. The UiAutomator2 server runs on the handset, so a session started before a reboot has lost it:
     * its commands fail until it is deleted and a new one starts.
     */
    default long boot() {
        return 0;
    }

    UiSnapshot snapshot();

    ClickOutcome click(long generation, String key);

    byte[] screenshotPng();

    /** An intent by component or by action/data/type; empty when nothing resolves it. */
    Optional<String> startActivity(Optional<String> component, Optional<String> action, Optional<String> data,
                                   Optional<String> mimeType);

    boolean shellAllowed();

    String shell(String command, List<String> args);

    void pushFile(String remotePath, byte[] content);

    Optional<byte[]> pullFile(String remotePath);

    Map<String, Object> deviceInfo();

    void log(String tag, String message);
}
