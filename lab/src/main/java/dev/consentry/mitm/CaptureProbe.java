package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.verdict.CaptureGap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks that a capture still sees traffic: a probe is a plain HTTP request through the proxy to a reserved host,
 * healthy when the proxy answers and the request arrives in Java's stream within the time-out. Run before and after
 * each flow and periodically in between; a proxy that died or stalled shows up as a {@link CaptureGap} from the last
 * good probe to the next one (or to the last probe, when it never came back), which rules out a PASS.
 */
public final class CaptureProbe implements AutoCloseable {
    /** Reserved by RFC 6761: never a real destination, so a probe cannot be mistaken for handset traffic. */
    public static final String HOST = "capture-probe.consentry.invalid";

    /** One probe and how it went. */
    public record Result(Instant at, boolean healthy, String why) {
    }

    private final ProbeTarget capture;
    private final Duration timeout;
    private final Clock clock;
    private final Instant started;
    private final List<Result> results = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService periodic;

    public CaptureProbe(MitmdumpCapture capture, Duration timeout, Clock clock) {
        this((ProbeTarget) capture, timeout, clock);
    }

    CaptureProbe(ProbeTarget capture, Duration timeout, Clock clock) {
        this.capture = capture;
        this.timeout = timeout;
        this.clock = clock;
        this.started = clock.instant();
    }

    public CaptureProbe(MitmdumpCapture capture, Duration timeout) {
        this(capture, timeout, Clock.systemUTC());
    }

    public static boolean isProbe(CapturedFlow flow) {
        return HOST.equalsIgnoreCase(flow.request().host());
    }

    /** Probes every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized CaptureProbe every(Duration interval) {
        if (periodic == null) {
            periodic = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "capture-probe " + capture.name());
                t.setDaemon(true);
                return t;
            });
            periodic.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** One probe now; its result is kept for {@link #gaps()}. */
    public Result probe() {
        Instant at = clock.instant();
        String id = UUID.randomUUID().toString();
        Result r = new Result(at, false, "");
        try {
            r = send(at, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = new Result(at, false, "interrupted while probing");
        } catch (RuntimeException e) {
            r = new Result(at, false, "probe failed: " + e);
        }
        results.add(r);
        return r;
    }

    private Result send(Instant at, String id) throws InterruptedException {
        InetSocketAddress proxy = capture.proxyAddress();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket s = new Socket()) {
            s.connect(proxy, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET http://" + HOST + "/" + id + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n"
                    + "User-Agent: consentry-capture-probe\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(s.getInputStream());
            if (!status.startsWith("HTTP/")) {
                return new Result(at, false, "the proxy at " + proxy + " did not answer a probe within "
                        + timeout.toMillis() + " ms");
            }
        } catch (IOException e) {
            return new Result(at, false, "the proxy at " + proxy + " did not answer a probe within "
                    + timeout.toMillis() + " ms: " + e.getMessage());
        }
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Optional<CapturedFlow> seen = capture.awaitFlow(f -> isProbe(f) && f.request().path().equals("/" + id),
                Duration.ofMillis(left));
        return seen.isPresent() ? new Result(at, true, "")
                : new Result(at, false, "the proxy answered a probe but it did not reach the capture's stream within "
                + timeout.toMillis() + " ms");
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n' && line.length() < 200) {
            line.append((char) c);
        }
        return line.toString();
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    /**
     * Spans in which the capture was not known healthy: from the last good probe (or the start) before a failed one
     * to the next good probe, or to the last failed probe when none followed.
     */
    public List<CaptureGap> gaps() {
        List<Result> rs = new ArrayList<>(results);
        rs.sort(java.util.Comparator.comparing(Result::at));
        List<CaptureGap> gaps = new ArrayList<>();
        Instant lastGood = started;
        Result firstBad = null;
        Instant lastBad = null;
        for (Result r : rs) {
            if (r.healthy()) {
                if (firstBad != null) {
                    gaps.add(new CaptureGap(lastGood, r.at(), firstBad.why()));
                    firstBad = null;
                }
                lastGood = r.at();
            } else {
                if (firstBad == null) {
                    firstBad = r;
                }
                lastBad = r.at();
            }
        }
        if (firstBad != null) {
            gaps.add(new CaptureGap(lastGood, lastBad, firstBad.why() + "; the capture did not recover"));
        }
        return List.copyOf(gaps);
    }

    /**
     * Stops the periodic probes. One in flight is let finish rather than interrupted: an interrupted probe says
     * nothing about the capture, yet it would be recorded as a failure and leave a gap (a false INCONCLUSIVE). A
     * probe is bounded by its time-out (connect, answer, then the stream), so the wait is too; one that outlives it is
     * interrupted and counts as failed, which is the safe side.
     */
    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.shutdown();
            try {
                if (!periodic.awaitTermination(3 * timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    periodic.shutdownNow();
                    periodic.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                periodic.shutdownNow();
                Thread.currentThread().interrupt();
            }
            periodic = null;
        }
    }
}
