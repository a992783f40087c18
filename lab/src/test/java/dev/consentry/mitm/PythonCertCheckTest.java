package dev.consentry.mitm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The certificate helper's protocol and what happens when it does not answer (stand-in helpers, no mitmproxy). */
class PythonCertCheckTest {
    /** Answers '1' to every length-prefixed PEM, as consentry_certcheck.py does for one mitmproxy loads. */
    private static final String ANSWERS_YES = String.join("\n",
            "import sys, struct",
            "while True:",
            "    n = sys.stdin.buffer.read(4)",
            "    if len(n) < 4:",
            "        break",
            "    sys.stdin.buffer.read(struct.unpack('>i', n)[0])",
            "    sys.stdout.write('1')",
            "    sys.stdout.flush()");

    private static final byte[] PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void aHelperThatAnswersIsBelieved(@TempDir Path dir) {
        try (PythonCertCheck check = new PythonCertCheck(dir, List.of("python3", "-c", ANSWERS_YES),
                Duration.ofSeconds(30))) {
            assertThat(check.loads(PEM)).isTrue();
            assertThat(check.loads("another".getBytes(StandardCharsets.US_ASCII))).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHelperThatNeverAnswersIsKilledAndEveryCertificateGoesToMitmproxy(@TempDir Path dir) {
        // Reads its input and never writes: before the watchdog, loads() blocked on the pipe for ever.
        try (PythonCertCheck check = new PythonCertCheck(dir, List.of("sh", "-c", "cat > /dev/null"),
                Duration.ofMillis(500))) {
            assertThat(check.loads(PEM)).isFalse();
            // Broken from then on: "no" at once, without asking again.
            assertThat(check.loads("another".getBytes(StandardCharsets.US_ASCII))).isFalse();
        }
    }

    @Test
    void aHelperThatCannotStartSaysNo(@TempDir Path dir) {
        try (PythonCertCheck check = new PythonCertCheck(dir, List.of(dir.resolve("missing").toString()),
                Duration.ofSeconds(5))) {
            assertThat(check.loads(PEM)).isFalse();
        }
    }
}
