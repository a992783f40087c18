package dev.consentry.prep;

import java.util.List;
import java.util.Objects;

/**
 * What to do to a handset before a flow.
 *
 * @param proxy        "host:port" of this handset's mitmdump as the handset reaches it
 * @param caPem        the lab CA certificate (PEM), never its key
 * @param caFileName   file name in the trust store: OpenSSL subject_hash_old + ".0", as Android expects
 */
public record PrepPlan(String proxy, String caPem, String caFileName, List<CanaryContact> contacts) {
    public PrepPlan {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(caFileName, "caFileName");
        contacts = List.copyOf(contacts);
    }
}
