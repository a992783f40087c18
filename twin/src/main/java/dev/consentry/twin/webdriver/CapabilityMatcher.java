package dev.consentry.twin.webdriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * W3C capability processing (alwaysMatch merged with each firstMatch) followed by the checks Appium 3 and the
 * UiAutomator2 driver make, with their messages, so a misconfigured Grid stereotype fails here as on a real node.
 */
final class CapabilityMatcher {
    private static final Set<String> STANDARD = Set.of("browserName", "browserVersion", "platformName",
            "acceptInsecureCerts", "pageLoadStrategy", "proxy", "setWindowRect", "timeouts", "strictFileInteractability",
            "unhandledPromptBehavior", "webSocketUrl", "userAgent");

    private CapabilityMatcher() {
    }

    /** @return the capabilities of the new session, as the driver echoes them back */
    static Map<String, Object> match(Object body, Device device) {
        if (!(body instanceof Map<?, ?> root) || !(root.get("capabilities") instanceof Map<?, ?> caps)) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT,
                    "The 'capabilities' object is missing from the new session request");
        }
        Map<String, Object> always = asMap(caps.get("alwaysMatch"), "alwaysMatch");
        List<Map<String, Object>> first = new ArrayList<>();
        Object fm = caps.get("firstMatch");
        if (fm == null) {
            first.add(Map.of());
        } else if (fm instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                first.add(asMap(o, "firstMatch entry"));
            }
        } else {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'firstMatch' must be a non-empty list");
        }
        WebDriverException lastFailure = null;
        for (Map<String, Object> f : first) {
            Map<String, Object> merged = new LinkedHashMap<>(always);
            for (Map.Entry<String, Object> e : f.entrySet()) {
                if (merged.containsKey(e.getKey())) {
                    throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "Capability '" + e.getKey()
                            + "' is given in both alwaysMatch and firstMatch");
                }
                merged.put(e.getKey(), e.getValue());
            }
            try {
                return validate(merged, device);
            } catch (WebDriverException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    private static Map<String, Object> validate(Map<String, Object> caps, Device device) {
        List<String> unprefixed = caps.keySet().stream().filter(k -> !k.contains(":") && !STANDARD.contains(k))
                .toList();
        if (!unprefixed.isEmpty()) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "All non-standard capabilities should have a "
                    + "vendor prefix. The following capabilities did not have one: " + String.join(",", unprefixed));
        }
        String platform = string(caps.get("platformName"));
        String automation = string(caps.get("appium:automationName"));
        if (platform == null || automation == null || !platform.equalsIgnoreCase("android")
                || !automation.equalsIgnoreCase("uiautomator2")) {
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "Could not find a driver for automationName '"
                    + automation + "' and platformName '" + platform + "'. Have you installed a driver that supports "
                    + "those capabilities? Run 'appium driver list --installed' to see.");
        }
        Object udid = caps.get("appium:udid");
        if (udid != null && !device.serial().equals(udid.toString())) {
            throw new WebDriverException(ErrorCode.SESSION_NOT_CREATED, "An unknown server-side error occurred while "
                    + "processing the command. Original error: Device " + udid
                    + " was not in the list of connected devices");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("platformName", "Android");
        caps.forEach((k, v) -> {
            if (!k.equals("platformName")) {
                out.put(k.startsWith("appium:") ? k.substring("appium:".length()) : k, v);
            }
        });
        out.put("automationName", "UiAutomator2");
        out.put("udid", device.serial());
        out.put("deviceUDID", device.serial());
        out.put("deviceName", device.serial());
        out.put("platformVersion", device.platformVersion());
        Map<String, Object> info = device.deviceInfo();
        out.put("deviceManufacturer", info.get("manufacturer"));
        out.put("deviceModel", info.get("model"));
        out.put("deviceScreenSize", info.get("realDisplaySize"));
        out.put("deviceApiLevel", info.get("apiVersion"));
        return out;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String what) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?>)) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'" + what + "' must be a JSON object");
        }
        return (Map<String, Object>) o;
    }
}
