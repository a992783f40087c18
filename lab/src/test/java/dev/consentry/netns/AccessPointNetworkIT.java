package dev.consentry.netns;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The namespace fixture itself: routing through the access point, and nothing left behind, also on failure. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AccessPointNetworkIT {
    @BeforeAll
    static void needsNamespaces() {
        AccessPointNetwork.unsupportedBecause().ifPresent(why -> fail(why
                + ". CI runs `./consentry test` as root with iproute2 and iptables installed (README, setup)."));
    }

    @Test
    void aHandsetReachesTheUpstreamThroughTheAccessPointMasqueraded() throws Exception {
        try (AccessPointNetwork network = AccessPointNetwork.builder().start();
             ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(network.upstreamAddress(), 0));
            upstream.setSoTimeout(10_000);
            // Not 80/443: forwarded, not redirected.
            Process client = new ProcessBuilder(network.inHandset(List.of("python3", "-c",
                    "import socket; s = socket.create_connection(('" + network.upstreamAddress().getHostAddress()
                            + "', " + upstream.getLocalPort() + "), 5); s.sendall(b'hello'); s.close()")))
                    .redirectErrorStream(true).start();
            try (Socket accepted = upstream.accept(); InputStream in = accepted.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
                assertThat(accepted.getInetAddress()).as("masqueraded behind the access point's uplink")
                        .isEqualTo(network.accessPointAddress());
            }
            assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(new String(client.getInputStream().readAllBytes())).isZero();
        }
    }

    @Test
    void closeStopsWhatStillRunsInsideAndRemovesEverything() throws Exception {
        AccessPointNetwork network = AccessPointNetwork.builder().start();
        Process sleeper = new ProcessBuilder(network.inHandset(List.of("sleep", "300"))).start();
        assertThat(network.leftovers()).hasSize(4);

        network.close();

        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).as("the process in the handset namespace was stopped")
                .isTrue();
        assertThat(network.leftovers()).isEmpty();
        assertThat(run("ip", "netns", "list")).doesNotContain("cst-" + network.id());
        assertThat(run("ip", "-o", "link", "show")).doesNotContain("cst" + network.id());
        network.close(); // idempotent
    }

    @Test
    void aFailureHalfWayRemovesWhatWasAlreadyMade() throws Exception {
        assertThatThrownBy(() -> AccessPointNetwork.builder().withRule("-A", "FORWARD", "-j", "NO-SUCH-TARGET")
                .start()).isInstanceOfSatisfying(NetnsException.class, e -> {
                    assertThat(e.getMessage()).contains("iptables -w -A FORWARD -j NO-SUCH-TARGET failed");
                    Matcher id = Pattern.compile("cst-([0-9a-f]{6})-ap").matcher(e.getMessage());
                    assertThat(id.find()).as(e.getMessage()).isTrue();
                    try {
                        assertThat(run("ip", "netns", "list")).doesNotContain("cst-" + id.group(1));
                        assertThat(run("ip", "-o", "link", "show")).doesNotContain("cst" + id.group(1));
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                });
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
