package dev.consentry.twin.webdriver;

import dev.consentry.twin.ui.PageSource;

import java.util.Base64;
import java.util.Map;

/** Page source, screenshot and the window geometry clients ask for. */
final class ScreenCommands {
    private final Device device;
    private final SessionRegistry sessions;

    ScreenCommands(Device device, SessionRegistry sessions) {
        this.device = device;
        this.sessions = sessions;
    }

    void register(Router r) {
        r.add("GET", "/session/{sessionId}/source", req -> {
            sessions.get(req.param("sessionId"));
            return new PageSource(device.snapshot()).xml();
        }).add("GET", "/session/{sessionId}/screenshot", req -> {
            sessions.get(req.param("sessionId"));
            return Base64.getEncoder().encodeToString(device.screenshotPng());
        }).add("GET", "/session/{sessionId}/window/rect", req -> {
            sessions.get(req.param("sessionId"));
            var s = device.snapshot();
            return Map.of("x", 0, "y", 0, "width", s.width(), "height", s.height());
        }).add("GET", "/session/{sessionId}/orientation", req -> {
            sessions.get(req.param("sessionId"));
            return "PORTRAIT";
        });
    }
}
