package dev.consentry.tap;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups packets into TCP connections and UDP flows. The client is the side that sent the SYN; for a connection whose
 * SYN the capture missed (started before the tap), and for UDP, the side that sent the first packet. Such a connection
 * that carried no payload while the tap watched is left out.
 */
public final class Connections {
    /** Client payload kept per connection for an identifier scan; a connection that sent more is not scanned. */
    public static final int KEPT_BYTES = 1 << 20;
    private static final Pattern HOST_HEADER = Pattern.compile("\r\nHost:[ \t]*([^\r\n:]+|\\[[^]]+])",
            Pattern.CASE_INSENSITIVE);

    private Connections() {
    }

    private static final class Builder {
        final Packet first;
        final InetSocketAddress client;
        final InetSocketAddress server;
        int packets;
        long clientBytes;
        long serverBytes;
        boolean answered;
        Optional<String> name = Optional.empty();
        final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();

        Builder(Packet first, InetSocketAddress client, InetSocketAddress server) {
            this.first = first;
            this.client = client;
            this.server = server;
        }

        Connection build() {
            return new Connection(first.transport(), client, server, first.time(), first.frame(), packets,
                    clientBytes, serverBytes, answered, name, sent.toByteArray());
        }
    }

    public static List<Connection> of(List<Packet> packets) {
        Map<String, Builder> open = new LinkedHashMap<>();
        List<Builder> all = new ArrayList<>();
        for (Packet p : packets) {
            InetSocketAddress src = new InetSocketAddress(p.source(), p.sourcePort());
            InetSocketAddress dst = new InetSocketAddress(p.destination(), p.destinationPort());
            String key = p.transport() + " " + key(src, dst);
            Builder c = open.get(key);
            boolean tcp = p.transport() == Packet.Transport.TCP;
            boolean syn = tcp && p.flag(Packet.SYN) && !p.flag(Packet.ACK);
            if (c == null || syn && c.client.equals(src) && c.packets > 1) {
                // A fresh SYN on a 4-tuple already used is a new connection (ports are reused).
                boolean synAck = tcp && p.flag(Packet.SYN) && p.flag(Packet.ACK);
                c = synAck ? new Builder(p, dst, src) : new Builder(p, src, dst);
                open.put(key, c);
                all.add(c);
            }
            c.packets++;
            if (c.client.equals(src)) {
                c.clientBytes += p.payloadLength();
                if (p.payloadLength() > 0 && c.sent.size() + p.payloadLength() <= KEPT_BYTES) {
                    c.sent.writeBytes(p.payload());
                }
                if (c.name.isEmpty() && p.payloadLength() > 0) {
                    c.name = name(p.payload());
                }
            } else {
                c.serverBytes += p.payloadLength();
                boolean sawOpening = tcp && c.first.flag(Packet.SYN);
                if (!tcp || !sawOpening || p.flag(Packet.SYN) && p.flag(Packet.ACK)) {
                    c.answered = true;
                }
            }
        }
        // The tail of a TCP connection opened before the tap started (no SYN seen) that carried nothing while the tap
        // watched sent nothing to judge; its sides could not even be told apart (e.g. a FIN exchange).
        return all.stream().filter(b -> b.first.transport() != Packet.Transport.TCP || b.first.flag(Packet.SYN)
                || b.clientBytes + b.serverBytes > 0).map(Builder::build).toList();
    }

    private static String key(InetSocketAddress a, InetSocketAddress b) {
        String x = Connection.endpoint(a);
        String y = Connection.endpoint(b);
        return x.compareTo(y) < 0 ? x + " " + y : y + " " + x;
    }

    /** The host a client's first bytes name: TLS ClientHello SNI, or an HTTP/1 Host header. */
    static Optional<String> name(byte[] data) {
        Optional<String> sni = sni(data);
        if (sni.isPresent()) {
            return sni;
        }
        String head = new String(data, 0, Math.min(data.length, 4096), StandardCharsets.ISO_8859_1);
        if (head.matches("(?s)[A-Z]{3,10} \\S+ HTTP/1\\.[01]\r\n.*")) {
            Matcher m = HOST_HEADER.matcher(head);
            if (m.find()) {
                return Optional.of(m.group(1).trim());
            }
        }
        return Optional.empty();
    }

    static Optional<String> sni(byte[] d) {
        try {
            if (d.length < 6 || d[0] != 22 || d[5] != 1) {
                return Optional.empty();
            }
            int p = 5 + 4 + 2 + 32; // record header, handshake header, version, random
            p += 1 + (d[p] & 0xff); // session id
            p += 2 + u16(d, p); // cipher suites
            p += 1 + (d[p] & 0xff); // compression methods
            int end = Math.min(d.length, p + 2 + u16(d, p));
            p += 2;
            while (p + 4 <= end) {
                int type = u16(d, p);
                int len = u16(d, p + 2);
                if (type == 0) {
                    int q = p + 4 + 2; // server name list length
                    if (d[q] == 0) {
                        int nameLen = u16(d, q + 1);
                        return Optional.of(new String(d, q + 3, nameLen, StandardCharsets.US_ASCII));
                    }
                }
                p += 4 + len;
            }
        } catch (IndexOutOfBoundsException e) {
            // a ClientHello cut by the snap length or split over segments: no name from it
        }
        return Optional.empty();
    }

    private static int u16(byte[] d, int p) {
        return (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
    }
}
