package dev.consentry.tap;

import dev.consentry.verdict.UnobservedConnection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tap's connections held against what the capture saw. A handset's connection counts as observed when the capture
 * has a flow or a TLS failure from the same client endpoint (mitmproxy records the handset's address and port, which
 * a transparent redirect keeps), or when it went to one of the capture's proxy addresses. Every other connection the
 * handset opened, and every UDP flow it sent, bypassed the capture: an {@link UnobservedConnection}.
 *
 * @param observed   the handset's connections the capture accounts for
 * @param unobserved the rest, as findings for the judge
 */
public record Reconciliation(List<Connection> observed, List<Connection> unobserved) {
    public Reconciliation {
        observed = List.copyOf(observed);
        unobserved = List.copyOf(unobserved);
    }

    /**
     * @param handsets        the handsets' addresses on the access point's network; other hosts' traffic is ignored
     * @param capturedClients client endpoints ("ip:port") of every captured flow and TLS failure
     * @param proxies         where handsets reach the capture as an explicit proxy (empty in access-point mode)
     */
    public static Reconciliation of(List<Connection> connections, Set<InetAddress> handsets,
                                    Collection<String> capturedClients, Set<InetSocketAddress> proxies) {
        Set<String> seen = Set.copyOf(capturedClients.stream().map(Reconciliation::normalise).toList());
        List<Connection> observed = new ArrayList<>();
        List<Connection> unobserved = new ArrayList<>();
        for (Connection c : connections) {
            if (!handsets.contains(c.clientAddress())) {
                continue;
            }
            boolean toProxy = proxies.contains(c.server());
            if (c.transport() == Packet.Transport.TCP && (toProxy || seen.contains(c.clientEndpoint()))) {
                observed.add(c);
            } else {
                unobserved.add(c);
            }
        }
        return new Reconciliation(observed, unobserved);
    }

    /** mitmproxy writes IPv4 clients of a dual-stack listener as "::ffff:10.0.0.2". */
    private static String normalise(String endpoint) {
        String e = endpoint.toLowerCase(Locale.ROOT);
        return e.startsWith("[::ffff:") && e.indexOf(']') > 0 && e.substring(8, e.indexOf(']')).contains(".")
                ? e.substring(8, e.indexOf(']')) + e.substring(e.indexOf(']') + 1) : e;
    }

    /** The unobserved connections as findings for {@link dev.consentry.verdict.Judge}. */
    public List<UnobservedConnection> findings() {
        return unobserved.stream().map(Reconciliation::finding).toList();
    }

    /** One connection as the judge sees it; what it carried is left unknown (the lab scans cleartext). */
    public static UnobservedConnection finding(Connection c) {
        return new UnobservedConnection(c.name().orElse(c.server().getAddress().getHostAddress()),
                c.server().getAddress().getHostAddress(), c.server().getPort(),
                c.transport().name().toLowerCase(Locale.ROOT), c.start(), c.clientBytes(), c.serverBytes(),
                c.describe());
    }
}
