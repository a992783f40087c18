package dev.consentry.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads HAR 1.2 as written by {@link HarWriter}, mitmproxy's hardump, browsers and HTTP Toolkit, one entry at a time
 * straight from the JSON tokens ({@link EntryParser}), whether the whole file is wanted or one entry after another.
 * Only what a flow needs is required (startedDateTime, request.method, request.url); every other field may be
 * missing, as it often is.
 */
public final class HarReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // A HAR holds bodies as strings; Jackson's default 20 M-char limit would reject a 16 MB upload.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE - 64).build())
            .build();
    /** Only for showing a wrongly typed response.status as JSON in its error. */
    private static final ObjectMapper CODEC = new ObjectMapper(FACTORY);

    private HarReader() {
    }

    /** @throws HarException naming the file, and the entry index and field for a malformed entry */
    public static List<CapturedFlow> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HarException(file + ": cannot read: " + e, e);
        }
        return read(bytes, file.toString());
    }

    /**
     * @param source what to call the data in error messages, usually the file name
     * @throws HarException when the data is not JSON (anywhere in it, with line:column), not HAR, or an entry is
     *                      malformed (the first such entry, by index and field)
     */
    public static List<CapturedFlow> read(byte[] json, String source) {
        List<CapturedFlow> flows = new ArrayList<>();
        String firstBad = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            p.setCodec(CODEC);
            Boolean consentry = entries(p);
            boolean har = consentry != null;
            if (har) {
                EntryParser entries = new EntryParser(true, consentry);
                for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                    JsonLocation at = p.currentTokenLocation();
                    try {
                        flows.add(entries.entry(p, index));
                    } catch (EntryParser.BadField e) {
                        if (firstBad == null) {
                            firstBad = source + ": " + entry(index, at) + ": " + located(e, at, () ->
                                    FACTORY.createParser(json, (int) at.getByteOffset(),
                                            json.length - (int) at.getByteOffset()));
                        }
                    }
                }
            }
            // The whole document is read before any other problem is reported, so broken JSON always says so.
            while (p.currentToken() != null && !p.getParsingContext().inRoot()) {
                p.nextToken();
            }
            if (!har) {
                throw new HarException(source + ": not a HAR file: no log.entries array");
            }
        } catch (IOException e) {
            throw unreadable(source, e);
        }
        if (firstBad != null) {
            throw new HarException(firstBad);
        }
        return List.copyOf(flows);
    }

    /** What {@link #stream} hands over for each entry: the flow, or why that entry could not be read. */
    public interface EntrySink {
        void flow(int index, CapturedFlow flow);

        /**
         * An entry with what the client sent on its WebSocket ({@code _webSocketMessages} of Chrome's and HTTP
         * Toolkit's HAR; empty for other entries); by default the messages are dropped.
         */
        default void flow(int index, CapturedFlow flow, List<byte[]> sentOnWebSocket) {
            flow(index, flow);
        }

        /**
         * @param problem names the entry (its index, and the line and column it starts at) and the field, e.g.
         *                {@code entry 2 (line 40, column 5): request.url: missing}
         */
        void badEntry(int index, String problem);
    }

    /**
     * Reads the entries one at a time, so a capture of any size costs one entry's memory, and a bad entry is reported
     * to the sink while the next ones are still read.
     *
     * @throws HarException when the file itself is unusable (unreadable, not JSON, no log.entries), naming the file,
     *                      and line:column where the JSON broke; entries before the break have been delivered
     */
    public static void stream(Path file, EntrySink sink) {
        stream(file, sink, true);
    }

    /**
     * As {@link #stream}, for readers that look only at what the client sent, like analyze: each response's body
     * (response.content) is skipped unread, which costs a fraction of decoding it, and a broken one is then no
     * problem. The flows' responses keep their status, reason and headers, with an empty body.
     */
    public static void streamRequests(Path file, EntrySink sink) {
        stream(file, sink, false);
    }

    private static void stream(Path file, EntrySink sink, boolean responseBodies) {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file); JsonParser p = FACTORY.createParser(in)) {
            p.setCodec(CODEC);
            Boolean consentry = entries(p);
            if (consentry == null) {
                throw new HarException(source + ": not a HAR file: no log.entries array");
            }
            EntryParser entries = new EntryParser(responseBodies, consentry);
            for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                JsonLocation at = p.currentTokenLocation();
                EntryParser.Parsed parsed;
                try {
                    parsed = entries.parse(p, index);
                } catch (EntryParser.BadField ex) {
                    sink.badEntry(index, entry(index, at) + ": " + located(ex, at, () -> {
                        InputStream again = Files.newInputStream(file);
                        try {
                            again.skipNBytes(at.getByteOffset());
                            return FACTORY.createParser(again);
                        } catch (IOException | RuntimeException e) {
                            again.close();
                            throw e;
                        }
                    }));
                    continue;
                }
                sink.flow(index, parsed.flow(), parsed.sentOnWebSocket());
            }
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Opens a parser at an entry's first byte, for {@link #located}. */
    @FunctionalInterface
    private interface Reopen {
        JsonParser open() throws IOException;
    }

    /**
     * The bad field and its problem, with the line and column of the field (see {@link FieldLocation}), found by
     * reading the entry again: only bad entries pay for it. Without them when the entry's start is not known as a
     * byte offset or it cannot be read again.
     */
    private static String located(EntryParser.BadField bad, JsonLocation at, Reopen reopen) {
        if (at.getByteOffset() < 0 || at.getLineNr() <= 0) {
            return bad.getMessage();
        }
        try (JsonParser p = reopen.open()) {
            return FieldLocation.describe(p, at, bad.path(), bad.problem());
        } catch (IOException | RuntimeException e) {
            return bad.getMessage();
        }
    }

    /**
     * An entry as a bad-entry message names it: its index, and the line and column where it starts, since a HAR of
     * thousands of entries is found in an editor by line, not by counting entries.
     */
    private static String entry(int index, JsonLocation at) {
        return at.getLineNr() > 0 ? "entry " + index + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"
                : "entry " + index;
    }

    /**
     * Moves the parser into log.entries (at its START_ARRAY); null if the document has none, else whether
     * log.creator, when it comes before the entries (as every writer known puts it), names {@link HarWriter}, which
     * keeps a body as sent even when it writes it as text (see {@link EntryParser}).
     */
    private static Boolean entries(JsonParser p) throws IOException {
        boolean[] consentry = {false};
        boolean found = p.nextToken() == JsonToken.START_OBJECT && seek(p, "log", null)
                && p.nextToken() == JsonToken.START_OBJECT && seek(p, "entries", consentry)
                && p.nextToken() == JsonToken.START_ARRAY;
        return found ? consentry[0] : null;
    }

    /**
     * Moves past fields of the current object up to the value of {@code name}; false if the object has none.
     *
     * @param consentry when not null, set if a "creator" object passed on the way is named "consentry"
     */
    private static boolean seek(JsonParser p, String name, boolean[] consentry) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.currentName().equals(name)) {
                return true;
            }
            boolean creator = consentry != null && p.currentName().equals("creator");
            if (p.nextToken() == JsonToken.START_OBJECT && creator) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean named = p.currentName().equals("name");
                    p.nextToken();
                    consentry[0] |= named && p.currentToken() == JsonToken.VALUE_STRING
                            && p.getText().equals(HarWriter.CREATOR);
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        return false;
    }

    /** An absolute URL split the way a request line and Host header carry it. Lenient: no java.net.URI rules. */
    record Url(String scheme, String host, int port, String path) {
        static Optional<Url> parse(String url) {
            int sep = url.indexOf("://");
            if (sep <= 0) {
                return Optional.empty();
            }
            String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
            String rest = url.substring(sep + 3);
            int end = rest.length();
            for (char c : new char[]{'/', '?', '#'}) {
                int i = rest.indexOf(c);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            String authority = rest.substring(0, end);
            String path = rest.substring(end);
            int hash = path.indexOf('#');
            if (hash >= 0) {
                path = path.substring(0, hash); // fragments never leave the client
            }
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            String host;
            String portText = "";
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    return Optional.empty();
                }
                host = authority.substring(1, close);
                if (authority.length() > close + 1 && authority.charAt(close + 1) == ':') {
                    portText = authority.substring(close + 2);
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                portText = colon < 0 ? "" : authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                return Optional.empty();
            }
            int port;
            if (portText.isEmpty()) {
                port = switch (scheme) {
                    case "http", "ws" -> 80;
                    case "https", "wss" -> 443;
                    default -> -1;
                };
            } else if (decimalPort(portText)) {
                port = Integer.parseInt(portText);
            } else {
                return Optional.empty();
            }
            return port < 0 || port > 65535 ? Optional.empty() : Optional.of(new Url(scheme, host, port, path));
        }

        /** One to five ASCII digits (String.matches would compile a regex for every URL that names a port). */
        private static boolean decimalPort(String text) {
            if (text.isEmpty() || text.length() > 5) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }
    }

    /** Names where the JSON broke (file:line:column) when Jackson knows, else why the file could not be read. */
    private static HarException unreadable(String source, IOException e) {
        if (e instanceof JsonProcessingException j) {
            JsonLocation l = j.getLocation();
            String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            return new HarException(source + at + ": not JSON: " + j.getOriginalMessage(), e);
        }
        return new HarException(source + ": cannot read: " + e, e);
    }
}
