package dev.consentry.prep;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code mobile: shell} over an Appium session. The Appium server must run with
 * {@code --allow-insecure uiautomator2:adb_shell}; without it every call fails, and the message says so.
 */
public final class AppiumShell implements Shell {
    private final JavascriptExecutor driver;
    private final Duration timeout;

    public AppiumShell(JavascriptExecutor driver, Duration timeout) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String run(String command, String... args) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("command", command);
        params.put("args", List.of(args));
        params.put("timeout", timeout.toMillis());
        try {
            Object out = driver.executeScript("mobile: shell", params);
            return out == null ? "" : out.toString();
        } catch (WebDriverException e) {
            String line = command + (args.length == 0 ? "" : " " + String.join(" ", args));
            String hint = e.getMessage() != null && e.getMessage().contains("adb_shell")
                    ? " (start Appium with --allow-insecure uiautomator2:adb_shell)" : "";
            throw new PrepException("mobile: shell `" + line + "` failed" + hint + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
