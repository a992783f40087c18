package dev.consentry.tap;

import dev.consentry.verdict.UnobservedConnection;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationTest {
    private static final String HANDSET = "10.9.1.2";

    @Test
    void connectionsGroupByTupleWithTheSynSenderAsClientAndNameFromHostOrSni() throws Exception {
        byte[] hello = clientHello("api.account.xiaomi.com");
        List<Connection> cs = Connections.of(PcapReader.parse("t", new Frames()
                .tcp(1_000_000, HANDSET, 40000, "203.0.113.10", 443, Packet.SYN, new byte[0])
                .tcp(1_000_100, "203.0.113.10", 443, HANDSET, 40000, Packet.SYN | Packet.ACK, new byte[0])
                .tcp(1_000_200, HANDSET, 40000, "203.0.113.10", 443, Packet.ACK, hello)
                .tcp(1_000_300, "203.0.113.10", 443, HANDSET, 40000, Packet.ACK, new byte[100])
                .tcp(2_000_000, HANDSET, 40001, "203.0.113.20", 5228, Packet.SYN, new byte[0])
                .tcp(2_000_100, "203.0.113.20", 5228, HANDSET, 40001, Packet.RST | Packet.ACK, new byte[0])
                .tcp(3_000_000, HANDSET, 40002, "203.0.113.30", 80, Packet.ACK, "GET / HTTP/1.1\r\nHost: x.example\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII))
                .pcap(ByteOrder.LITTLE_ENDIAN)));
        assertThat(cs).hasSize(3);
        Connection tls = cs.get(0);
        assertThat(tls.clientEndpoint()).isEqualTo(HANDSET + ":40000");
        assertThat(tls.server()).isEqualTo(new InetSocketAddress("203.0.113.10", 443));
        assertThat(tls.name()).contains("api.account.xiaomi.com");
        assertThat(tls.established()).isTrue();
        assertThat(tls.packets()).isEqualTo(4);
        assertThat(tls.clientBytes()).isEqualTo(hello.length);
        assertThat(tls.serverBytes()).isEqualTo(100);
        assertThat(cs.get(1).established()).isFalse();
        assertThat(cs.get(1).describe()).startsWith("TCP connection attempt (no answer to the SYN) from "
                + HANDSET + ":40001 to 203.0.113.20:5228");
        // Joined mid-stream (no SYN seen): the first sender is taken as the client.
        assertThat(cs.get(2).clientEndpoint()).isEqualTo(HANDSET + ":40002");
        assertThat(cs.get(2).name()).contains("x.example");
        // What a scan for identifiers can read: all of a plain request, nothing of TLS.
        assertThat(cs.get(2).cleartext()).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.US_ASCII))
                .startsWith("GET / HTTP/1.1\r\nHost: x.example"));
        assertThat(cs.get(2).http()).isTrue();
        assertThat(tls.cleartext()).isEmpty();
        assertThat(tls.clientData()).isEqualTo(hello);
        assertThat(cs.get(1).cleartext()).as("sent nothing").isEmpty();
    }

    @Test
    void theSilentTailOfAConnectionOpenedBeforeTheTapIsLeftOut() throws Exception {
        List<Connection> cs = Connections.of(PcapReader.parse("t", new Frames()
                .tcp(1_000_000, "203.0.113.10", 443, HANDSET, 40000, Packet.FIN | Packet.ACK, new byte[0])
                .tcp(1_000_100, HANDSET, 40000, "203.0.113.10", 443, Packet.FIN | Packet.ACK, new byte[0])
                .tcp(2_000_000, HANDSET, 40001, "203.0.113.10", 443, Packet.ACK, new byte[] {23, 3, 3, 0, 1, 9})
                .pcap(ByteOrder.LITTLE_ENDIAN)));
        assertThat(cs).extracting(Connection::clientEndpoint).containsExactly(HANDSET + ":40001");
    }

    @Test
    void whatTheCaptureSawIsObservedAndTheRestBecomesUnobservedFindings() throws Exception {
        List<Connection> cs = Connections.of(PcapReader.parse("t", new Frames()
                .tcp(1_000_000, HANDSET, 40000, "203.0.113.10", 80, Packet.SYN, new byte[0])
                .tcp(2_000_000, HANDSET, 40001, "203.0.113.20", 5228, Packet.SYN, new byte[0])
                .tcp(2_500_000, HANDSET, 40003, "10.9.1.1", 8080, Packet.SYN, new byte[0])
                .udp(3_000_000, HANDSET, 50000, "203.0.113.10", 443, new byte[] {0x40})
                .tcp(4_000_000, "10.9.1.7", 40000, "203.0.113.10", 5228, Packet.SYN, new byte[0])
                .pcap(ByteOrder.LITTLE_ENDIAN)));
        Reconciliation r = Reconciliation.of(cs, Set.of(InetAddress.getByName(HANDSET)),
                List.of(HANDSET + ":40000", "[::ffff:10.9.1.2]:40009"),
                Set.of(new InetSocketAddress("10.9.1.1", 8080)));
        assertThat(r.observed()).extracting(Connection::clientEndpoint)
                .containsExactly(HANDSET + ":40000", HANDSET + ":40003");
        List<UnobservedConnection> findings = r.findings();
        assertThat(findings).extracting(UnobservedConnection::host, UnobservedConnection::port,
                UnobservedConnection::protocol).containsExactly(
                org.assertj.core.groups.Tuple.tuple("203.0.113.20", 5228, "tcp"),
                org.assertj.core.groups.Tuple.tuple("203.0.113.10", 443, "udp"));
        assertThat(findings.get(0).at()).isEqualTo(Instant.ofEpochSecond(2));
        assertThat(findings.get(0).detail()).contains("frame 2");
    }

    @Test
    void aPortReusedAfterTheConnectionEndedIsANewConnection() throws Exception {
        List<Connection> cs = Connections.of(PcapReader.parse("t", new Frames()
                .tcp(1_000_000, HANDSET, 40000, "203.0.113.10", 80, Packet.SYN, new byte[0])
                .tcp(1_000_100, "203.0.113.10", 80, HANDSET, 40000, Packet.SYN | Packet.ACK, new byte[0])
                .tcp(1_000_200, HANDSET, 40000, "203.0.113.10", 80, Packet.FIN | Packet.ACK, new byte[0])
                .tcp(9_000_000, HANDSET, 40000, "203.0.113.10", 80, Packet.SYN, new byte[0])
                .pcap(ByteOrder.BIG_ENDIAN)));
        assertThat(cs).hasSize(2);
        assertThat(cs.get(1).start()).isEqualTo(Instant.ofEpochSecond(9));
    }

    /** A real ClientHello from the JDK's TLS stack, so SNI parsing is tested against what clients send. */
    private static byte[] clientHello(String host) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
