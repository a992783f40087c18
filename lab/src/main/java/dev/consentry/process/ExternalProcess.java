package dev.consentry.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A started program whose output goes to a log file. Stopping is polite first (SIGTERM: servers flush and close),
 * then forceful once the grace period is over; children it started are stopped with it.
 */
public final class ExternalProcess implements AutoCloseable {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    /** Hints look further back than the tail shown: the telling line often sits above a long stack trace. */
    private static final int HINT_LINES = 1000;
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more).*");
    private static final long POLL_MILLIS = 100;
    /** How long a program that failed to start gets to end politely before it is killed. */
    private static final Duration FAILED_START_GRACE = Duration.ofSeconds(3);
    /** How long the children still running once the parent is gone get, all together, before they are killed. */
    private static final Duration CHILDREN_GRACE = Duration.ofSeconds(2);

    private final ProcessSpec spec;
    private final Process process;
    private final Function<String, List<String>> hints;

    private ExternalProcess(ProcessSpec spec, Process process, Function<String, List<String>> hints) {
        this.spec = spec;
        this.process = process;
        this.hints = hints;
    }

    public static ExternalProcess start(ProcessSpec spec) {
        return start(spec, text -> List.of());
    }

    /**
     * Starts the program without waiting for it to be ready.
     *
     * @param hints given the failure text (error, then the end of the log, further back than the tail shown), what
     *              a human should try; used in every start failure message of this process
     * @throws ProcessStartException when it cannot be run at all (not installed, not executable)
     */
    public static ExternalProcess start(ProcessSpec spec, Function<String, List<String>> hints) {
        try {
            Files.createDirectories(spec.workDir());
            Path parent = spec.logFile().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ProcessBuilder pb = new ProcessBuilder(spec.command())
                    .directory(spec.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(spec.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            pb.environment().putAll(spec.environment());
            return new ExternalProcess(spec, pb.start(), hints);
        } catch (IOException e) {
            throw failure(spec, hints, "could not be started: " + e.getMessage(), "", e);
        }
    }

    /**
     * Waits until {@code check} reports ready. On time-out, early exit or interrupt the process is stopped and a
     * {@link ProcessStartException} says what was run, what the last check said and how the log ends.
     */
    public ExternalProcess awaitReady(String readiness, Duration timeout, ReadinessCheck check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastReason = "not checked yet";
        Exception lastError = null;
        while (true) {
            try {
                Optional<String> notReady = check.notReadyBecause();
                if (notReady.isEmpty()) {
                    return this;
                }
                lastReason = notReady.get();
                lastError = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw startFailure("start was interrupted while waiting for: " + readiness, e);
            } catch (Exception e) {
                lastReason = e.toString();
                lastError = e;
            }
            // Checked after the readiness look so a program that got ready and then exited is still reported.
            if (!process.isAlive()) {
                throw startFailure("exited with code " + process.exitValue() + " before " + readiness, lastError);
            }
            if (System.nanoTime() - deadline > 0) {
                throw startFailure("was not ready within " + timeout.toMillis() + " ms (" + readiness
                        + "; last check: " + lastReason + ")", lastError);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw startFailure("start was interrupted while waiting for: " + readiness, e);
            }
        }
    }

    /** Stops the process (see {@link #stop(Duration)}) and builds the exception for a start that went wrong. */
    public ProcessStartException startFailure(String what, Throwable cause) {
        stop(FAILED_START_GRACE);
        return failure(spec, hints, what, logTail(HINT_LINES), cause);
    }

    /** @param end the end of the log, searched for hints; the message shows only its last lines */
    private static ProcessStartException failure(ProcessSpec spec, Function<String, List<String>> hints, String what,
                                                 String end, Throwable cause) {
        String tail = readableTail(end, TAIL_LINES);
        StringBuilder sb = new StringBuilder(spec.name()).append(' ').append(what)
                .append("\n  command: ").append(spec.commandLine())
                .append("\n  log: ").append(spec.logFile());
        hints.apply(what + "\n" + end).forEach(h -> sb.append("\n  hint: ").append(h));
        sb.append("\n  last lines of the log:").append(tail.isBlank() ? " (empty)" : "");
        tail.lines().forEach(l -> sb.append("\n    | ").append(l));
        return new ProcessStartException(sb.toString(), spec.commandLine(), spec.logFile(), tail, cause);
    }

    /** The last lines without Java stack frames, which would otherwise push the exception messages out of view. */
    static String readableTail(String log, int lines) {
        List<String> kept = log.lines().filter(l -> !STACK_FRAME.matcher(l).matches()).toList();
        return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
    }

    /** Hints found by substring: each pair is (text to look for, hint to give). */
    public static Function<String, List<String>> hintsFor(String... lookForThenHint) {
        if (lookForThenHint.length % 2 != 0) {
            throw new IllegalArgumentException("pairs expected: " + Arrays.toString(lookForThenHint));
        }
        List<String> pairs = List.of(lookForThenHint);
        return text -> {
            List<String> found = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i += 2) {
                if (text.contains(pairs.get(i)) && !found.contains(pairs.get(i + 1))) {
                    found.add(pairs.get(i + 1));
                }
            }
            return found;
        };
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

    /** Present once the process has ended. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public Path logFile() {
        return spec.logFile();
    }

    public String logTail() {
        return logTail(TAIL_LINES);
    }

    /** The last lines of the log; reads only the end of the file, since a server's log grows without bound. */
    public String logTail(int lines) {
        return tail(spec.logFile(), lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int chunk = (int) Math.min(length, 64 * 1024);
            byte[] buffer = new byte[chunk];
            f.seek(length - chunk);
            f.readFully(buffer);
            List<String> all = new String(buffer, StandardCharsets.UTF_8).lines().toList();
            if (chunk < length && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line was cut in the middle
            }
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Asks the process to end (SIGTERM), waits up to {@code grace}, then kills it; children still running after that
     * get the same, with a short grace of their own. Children are collected before the parent goes, because once
     * re-parented they are hard to find. Every wait is bounded, so this returns within about grace + 7 s.
     */
    public ProcessExit stop(Duration grace) {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        boolean killed = false;
        if (process.isAlive()) {
            process.destroy();
            killed = !waitFor(process.toHandle(), grace);
            if (killed) {
                process.destroyForcibly();
            }
        }
        children.removeIf(child -> !child.isAlive());
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + CHILDREN_GRACE.toNanos();
        for (ProcessHandle child : children) {
            if (!waitFor(child, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                child.destroyForcibly();
            }
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                return new ProcessExit(-1, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessExit(-1, killed);
        }
        return new ProcessExit(process.exitValue(), killed);
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static File nullDevice() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return new File(windows ? "NUL" : "/dev/null");
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    @Override
    public String toString() {
        return spec.name() + " (pid " + process.pid() + ")";
    }
}
