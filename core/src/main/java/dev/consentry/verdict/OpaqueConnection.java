package dev.consentry.verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * A TLS connection the proxy could not open: the handset refused the lab CA (certificate pinning) or gave up during
 * the handshake.
 *
 * @param host  the name the handset asked for (SNI, else the CONNECT host)
 * @param error the proxy's explanation
 */
public record OpaqueConnection(String host, int port, Instant at, String error) {
    public OpaqueConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        error = error == null ? "" : error;
    }
}
