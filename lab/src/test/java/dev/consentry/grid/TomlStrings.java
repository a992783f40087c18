package dev.consentry.grid;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader for the TOML string forms the generator writes, so tests check a round trip instead of trusting the
 * writer's own escaping rules twice.
 */
final class TomlStrings {
    private TomlStrings() {
    }

    /** One literal ('...') or basic ("...") string, nothing else around it. */
    static String parse(String token) {
        List<String> values = new ArrayList<>();
        int end = read(token, 0, values);
        if (end != token.length()) {
            throw new IllegalArgumentException("trailing text after string: " + token.substring(end));
        }
        return values.get(0);
    }

    /** A one-line array of strings: ["a", 'b']. */
    static List<String> parseArray(String token) {
        if (!token.startsWith("[") || !token.endsWith("]")) {
            throw new IllegalArgumentException("not an array: " + token);
        }
        List<String> values = new ArrayList<>();
        int i = 1;
        while (true) {
            i = skipSpaces(token, i);
            if (token.charAt(i) == ']') {
                break;
            }
            i = skipSpaces(token, read(token, i, values));
            if (token.charAt(i) == ',') {
                i++;
            } else if (token.charAt(i) != ']') {
                throw new IllegalArgumentException("expected , or ] at " + i + ": " + token);
            }
        }
        if (i != token.length() - 1) {
            throw new IllegalArgumentException("trailing text after array: " + token);
        }
        return values;
    }

    private static int skipSpaces(String s, int i) {
        while (s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int read(String s, int i, List<String> out) {
        char quote = s.charAt(i);
        StringBuilder sb = new StringBuilder();
        if (quote == '\'') {
            int close = s.indexOf('\'', i + 1);
            if (close < 0) {
                throw new IllegalArgumentException("unterminated literal string: " + s);
            }
            out.add(s.substring(i + 1, close));
            return close + 1;
        }
        if (quote != '"') {
            throw new IllegalArgumentException("not a string at " + i + ": " + s);
        }
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"') {
                out.add(sb.toString());
                return j + 1;
            }
            if (c < 0x20 && c != '\t') {
                throw new IllegalArgumentException("raw control character in basic string: " + s);
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++j);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'b' -> sb.append('\b');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'f' -> sb.append('\f');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(j + 1, j + 5), 16));
                    j += 4;
                }
                default -> throw new IllegalArgumentException("invalid escape \\" + e + " in " + s);
            }
        }
        throw new IllegalArgumentException("unterminated basic string: " + s);
    }
}
