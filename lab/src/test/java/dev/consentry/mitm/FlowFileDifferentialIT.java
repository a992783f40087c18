package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.cli.BenchFlowFiles;
import dev.consentry.process.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FlowFile's own reading against mitmproxy's (consentry_flowread.py on its own, the reader before this one), on the
 * same files, compared flow by flow (every field, body bytes, WebSocket messages) and message by message: flow files
 * recorded by Debian's real mitmdump around loopback HTTP, HTTPS and WebSocket traffic, the bench's MitmFlowWriter
 * files, edge cases made by mitmproxy 8.1.1's own code (edge_flows.py), and cut and damaged copies of them.
 */
class FlowFileDifferentialIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    static Path shared;
    /** Files FlowFile must read to their end itself, by name. */
    static final Map<String, Path> NATIVE = new LinkedHashMap<>();
    static Path edges;

    @TempDir
    Path dir;

    /** What a reading gave: one line per flow or bad flow, then the exception's message, if any. */
    record Outcome(List<String> events, String failure) {
    }

    @BeforeAll
    static void makeFiles() throws Exception {
        Path real = Files.createDirectories(shared.resolve("real"));
        NATIVE.put("mitmdump http+websocket", RealFlowFiles.record(real));
        NATIVE.put("mitmdump https", recordHttps(Files.createDirectories(shared.resolve("https"))));
        NATIVE.put("bench MitmFlowWriter", BenchFlowFiles.write(shared.resolve("bench.mitm"), 400, 5));
        edges = Files.createDirectories(shared.resolve("edges"));
        Path script = edges.resolve("edge_flows.py");
        try (InputStream in = FlowFileDifferentialIT.class.getResourceAsStream("edge_flows.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        run(edges, List.of(String.join(" ", FlowFile.python()), script.toString(), edges.toString()));
        NATIVE.put("edge cases", edges.resolve("native.mitm"));
        NATIVE.put("certificates", edges.resolve("certificates.mitm"));
    }

    @Test
    void recordedWrittenAndEdgeFilesAreReadHereToTheEndExactlyAsMitmproxyReadsThem() throws Exception {
        for (Map.Entry<String, Path> e : NATIVE.entrySet()) {
            Path file = e.getValue();
            List<String> nativeEvents = new ArrayList<>();
            FlowFile.Resume resume;
            try (PythonCertCheck certs = new PythonCertCheck(dir.resolve("certs"))) {
                resume = FlowFile.readNatively(file, TIMEOUT, sink(nativeEvents), new NativeFlows(certs));
            }
            assertThat(resume).as(e.getKey() + ": read here to the end").isNull();
            Outcome python = python(file);
            assertThat(python.failure()).as(e.getKey()).isNull();
            assertThat(nativeEvents).as(e.getKey() + ": same flows as mitmproxy").isEqualTo(python.events());
            assertThat(both(file)).as(e.getKey()).isEqualTo(python);
            assertThat(nativeEvents).as(e.getKey()).isNotEmpty();
        }
        assertThat(String.join("\n", python(NATIVE.get("mitmdump https")).events()))
                .as("the HTTPS recording holds TLS flows").contains("| https |").contains("HTTP/2.0");
        assertThat(Files.readString(NATIVE.get("mitmdump https"), StandardCharsets.ISO_8859_1))
                .as("with certificates").contains("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void aFlowThisReaderIsNotCertainOfGoesToMitmproxyFromThatFlowOn() throws Exception {
        List<Path> fallbacks;
        try (var list = Files.list(edges)) {
            fallbacks = list.filter(p -> p.getFileName().toString().startsWith("fallback-")).sorted().toList();
        }
        assertThat(fallbacks).hasSizeGreaterThanOrEqualTo(14);
        for (Path file : fallbacks) {
            String name = file.getFileName().toString();
            FlowFile.Resume resume;
            try (PythonCertCheck certs = new PythonCertCheck(dir.resolve("certs"))) {
                resume = FlowFile.readNatively(file, TIMEOUT, sink(new ArrayList<>()), new NativeFlows(certs));
            }
            long second = flowStarts(Files.readAllBytes(file)).get(1);
            assertThat(resume).as(name).isNotNull();
            assertThat(resume.offset()).as(name + ": " + resume.why()).isEqualTo(second);
            assertThat(resume.index()).as(name).isEqualTo(1);
            Outcome python = python(file);
            assertThat(both(file)).as(name).isEqualTo(python);
            assertThat(python.events().get(0)).as(name).contains("/before");
        }
    }

    @Test
    void cutAndDamagedCopiesGiveTheSameFlowsAndTheSameMessagesBothWays() throws Exception {
        Random random = new Random(11);
        int compared = 0;
        int failing = 0;
        for (String name : List.of("mitmdump http+websocket", "mitmdump https", "edge cases")) {
            byte[] all = Files.readAllBytes(NATIVE.get(name));
            List<Long> starts = flowStarts(all);
            List<byte[]> variants = new ArrayList<>();
            for (long s : starts.subList(1, starts.size())) {
                variants.add(Arrays.copyOf(all, (int) s + 1 + random.nextInt(30)));
            }
            for (int i = 0; i < 6; i++) {
                variants.add(Arrays.copyOf(all, random.nextInt(all.length)));
                byte[] flipped = all.clone();
                flipped[random.nextInt(all.length)] ^= (byte) (1 + random.nextInt(255));
                variants.add(flipped);
            }
            byte[] digit = all.clone();
            digit[(int) (long) starts.get(starts.size() / 2)] = 'x';
            variants.add(digit);
            for (byte[] v : variants) {
                Path file = Files.write(dir.resolve("variant-" + compared + ".mitm"), v);
                Outcome python = python(file);
                assertThat(both(file)).as(name + " variant " + compared).isEqualTo(python);
                compared++;
                failing += python.failure() == null ? 0 : 1;
            }
        }
        assertThat(failing).as("most variants are unreadable somewhere").isGreaterThan(compared / 2);
    }

    private Outcome both(Path file) {
        List<String> events = new ArrayList<>();
        try {
            FlowFile.read(file, dir.resolve("work"), TIMEOUT, sink(events));
            return new Outcome(events, null);
        } catch (FlowFile.FlowFileException e) {
            return new Outcome(events, e.getMessage());
        }
    }

    private Outcome python(Path file) {
        List<String> events = new ArrayList<>();
        try {
            FlowFile.readWithPython(file, dir.resolve("work"), TIMEOUT, sink(events), 0, 0);
            return new Outcome(events, null);
        } catch (FlowFile.FlowFileException e) {
            return new Outcome(events, e.getMessage());
        }
    }

    private static FlowFile.Sink sink(List<String> events) {
        return new FlowFile.Sink() {
            @Override
            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                events.add(index + " " + describe(flow) + " ws=" + websocket.stream()
                        .map(m -> m.fromClient() + ":" + b64(m.content())).toList());
            }

            @Override
            public void badFlow(int index, String problem) {
                events.add(index + " bad " + problem);
            }
        };
    }

    /** Every field of the flow, bodies in base64. */
    static String describe(CapturedFlow f) {
        var q = f.request();
        return String.join(" | ", f.id(), f.started().toString(), f.client(), q.method(), q.scheme(), q.host(),
                Integer.toString(q.port()), q.path(), q.httpVersion(), headers(q.headers()), b64(q.body()),
                Boolean.toString(q.bodyDecoded()), f.response().map(r -> r.status() + " " + r.reason() + " "
                        + headers(r.headers()) + " " + b64(r.body())).orElse("no response"),
                f.error().orElse("no error"));
    }

    private static String headers(List<HttpHeader> headers) {
        return headers.stream().map(h -> h.name() + "=" + h.value()).toList().toString();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static List<Long> flowStarts(byte[] file) {
        List<Long> out = new ArrayList<>();
        for (Integer s : FlowFileIT.flowStarts(file)) {
            out.add((long) s);
        }
        return out;
    }

    /**
     * Real HTTPS through a real mitmdump (its own confdir, upstream certificate not verified) to a loopback HTTPS
     * server with a fresh self-signed certificate, by curl: HTTP/1.1 and HTTP/2 to the proxy, a POST with a body.
     */
    private static Path recordHttps(Path dir) throws Exception {
        run(dir, List.of("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext"
                + " subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem -days 2"));
        Files.writeString(dir.resolve("server.py"), String.join("\n",
                "import http.server, ssl, sys",
                "class H(http.server.BaseHTTPRequestHandler):",
                "    def do_GET(self): self.ok()",
                "    def do_POST(self):",
                "        self.rfile.read(int(self.headers.get('Content-Length', 0)))",
                "        self.ok()",
                "    def ok(self):",
                "        b = b'{\"ok\":true}'",
                "        self.send_response(200)",
                "        self.send_header('Content-Length', str(len(b)))",
                "        self.end_headers()",
                "        self.wfile.write(b)",
                "    def log_message(self, *a): pass",
                "s = http.server.HTTPServer(('127.0.0.1', 0), H)",
                "c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
                "c.load_cert_chain('cert.pem', 'key.pem')",
                "s.socket = c.wrap_socket(s.socket, server_side=True)",
                "print(s.server_address[1], flush=True)",
                "s.serve_forever()", ""));
        Process server = new ProcessBuilder(FlowFile.python().get(0), "server.py").directory(dir.toFile())
                .redirectError(dir.resolve("server.log").toFile()).start();
        Path recorded = dir.resolve("https.mitm");
        int proxyPort = FreePorts.one();
        Process mitmdump = null;
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(port).as("HTTPS server port").matches("[0-9]+");
            mitmdump = new ProcessBuilder("mitmdump", "-q", "--listen-host", "127.0.0.1", "-p",
                    Integer.toString(proxyPort), "--set", "confdir=" + dir.resolve("conf"), "--set",
                    "ssl_insecure=true", "--set", "connection_strategy=lazy", "--set", "upstream_cert=false", "-w", recorded.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mitmdump.log").toFile()).start();
            RealFlowFiles.awaitPort(proxyPort, Duration.ofSeconds(30), mitmdump);
            String proxy = "http://127.0.0.1:" + proxyPort;
            String url = "https://127.0.0.1:" + port;
            run(dir, List.of("curl -sSk --max-time 20 -o /dev/null -x " + proxy + " " + url + "/tls?imei="
                    + RealFlowFiles.IMEI));
            run(dir, List.of("curl -sSk --max-time 20 -o /dev/null --http2 -x " + proxy + " -H X-Canary:"
                    + RealFlowFiles.IMEI + " --data-binary imei=" + RealFlowFiles.IMEI + " " + url + "/h2"));
        } finally {
            if (mitmdump != null) {
                mitmdump.destroy();
                if (!mitmdump.waitFor(20, TimeUnit.SECONDS)) {
                    mitmdump.destroyForcibly();
                }
            }
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(recorded).isNotEmptyFile();
        return recorded;
    }

    /** Runs a command line (split on spaces) in {@code dir}, expecting exit 0 within two minutes. */
    private static void run(Path dir, List<String> commandLine) throws Exception {
        List<String> command = new ArrayList<>();
        for (String part : commandLine) {
            command.addAll(List.of(part.split(" ")));
        }
        Path log = dir.resolve("command.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        assertThat(p.exitValue()).as(command + ": " + readLog(log)).isZero();
    }

    private static String readLog(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }
}
