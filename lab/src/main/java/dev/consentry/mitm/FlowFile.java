package dev.consentry.mitm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mitmproxy flow file ({@code mitmdump -w}). Flows in the format Debian's mitmproxy 8.1.1 writes (flow-format
 * version 17) are read here ({@link Tnetstring}, {@link NativeFlows}) into exactly what mitmproxy's own reader gives;
 * from the first flow this reader is not certain of (another version, a flow type or field shape it does not know,
 * damage, a flow over {@value #MAX_NATIVE_FLOW_BYTES} bytes) mitmproxy's own {@code mitmproxy.io.FlowReader} in
 * mitmdump's Python (consentry_flowread.py) reads the rest of the file: every file mitmproxy can read is read,
 * migrated from older versions as mitmdump would, without mitmdump's replay machinery, and its messages for a corrupt
 * or truncated file are mitmproxy's. The script writes each HTTP flow as one JSON line to a pipe, without response
 * bodies (never leaks); each line is read here straight from Jackson's tokens while Python reads the next.
 */
public final class FlowFile {
    static final String READER_RESOURCE = "/dev/consentry/mitm/consentry_flowread.py";
    private static final JsonFactory JSON = new JsonFactory();
    /** consentry_flowread.py's exit status when mitmproxy's modules cannot be imported. */
    private static final int NO_MITMPROXY = 4;
    /** A larger flow goes to mitmproxy with the rest of the file: this reader holds one whole flow in memory. */
    static final long MAX_NATIVE_FLOW_BYTES = 64L << 20;

    /** A WebSocket message of the flow, as sent. */
    public record Message(boolean fromClient, byte[] content) {
    }

    public interface Sink {
        void flow(int index, CapturedFlow flow, List<Message> websocket);

        void badFlow(int index, String problem);
    }

    private FlowFile() {
    }

    /**
     * @param workDir where the reader script and its log go (deleted afterwards)
     * @throws FlowFileException when the file cannot be read to its end (corrupt, truncated: the flows before the
     *                           damage have been delivered), mitmproxy's Python is missing, or reading takes longer
     *                           than {@code timeout}
     */
    public static void read(Path file, Path workDir, Duration timeout, Sink sink) {
        long started = System.nanoTime();
        Resume resume;
        try (PythonCertCheck certs = new PythonCertCheck(workDir)) {
            resume = readNatively(file, timeout, sink, new NativeFlows(certs));
        }
        if (resume != null) {
            // The timeout is the whole file's: mitmproxy gets what the Java reader left of it.
            Duration left = timeout.minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) {
                throw new FlowFileException(file + ": reading it took longer than " + timeout + " (" + resume.index()
                        + " flows read)");
            }
            readWithPython(file, workDir, left, timeout, sink, resume.offset(), resume.index());
        }
    }

    /** Where mitmproxy takes over: the byte where flow {@code index} (counting HTTP flows) starts, and why. */
    record Resume(long offset, int index, String why) {
    }

    /**
     * Reads the flows this reader is certain of, from the start, handing each HTTP flow to the sink.
     *
     * @return null when the whole file was read, else where mitmproxy must go on
     */
    static Resume readNatively(Path file, Duration timeout, Sink sink, NativeFlows flows) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int index = 0;
        Tnetstring t = null;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            t = new Tnetstring(in, file.toString(), MAX_NATIVE_FLOW_BYTES);
            while (true) {
                NativeFlows.Mapped m;
                try {
                    Object value = t.next();
                    if (value == Tnetstring.end()) {
                        return null;
                    }
                    m = flows.map(value);
                } catch (Tnetstring.TnetstringException | NativeFlows.Unsure e) {
                    return new Resume(t.valueStart(), index, e.getMessage());
                } catch (RuntimeException e) {
                    // Not expected (NativeFlowsFuzzTest), but mitmproxy, not a crash, must have the last word on input.
                    return new Resume(t.valueStart(), index, e.toString());
                }
                if (m.flow() != null) {
                    sink.flow(index++, m.flow(), m.websocket());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new FlowFileException(file + ": reading it took longer than " + timeout + " (" + index
                            + " flows read)");
                }
            }
        } catch (IOException e) {
            return new Resume(t == null ? 0 : t.valueStart(), index, e.toString());
        }
    }

    /** mitmproxy's reader from byte {@code offset} on, where flow {@code index} starts (0, 0: the whole file). */
    static void readWithPython(Path file, Path workDir, Duration timeout, Sink sink, long offset, int index) {
        readWithPython(file, workDir, timeout, timeout, sink, offset, index);
    }

    /** @param stated the file's whole timeout, which a message names; {@code timeout} is what is left of it */
    private static void readWithPython(Path file, Path workDir, Duration timeout, Duration stated, Sink sink,
                                       long offset, int index) {
        Path script = workDir.resolve("consentry_flowread.py");
        Path log = workDir.resolve("flowread.log");
        List<String> command = new ArrayList<>(python());
        command.add(script.toString());
        command.add(file.toAbsolutePath().toString());
        if (offset != 0 || index != 0) {
            command.add(Long.toString(offset));
            command.add(Integer.toString(index));
        }
        Process p = null;
        AtomicBoolean timedOut = new AtomicBoolean();
        try {
            Files.createDirectories(workDir);
            try (InputStream in = FlowFile.class.getResourceAsStream(READER_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("class-path resource " + READER_RESOURCE + " is missing: rebuild"
                            + " the lab module");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            } catch (IOException e) {
                throw new FlowFileException(file + ": cannot run " + command.get(0) + " to read it (" + e.getMessage()
                        + "); install Debian's mitmproxy package");
            }
            Process proc = p;
            Thread watchdog = new Thread(() -> {
                try {
                    if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        proc.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    // reading ended first
                }
            }, "flowfile-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            Lines lines = new Lines(file, sink);
            lines.count = index;
            try (JsonParser parser = JSON.createParser(p.getInputStream())) {
                lines.readAll(parser);
            } catch (JsonProcessingException e) {
                // Only a reader killed mid-line writes broken JSON; its exit status says why below.
                lines.broken = e.getOriginalMessage();
                p.destroyForcibly();
            } catch (IllegalArgumentException e) {
                lines.broken = e.getMessage();
                p.destroyForcibly(); // nothing more it writes can be read
            } finally {
                watchdog.interrupt();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (timedOut.get()) {
                throw new FlowFileException(file + ": reading it took longer than " + stated + " (" + lines.count
                        + " flows read); command: " + String.join(" ", command));
            }
            int exit = p.isAlive() ? -1 : p.exitValue();
            if (lines.readError != null) {
                throw new FlowFileException(lines.readError);
            }
            if (exit == NO_MITMPROXY) {
                throw new FlowFileException(file + ": cannot read mitmproxy flow files here: " + tail(log)
                        + "; install Debian's mitmproxy package (its mitmdump's Python reads them)");
            }
            if (exit != 0 || lines.broken != null) {
                throw new FlowFileException(file + ": the flow-file reader failed (exit " + exit + ") after "
                        + lines.count + " flows" + (lines.broken == null ? "" : ", output cut: " + lines.broken)
                        + ": " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowFileException(file + ": interrupted while reading it");
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            for (Path f : List.of(script, log)) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * The Python that runs mitmdump (the interpreter on its {@code #!} line), which has mitmproxy's modules; a
     * {@code python3} found first on PATH (pyenv, a virtualenv) often has not. Plain {@code python3} when mitmdump is
     * not a script.
     */
    static List<String> python() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            Path mitmdump = Path.of(dir.isEmpty() ? "." : dir, "mitmdump");
            if (!Files.isRegularFile(mitmdump)) {
                continue;
            }
            try (BufferedReader r = Files.newBufferedReader(mitmdump, StandardCharsets.ISO_8859_1)) {
                String first = r.readLine();
                if (first != null && first.startsWith("#!") && first.contains("python")) {
                    return List.of(first.substring(2).trim().split("\\s+"));
                }
            } catch (IOException ignored) {
                // unreadable: fall back below
            }
            break;
        }
        return List.of("python3");
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size())).strip();
    }

    /** The reader's output, one JSON object per line, read token by token. */
    private static final class Lines {
        private final Path file;
        private final Sink sink;
        int count;
        String readError;
        String broken;

        Lines(Path file, Sink sink) {
            this.file = file;
            this.sink = sink;
        }

        /** @throws IllegalArgumentException when the reader's output is not what it writes (cut off, say) */
        void readAll(JsonParser p) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("expected a JSON object, got " + t);
                }
                Line line = new Line();
                line.read(p);
                int index = line.index >= 0 ? line.index : count;
                switch (line.type == null ? "" : line.type) {
                    case "read_error" -> readError = file + ": cannot read flow " + index + " (from byte "
                            + line.offset + ") or anything after it: mitmproxy says \"" + line.error + "\" ("
                            + (index == 0 ? "no flow before it" : index == 1 ? "the flow before it was read"
                            : "the " + index + " flows before it were read")
                            + "); the file is corrupt or truncated";
                    case "bad_flow" -> {
                        count++;
                        sink.badFlow(index, "flow " + index + ": mitmproxy read it, but it cannot be converted: "
                                + line.error);
                    }
                    case "flow" -> {
                        count++;
                        CapturedFlow flow;
                        try {
                            flow = line.flow();
                        } catch (IllegalArgumentException e) {
                            sink.badFlow(index, "flow " + index + ": " + e.getMessage());
                            continue;
                        }
                        sink.flow(index, flow, line.websocket);
                    }
                    default -> throw new IllegalArgumentException("unknown line type " + line.type);
                }
            }
        }
    }

    /** One line of consentry_flowread.py, field by field; checked when the flow is built. */
    private static final class Line {
        String type;
        String id;
        int index = -1;
        long offset = -1;
        Double started;
        String client;
        String error;
        Req request;
        Resp response;
        List<Message> websocket = List.of();

        void read(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = text(p, name);
                    case "id" -> id = text(p, name);
                    case "index" -> index = p.getIntValue();
                    case "offset" -> offset = p.getLongValue();
                    case "started" -> started = t == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                    case "client" -> client = text(p, name);
                    case "error" -> error = text(p, name);
                    case "request" -> request = t == JsonToken.VALUE_NULL ? null : Req.read(p);
                    case "response" -> response = t == JsonToken.VALUE_NULL ? null : Resp.read(p);
                    case "websocket" -> websocket = t == JsonToken.VALUE_NULL ? List.of() : messages(p);
                    default -> p.skipChildren();
                }
            }
        }

        CapturedFlow flow() {
            Req q = required(request, "request");
            HttpRequestData r = new HttpRequestData(required(q.method, "request.method"),
                    required(q.scheme, "request.scheme"), required(q.host, "request.host"),
                    required(q.port, "request.port"), required(q.path, "request.path"),
                    required(q.httpVersion, "request.http_version"), required(q.headers, "request.headers"),
                    q.body == null ? new byte[0] : q.body);
            Optional<HttpResponseData> resp = Optional.ofNullable(response).map(s -> new HttpResponseData(
                    required(s.status, "response.status"), s.reason == null ? "" : s.reason,
                    required(s.headers, "response.headers"), new byte[0]));
            return new CapturedFlow(required(id, "id"), NativeFlows.instant(required(started, "started")),
                    client == null ? "" : client, r, resp, Optional.ofNullable(error));
        }

        private static List<Message> messages(JsonParser p) throws IOException {
            expect(p, JsonToken.START_ARRAY, "websocket");
            List<Message> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                boolean fromClient = false;
                byte[] content = new byte[0];
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    switch (name) {
                        case "from_client" -> fromClient = p.getValueAsBoolean();
                        case "content_b64" -> content = p.getBinaryValue();
                        default -> p.skipChildren();
                    }
                }
                out.add(new Message(fromClient, content));
            }
            return out;
        }
    }

    private static final class Req {
        String method;
        String scheme;
        String host;
        Integer port;
        String path;
        String httpVersion;
        List<HttpHeader> headers;
        byte[] body;

        static Req read(JsonParser p) throws IOException {
            expect(p, JsonToken.START_OBJECT, "request");
            Req r = new Req();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "method" -> r.method = text(p, name);
                    case "scheme" -> r.scheme = text(p, name);
                    case "host" -> r.host = text(p, name);
                    case "port" -> r.port = intOrNull(p);
                    case "path" -> r.path = text(p, name);
                    case "http_version" -> r.httpVersion = text(p, name);
                    case "headers" -> r.headers = headers(p);
                    case "body_b64" -> r.body = p.getBinaryValue();
                    default -> p.skipChildren();
                }
            }
            return r;
        }
    }

    private static final class Resp {
        Integer status;
        String reason;
        List<HttpHeader> headers;

        static Resp read(JsonParser p) throws IOException {
            expect(p, JsonToken.START_OBJECT, "response");
            Resp r = new Resp();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "status" -> r.status = intOrNull(p);
                    case "reason" -> r.reason = text(p, name);
                    case "headers" -> r.headers = headers(p);
                    default -> p.skipChildren(); // a body, were one written, is never a leak
                }
            }
            return r;
        }
    }

    private static List<HttpHeader> headers(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "headers");
        List<HttpHeader> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            String name = text(p, "header name");
            p.nextToken();
            String value = text(p, "header value");
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("header: expected [name, value]");
            }
            out.add(new HttpHeader(name, value));
        }
        return out;
    }

    private static void expect(JsonParser p, JsonToken token, String field) {
        if (p.currentToken() != token) {
            throw new IllegalArgumentException(field + ": expected " + token + ", got " + p.currentToken());
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + ": expected a string, got " + t);
        }
        return p.getText();
    }

    /** An int, or null (then "missing", a bad flow) for a number Java's int does not hold. */
    private static Integer intOrNull(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                ? p.getIntValue() : null;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }


    /** The flow file is unusable as a whole (flows before the problem may have been delivered). */
    public static final class FlowFileException extends RuntimeException {
        public FlowFileException(String message) {
            super(message);
        }
    }
}
