package dev.consentry.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host name as a policy lists it: exact ({@code api.account.xiaomi.com}) or {@code *.xiaomi.com}, which matches
 * every name below xiaomi.com at any depth but not xiaomi.com itself (list that too if meant), so a pattern never
 * reaches further than it reads. Case does not matter, as in DNS.
 */
public record HostPattern(String pattern) {
    private static final Pattern LABELS = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public HostPattern {
        Objects.requireNonNull(pattern, "pattern");
        pattern = pattern.toLowerCase(Locale.ROOT);
        String why = invalid(pattern);
        if (why != null) {
            throw new IllegalArgumentException(why + ", got \"" + pattern + "\"");
        }
    }

    /** Why {@code pattern} is not a host pattern, or null when it is one. */
    public static String invalid(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String rest = p.startsWith("*.") ? p.substring(2) : p;
        if (!LABELS.matcher(rest).matches()) {
            return "expected a host name or *.domain (letters, digits, '-', '.')";
        }
        return null;
    }

    public boolean matches(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return pattern.startsWith("*.") ? h.endsWith(pattern.substring(1)) : h.equals(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
