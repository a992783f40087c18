package dev.consentry.tap;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One IPv4/IPv6 TCP or UDP packet from a capture file, as far as reconciliation needs it.
 *
 * @param frame    1-based position in the file, as Wireshark numbers frames
 * @param tcpFlags the TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10); 0 for UDP
 * @param payload  the transport payload as far as the file holds it (snap length)
 */
public record Packet(long frame, Instant time, Transport transport, InetAddress source, int sourcePort,
                     InetAddress destination, int destinationPort, int tcpFlags, byte[] payload) {
    public enum Transport { TCP, UDP }

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    public Packet {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    int payloadLength() {
        return payload.length;
    }

    boolean flag(int bit) {
        return (tcpFlags & bit) != 0;
    }
}
