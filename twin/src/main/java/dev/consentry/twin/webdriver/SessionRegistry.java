package dev.consentry.twin.webdriver;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A handset runs one session at a time, as UiAutomator2 on one device does. */
final class SessionRegistry {
    private final AtomicReference<Session> current = new AtomicReference<>();

    Session create(Map<String, Object> capabilities) {
        Session s = new Session(capabilities);
        if (!current.compareAndSet(null, s)) {
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "Cannot start a new session: session "
                    + current.get().id() + " is still running on this device. Delete it first");
        }
        return s;
    }

    Session get(String id) {
        Session s = current.get();
        if (s == null || !s.id().equals(id)) {
            throw new WebDriverException(ErrorCode.INVALID_SESSION_ID, "A session is either terminated or not started");
        }
        return s;
    }

    void delete(String id) {
        Session s = get(id);
        current.compareAndSet(s, null);
    }

    Optional<Session> active() {
        return Optional.ofNullable(current.get());
    }
}
