package dev.consentry.verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection seen on the wire (the access point's tap) that never reached the capture: it bypassed the proxy.
 *
 * @param host     the name it was for (TLS SNI, HTTP Host, DNS answer) or else its address
 * @param address  the server's IP address as the tap saw it ("" when unknown)
 * @param protocol "tcp", "udp", "tls", "http" ... as the tap knows it
 * @param bytesOut payload bytes the handset sent on it
 * @param bytesIn  payload bytes it received
 * @param detail   how the tap saw it, for the evidence ("pcap frame 231, SYN to 203.0.113.7:443")
 */
public record UnobservedConnection(String host, String address, int port, String protocol, Instant at, long bytesOut,
                                   long bytesIn, String detail) {
    public UnobservedConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        address = address == null ? "" : address;
        protocol = protocol == null ? "" : protocol;
        detail = detail == null ? "" : detail;
    }

    /** Without address and byte counts, for a tap that knows only the name. */
    public UnobservedConnection(String host, int port, String protocol, Instant at, String detail) {
        this(host, "", port, protocol, at, 0, 0, detail);
    }
}
