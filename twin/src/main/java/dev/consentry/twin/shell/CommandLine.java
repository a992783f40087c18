package dev.consentry.twin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what {@code mobile: shell} received into words. Appium hands command and args to adb, which quotes each arg,
 * so args stay whole; a command given as one string is split the way /system/bin/sh would (quotes, backslashes).
 */
public final class CommandLine {
    private CommandLine() {
    }

    public static List<String> words(String command, List<String> args) {
        List<String> out = new ArrayList<>(split(command));
        out.addAll(args);
        return out;
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
