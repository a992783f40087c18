package dev.consentry.twin.webdriver;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** One Appium session: its capabilities, timeouts and the element ids it has handed out. */
final class Session {
    private final String id = UUID.randomUUID().toString();
    private final Map<String, Object> capabilities;
    private final Map<String, ElementRef> elements = new ConcurrentHashMap<>();
    private final Map<ElementRef, String> ids = new ConcurrentHashMap<>();
    private volatile Duration implicitWait = Duration.ZERO;
    private volatile Duration scriptTimeout = Duration.ofSeconds(30);
    private volatile Duration pageLoadTimeout = Duration.ofMinutes(5);

    Session(Map<String, Object> capabilities) {
        this.capabilities = Map.copyOf(capabilities);
    }

    String id() {
        return id;
    }

    Map<String, Object> capabilities() {
        return capabilities;
    }

    /** The same view found twice gets the same id, as UiAutomator2 caches elements. */
    String register(ElementRef ref) {
        return ids.computeIfAbsent(ref, r -> {
            String eid = UUID.randomUUID().toString();
            elements.put(eid, r);
            return eid;
        });
    }

    ElementRef element(String elementId) {
        ElementRef ref = elements.get(elementId);
        if (ref == null) {
            throw new WebDriverException(ErrorCode.NO_SUCH_ELEMENT,
                    "The element identified by '" + elementId + "' is not present in the cache");
        }
        return ref;
    }

    Duration implicitWait() {
        return implicitWait;
    }

    Map<String, Object> timeouts() {
        return Map.of("implicit", implicitWait.toMillis(), "script", scriptTimeout.toMillis(),
                "pageLoad", pageLoadTimeout.toMillis());
    }

    void setTimeouts(Map<String, Object> body) {
        for (Map.Entry<String, Object> e : body.entrySet()) {
            if (!(e.getValue() instanceof Number n) || n.longValue() < 0) {
                if (e.getKey().equals("script") && e.getValue() == null) {
                    continue;
                }
                throw new WebDriverException(ErrorCode.INVALID_ARGUMENT,
                        "timeout '" + e.getKey() + "' must be a non-negative integer, got " + e.getValue());
            }
            Duration d = Duration.ofMillis(n.longValue());
            switch (e.getKey()) {
                case "implicit" -> implicitWait = d;
                case "script" -> scriptTimeout = d;
                case "pageLoad" -> pageLoadTimeout = d;
                default -> throw new WebDriverException(ErrorCode.INVALID_ARGUMENT,
                        "unknown timeout type '" + e.getKey() + "'");
            }
        }
    }
}
