package dev.consentry.twin.webdriver;

import java.util.LinkedHashMap;
import java.util.Map;

/** Status, session life cycle and timeouts. */
final class SessionCommands {
    private final Device device;
    private final SessionRegistry sessions;
    private final String version;

    SessionCommands(Device device, SessionRegistry sessions, String version) {
        this.device = device;
        this.sessions = sessions;
        this.version = version;
    }

    void register(Router r) {
        r.add("GET", "/status", req -> status())
                .add("POST", "/session", this::create)
                .add("GET", "/session/{sessionId}", req -> sessions.get(req.param("sessionId")).capabilities())
                .add("DELETE", "/session/{sessionId}", this::delete)
                .add("GET", "/session/{sessionId}/timeouts", req -> sessions.get(req.param("sessionId")).timeouts())
                .add("POST", "/session/{sessionId}/timeouts", req -> {
                    sessions.get(req.param("sessionId")).setTimeouts(req.bodyObject());
                    return null;
                });
    }

    private Object status() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("ready", true);
        value.put("message", "The server is ready to accept new connections");
        value.put("build", Map.of("version", version));
        return value;
    }

    private Object create(Request req) {
        sessions.requireOnline();
        Map<String, Object> caps = CapabilityMatcher.match(req.body(), device);
        Session s = sessions.create(caps);
        device.log("appium", "session " + s.id() + " created");
        return Map.of("sessionId", s.id(), "capabilities", caps);
    }

    private Object delete(Request req) {
        sessions.delete(req.param("sessionId"));
        device.log("appium", "session " + req.param("sessionId") + " deleted");
        return null;
    }
}
