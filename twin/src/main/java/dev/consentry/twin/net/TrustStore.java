package dev.consentry.twin.net;

import dev.consentry.twin.device.VirtualFileSystem;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The CAs this handset trusts: only certificates pushed into the firmware's CA directory, like Android 4.4's user
 * store. Android looks certificates up by file name (OpenSSL subject_hash_old + ".N"), so a file under any other name
 * is ignored there and here. No system CAs: nothing real is reachable from a twin anyway.
 */
final class TrustStore {
    private TrustStore() {
    }

    /** The trusted certificates and a key that changes whenever the set does. */
    record Anchors(List<X509Certificate> certificates, String key) { }

    static Anchors load(VirtualFileSystem files, String directory, Consumer<String> log) {
        List<X509Certificate> certs = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has X.509", e);
        }
        for (Map.Entry<String, byte[]> f : files.filesIn(directory).entrySet()) {
            Collection<? extends Certificate> parsed;
            try {
                parsed = cf.generateCertificates(new ByteArrayInputStream(f.getValue()));
            } catch (GeneralSecurityException e) {
                log.accept("ignoring " + directory + "/" + f.getKey() + ": not a certificate (" + e.getMessage() + ")");
                continue;
            }
            for (Certificate c : parsed) {
                X509Certificate x = (X509Certificate) c;
                String hash = subjectHashOld(x);
                if (!f.getKey().matches(hash + "\\.\\d+")) {
                    log.accept("ignoring " + directory + "/" + f.getKey() + ": a certificate for "
                            + x.getSubjectX500Principal().getName() + " must be named " + hash + ".0");
                    continue;
                }
                certs.add(x);
                key.append(f.getKey()).append(':').append(x.getSerialNumber()).append(';');
            }
        }
        return new Anchors(List.copyOf(certs), key.toString());
    }

    /** OpenSSL's X509_NAME_hash_old: the first four bytes of MD5(DER subject), little-endian, as 8 hex digits. */
    static String subjectHashOld(X509Certificate cert) {
        try {
            byte[] md = MessageDigest.getInstance("MD5").digest(cert.getSubjectX500Principal().getEncoded());
            long h = (md[0] & 0xffL) | (md[1] & 0xffL) << 8 | (md[2] & 0xffL) << 16 | (md[3] & 0xffL) << 24;
            return String.format("%08x", h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** With no anchors every handshake fails, which is what a handset without the lab CA does. */
    static SSLContext sslContext(Anchors anchors) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < anchors.certificates().size(); i++) {
                ks.setCertificateEntry("user-" + i, anchors.certificates().get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the handset's TLS context", e);
        }
    }
}
