package dev.consentry.verdict;

import dev.consentry.leak.Finding;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection seen on the wire (the access point's tap) that never reached the capture: it bypassed the proxy.
 *
 * @param host     the name it was for (TLS SNI, HTTP Host, DNS answer) or else its address
 * @param address  the server's IP address as the tap saw it ("" when unknown)
 * @param protocol "tcp", "udp", "tls", "http" ... as the tap knows it
 * @param bytesOut payload bytes the handset sent on it
 * @param bytesIn  payload bytes it received
 * @param detail   how the tap saw it, for the evidence ("pcap frame 231, SYN to 203.0.113.7:443")
 * @param carried  present when the tap read everything the handset sent on it in cleartext and it was scanned for
 *                 every canary: what was found (empty: no identifier). Absent when that is unknown (TLS, cut short)
 */
public record UnobservedConnection(String host, String address, int port, String protocol, Instant at, long bytesOut,
                                   long bytesIn, String detail, Optional<List<Finding>> carried) {
    public UnobservedConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        address = address == null ? "" : address;
        protocol = protocol == null ? "" : protocol;
        detail = detail == null ? "" : detail;
        carried = carried == null ? Optional.empty() : carried.map(List::copyOf);
    }

    /** What it carried is unknown. */
    public UnobservedConnection(String host, String address, int port, String protocol, Instant at, long bytesOut,
                                long bytesIn, String detail) {
        this(host, address, port, protocol, at, bytesOut, bytesIn, detail, Optional.empty());
    }

    /** Without address and byte counts, for a tap that knows only the name. */
    public UnobservedConnection(String host, int port, String protocol, Instant at, String detail) {
        this(host, "", port, protocol, at, 0, 0, detail);
    }

    /** @param found the canaries a scan of everything it sent in cleartext found (empty: none) */
    public UnobservedConnection withCarried(List<Finding> found) {
        return new UnobservedConnection(host, address, port, protocol, at, bytesOut, bytesIn, detail,
                Optional.of(found));
    }
}
