package dev.consentry.grid.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A started child process whose output goes to a log file. Closing stops it (and anything it started): politely
 * first, so a JVM runs its shutdown hooks and Node closes its server, then forcibly.
 */
public final class ExternalProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration POLITE_STOP = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    /** Hints look further back than the tail shown: the telling line often sits above a long stack trace. */
    private static final int HINT_LINES = 1000;
    private static final Pattern STACK_FRAME =
            Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more).*");

    private final ProcessSpec spec;
    private final Process process;

    private ExternalProcess(ProcessSpec spec, Process process) {
        this.spec = spec;
        this.process = process;
    }

    /**
     * Starts the process; does not wait for it to be ready.
     *
     * @throws ProcessStartException when the program cannot be run at all (not found, not executable)
     */
    public static ExternalProcess start(ProcessSpec spec) {
        try {
            Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(spec.command())
                    .directory(spec.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(spec.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            pb.environment().putAll(spec.environment());
            return new ExternalProcess(spec, pb.start());
        } catch (IOException e) {
            throw new ProcessStartException(spec.name() + " could not be started: " + e.getMessage()
                    + "\n  command: " + spec.commandLine(), e);
        }
    }

    /**
     * Waits until the probe says ready. On time-out or early exit the process is stopped and the exception explains:
     * command line, log file, log tail and whatever hints {@code hints} finds in that tail.
     */
    public ExternalProcess awaitReady(String readiness, Duration timeout, ReadinessProbe probe,
                                      Function<String, List<String>> hints) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastProbeError = null;
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " before " + readiness, null, hints);
            }
            try {
                if (probe.ready()) {
                    return this;
                }
                lastProbeError = null;
            } catch (Exception e) {
                lastProbeError = e;
            }
            if (System.nanoTime() > deadline) {
                String last = lastProbeError == null ? "" : " (last check: " + lastProbeError + ")";
                throw failure("was not ready within " + timeout.toSeconds() + " s: " + readiness + last,
                        lastProbeError, hints);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted", e, hints);
            }
        }
    }

    private ProcessStartException failure(String what, Throwable cause, Function<String, List<String>> hints) {
        close();
        String end = logTail(HINT_LINES);
        String tail = readableTail(end, TAIL_LINES);
        StringBuilder sb = new StringBuilder(spec.name()).append(' ').append(what)
                .append("\n  command: ").append(spec.commandLine())
                .append("\n  log: ").append(spec.logFile());
        for (String hint : hints.apply(end)) {
            sb.append("\n  hint: ").append(hint);
        }
        sb.append("\n  last lines of the log:");
        if (tail.isBlank()) {
            sb.append(" (empty)");
        }
        tail.lines().forEach(l -> sb.append("\n    | ").append(l));
        return new ProcessStartException(sb.toString(), cause);
    }

    /** The last lines without Java stack frames, which would otherwise push the exception messages out of view. */
    static String readableTail(String log, int lines) {
        List<String> kept = log.lines().filter(l -> !STACK_FRAME.matcher(l).matches()).toList();
        return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
    }

    public ProcessSpec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return spec.logFile();
    }

    /** The last lines of the log; reads only its end, since a long-running server's log grows without bound. */
    public String logTail(int lines) {
        return tail(spec.logFile(), lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int chunk = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[chunk];
            f.seek(len - chunk);
            f.readFully(buf);
            List<String> all = new String(buf, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        // Descendants first collected: once the parent is gone they are re-parented and harder to find.
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(0, process.toHandle());
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + POLITE_STOP.toNanos();
        for (ProcessHandle h : family) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.io.File nullDevice() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return new java.io.File(windows ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        return spec.name() + " (pid " + process.pid() + ")";
    }

    /** Hints found by substring: each pair is (text to look for, hint to give). */
    public static Function<String, List<String>> hintsFor(String... lookForThenHint) {
        if (lookForThenHint.length % 2 != 0) {
            throw new IllegalArgumentException("pairs expected: " + Arrays.toString(lookForThenHint));
        }
        return tail -> {
            List<String> found = new ArrayList<>();
            for (int i = 0; i < lookForThenHint.length; i += 2) {
                if (tail.contains(lookForThenHint[i]) && !found.contains(lookForThenHint[i + 1])) {
                    found.add(lookForThenHint[i + 1]);
                }
            }
            return found;
        };
    }
}
