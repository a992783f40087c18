package dev.consentry.tap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads classic pcap (micro- and nanosecond, either byte order) and pcapng (section header, interface description,
 * enhanced and simple packet blocks; other blocks skipped) in pure Java, as tcpdump and Wireshark write them. Link
 * types: Ethernet (with 802.1Q tags), raw IP, Linux cooked v1/v2 and BSD loopback. Only IPv4/IPv6 TCP and UDP
 * packets are returned; everything else (ARP, ICMP, fragments after the first) is skipped, not an error. A truncated
 * last record (tcpdump killed mid-write) ends the file quietly; anything else malformed is a {@link PcapException}
 * naming the file and the byte offset.
 */
public final class PcapReader {
    static final int PCAP_MICROS = 0xa1b2c3d4;
    static final int PCAP_NANOS = 0xa1b23c4d;
    static final int PCAPNG_SECTION = 0x0a0d0d0a;
    static final int LINK_NULL = 0;
    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW = 101;
    static final int LINK_LINUX_SLL = 113;
    static final int LINK_LINUX_SLL2 = 276;

    private final String file;
    private final ByteBuffer buf;
    private final List<Packet> packets = new ArrayList<>();
    private long frame;

    private PcapReader(String file, byte[] data) {
        this.file = file;
        this.buf = ByteBuffer.wrap(data);
    }

    public static List<Packet> read(Path path) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new PcapException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(path.toString(), data);
    }

    public static List<Packet> parse(String file, byte[] data) {
        PcapReader r = new PcapReader(file, data);
        if (data.length < 4) {
            throw new PcapException(file + ": not a pcap or pcapng file (" + data.length + " bytes)");
        }
        int magicBe = ByteBuffer.wrap(data, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        int magicLe = ByteBuffer.wrap(data, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (magicBe == PCAPNG_SECTION) {
            r.pcapng();
        } else if (magicLe == PCAP_MICROS || magicLe == PCAP_NANOS) {
            r.pcap(ByteOrder.LITTLE_ENDIAN, magicLe == PCAP_NANOS);
        } else if (magicBe == PCAP_MICROS || magicBe == PCAP_NANOS) {
            r.pcap(ByteOrder.BIG_ENDIAN, magicBe == PCAP_NANOS);
        } else {
            throw new PcapException(file + ": not a pcap or pcapng file (magic " + String.format("%08x", magicBe)
                    + ")");
        }
        return List.copyOf(r.packets);
    }

    private void pcap(ByteOrder order, boolean nanos) {
        buf.order(order);
        if (buf.remaining() < 24) {
            throw error(0, "pcap header cut short");
        }
        buf.position(20);
        int link = buf.getInt() & 0x0fffffff;
        while (buf.remaining() >= 16) {
            int at = buf.position();
            long seconds = buf.getInt() & 0xffffffffL;
            long fraction = buf.getInt() & 0xffffffffL;
            int captured = buf.getInt();
            buf.getInt(); // original length
            if (captured < 0 || captured > 0x4000000) {
                throw error(at, "record length " + captured + " is not plausible");
            }
            if (buf.remaining() < captured) {
                return; // the writer was stopped mid-record
            }
            byte[] data = new byte[captured];
            buf.get(data);
            Instant t = Instant.ofEpochSecond(seconds, nanos ? fraction : fraction * 1000);
            frame(link, t, data);
        }
    }

    private record Interface(int link, long unitsPerSecond) { }

    private void pcapng() {
        List<Interface> interfaces = new ArrayList<>();
        while (buf.remaining() >= 12) {
            int at = buf.position();
            // The section header's type reads the same in both byte orders; its byte-order magic decides how the
            // section (and every length in it) is read.
            if (buf.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at) == PCAPNG_SECTION) {
                int bom = buf.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at + 8);
                buf.order(bom == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                if (bom != 0x1a2b3c4d && Integer.reverseBytes(bom) != 0x1a2b3c4d) {
                    throw error(at, "section header without a byte-order magic");
                }
                interfaces.clear();
            }
            int type = buf.getInt(at);
            int length = buf.getInt(at + 4);
            if (length < 12 || length % 4 != 0) {
                throw error(at, "block length " + length + " is not plausible");
            }
            if (buf.remaining() < length) {
                return; // cut short
            }
            ByteBuffer body = buf.slice(at + 8, length - 12).order(buf.order());
            try {
                switch (type) {
                    case 1 -> interfaces.add(new Interface(body.getShort(0) & 0xffff, resolution(body)));
                    case 6 -> {
                        int id = body.getInt(0);
                        Interface in = iface(interfaces, id, at);
                        long ts = (body.getInt(4) & 0xffffffffL) << 32 | (body.getInt(8) & 0xffffffffL);
                        int captured = body.getInt(12);
                        byte[] data = new byte[captured];
                        body.get(20, data);
                        frame(in.link(), time(ts, in.unitsPerSecond()), data);
                    }
                    case 3 -> {
                        Interface in = iface(interfaces, 0, at);
                        byte[] data = new byte[Math.min(body.getInt(0), body.capacity() - 4)];
                        body.get(4, data);
                        frame(in.link(), Instant.EPOCH, data);
                    }
                    default -> { } // name resolution, statistics, custom blocks: nothing for us
                }
            } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
                throw error(at, "block type " + type + " is shorter than its contents");
            }
            buf.position(at + length);
        }
    }

    private Interface iface(List<Interface> interfaces, int id, int at) {
        if (id < 0 || id >= interfaces.size()) {
            throw error(at, "packet for interface " + id + " before its description block");
        }
        return interfaces.get(id);
    }

    /** The if_tsresol option (code 9): 10^-n, or 2^-n with the high bit set; default microseconds. */
    private static long resolution(ByteBuffer body) {
        int p = 8;
        while (p + 4 <= body.capacity()) {
            int code = body.getShort(p) & 0xffff;
            int len = body.getShort(p + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1) {
                int v = body.get(p + 4) & 0xff;
                return (v & 0x80) != 0 ? 1L << (v & 0x7f) : (long) Math.pow(10, v);
            }
            p += 4 + ((len + 3) & ~3);
        }
        return 1_000_000L;
    }

    private static Instant time(long units, long perSecond) {
        long seconds = Long.divideUnsigned(units, perSecond);
        long rest = Long.remainderUnsigned(units, perSecond);
        return Instant.ofEpochSecond(seconds, rest * 1_000_000_000L / perSecond);
    }

    private void frame(int link, Instant time, byte[] data) {
        frame++;
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        try {
            int etherType;
            int offset;
            switch (link) {
                case LINK_ETHERNET -> {
                    offset = 12;
                    etherType = b.getShort(offset) & 0xffff;
                    offset += 2;
                    while (etherType == 0x8100 || etherType == 0x88a8) {
                        etherType = b.getShort(offset + 2) & 0xffff;
                        offset += 4;
                    }
                }
                case LINK_RAW -> {
                    offset = 0;
                    etherType = (data[0] >> 4) == 6 ? 0x86dd : 0x0800;
                }
                case LINK_LINUX_SLL -> {
                    etherType = b.getShort(14) & 0xffff;
                    offset = 16;
                }
                case LINK_LINUX_SLL2 -> {
                    etherType = b.getShort(0) & 0xffff;
                    offset = 20;
                }
                case LINK_NULL -> {
                    int family = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                    b.order(ByteOrder.BIG_ENDIAN);
                    etherType = family == 2 ? 0x0800 : 0x86dd;
                    offset = 4;
                }
                default -> throw new PcapException(file + ": frame " + frame + ": link type " + link
                        + " is not supported (Ethernet, raw IP, Linux cooked and loopback are)");
            }
            if (etherType == 0x0800) {
                ipv4(time, b, offset);
            } else if (etherType == 0x86dd) {
                ipv6(time, b, offset);
            }
        } catch (IndexOutOfBoundsException e) {
            // A frame shorter than its headers (snap length): it carries nothing we can attribute.
        }
    }

    private void ipv4(Instant time, ByteBuffer b, int o) {
        int ihl = (b.get(o) & 0x0f) * 4;
        int total = b.getShort(o + 2) & 0xffff;
        int fragment = b.getShort(o + 6) & 0x1fff;
        int protocol = b.get(o + 9) & 0xff;
        if (fragment != 0) {
            return;
        }
        InetAddress src = address(b, o + 12, 4);
        InetAddress dst = address(b, o + 16, 4);
        int end = Math.min(b.capacity(), total == 0 ? b.capacity() : o + total);
        transport(time, b, protocol, o + ihl, end, src, dst);
    }

    private void ipv6(Instant time, ByteBuffer b, int o) {
        int payloadLength = b.getShort(o + 4) & 0xffff;
        int next = b.get(o + 6) & 0xff;
        InetAddress src = address(b, o + 8, 16);
        InetAddress dst = address(b, o + 24, 16);
        int p = o + 40;
        int end = Math.min(b.capacity(), p + payloadLength);
        // Hop-by-hop, routing and destination options: skip to the transport header.
        while (next == 0 || next == 43 || next == 60) {
            next = b.get(p) & 0xff;
            p += ((b.get(p + 1) & 0xff) + 1) * 8;
        }
        transport(time, b, next, p, end, src, dst);
    }

    private void transport(Instant time, ByteBuffer b, int protocol, int p, int end, InetAddress src,
                           InetAddress dst) {
        if (protocol == 6) {
            int srcPort = b.getShort(p) & 0xffff;
            int dstPort = b.getShort(p + 2) & 0xffff;
            int dataOffset = ((b.get(p + 12) & 0xf0) >> 4) * 4;
            int flags = b.get(p + 13) & 0xff;
            packets.add(new Packet(frame, time, Packet.Transport.TCP, src, srcPort, dst, dstPort, flags,
                    slice(b, p + dataOffset, end)));
        } else if (protocol == 17) {
            int srcPort = b.getShort(p) & 0xffff;
            int dstPort = b.getShort(p + 2) & 0xffff;
            packets.add(new Packet(frame, time, Packet.Transport.UDP, src, srcPort, dst, dstPort, 0,
                    slice(b, p + 8, end)));
        }
    }

    private static byte[] slice(ByteBuffer b, int from, int to) {
        if (from >= to) {
            return new byte[0];
        }
        return Arrays.copyOfRange(b.array(), from, to);
    }

    private static InetAddress address(ByteBuffer b, int at, int length) {
        byte[] a = new byte[length];
        b.get(at, a);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private PcapException error(int offset, String problem) {
        return new PcapException(file + ": at byte " + offset + ": " + problem);
    }
}
