package dev.consentry.har;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a bad entry's field is in the file, found by reading that one entry again. The reading path keeps no
 * locations (it is most of {@code analyze}'s reading time), so a field is located only once it is known to be bad;
 * entries are re-read from their first byte, which the reader does know.
 */
final class FieldLocation {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private FieldLocation() {
    }

    /**
     * The field and its problem, with where the field's value starts ({@code request.url (line 3, column 12):
     * expected a string, got number}), or for a field that is not there, the object it is missing from ({@code
     * request.method: missing (in the object at line 2, column 14)}); as {@code path: problem} when the entry is the
     * field, the field is missing from the entry itself (whose place the message gives already), or it cannot be found.
     *
     * @param entry   a parser at the start of the entry (its first token not read yet); line and column are counted
     *                from there, as if the entry began at line and column 1
     * @param entryAt where the entry starts in the file
     */
    static String describe(JsonParser entry, JsonLocation entryAt, String path, String problem) {
        String plain = path + ": " + problem;
        List<Object> segments = segments(path);
        if (segments == null) {
            return plain;
        }
        try {
            if (entry.nextToken() != JsonToken.START_OBJECT) {
                return plain; // not the entry the reader saw: say nothing rather than a wrong place
            }
            JsonLocation container = entry.currentTokenLocation();
            for (int i = 0; i < segments.size(); i++) {
                if (!into(entry, segments.get(i))) {
                    return i == 0 ? plain : plain + " (in the object at " + at(entryAt, container) + ")";
                }
                if (i < segments.size() - 1) {
                    container = entry.currentTokenLocation();
                }
            }
            return path + " (" + at(entryAt, entry.currentTokenLocation()) + "): " + problem;
        } catch (IOException | RuntimeException e) {
            return plain; // the entry read once already; a second reading that fails adds nothing to the message
        }
    }

    /** "request.postData.params[1].name" as ["request", "postData", "params", 1, "name"]; null for "entry" or junk. */
    private static List<Object> segments(String path) {
        if (path.equals("entry")) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        int end = 0;
        while (m.find()) {
            int gap = m.start() - end;
            if (gap > 1 || gap == 1 && path.charAt(end) != '.') {
                return null;
            }
            out.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
            end = m.end();
        }
        return end == path.length() && !out.isEmpty() ? out : null;
    }

    /**
     * Moves from the current object or array to the value the segment names (its first token); false if it has none.
     * The first of repeated names is taken: a HAR writer does not repeat them.
     */
    private static boolean into(JsonParser p, Object segment) throws IOException {
        if (segment instanceof String name) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean found = p.currentName().equals(name);
                p.nextToken();
                if (found) {
                    return true;
                }
                p.skipChildren();
            }
            return false;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        int index = (Integer) segment;
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null; i++) {
            if (i == index) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    /** A location in the re-read entry as the file's line and column (the entry's first line starts mid-line). */
    private static String at(JsonLocation entryAt, JsonLocation inEntry) {
        int line = inEntry.getLineNr();
        int column = inEntry.getColumnNr();
        return line == 1 ? "line " + entryAt.getLineNr() + ", column " + (entryAt.getColumnNr() + column - 1)
                : "line " + (entryAt.getLineNr() + line - 1) + ", column " + column;
    }
}
