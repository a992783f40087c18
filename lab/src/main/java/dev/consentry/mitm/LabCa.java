package dev.consentry.mitm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * The lab CA that mitmdump created in the shared confdir (certificate only; the key never leaves the confdir), in the
 * shapes handset prep needs: PEM text and the file name Android's user trust store expects.
 */
public final class LabCa {
    public static final String CERT_FILE = "mitmproxy-ca-cert.pem";

    private final Path pemFile;
    private final String pem;
    private final X509Certificate certificate;

    private LabCa(Path pemFile, String pem, X509Certificate certificate) {
        this.pemFile = pemFile;
        this.pem = pem;
        this.certificate = certificate;
    }

    /**
     * Loads {@value #CERT_FILE} from a confdir. mitmdump writes it on its first start with that confdir, so load
     * after a capture has started.
     */
    public static LabCa load(Path confDir) {
        return fromPemFile(confDir.resolve(CERT_FILE));
    }

    public static LabCa fromPemFile(Path pemFile) {
        if (!Files.isRegularFile(pemFile)) {
            throw new IllegalStateException("no lab CA at " + pemFile + ": mitmdump creates it on its first start "
                    + "with this confdir; start a capture first");
        }
        try {
            return fromPem(pemFile, Files.readString(pemFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pemFile, e);
        }
    }

    static LabCa fromPem(Path source, String pem) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return new LabCa(source, pem, cert);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + source, e);
        }
    }

    public Path pemFile() {
        return pemFile;
    }

    /** The certificate as PEM text, as mitmdump wrote it. */
    public String pem() {
        return pem;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * OpenSSL's {@code x509 -subject_hash_old}: MD5 over the DER subject name, first four bytes read little-endian,
     * as eight lowercase hex digits. Android (before 14) names CA files in its trust stores by it.
     */
    public String subjectHashOld() {
        return subjectHashOld(certificate);
    }

    /** {@code <subject_hash_old>.0}: the file name for Android's user store (/data/misc/keychain/cacerts-added). */
    public String androidFileName() {
        return subjectHashOld() + ".0";
    }

    static String subjectHashOld(X509Certificate cert) {
        // getEncoded() of the subject principal is the DER exactly as it sits in the certificate, which is what
        // OpenSSL hashes (X509_NAME_hash_old over the name's cached encoding).
        byte[] der = cert.getSubjectX500Principal().getEncoded();
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        long value = (md5[0] & 0xffL) | (md5[1] & 0xffL) << 8 | (md5[2] & 0xffL) << 16 | (md5[3] & 0xffL) << 24;
        return String.format(Locale.ROOT, "%08x", value);
    }

    @Override
    public String toString() {
        return "LabCa[" + certificate.getSubjectX500Principal().getName() + ", " + androidFileName() + "]";
    }
}
