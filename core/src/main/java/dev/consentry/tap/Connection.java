package dev.consentry.tap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A TCP connection or a UDP flow as the tap saw it, from the side that opened it.
 *
 * @param firstFrame  the capture file's frame number of its first packet
 * @param established for TCP, whether the server answered the SYN (SYN+ACK seen); UDP: a reply was seen
 * @param name        the host it was for when the packets say so: TLS SNI, or the HTTP Host header
 * @param clientBytes payload bytes the client sent
 * @param clientData  the client's payload in capture order, up to {@link Connections#KEPT_BYTES}
 */
public record Connection(Packet.Transport transport, InetSocketAddress client, InetSocketAddress server,
                         Instant start, long firstFrame, int packets, long clientBytes, long serverBytes,
                         boolean established, Optional<String> name, byte[] clientData) {
    public Connection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(start, "start");
        name = name == null ? Optional.empty() : name;
        clientData = clientData == null ? new byte[0] : clientData.clone();
    }

    public Connection(Packet.Transport transport, InetSocketAddress client, InetSocketAddress server,
                      Instant start, long firstFrame, int packets, long clientBytes, long serverBytes,
                      boolean established, Optional<String> name) {
        this(transport, client, server, start, firstFrame, packets, clientBytes, serverBytes, established, name,
                new byte[0]);
    }

    @Override
    public byte[] clientData() {
        return clientData.clone();
    }

    /**
     * Everything the client sent, when the tap kept all of it and it is not TLS: what a scan for identifiers can
     * read. Empty for TLS (encrypted), for payloads over the kept size, and for a connection that sent nothing.
     */
    public Optional<byte[]> cleartext() {
        boolean tls = clientData.length > 0 && clientData[0] == 22; // TLS handshake record
        return clientBytes > 0 && clientData.length == clientBytes && !tls ? Optional.of(clientData.clone())
                : Optional.empty();
    }

    /** True when the client's first bytes are an HTTP/1 request line. */
    public boolean http() {
        String head = new String(clientData, 0, Math.min(clientData.length, 64),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return head.matches("(?s)[A-Z]{3,10} \\S+ HTTP/1\\.[01]\r\n.*");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connection c && transport == c.transport && client.equals(c.client)
                && server.equals(c.server) && start.equals(c.start) && firstFrame == c.firstFrame
                && packets == c.packets && clientBytes == c.clientBytes && serverBytes == c.serverBytes
                && established == c.established && name.equals(c.name) && Arrays.equals(clientData, c.clientData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, client, server, start, firstFrame, packets, clientBytes, serverBytes,
                established, name, Arrays.hashCode(clientData));
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
