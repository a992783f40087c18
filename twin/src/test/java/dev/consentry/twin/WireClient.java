package dev.consentry.twin;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw W3C WebDriver over HTTP, to check status codes and bodies a client library would hide. */
final class WireClient {
    record Reply(int status, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> valueMap() {
            return (Map<String, Object>) body.get("value");
        }

        Object value() {
            return body.get("value");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;

    WireClient(URI base) {
        this.base = base;
    }

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Reply delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    Reply post(String path, Object body) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))));
    }

    Reply postRaw(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @SuppressWarnings("unchecked")
    private Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), json.readValue(r.body(), Map.class));
    }

    /** A session as the Grid forwards it: platformName upper-cased, the lab's own capability alongside. */
    String newSession(String udid) throws Exception {
        Reply r = post("/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of("platformName", "ANDROID",
                "appium:automationName", "UiAutomator2", "appium:udid", udid, "lab:profile", "x"))));
        if (r.status() != 200) {
            throw new AssertionError("session not created: " + r.body());
        }
        return (String) r.valueMap().get("sessionId");
    }

    String shell(String session, String command, java.util.List<String> args) throws Exception {
        Reply r = post("/session/" + session + "/execute/sync", Map.of("script", "mobile: shell",
                "args", java.util.List.of(Map.of("command", command, "args", args))));
        if (r.status() != 200) {
            throw new AssertionError("mobile: shell failed: " + r.body());
        }
        return (String) r.value();
    }
}
