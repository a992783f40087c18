package dev.consentry.tap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcapReaderTest {
    private static final byte[] GET = "GET /x HTTP/1.1\r\nHost: push.example:5228\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static Frames sample() throws Exception {
        return new Frames()
                .tcp(1_700_000_000_250_000L, "10.9.1.2", 40000, "203.0.113.20", 5228, Packet.SYN, new byte[0])
                .arp(1_700_000_000_260_000L)
                .tcp(1_700_000_000_300_000L, "203.0.113.20", 5228, "10.9.1.2", 40000, Packet.SYN | Packet.ACK,
                        new byte[0])
                .tcp(1_700_000_000_400_000L, "10.9.1.2", 40000, "203.0.113.20", 5228, Packet.ACK | 0x08, GET)
                .udp(1_700_000_001_000_000L, "fd00::2", 50000, "fd00::99", 443, new byte[] {1, 2, 3});
    }

    @Test
    void readsPcapInEitherByteOrderAndPcapng() throws Exception {
        Frames f = sample();
        for (byte[] file : List.of(f.pcap(ByteOrder.LITTLE_ENDIAN), f.pcap(ByteOrder.BIG_ENDIAN), f.pcapng())) {
            List<Packet> packets = PcapReader.parse("t.pcap", file);
            assertThat(packets).hasSize(4); // ARP skipped
            Packet syn = packets.get(0);
            assertThat(syn.frame()).isEqualTo(1);
            assertThat(syn.time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
            assertThat(syn.transport()).isEqualTo(Packet.Transport.TCP);
            assertThat(syn.source()).isEqualTo(InetAddress.getByName("10.9.1.2"));
            assertThat(syn.destinationPort()).isEqualTo(5228);
            assertThat(syn.tcpFlags()).isEqualTo(Packet.SYN);
            assertThat(packets.get(2).frame()).isEqualTo(4);
            assertThat(packets.get(2).payload()).isEqualTo(GET);
            Packet udp = packets.get(3);
            assertThat(udp.transport()).isEqualTo(Packet.Transport.UDP);
            assertThat(udp.destination()).isEqualTo(InetAddress.getByName("fd00::99"));
            assertThat(udp.payload()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aLastRecordCutShortEndsTheFileQuietly() throws Exception {
        byte[] whole = sample().pcap(ByteOrder.LITTLE_ENDIAN);
        assertThat(PcapReader.parse("t.pcap", Arrays.copyOf(whole, whole.length - 5))).hasSize(3);
        byte[] ng = sample().pcapng();
        assertThat(PcapReader.parse("t.pcapng", Arrays.copyOf(ng, ng.length - 5))).hasSize(3);
    }

    @Test
    void malformedFilesAreNamedWithTheOffset() throws Exception {
        assertThatThrownBy(() -> PcapReader.parse("x.pcap", "hello world".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(PcapException.class).hasMessageStartingWith("x.pcap: not a pcap or pcapng file");
        byte[] bad = sample().pcap(ByteOrder.LITTLE_ENDIAN);
        bad[24 + 8] = (byte) 0xff;
        bad[24 + 11] = (byte) 0x7f; // first record's captured length: 2 GB
        assertThatThrownBy(() -> PcapReader.parse("x.pcap", bad))
                .hasMessageStartingWith("x.pcap: at byte 24: record length");
        byte[] ng = sample().pcapng();
        ng[28 + 4] = 13; // the interface block's length, not a multiple of 4
        assertThatThrownBy(() -> PcapReader.parse("x.pcapng", ng))
                .hasMessage("x.pcapng: at byte 28: block length 13 is not plausible");
    }
}
