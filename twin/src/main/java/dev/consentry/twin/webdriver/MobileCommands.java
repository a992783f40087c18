package dev.consentry.twin.webdriver;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code execute/sync} with the Appium "mobile:" extensions prep uses. Plain JavaScript is not a thing on Android. */
final class MobileCommands {
    private final Device device;
    private final SessionRegistry sessions;

    MobileCommands(Device device, SessionRegistry sessions) {
        this.device = device;
        this.sessions = sessions;
    }

    void register(Router r) {
        r.add("POST", "/session/{sessionId}/execute/sync", this::execute)
                .add("POST", "/session/{sessionId}/execute/async", this::execute);
    }

    private Object execute(Request req) {
        sessions.get(req.param("sessionId"));
        String script = req.bodyString("script").trim();
        Object args = req.bodyObject().get("args");
        Map<String, Object> params = Map.of();
        if (args instanceof List<?> list && !list.isEmpty()) {
            if (!(list.get(0) instanceof Map<?, ?> m)) {
                throw new WebDriverException(ErrorCode.INVALID_ARGUMENT,
                        "'" + script + "' takes a single object of named arguments");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            params = typed;
        }
        return switch (script) {
            case "mobile: shell" -> shell(params);
            case "mobile: pushFile" -> {
                String path = string(params, "remotePath");
                byte[] content;
                try {
                    content = Base64.getMimeDecoder().decode(string(params, "payload"));
                } catch (IllegalArgumentException e) {
                    throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'payload' is not valid base64");
                }
                try {
                    device.pushFile(path, content);
                } catch (IllegalArgumentException e) {
                    throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "Cannot push to '" + path + "': "
                            + e.getMessage());
                }
                yield null;
            }
            case "mobile: pullFile" -> {
                String path = string(params, "remotePath");
                yield Base64.getEncoder().encodeToString(device.pullFile(path).orElseThrow(() ->
                        new WebDriverException(ErrorCode.UNKNOWN_ERROR, "The remote file '" + path
                                + "' does not exist or is not accessible")));
            }
            case "mobile: deviceInfo" -> device.deviceInfo();
            case "mobile: startActivity" -> {
                Map<String, Object> given = params;
                Optional<String> component = optional(given, "intent").or(() -> optional(given, "component"));
                Optional<String> action = optional(params, "action");
                if (component.isEmpty() && action.isEmpty()) {
                    throw new WebDriverException(ErrorCode.INVALID_ARGUMENT,
                            "'intent' (a component) or 'action' is required");
                }
                Optional<String> data = optional(params, "uri");
                Optional<String> type = optional(params, "mimeType");
                if (device.startActivity(component, action, data, type).isEmpty()) {
                    throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "Error: Activity not started, unable to "
                            + "resolve Intent { " + action.map(a -> "act=" + a + " ").orElse("")
                            + data.map(d -> "dat=" + d + " ").orElse("") + type.map(t -> "typ=" + t + " ").orElse("")
                            + component.map(c -> "cmp=" + c + " ").orElse("") + "}");
                }
                yield null;
            }
            default -> throw new WebDriverException(script.startsWith("mobile:") ? ErrorCode.UNKNOWN_METHOD
                    : ErrorCode.UNSUPPORTED_OPERATION, script.startsWith("mobile:")
                    ? "Unsupported execute method '" + script + "'. Available methods: mobile: shell, "
                    + "mobile: pushFile, mobile: pullFile, mobile: deviceInfo, mobile: startActivity"
                    : "Only 'mobile:' extensions are supported on this platform; JavaScript execution is not");
        };
    }

    private Object shell(Map<String, Object> params) {
        if (!device.shellAllowed()) {
            throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "Potentially insecure feature "
                    + "'uiautomator2:adb_shell' has not been enabled. If you want to enable this feature and accept "
                    + "the security ramifications, please do so by following the documented instructions at "
                    + "https://appium.io/docs/en/latest/guides/security/");
        }
        String command = string(params, "command");
        List<String> args = new ArrayList<>();
        Object a = params.get("args");
        if (a instanceof List<?> list) {
            list.forEach(x -> args.add(String.valueOf(x)));
        } else if (a instanceof String s) {
            args.add(s);
        } else if (a != null) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'args' must be a list of strings");
        }
        return device.shell(command, args);
    }

    private static Optional<String> optional(Map<String, Object> params, String name) {
        return params.get(name) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    private static String string(Map<String, Object> params, String name) {
        if (!(params.get(name) instanceof String s) || s.isEmpty()) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is required and must be a "
                    + "non-empty string");
        }
        return s;
    }
}
