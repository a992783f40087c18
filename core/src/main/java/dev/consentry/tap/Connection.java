package dev.consentry.tap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A TCP connection or a UDP flow as the tap saw it, from the side that opened it.
 *
 * @param firstFrame  the capture file's frame number of its first packet
 * @param established for TCP, whether the server answered the SYN (SYN+ACK seen); UDP: a reply was seen
 * @param name        the host it was for when the packets say so: TLS SNI, or the HTTP Host header
 * @param clientBytes payload bytes the client sent
 */
public record Connection(Packet.Transport transport, InetSocketAddress client, InetSocketAddress server,
                         Instant start, long firstFrame, int packets, long clientBytes, long serverBytes,
                         boolean established, Optional<String> name) {
    public Connection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(start, "start");
        name = name == null ? Optional.empty() : name;
    }

    public InetAddress clientAddress() {
        return client.getAddress();
    }

    /** "10.0.0.2:40312", as mitmproxy writes a flow's client, so the two can be compared as strings. */
    public String clientEndpoint() {
        return endpoint(client);
    }

    static String endpoint(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** "SYN to 203.0.113.7:443, 3 packets, 120 bytes out (frame 12)": the evidence line. */
    public String describe() {
        String what = transport == Packet.Transport.TCP
                ? (established ? "TCP connection" : "TCP connection attempt (no answer to the SYN)")
                : "UDP flow" + (established ? "" : " (no reply)");
        return what + " from " + clientEndpoint() + " to " + endpoint(server) + name.map(n -> " for " + n).orElse("")
                + ", " + packets + " packets, " + clientBytes + " bytes out, " + serverBytes + " bytes in (frame "
                + firstFrame + ")";
    }
}
