package dev.consentry.mitm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;

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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mitmproxy flow file ({@code mitmdump -w}), read by mitmdump itself: {@code mitmdump -nr FILE} with the shipped
 * addon consentry_flowjson.py writes each HTTP flow as one JSON line, which is then read one flow at a time. Letting
 * mitmproxy parse its own (versioned, tnetstring) format is the robust way: every file it can replay is read.
 */
public final class FlowFile {
    static final String ADDON_RESOURCE = "/dev/consentry/mitm/consentry_flowjson.py";
    private static final ObjectMapper JSON = new ObjectMapper();

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
     * @param workDir where the addon and the converted lines go (deleted afterwards)
     * @throws FlowFileException when mitmdump is missing, fails, or does not finish within {@code timeout}
     */
    public static void read(Path file, Path workDir, Duration timeout, Sink sink) {
        Path addon = workDir.resolve("consentry_flowjson.py");
        Path lines = workDir.resolve("flows.jsonl");
        Path log = workDir.resolve("mitmdump.log");
        List<String> command = List.of("mitmdump", "-q", "-n", "-r", file.toAbsolutePath().toString(), "-s",
                addon.toString(), "--set", "consentry_flowjson=" + lines);
        try {
            Files.createDirectories(workDir);
            try (InputStream in = FlowFile.class.getResourceAsStream(ADDON_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("class-path resource " + ADDON_RESOURCE + " is missing: rebuild"
                            + " the lab module");
                }
                Files.copy(in, addon, StandardCopyOption.REPLACE_EXISTING);
            }
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new FlowFileException(file + ": cannot run mitmdump to read it (" + e.getMessage()
                        + "); install Debian's mitmproxy package");
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new FlowFileException(file + ": mitmdump did not finish reading it within " + timeout
                        + "; command: " + String.join(" ", command));
            }
            String tail = tail(log);
            int seen = 0;
            try (BufferedReader r = Files.exists(lines) ? Files.newBufferedReader(lines, StandardCharsets.US_ASCII)
                    : new BufferedReader(java.io.Reader.nullReader())) {
                String line;
                while ((line = r.readLine()) != null) {
                    int index = seen++;
                    try {
                        JsonNode n = JSON.readTree(line);
                        index = n.path("index").asInt(index);
                        CapturedFlow flow = StreamParser.flow(n);
                        List<Message> ws = new ArrayList<>();
                        for (JsonNode m : n.path("websocket")) {
                            ws.add(new Message(m.path("from_client").asBoolean(),
                                    Base64.getDecoder().decode(m.path("content_b64").asText(""))));
                        }
                        sink.flow(index, flow, ws);
                    } catch (IOException | RuntimeException e) {
                        sink.badFlow(index, "flow " + index + ": " + e.getMessage());
                    }
                }
            }
            if (p.exitValue() != 0) {
                throw new FlowFileException(file + ": mitmdump could not read " + (seen == 0 ? "it" : "all of it, "
                        + seen + " flows read") + " (exit " + p.exitValue() + "): " + tail);
            }
            if (seen == 0 && !tail.isBlank()) {
                throw new FlowFileException(file + ": no HTTP flow read; mitmdump said: " + tail);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowFileException(file + ": interrupted while mitmdump read it");
        } finally {
            for (Path f : List.of(addon, lines, log)) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size())).strip();
    }

    /** The flow file is unusable as a whole (flows before the problem may have been delivered). */
    public static final class FlowFileException extends RuntimeException {
        public FlowFileException(String message) {
            super(message);
        }
    }
}
