package dev.consentry.mitm;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks mitmproxy's own {@code Cert.from_state} (consentry_certcheck.py in mitmdump's Python) whether it loads a
 * certificate, once per distinct PEM: a capture repeats the same few certificates in every flow of a host. Started on
 * the first certificate; any failure to run or answer says "no", so that mitmproxy reads the flow itself.
 */
final class PythonCertCheck implements NativeFlows.CertCheck, AutoCloseable {
    static final String RESOURCE = "/dev/consentry/mitm/consentry_certcheck.py";
    private static final int MAX_CACHED = 10_000;

    /** Python's start and mitmproxy's import come first: seconds on a loaded machine, never this long. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final List<String> command;
    private final Duration answerTimeout;
    private final Map<ByteBuffer, Boolean> answers = new HashMap<>();
    private Process process;
    private Path script;
    private boolean broken;

    PythonCertCheck(Path workDir) {
        this(workDir, null, ANSWER_TIMEOUT);
    }

    /** @param command what to run instead of mitmdump's Python with the shipped script (tests); null for that */
    PythonCertCheck(Path workDir, List<String> command, Duration answerTimeout) {
        this.workDir = workDir;
        this.command = command;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public boolean loads(byte[] pem) {
        ByteBuffer key = ByteBuffer.wrap(pem);
        Boolean known = answers.get(key);
        if (known != null) {
            return known;
        }
        boolean answer = ask(pem);
        if (answers.size() >= MAX_CACHED) {
            answers.clear();
        }
        answers.put(key, answer);
        return answer;
    }

    private boolean ask(byte[] pem) {
        if (broken) {
            return false;
        }
        try {
            if (process == null) {
                start();
            }
            DataOutputStream out = new DataOutputStream(process.getOutputStream());
            out.writeInt(pem.length);
            out.write(pem);
            out.flush();
            int answer = answer();
            if (answer != '1' && answer != '0') {
                broken = true;
                return false;
            }
            return answer == '1';
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    /**
     * The helper's one-byte answer, or -1 when it gives none within {@link #answerTimeout}: a pipe has no read
     * timeout, so a watchdog kills a helper that hangs, which ends the read (the caller then says "no" to this and
     * every later certificate, and mitmproxy reads those flows, under the file's own deadline).
     */
    private int answer() throws IOException {
        Process proc = process;
        Thread watchdog = new Thread(() -> {
            try {
                if (!proc.waitFor(answerTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    proc.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                // answered in time
            }
        }, "certcheck-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return proc.getInputStream().read();
        } finally {
            watchdog.interrupt();
        }
    }

    private void start() throws IOException {
        if (command != null) {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return;
        }
        Files.createDirectories(workDir);
        script = workDir.resolve("consentry_certcheck.py");
        try (InputStream in = PythonCertCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("class-path resource " + RESOURCE + " is missing");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(FlowFile.python());
        command.add(script.toString());
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public void close() {
        if (process != null) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (script != null) {
            try {
                Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
