package dev.consentry.twin.webdriver;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handset runs one session at a time, as UiAutomator2 on one device does. A session outlives a reboot of its
 * handset only on the Appium side: its UiAutomator2 server died with the boot, so every command fails (as Appium says
 * it cannot proxy to the instrumentation process) until the client deletes it; a new session may replace it.
 */
final class SessionRegistry {
    private record Live(Session session, long boot) { }

    private final Device device;
    private final AtomicReference<Live> current = new AtomicReference<>();

    SessionRegistry(Device device) {
        this.device = device;
    }

    /** Before capabilities are even matched: Appium looks for the udid among adb's devices first. */
    void requireOnline() {
        if (!device.online()) {
            // appium-adb's words when the udid asked for is not among `adb devices`.
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "An unknown server-side error occurred "
                    + "while processing the command. Original error: Device " + device.serial()
                    + " was not in the list of connected devices");
        }
    }

    Session create(Map<String, Object> capabilities) {
        requireOnline();
        Live old = current.get();
        if (old != null && old.boot() == device.boot()) {
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "Cannot start a new session: session "
                    + old.session().id() + " is still running on this device. Delete it first");
        }
        Live s = new Live(new Session(capabilities), device.boot());
        if (!current.compareAndSet(old, s)) {
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "Cannot start a new session: another "
                    + "session started on this device at the same time");
        }
        return s.session();
    }

    /** The session a command runs in; fails as Appium does when its handset rebooted underneath it. */
    Session get(String id) {
        Live s = find(id);
        if (s.boot() != device.boot() || !device.online()) {
            throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "An unknown server-side error occurred while "
                    + "processing the command. Original error: The command cannot be proxied to UiAutomator2 server "
                    + "because the instrumentation process is not running (probably crashed). Check the server log "
                    + "and/or the logcat output for more details");
        }
        return s.session();
    }

    void delete(String id) {
        Live s = find(id);
        current.compareAndSet(s, null);
    }

    private Live find(String id) {
        Live s = current.get();
        if (s == null || !s.session().id().equals(id)) {
            throw new WebDriverException(ErrorCode.INVALID_SESSION_ID, "A session is either terminated or not started");
        }
        return s;
    }

    Optional<Session> active() {
        return Optional.ofNullable(current.get()).map(Live::session);
    }
}
