package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamParserTest {
    // Shape taken from a real mitmdump 8.1.1 run of the addon (curl POST through the proxy, sink mode).
    private static final String FLOW = """
            {"type":"flow","id":"f21527d4-12bb-491e-938e-16bd8ae4f758","started":1795533851.2839668,\
            "client":"127.0.0.1:41264","request":{"method":"POST","scheme":"http","host":"api.account.xiaomi.com",\
            "port":80,"authority":"","path":"/pass/v2?x=1&y=%20","http_version":"HTTP/1.1","headers":[\
            ["Host","api.account.xiaomi.com"],["X-A","1"],["x-a","2"],["Content-Length","12"]],\
            "body_b64":"aW1laT04Njc1MzA5","timestamp_start":1795533851.2839668},\
            "response":{"status":204,"reason":"No Content","http_version":"HTTP/1.0","headers":[["Server","sink"]],\
            "body_b64":""},"error":null,"redirected_to":"127.0.0.1:34989"}""";

    @Test
    void flowLineBecomesCapturedFlowWithRequestAsSent() {
        StreamEvent.Flow event = (StreamEvent.Flow) StreamParser.parse(FLOW);
        CapturedFlow flow = event.flow();

        assertThat(flow.id()).isEqualTo("f21527d4-12bb-491e-938e-16bd8ae4f758");
        assertThat(flow.started()).isEqualTo(Instant.ofEpochSecond(1795533851L, 283967000L));
        assertThat(flow.client()).isEqualTo("127.0.0.1:41264");
        assertThat(flow.request().method()).isEqualTo("POST");
        assertThat(flow.request().url()).isEqualTo("http://api.account.xiaomi.com/pass/v2?x=1&y=%20");
        assertThat(flow.request().httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(flow.request().headers()).containsExactly(new HttpHeader("Host", "api.account.xiaomi.com"),
                new HttpHeader("X-A", "1"), new HttpHeader("x-a", "2"), new HttpHeader("Content-Length", "12"));
        assertThat(flow.request().body()).asString().isEqualTo("imei=8675309");
        assertThat(flow.response()).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.reason()).isEqualTo("No Content");
            assertThat(r.headers()).containsExactly(new HttpHeader("Server", "sink"));
            assertThat(r.body()).isEmpty();
        });
        assertThat(flow.error()).isEmpty();
        assertThat(event.redirectedTo()).contains("127.0.0.1:34989");
    }

    @Test
    void binaryBodyKeepsEveryByte() {
        byte[] gzipLike = {0x1f, (byte) 0x8b, 0x08, 0x00, (byte) 0xff, 0x00, 0x7f};
        String line = FLOW.replace("aW1laT04Njc1MzA5", Base64.getEncoder().encodeToString(gzipLike));

        CapturedFlow flow = ((StreamEvent.Flow) StreamParser.parse(line)).flow();

        assertThat(flow.request().body()).containsExactly(gzipLike);
    }

    @Test
    void errorFlowHasNoResponse() {
        String line = FLOW.replaceAll("\"response\":\\{.*?\"body_b64\":\"\"}", "\"response\":null")
                .replace("\"error\":null", "\"error\":\"capture stopped before the flow completed\"");

        CapturedFlow flow = ((StreamEvent.Flow) StreamParser.parse(line)).flow();

        assertThat(flow.response()).isEmpty();
        assertThat(flow.error()).contains("capture stopped before the flow completed");
    }

    @Test
    void tlsFailureLine() {
        StreamEvent event = StreamParser.parse("""
                {"type":"tls_failure","client":"127.0.0.1:41286","sni":"tracking.intl.miui.com",\
                "host":"tracking.intl.miui.com","port":443,"time":1795533851.5,\
                "error":"The client does not trust the proxy's certificate for tracking.intl.miui.com"}""");

        TlsFailure f = ((StreamEvent.TlsFailed) event).failure();
        assertThat(f.client()).isEqualTo("127.0.0.1:41286");
        assertThat(f.sni()).contains("tracking.intl.miui.com");
        assertThat(f.port()).isEqualTo(443);
        assertThat(f.time()).isEqualTo(Instant.ofEpochSecond(1795533851L, 500_000_000L));
        assertThat(f.error()).contains("does not trust");
        assertThat(f.target()).isEqualTo("tracking.intl.miui.com");
    }

    @Test
    void tlsFailureWithoutSniNamesTheConnectHost() {
        TlsFailure f = ((StreamEvent.TlsFailed) StreamParser.parse("""
                {"type":"tls_failure","client":"10.0.0.5:5000","sni":null,"host":"sa.api.intl.miui.com",\
                "port":443,"time":1.0,"error":"connection closed"}""")).failure();

        assertThat(f.sni()).isEmpty();
        assertThat(f.target()).isEqualTo("sa.api.intl.miui.com");
    }

    @Test
    void helloAndBye() {
        assertThat(StreamParser.parse("""
                {"type":"hello","v":1,"mitmproxy":"8.1.1","pid":42,"listen":["127.0.0.1:40181"],"sink":null}"""))
                .isEqualTo(new StreamEvent.Hello(1, "8.1.1", 42, List.of("127.0.0.1:40181"), Optional.empty()));
        assertThat(StreamParser.parse("{\"type\":\"bye\",\"flows\":2,\"tls_failures\":1,\"lost\":0}"))
                .isEqualTo(new StreamEvent.Bye(2, 1, 0));
    }

    @Test
    void unknownTypeIsReportedNotDropped() {
        assertThat(StreamParser.parse("{\"type\":\"websocket\",\"id\":\"x\"}"))
                .isEqualTo(new StreamEvent.Unknown("websocket"));
    }

    @Test
    void brokenLinesFailWithAnExcerpt() {
        assertThatThrownBy(() -> StreamParser.parse("{\"type\":\"flow\",\"id\":\"x\""))
                .isInstanceOf(StreamFormatException.class).hasMessageContaining("{\"type\":\"flow\"");
        assertThatThrownBy(() -> StreamParser.parse(FLOW.replace("\"method\":\"POST\",", "")))
                .isInstanceOf(StreamFormatException.class).hasMessageContaining("missing 'method'");
        assertThatThrownBy(() -> StreamParser.parse("[1,2]"))
                .isInstanceOf(StreamFormatException.class).hasMessageContaining("not a JSON object");
    }
}
