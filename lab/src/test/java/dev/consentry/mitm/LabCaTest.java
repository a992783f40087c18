package dev.consentry.mitm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LabCaTest {
    @TempDir
    Path confDir;

    @Test
    void knownAnswerFromOpenSsl() throws IOException {
        // test-ca.pem was made with openssl req; `openssl x509 -noout -subject_hash_old` printed a4a19adf.
        copyTestCa();

        LabCa ca = LabCa.load(confDir);

        assertThat(ca.subjectHashOld()).isEqualTo("a4a19adf");
        assertThat(ca.androidFileName()).isEqualTo("a4a19adf.0");
        assertThat(ca.pem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(ca.pemFile()).isEqualTo(confDir.resolve("mitmproxy-ca-cert.pem"));
    }

    @Test
    void matchesOpenSslOnThisMachine() throws Exception {
        copyTestCa();
        Optional<String> openssl = OpenSsl.subjectHashOld(confDir.resolve(LabCa.CERT_FILE));
        assumeTrue(openssl.isPresent(), "openssl is not installed: cannot cross-check subject_hash_old "
                + "(the known-answer test still ran)");

        assertThat(LabCa.load(confDir).subjectHashOld()).isEqualTo(openssl.get());
    }

    @Test
    void missingCaSaysStartACaptureFirst() {
        assertThatThrownBy(() -> LabCa.load(confDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start a capture first");
    }

    private void copyTestCa() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("test-ca.pem")) {
            Files.copy(in, confDir.resolve(LabCa.CERT_FILE));
        }
    }

    /** The real openssl, where installed; the reference this hash must agree with. */
    static final class OpenSsl {
        static Optional<String> subjectHashOld(Path pem) throws IOException, InterruptedException {
            Process p;
            try {
                p = new ProcessBuilder("openssl", "x509", "-in", pem.toString(), "-noout", "-subject_hash_old")
                        .redirectErrorStream(true).start();
            } catch (IOException notInstalled) {
                return Optional.empty();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        }
    }
}
