package dev.consentry.twin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a binder reply the way Android's {@code service call} does: 32-bit little-endian words in hex, four per row,
 * and the raw bytes as text. A reply carrying a string is a status word (0 = no exception) then a String16: a length
 * word and UTF-16 code units, NUL-terminated and padded to a word boundary.
 */
public final class Parcel {
    private Parcel() {
    }

    public static String string16Reply(String value) {
        List<Integer> words = new ArrayList<>();
        words.add(0);
        if (value == null) {
            words.add(-1);
        } else {
            words.add(value.length());
            int units = value.length() + 1; // the terminating NUL is part of the parcel
            for (int i = 0; i < units; i += 2) {
                int lo = i < value.length() ? value.charAt(i) : 0;
                int hi = i + 1 < value.length() ? value.charAt(i + 1) : 0;
                words.add(lo | (hi << 16));
            }
        }
        return dump(words);
    }

    static String dump(List<Integer> words) {
        StringBuilder out = new StringBuilder("Result: Parcel(\n");
        for (int row = 0; row < words.size(); row += 4) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = row; i < row + 4; i++) {
                if (i < words.size()) {
                    int w = words.get(i);
                    hex.append(String.format("%08x ", w));
                    for (int b = 0; b < 4; b++) {
                        int ch = (w >>> (8 * b)) & 0xff;
                        text.append(ch >= 0x20 && ch < 0x7f ? (char) ch : '.');
                    }
                } else {
                    hex.append("         ");
                }
            }
            out.append(String.format("  0x%08x: %s'%-16s'", row * 4, hex, text));
            out.append(row + 4 >= words.size() ? ")" : "\n");
        }
        return out.append('\n').toString();
    }
}
