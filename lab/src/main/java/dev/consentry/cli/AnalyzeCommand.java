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
import dev.consentry.leak.ScanTarget;
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
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * `consentry analyze --canaries canaries.yaml CAPTURE... [--json out.json]`: every place a canary left in recorded
 * traffic, offline. CAPTURE is a HAR 1.2 file or a mitmproxy flow file (read by mitmproxy's own FlowReader). A flow
 * or file that cannot be read is reported on stderr and the scan goes on; because such input was not (fully) scanned,
 * the exit status is then 1 even without a finding. Exit 0: everything scanned, nothing found; 1: findings or
 * unscanned input; 2: usage or canary-file error.
 *
 * <p>Flows are read on one thread and scanned on {@code --threads} (default: one per processor) through a
 * {@link ScanPipeline}, which hands each flow's findings and messages back in the order the flows were read: the
 * output is the same as with {@code --threads 1}, which scans each flow on the reading thread as it is read.
 */
final class AnalyzeCommand implements Callable<Integer> {
    static final long DEFAULT_MAX_BODY = 64L << 20;
    /**
     * Request bytes read but not yet reported, over all scanner threads: what the reader may run ahead. With the
     * engine's own work per thread (a body's decoded copies) it keeps "2 GB in under 512 MB of heap" true.
     */
    static final long IN_FLIGHT_BYTES = 32L << 20;
    static final String THREAD_NAME = "consentry-analyze-scan";

    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;
    private Consumer<CapturedFlow> beforeScan = flow -> { };

    /** One finding with where it was: the file and the flow's position in it. */
    record Located(String capture, int flowIndex, Finding finding) {
    }

    AnalyzeCommand(List<String> args, PrintStream out, PrintStream err) {
        this.args = List.copyOf(args);
        this.out = out;
        this.err = err;
    }

    /** Runs {@code hook} on the scanning thread before each flow's scan (tests make a scan fail with it). */
    AnalyzeCommand beforeScan(Consumer<CapturedFlow> hook) {
        this.beforeScan = hook;
        return this;
    }

    @Override
    public Integer call() {
        Path canaryFile = null;
        Path json = null;
        long maxBody = DEFAULT_MAX_BODY;
        int threads = Runtime.getRuntime().availableProcessors();
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
                case "--threads" -> threads = threads(value(a, ++i));
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
        Scan scan = new Scan(new LeakDetector(canaries), maxBody, err, beforeScan);
        scan.run(captures, threads, IN_FLIGHT_BYTES);
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

    static int threads(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("--threads needs a whole number of scanner threads from 1 to 1024, not '" + v + "'");
    }

    private String value(String option, int i) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    /**
     * What the reader hands on, in reading order: a flow to scan, or a problem found while reading (a bad entry, an
     * unreadable file), which must reach stderr between the messages of the flows around it.
     */
    record Item(Path capture, String name, int index, CapturedFlow flow, List<FlowFile.Message> websocket,
                String problem) {
        static Item problem(String message) {
            return new Item(null, null, -1, null, List.of(), message);
        }

        /** Request bytes as scanned (the budget of bytes in flight counts these). */
        long weight() {
            if (flow == null) {
                return 0;
            }
            long n = requestBytes(flow.request());
            for (FlowFile.Message m : websocket) {
                n += m.content().length;
            }
            return n;
        }
    }

    /** What scanning one flow gave, to be reported in reading order. */
    record Outcome(boolean flow, long bytes, List<Located> findings, List<String> problems) {
    }

    static long requestBytes(HttpRequestData r) {
        long n = r.path().length() + r.body().length;
        for (HttpHeader h : r.headers()) {
            n += h.name().length() + h.value().length();
        }
        return n;
    }

    /**
     * The state of one analyze run: counts, findings, problems. Flows are scanned as they are read, on the reading
     * thread or on scanner threads; either way the state changes and stderr lines happen on the reading thread, in
     * reading order.
     */
    static final class Scan {
        final LeakDetector detector;
        final long maxBody;
        final PrintStream err;
        final Consumer<CapturedFlow> beforeScan;
        final List<Located> findings = new ArrayList<>();
        long flows;
        long bytesScanned;
        int problems;
        private ScanPipeline<Item, Outcome> pipeline;
        private long read;
        private long reported;
        /**
         * Scanner threads hold it shared; a flow whose scan ran out of heap is scanned once more holding it alone,
         * with no other scan's decoded copies beside it (fair, so that retry is not starved by new scans).
         */
        private final ReentrantReadWriteLock room = new ReentrantReadWriteLock(true);

        Scan(LeakDetector detector, long maxBody, PrintStream err) {
            this(detector, maxBody, err, flow -> { });
        }

        Scan(LeakDetector detector, long maxBody, PrintStream err, Consumer<CapturedFlow> beforeScan) {
            this.detector = detector;
            this.maxBody = maxBody;
            this.err = err;
            this.beforeScan = beforeScan;
        }

        /**
         * Scans the captures with {@code threads} scanner threads (1: on this thread), at most {@code inFlight}
         * request bytes read ahead of what is reported. If the scanner threads stop (one failed, or this thread was
         * interrupted), says so and how many flows read have no result, and reads no further: a problem, so the
         * exit status is never 0.
         */
        void run(List<Path> captures, int threads, long inFlight) {
            if (threads == 1) {
                captures.forEach(this::capture);
                return;
            }
            try (ScanPipeline<Item, Outcome> p = new ScanPipeline<>(threads, inFlight, this::outcome, Item::weight,
                    new ScanPipeline.Sink<>() {
                        @Override
                        public void result(Item item, Outcome outcome) {
                            report(outcome);
                        }

                        @Override
                        public void failed(Item item, RuntimeException e) {
                            scanFailed(item, e);
                        }
                    }, THREAD_NAME, () -> { })) {
                pipeline = p;
                try {
                    captures.forEach(this::capture);
                    p.finish();
                } catch (ScanPipeline.Stopped e) {
                    problem("the scan stopped: " + e.getMessage() + ": " + (read - reported) + " flows read have no"
                            + " result (not scanned, or scanned after the failure), and the rest of the input was not"
                            + " read");
                }
            } finally {
                pipeline = null;
            }
        }

        void capture(Path capture) {
            String name = capture.getFileName().toString();
            long readBefore = read;
            if (!Files.isRegularFile(capture)) {
                readProblem(capture + (Files.isDirectory(capture)
                        ? ": a directory, not a capture (give its .har or mitmdump -w files)"
                        : Files.exists(capture) ? ": not a regular file (a capture is a .har or mitmdump -w file)"
                        : ": no such file"));
                return;
            }
            try {
                if (isHar(capture)) {
                    // Responses are never leaks: their bodies are skipped unread (often most of a capture's bytes).
                    HarReader.streamRequests(capture, new HarReader.EntrySink() {
                        @Override
                        public void flow(int index, CapturedFlow flow) {
                            flow(index, flow, List.of());
                        }

                        @Override
                        public void flow(int index, CapturedFlow flow, List<byte[]> sentOnWebSocket) {
                            scan(new Item(capture, name, index, flow, sentOnWebSocket.stream()
                                    .map(m -> new FlowFile.Message(true, m)).toList(), null));
                        }

                        @Override
                        public void badEntry(int index, String p) {
                            readProblem(capture + ": " + p + " (flow not scanned)");
                        }
                    });
                } else {
                    Path work = Files.createTempDirectory("consentry-analyze");
                    try {
                        FlowFile.read(capture, work, Duration.ofMinutes(30), new FlowFile.Sink() {
                            @Override
                            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                                scan(new Item(capture, name, index, flow, websocket, null));
                            }

                            @Override
                            public void badFlow(int index, String p) {
                                readProblem(capture + ": " + p + " (flow not scanned)");
                            }
                        });
                    } finally {
                        Files.deleteIfExists(work);
                    }
                }
            } catch (HarException | FlowFile.FlowFileException e) {
                readProblem(e.getMessage());
            } catch (IOException e) {
                readProblem(capture + ": cannot read: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                // Reading, not scanning (a scan's own is caught in attempt): one entry larger than the heap holds, or
                // the scanner threads' copies beside it. What the reader held is garbage now; the next file is read.
                readProblem(capture + ": reading ran out of Java heap (at most " + Runtime.getRuntime().maxMemory()
                        / (1 << 20) + " MB) after " + (read - readBefore) + " flows: the rest of the file was not read"
                        + " (give analyze more: JDK_JAVA_OPTIONS=-Xmx2g)");
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

        /** A flow read: scanned now (one thread) or handed to the scanner threads. */
        private void scan(Item item) {
            read++;
            if (pipeline != null) {
                pipeline.submit(item);
                return;
            }
            Outcome o;
            try {
                o = outcome(item);
            } catch (RuntimeException e) {
                scanFailed(item, e);
                return;
            }
            report(o);
        }

        /** A problem met while reading, reported after the flows read before it. */
        private void readProblem(String message) {
            if (pipeline != null) {
                pipeline.submit(Item.problem(message));
            } else {
                problem(message);
            }
        }

        /**
         * Scans one flow; touches nothing shared but the (thread-safe) detector, so any thread may run it. A scan
         * that runs out of heap beside other scans (one request can decode to several copies of 64 MB, see
         * LeakDetector#inspect) is tried again alone before it is said not searched in full: the default thread
         * count is one per processor, whatever the heap.
         */
        Outcome outcome(Item item) {
            if (item.flow() == null) {
                return new Outcome(false, 0, List.of(), List.of(item.problem()));
            }
            Attempt first = attempt(item, room.readLock());
            if (!first.outOfMemory()) {
                return first.outcome();
            }
            if (pipeline == null) {
                return first.outcome(); // one thread: it was alone already
            }
            Attempt alone = attempt(item, room.writeLock());
            if (!alone.outOfMemory()) {
                return alone.outcome();
            }
            Outcome o = alone.outcome();
            List<String> said = new ArrayList<>(o.problems());
            said.add(item.capture() + ": flow " + item.index() + " (" + item.flow().id() + "): out of Java heap even"
                    + " with no other flow being scanned: give analyze more (JDK_JAVA_OPTIONS=-Xmx2g)");
            return new Outcome(o.flow(), o.bytes(), o.findings(), said);
        }

        /** An outcome, and whether the heap ran out on the way (then it says what was not searched). */
        private record Attempt(Outcome outcome, boolean outOfMemory) {
        }

        private Attempt attempt(Item item, Lock lock) {
            lock.lock();
            try {
                return scanOnce(item);
            } catch (OutOfMemoryError e) {
                // Out of the engine's reach (it catches its own): the flow's copies are garbage now.
                return new Attempt(new Outcome(false, 0, List.of(), List.of(item.capture() + ": flow " + item.index()
                        + " (" + item.flow().id() + "): the scan ran out of Java heap (at most "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB) (flow not scanned)")), true);
            } finally {
                lock.unlock();
            }
        }

        private Attempt scanOnce(Item item) {
            Path capture = item.capture();
            int index = item.index();
            CapturedFlow flow = item.flow();
            List<String> said = new ArrayList<>();
            List<Located> found = new ArrayList<>();
            HttpRequestData r = flow.request();
            if (r.body().length > maxBody) {
                said.add(capture + ": flow " + index + " (" + flow.id() + "): request body is "
                        + mb(r.body().length) + ", over the " + mb(maxBody) + " limit: only its first "
                        + mb(maxBody) + " scanned (--max-body-mb raises the limit)");
                r = new HttpRequestData(r.method(), r.scheme(), r.host(), r.port(), r.path(), r.httpVersion(),
                        r.headers(), Arrays.copyOf(r.body(), (int) maxBody), r.bodyDecoded());
                flow = new CapturedFlow(flow.id(), flow.started(), flow.client(), r, flow.response(), flow.error());
            }
            long bytes = requestBytes(r);
            beforeScan.accept(flow);
            FlowScan scanned = detector.inspect(flow);
            boolean outOfMemory = scanned.outOfMemory();
            for (Finding f : scanned.findings()) {
                found.add(new Located(item.name(), index, f));
            }
            for (Damage d : scanned.damage()) {
                said.add(capture + ": flow " + index + " (" + flow.id() + "): request " + d.message());
            }
            int message = 0;
            for (FlowFile.Message m : item.websocket()) {
                if (m.fromClient()) {
                    bytes += m.content().length;
                    FlowScan sent = detector.inspectMessage(flow, ScanTarget.WEBSOCKET, m.content());
                    outOfMemory |= sent.outOfMemory();
                    for (Finding f : sent.findings()) {
                        found.add(new Located(item.name(), index, f));
                    }
                    for (Damage d : sent.damage()) {
                        said.add(capture + ": flow " + index + " (" + flow.id() + "): WebSocket message " + message
                                + " from the client: " + d.problem());
                    }
                }
                message++;
            }
            return new Attempt(new Outcome(true, bytes, found, said), outOfMemory);
        }

        /** On the reading thread, in reading order. */
        private void report(Outcome o) {
            if (o.flow()) {
                reported++;
                flows++;
                bytesScanned += o.bytes();
            }
            findings.addAll(o.findings());
            o.problems().forEach(this::problem);
        }

        /** A scan that threw: said for its flow, which is not counted as scanned; the others go on. */
        private void scanFailed(Item item, RuntimeException e) {
            reported++;
            problem(item.capture() + ": flow " + item.index() + " (" + item.flow().id() + "): the scan failed: " + e
                    + " (flow not scanned)");
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
            // Which form matched (the IMEI without its check digit, a grouped phone number) and where in the view
            // the chain leads to: what a reader needs to find the bytes again.
            o.put("form", f.form());
            o.put("offset", f.offset());
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
        rows.add(new String[]{"CAPTURE", "FLOW", "HOST", "LOCATION", "CANARY", "VALUE", "FORM", "TRANSFORMS"});
        for (Located l : scan.findings) {
            Finding f = l.finding();
            // The form tells a reader what to look for in the flow when it is not the value as given: an IMEI without
            // its check digit, one coordinate of a location, a coordinate in E7.
            rows.add(new String[]{l.capture(), Integer.toString(l.flowIndex()), f.scheme() + "://" + f.host(),
                    f.location(), f.canary().kind().id(), f.canary().value(),
                    f.form().equals(f.canary().value()) ? "(as given)" : f.form(),
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
