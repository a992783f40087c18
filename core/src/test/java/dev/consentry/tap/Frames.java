package dev.consentry.tap;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds Ethernet/IPv4/IPv6 TCP and UDP frames and writes them as pcap or pcapng, the way tcpdump lays them out. */
final class Frames {
    record Frame(long micros, byte[] bytes) { }

    private final List<Frame> frames = new ArrayList<>();

    Frames tcp(long micros, String src, int sport, String dst, int dport, int flags, byte[] payload) throws Exception {
        frames.add(new Frame(micros, ethernet(ip(src, dst, 6, tcpHeader(sport, dport, flags, payload)))));
        return this;
    }

    Frames udp(long micros, String src, int sport, String dst, int dport, byte[] payload) throws Exception {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        frames.add(new Frame(micros, ethernet(ip(src, dst, 17, u.array()))));
        return this;
    }

    Frames arp(long micros) {
        byte[] f = new byte[42];
        f[12] = 0x08;
        f[13] = 0x06;
        frames.add(new Frame(micros, f));
        return this;
    }

    private static byte[] tcpHeader(int sport, int dport, int flags, byte[] payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) sport).putShort((short) dport).putInt(1).putInt(0).put((byte) 0x50).put((byte) flags)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return t.array();
    }

    private static byte[] ip(String src, String dst, int protocol, byte[] transport) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        if (s.length == 4) {
            ByteBuffer b = ByteBuffer.allocate(20 + transport.length);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transport.length)).putInt(0).put((byte) 64)
                    .put((byte) protocol).putShort((short) 0).put(s).put(d).put(transport);
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(40 + transport.length);
        b.putInt(0x60000000).putShort((short) transport.length).put((byte) protocol).put((byte) 64).put(s).put(d)
                .put(transport);
        return b.array();
    }

    private static byte[] ethernet(byte[] ip) {
        ByteBuffer e = ByteBuffer.allocate(14 + ip.length);
        e.put(new byte[12]).putShort((short) ((ip[0] >> 4) == 6 ? 0x86dd : 0x0800)).put(ip);
        return e.array();
    }

    byte[] pcap(ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(h.array());
        for (Frame f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            r.putInt((int) (f.micros() / 1_000_000)).putInt((int) (f.micros() % 1_000_000)).putInt(f.bytes().length)
                    .putInt(f.bytes().length);
            out.writeBytes(r.array());
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }

    /** Section header, one Ethernet interface with nanosecond timestamps (if_tsresol 9), enhanced packet blocks. */
    byte[] pcapng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        shb.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1)
                .putInt(28);
        out.writeBytes(shb.array());
        ByteBuffer idb = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        idb.putInt(1).putInt(32).putShort((short) 1).putShort((short) 0).putInt(262144)
                .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]).putInt(0).putInt(32);
        out.writeBytes(idb.array());
        for (Frame f : frames) {
            int padded = (f.bytes().length + 3) & ~3;
            int len = 32 + padded;
            long ns = f.micros() * 1000;
            ByteBuffer epb = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            epb.putInt(6).putInt(len).putInt(0).putInt((int) (ns >>> 32)).putInt((int) ns)
                    .putInt(f.bytes().length).putInt(f.bytes().length).put(f.bytes());
            epb.position(len - 4);
            epb.putInt(len);
            out.writeBytes(epb.array());
        }
        return out.toByteArray();
    }
}
