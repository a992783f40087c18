package dev.consentry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryFile;
import dev.consentry.canary.CanaryFileException;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.har.HarException;
import dev.consentry.har.HarReader;
import dev.consentry.leak.Damage;
import dev.consentry.leak.Finding;
import dev.consentry.leak.FlowScan;
import dev.consentry.leak.LeakDetector;
import dev.consentry.mitm.FlowFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `consentry analyze --canaries canaries.yaml CAPTURE... [--json out.json]`: every place a canary left in recorded
 * traffic, offline. CAPTURE is a HAR 1.2 file or a mitmproxy flow file (read by mitmproxy's own FlowReader). A flow
 * or file that cannot be read is reported on stderr and the scan goes on; because such input was not (fully) scanned,
 * the exit status is then 1 even without a finding. Exit 0: everything scanned, nothing found; 1: findings or
 * unscanned input; 2: usage or canary-file error.
 */
final class AnalyzeCommand implements Callable<Integer> {
    static final long DEFAULT_MAX_BODY = 64L << 20;

    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;

    /** One finding with where it was: the file and the flow's position in it. */
    record Located(String capture, int flowIndex, Finding finding) {
    }

    AnalyzeCommand(List<String> args, PrintStream out, PrintStream err) {
        this.args = List.copyOf(args);
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Path canaryFile = null;
        Path json = null;
        long maxBody = DEFAULT_MAX_BODY;
        List<Path> captures = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--canaries" -> canaryFile = Path.of(value(a, ++i));
                case "--json" -> json = Path.of(value(a, ++i));
                case "--max-body-mb" -> {
                    try {
                        maxBody = Long.parseLong(value(a, ++i)) << 20;
                    } catch (NumberFormatException e) {
                        throw new UsageException("--max-body-mb needs a whole number of megabytes");
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("analyze: unknown option " + a);
                    }
                    captures.add(Path.of(a));
                }
            }
        }
        if (canaryFile == null || captures.isEmpty()) {
            throw new UsageException("analyze needs --canaries FILE and at least one capture");
        }
        List<Canary> canaries;
        try {
            canaries = CanaryFile.load(canaryFile);
        } catch (CanaryFileException e) {
            err.println("consentry analyze: canary file not usable:");
            err.println(e.getMessage());
            return 2;
        }
        Scan scan = new Scan(new LeakDetector(canaries), maxBody, err);
        for (Path capture : captures) {
            scan.capture(capture);
        }
        if (json != null) {
            try {
                writeJson(json, scan);
            } catch (IOException e) {
                err.println("consentry analyze: cannot write " + json + ": " + e.getMessage());
                return 2;
            }
        }
        printTable(scan);
        return scan.findings.isEmpty() && scan.problems == 0 ? 0 : 1;
    }

    private String value(String option, int i) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    /** The state of one analyze run: counts, findings, problems; flows are scanned as they are read. */
    static final class Scan {
        final LeakDetector detector;
        final long maxBody;
        final PrintStream err;
        final List<Located> findings = new ArrayList<>();
        long flows;
        long bytesScanned;
        int problems;

        Scan(LeakDetector detector, long maxBody, PrintStream err) {
            this.detector = detector;
            this.maxBody = maxBody;
            this.err = err;
        }

        void capture(Path capture) {
            String name = capture.getFileName().toString();
            if (!Files.isRegularFile(capture)) {
                problem(capture + ": no such file");
                return;
            }
            try {
                if (isHar(capture)) {
                    // Responses are never leaks: their bodies are skipped unread (often most of a capture's bytes).
                    HarReader.streamRequests(capture, new HarReader.EntrySink() {
                        @Override
                        public void flow(int index, CapturedFlow flow) {
                            scan(capture, name, index, flow, List.of());
                        }

                        @Override
                        public void badEntry(int index, String p) {
                            problem(capture + ": " + p + " (flow not scanned)");
                        }
                    });
                } else {
                    Path work = Files.createTempDirectory("consentry-analyze");
                    try {
                        FlowFile.read(capture, work, Duration.ofMinutes(30), new FlowFile.Sink() {
                            @Override
                            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                                scan(capture, name, index, flow, websocket);
                            }

                            @Override
                            public void badFlow(int index, String p) {
                                problem(capture + ": " + p + " (flow not scanned)");
                            }
                        });
                    } finally {
                        Files.deleteIfExists(work);
                    }
                }
            } catch (HarException | FlowFile.FlowFileException e) {
                problem(e.getMessage());
            } catch (IOException e) {
                problem(capture + ": cannot read: " + e.getMessage());
            }
        }

        /** HAR is JSON: its first non-blank byte is '{'. A mitmproxy flow file (tnetstring) starts with a digit. */
        private static boolean isHar(Path capture) throws IOException {
            try (InputStream in = Files.newInputStream(capture)) {
                int b;
                while ((b = in.read()) == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xEF || b == 0xBB
                        || b == 0xBF) {
                    // whitespace and a UTF-8 byte-order mark
                }
                return b == '{' || capture.getFileName().toString().toLowerCase().endsWith(".har");
            }
        }

        void scan(Path capture, String name, int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
            flows++;
            HttpRequestData r = flow.request();
            if (r.body().length > maxBody) {
                problem(capture + ": flow " + index + " (" + flow.id() + "): request body is "
                        + mb(r.body().length) + ", over the " + mb(maxBody) + " limit: only its first "
                        + mb(maxBody) + " scanned (--max-body-mb raises the limit)");
                r = new HttpRequestData(r.method(), r.scheme(), r.host(), r.port(), r.path(), r.httpVersion(),
                        r.headers(), Arrays.copyOf(r.body(), (int) maxBody), r.bodyDecoded());
                flow = new CapturedFlow(flow.id(), flow.started(), flow.client(), r, flow.response(), flow.error());
            }
            bytesScanned += r.path().length() + r.body().length;
            for (HttpHeader h : r.headers()) {
                bytesScanned += h.name().length() + h.value().length();
            }
            FlowScan scanned = detector.inspect(flow);
            for (Finding f : scanned.findings()) {
                findings.add(new Located(name, index, f));
            }
            for (Damage d : scanned.damage()) {
                problem(capture + ": flow " + index + " (" + flow.id() + "): request " + d.message());
            }
            for (FlowFile.Message m : websocket) {
                if (m.fromClient()) {
                    bytesScanned += m.content().length;
                    for (Finding f : detector.scanMessage(flow, "websocket", m.content())) {
                        findings.add(new Located(name, index, f));
                    }
                }
            }
        }

        private void problem(String message) {
            problems++;
            err.println("consentry analyze: " + message);
        }

        private static String mb(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
    }

    static void writeJson(Path file, Scan scan) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("flows", scan.flows);
        root.put("bytesScanned", scan.bytesScanned);
        ArrayNode list = root.putArray("findings");
        for (Located l : scan.findings) {
            Finding f = l.finding();
            ObjectNode o = list.addObject();
            o.put("capture", l.capture());
            o.put("flowIndex", l.flowIndex());
            o.put("flowId", f.flowId());
            o.put("canary", f.canary().kind().id());
            o.put("value", f.canary().value());
            o.put("host", f.host());
            o.put("scheme", f.scheme());
            o.put("location", f.location());
            ArrayNode t = o.putArray("transforms");
            f.transforms().forEach(t::add);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        m.writeValue(file.toFile(), root);
    }

    private void printTable(Scan scan) {
        out.printf("%d flows, %.1f MB scanned, %d findings%s%n", scan.flows, scan.bytesScanned / 1048576.0,
                scan.findings.size(), scan.problems == 0 ? "" : ", " + scan.problems + " problems (see above)");
        if (scan.findings.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CAPTURE", "FLOW", "HOST", "LOCATION", "CANARY", "VALUE", "TRANSFORMS"});
        for (Located l : scan.findings) {
            Finding f = l.finding();
            rows.add(new String[]{l.capture(), Integer.toString(l.flowIndex()), f.scheme() + "://" + f.host(),
                    f.location(), f.canary().kind().id(), f.canary().value(),
                    f.transforms().isEmpty() ? "(plain)" : String.join(" > ", f.transforms())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                line.append(c == r.length - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
