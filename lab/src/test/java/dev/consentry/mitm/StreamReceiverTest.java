package dev.consentry.mitm;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class StreamReceiverTest {
    private static final String HELLO =
            "{\"type\":\"hello\",\"v\":1,\"mitmproxy\":\"8.1.1\",\"pid\":1,\"listen\":[\"127.0.0.1:1\"],\"sink\":null}\n";

    private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Test
    void goodbyeThenEndIsAHealthyEnd() throws Exception {
        try (StreamReceiver receiver = new StreamReceiver("t", events::add, problems::add)) {
            send(receiver, HELLO + "{\"type\":\"bye\",\"flows\":0,\"tls_failures\":0,\"lost\":0}\n");

            assertThat(receiver.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(receiver.broken()).isEmpty();
            assertThat(receiver.hello()).isPresent();
            assertThat(receiver.bye()).contains(new StreamEvent.Bye(0, 0, 0));
            assertThat(events).hasSize(2);
        }
    }

    @Test
    void endWithoutGoodbyeMeansFlowsMayBeMissing() throws Exception {
        try (StreamReceiver receiver = new StreamReceiver("t", events::add, problems::add)) {
            send(receiver, HELLO);

            assertThat(receiver.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(receiver.broken()).hasValueSatisfying(b -> assertThat(b).contains("without its goodbye"));
        }
    }

    @Test
    void badLinesAreProblemsAndTheStreamGoesOn() throws Exception {
        try (StreamReceiver receiver = new StreamReceiver("t", events::add, problems::add)) {
            send(receiver, "not json\n" + HELLO + "{\"type\":\"bye\",\"flows\":0,\"tls_failures\":0,\"lost\":0}\n");

            assertThat(receiver.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(problems).singleElement().asString().contains("bad stream line").contains("not json");
            assertThat(receiver.hello()).isPresent();
        }
    }

    @Test
    void onlyOneAddonMayConnect() throws Exception {
        try (StreamReceiver receiver = new StreamReceiver("t", events::add, problems::add);
             Socket first = new Socket(receiver.address().getAddress(), receiver.address().getPort())) {
            first.getOutputStream().write(HELLO.getBytes(StandardCharsets.US_ASCII));
            first.getOutputStream().flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (receiver.hello().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(receiver.hello()).isPresent();

            try (Socket second = new Socket()) {
                second.connect(receiver.address(), 1_000);
                assertThat(false).as("a second connection was accepted").isTrue();
            } catch (java.io.IOException refused) {
                assertThat(refused).hasMessageContaining("refused");
            }
        }
    }

    private static void send(StreamReceiver receiver, String lines) throws Exception {
        try (Socket s = new Socket(receiver.address().getAddress(), receiver.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(lines.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
