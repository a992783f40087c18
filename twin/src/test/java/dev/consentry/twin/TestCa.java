package dev.consentry.twin;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for one host, made with the JDK's keytool (no extra libraries), standing in
 * for the mitmproxy CA the lab pushes.
 */
final class TestCa {
    private static final String PASS = "changeit";
    final String caPem;
    final X509Certificate caCert;
    final SSLContext serverContext;

    private TestCa(String caPem, X509Certificate caCert, SSLContext serverContext) {
        this.caPem = caPem;
        this.caCert = caCert;
        this.serverContext = serverContext;
    }

    static TestCa create(Path dir, String host) throws Exception {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        keytool(null, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=Consentry Test CA, O=Consentry", "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(),
                "-storetype", "PKCS12", "-storepass", PASS);
        String caPem = keytool(null, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-storepass", PASS);
        keytool(null, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=" + host, "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12",
                "-storepass", PASS);
        String csr = keytool(null, "-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASS);
        String serverPem = keytool(csr, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASS,
                "-rfc", "-validity", "2", "-ext", "san=dns:" + host, "-ext", "eku=serverAuth");
        Files.writeString(dir.resolve("ca.pem"), caPem);
        Files.writeString(dir.resolve("server.pem"), serverPem);
        keytool(null, "-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(),
                "-keystore", server.toString(), "-storepass", PASS);
        keytool(null, "-importcert", "-alias", "server", "-file", dir.resolve("server.pem").toString(),
                "-keystore", server.toString(), "-storepass", PASS);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(server.toFile())) {
            ks.load(in, PASS.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
        return new TestCa(caPem, caCert, ctx);
    }

    private static String keytool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.US_ASCII);
    }
}
