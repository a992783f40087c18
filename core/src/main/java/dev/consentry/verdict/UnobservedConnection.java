package dev.consentry.verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection seen on the wire (the access point's tap) that never reached the capture: it bypassed the proxy.
 *
 * @param host     the name it was for (TLS SNI, HTTP Host, DNS answer) or else its address
 * @param protocol "tcp", "udp", "tls", "http" ... as the tap knows it
 * @param detail   how the tap saw it, for the evidence ("pcap frame 231, SYN to 203.0.113.7:443")
 */
public record UnobservedConnection(String host, int port, String protocol, Instant at, String detail) {
    public UnobservedConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        protocol = protocol == null ? "" : protocol;
        detail = detail == null ? "" : detail;
    }
}
