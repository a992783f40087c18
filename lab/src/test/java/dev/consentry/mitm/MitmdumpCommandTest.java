package dev.consentry.mitm;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MitmdumpCommandTest {
    private final Path work = Path.of("/tmp/work");
    private final InetSocketAddress stream = new InetSocketAddress("127.0.0.1", 4000);

    @Test
    void sinkModeRedirectsAndNeverContactsRealServers() {
        CaptureConfig config = MitmdumpCapture.builder().withName("redmi").withConfDir(Path.of("/tmp/conf"))
                .withWorkDir(work).withSink(new InetSocketAddress("127.0.0.1", 5000)).config();

        List<String> cmd = MitmdumpCommand.build(config, work.resolve("consentry_stream.py"), stream);

        assertThat(String.join(" ", cmd)).isEqualTo("mitmdump --listen-host 127.0.0.1 --listen-port 0"
                + " --set confdir=/tmp/conf --set connection_strategy=lazy -s /tmp/work/consentry_stream.py"
                + " --set consentry_stream=127.0.0.1:4000 --set consentry_sink=127.0.0.1:5000"
                + " --set upstream_cert=false --set flow_detail=1 -w /tmp/work/flows.mitm");
    }

    @Test
    void withoutSinkTrafficGoesToRealDestinations() {
        CaptureConfig config = MitmdumpCapture.builder().withConfDir(Path.of("/tmp/conf")).withWorkDir(work)
                .withListenHost("0.0.0.0").withListenPort(8081).withMitmdump("/opt/mitm/mitmdump").config();

        List<String> cmd = MitmdumpCommand.build(config, work.resolve("consentry_stream.py"), stream);

        assertThat(cmd).startsWith("/opt/mitm/mitmdump", "--listen-host", "0.0.0.0", "--listen-port", "8081");
        assertThat(String.join(" ", cmd)).doesNotContain("consentry_sink").doesNotContain("upstream_cert");
    }

    @Test
    void transparentModeInsideTheAccessPointsNamespace() {
        CaptureConfig config = MitmdumpCapture.builder().withConfDir(Path.of("/tmp/conf")).withWorkDir(work)
                .withListenHost("0.0.0.0").withListenPort(8080).withMode(CaptureMode.TRANSPARENT)
                .inNamespace("cst-abc123-ap").config();

        List<String> cmd = MitmdumpCommand.build(config, work.resolve("consentry_stream.py"), stream);

        assertThat(cmd).startsWith("ip", "netns", "exec", "cst-abc123-ap", "mitmdump", "--listen-host", "0.0.0.0");
        assertThat(String.join(" ", cmd)).contains(" --mode transparent");
        assertThat(String.join(" ", MitmdumpCommand.build(MitmdumpCapture.builder().withConfDir(Path.of("/c"))
                .withWorkDir(work).config(), work.resolve("a.py"), stream))).doesNotContain("--mode")
                .doesNotContain("netns");
    }

    @Test
    void ipv6AddressesAreBracketed() {
        assertThat(MitmdumpCommand.hostPort(new InetSocketAddress("::1", 9))).isEqualTo("[0:0:0:0:0:0:0:1]:9");
    }
}
