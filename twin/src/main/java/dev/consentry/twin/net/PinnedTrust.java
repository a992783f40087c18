package dev.consentry.twin.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An app that pins its vendor's key: it accepts a server only if some certificate in the chain it presents carries a
 * pinned public key (SHA-256 of the SubjectPublicKeyInfo, as OkHttp's CertificatePinner and Android's
 * network-security-config pin-set compare). The handset's trust store plays no part, so the lab CA pushed into it
 * cannot help: through mitmdump the handshake fails, which is all a proxy ever sees of certificate pinning.
 * Host names are still checked, by the endpoint identification the caller switches on.
 */
final class PinnedTrust {
    private PinnedTrust() {
    }

    static String pinOf(X509Certificate cert) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return "sha256/" + Base64.getEncoder().encodeToString(sha);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static SSLContext sslContext(List<String> pins) {
        X509TrustManager pinning = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a handset does not accept client connections");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                for (X509Certificate c : chain) {
                    if (pins.contains(pinOf(c))) {
                        chain[0].checkValidity();
                        return;
                    }
                }
                throw new CertificateException("certificate pinning failure: no key in the chain "
                        + Arrays.stream(chain).map(c -> c.getSubjectX500Principal().getName()).toList()
                        + " is pinned " + pins);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {pinning}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a pinning TLS context", e);
        }
    }
}
