package dev.consentry.redact;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which headers and which query, form and JSON fields hold credentials. Names, not values: a value is only ever
 * judged by the name it travels under (and kept when it carries a canary, see {@link Redactor}).
 */
final class SecretNames {
    private static final Set<String> HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie",
            "x-api-key", "x-auth-token", "x-csrf-token", "x-xsrf-token", "x-amz-security-token");
    // Xiaomi's account APIs carry passToken, serviceToken and ssecurity; OAuth access_token, refresh_token, ...
    private static final Pattern FIELD = Pattern.compile(
            "(?i).*(token|secret|passw|session|sessid|api[_-]?key|signature|ssecurity|credential).*"
                    + "|sid|pwd|auth|sig|otp|pin");

    private SecretNames() {
    }

    static boolean header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return HEADERS.contains(n) || FIELD.matcher(n.startsWith("x-") ? n.substring(2) : n).matches();
    }

    static boolean field(String name) {
        return FIELD.matcher(name).matches();
    }
}
