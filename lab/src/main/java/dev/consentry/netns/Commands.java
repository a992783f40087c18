package dev.consentry.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ip/iptables/sysctl synchronously, bounded, and says what failed with the command's own output. */
final class Commands {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Commands() {
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs and returns whatever happened; never throws for a non-zero exit. */
    static Result attempt(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // Output of these commands is small; reading before waiting cannot dead-lock on a full pipe.
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static String run(List<String> command) {
        Result r = attempt(command);
        if (!r.ok()) {
            throw new NetnsException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
                    + r.output());
        }
        return r.output();
    }

    /** {@code ip netns exec NS command...}. */
    static List<String> in(String namespace, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        c.addAll(List.of(command));
        return c;
    }
}
