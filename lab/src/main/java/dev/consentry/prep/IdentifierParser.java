package dev.consentry.prep;

import dev.consentry.profile.IdentifierRead;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an identifier out of a shell command's output, the way the device profile says it is printed. */
public final class IdentifierParser {
    // One row of a Parcel dump: "  0x00000000: 00000000 0000000f 00360038 00350031 '........8.6.5.1.'"
    // Only a well-formed address counts: an error such as "cat: ...: No such file or directory" is no value.
    private static final Pattern MAC = Pattern.compile("\\b(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}\\b");
    private static final Pattern PARCEL_ROW = Pattern.compile("0x[0-9a-fA-F]+:((?:\\s+[0-9a-fA-F]{8})+)");

    private IdentifierParser() {
    }

    public static Optional<String> parse(IdentifierRead read, String output) {
        String parse = read.parse();
        if (parse.equals("trim")) {
            return nonBlank(output.trim());
        }
        if (parse.equals("mac")) {
            Matcher m = MAC.matcher(output);
            return m.find() ? Optional.of(m.group()) : Optional.empty();
        }
        if (parse.equals("parcel-utf16")) {
            return parcelString16(output);
        }
        if (parse.startsWith("line:")) {
            return labelledLine(parse.substring("line:".length()), output);
        }
        throw new IllegalArgumentException("unknown parse method '" + parse + "' (use trim, mac, parcel-utf16 or line:<label>)");
    }

    /** "  Device ID = 865..." or "Device ID: 865...". */
    static Optional<String> labelledLine(String label, String output) {
        Pattern p = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s*[=:]\\s*(\\S.*?)\\s*$", Pattern.MULTILINE);
        Matcher m = p.matcher(output);
        return m.find() ? nonBlank(m.group(1)) : Optional.empty();
    }

    /**
     * A {@code service call} reply is a Parcel: a status word, then a String16 as a length word followed by UTF-16
     * code units packed two per little-endian 32-bit word. A non-zero status means the call threw (no permission,
     * no SIM), which reads as "no value", not as garbage.
     */
    static Optional<String> parcelString16(String output) {
        List<Long> words = new ArrayList<>();
        Matcher rows = PARCEL_ROW.matcher(output);
        while (rows.find()) {
            for (String w : rows.group(1).trim().split("\\s+")) {
                words.add(Long.parseLong(w, 16));
            }
        }
        if (words.size() < 2 || words.get(0) != 0) {
            return Optional.empty();
        }
        long length = words.get(1);
        if (length <= 0 || length == 0xffffffffL || length > 2 * (words.size() - 2)) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            long word = words.get(2 + i / 2);
            s.append((char) (i % 2 == 0 ? word & 0xffff : (word >>> 16) & 0xffff));
        }
        return nonBlank(s.toString());
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
