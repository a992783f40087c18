package dev.consentry.grid;

/**
 * The few TOML value forms the Grid configs need. Hand-written because the Grid reads only flat tables of strings,
 * numbers, booleans and string arrays; a TOML library would be a dependency for four methods.
 */
final class Toml {
    private Toml() {
    }

    /**
     * A string as TOML writes it best for embedded JSON: a literal string ({@code '...'}, no escapes, so the JSON's
     * own backslashes and quotes stay as they are), or a basic string when the value holds what a literal string
     * cannot (a single quote, a control character).
     */
    static String string(String value) {
        return literalAllowed(value) ? "'" + value + "'" : basic(value);
    }

    /** A basic string ({@code "..."}), with every character TOML requires escaped. */
    static String basic(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static boolean literalAllowed(String value) {
        return value.chars().noneMatch(c -> c == '\'' || (c < 0x20 && c != '\t') || c == 0x7f);
    }
}
