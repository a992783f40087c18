package dev.consentry.mitm;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A handset that opened a TLS connection through the proxy and refused the lab CA's certificate (or gave up during
 * the handshake): whatever it meant to send stayed opaque to the lab.
 *
 * @param client the handset side, "host:port"
 * @param sni    the server name the handset asked for, if it sent one
 * @param host   the CONNECT target host (or the address, in transparent setups), if known
 * @param port   the CONNECT target port, 0 when unknown
 * @param error  mitmproxy's explanation ("The client does not trust the proxy's certificate for ...")
 */
public record TlsFailure(String client, Optional<String> sni, Optional<String> host, int port, Instant time,
                         String error) {
    public TlsFailure {
        client = client == null ? "" : client;
        sni = sni == null ? Optional.empty() : sni;
        host = host == null ? Optional.empty() : host;
        Objects.requireNonNull(time, "time");
        error = error == null ? "" : error;
    }

    /** The name the handset was trying to reach: SNI if sent, else the CONNECT host. */
    public String target() {
        return sni.or(() -> host).orElse("(unknown)");
    }
}
