package dev.consentry.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A started program whose output goes to a log file. Stopping is polite first (SIGTERM: servers flush and close),
 * then forceful once the grace period is over; children it started are stopped with it.
 */
public final class ExternalProcess implements AutoCloseable {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    private static final long POLL_MILLIS = 100;

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
     * @param hints given the failure text (error, then the log tail), what a human should try; used in every
     *              start failure message of this process
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
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
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
        stop(Duration.ofSeconds(3));
        return failure(spec, hints, what, logTail(TAIL_LINES), cause);
    }

    private static ProcessStartException failure(ProcessSpec spec, Function<String, List<String>> hints, String what,
                                                 String tail, Throwable cause) {
        StringBuilder sb = new StringBuilder(spec.name()).append(' ').append(what)
                .append("\n  command: ").append(spec.commandLine())
                .append("\n  log: ").append(spec.logFile());
        hints.apply(what + "\n" + tail).forEach(h -> sb.append("\n  hint: ").append(h));
        sb.append("\n  last lines of the log:").append(tail.isBlank() ? " (empty)" : "");
        tail.lines().forEach(l -> sb.append("\n    | ").append(l));
        return new ProcessStartException(sb.toString(), spec.commandLine(), spec.logFile(), tail, cause);
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
     * Asks the process to end (SIGTERM), waits up to {@code grace}, then kills it. Children are collected before
     * the parent goes, because once re-parented they are hard to find.
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
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
                if (!waitFor(child, Duration.ofSeconds(2))) {
                    child.destroyForcibly();
                }
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
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
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
