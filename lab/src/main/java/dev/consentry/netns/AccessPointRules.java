package dev.consentry.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The iptables rules that make a Linux host a capturing access point: TCP 80 and 443 arriving from the handsets'
 * interface are redirected to a transparent mitmdump on this host (per handset address, to that handset's own
 * mitmdump, when several share the Wi-Fi), UDP 443 from them is rejected (QUIC, which mitmdump 8 cannot read, falls
 * back to TCP when it gets port-unreachable), IPv6 from them is refused (the capture sees IPv4 only), and what is
 * forwarded upstream is masqueraded when an uplink is named.
 * The same rules are applied in the namespace fixture and printed by {@code consentry ap-rules} for a real lab.
 *
 * @param handsetInterface where the handsets are (the Wi-Fi interface of a real access point, e.g. wlan0)
 * @param uplinkInterface  towards the internet (or the lab's stand-in for it); empty: the host's NAT is left alone
 * @param redirects        where each handset's TCP 80/443 goes
 */
public record AccessPointRules(String handsetInterface, Optional<String> uplinkInterface, List<Redirect> redirects) {
    private static final String INTERFACE = "[A-Za-z0-9_.@-]{1,15}";

    /**
     * @param source the handset's address; empty: every handset on the interface
     * @param port   the transparent mitmdump's port on this host
     */
    public record Redirect(Optional<String> source, int port) {
        public Redirect {
            Objects.requireNonNull(source, "source");
            source.ifPresent(s -> {
                if (!s.matches("[0-9.]+")) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
                }
            });
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("proxy port out of range: " + port);
            }
        }
    }

    public AccessPointRules {
        if (!handsetInterface.matches(INTERFACE)) {
            throw new IllegalArgumentException("not an interface name: '" + handsetInterface + "'");
        }
        uplinkInterface.ifPresent(u -> {
            if (!u.matches(INTERFACE)) {
                throw new IllegalArgumentException("not an interface name: '" + u + "'");
            }
        });
        redirects = List.copyOf(redirects);
        if (redirects.isEmpty()) {
            throw new IllegalArgumentException("no redirect: name the transparent mitmdump's port");
        }
    }

    /** One mitmdump for every handset on the interface, forwarding out of {@code uplinkInterface}. */
    public AccessPointRules(String handsetInterface, String uplinkInterface, int proxyPort) {
        this(handsetInterface, Optional.of(uplinkInterface), List.of(new Redirect(Optional.empty(), proxyPort)));
    }

    /** Each rule as iptables arguments (without the program name), in the order they are appended. */
    public List<List<String>> iptables() {
        List<List<String>> rules = new ArrayList<>();
        for (Redirect r : redirects) {
            for (String dport : List.of("80", "443")) {
                List<String> rule = new ArrayList<>(List.of("-t", "nat", "-A", "PREROUTING", "-i", handsetInterface));
                r.source().ifPresent(s -> rule.addAll(List.of("-s", s)));
                rule.addAll(List.of("-p", "tcp", "--dport", dport, "-j", "REDIRECT", "--to-ports",
                        Integer.toString(r.port())));
                rules.add(List.copyOf(rule));
            }
        }
        // Both chains: QUIC to a forwarded address and to the access point's own address.
        for (String chain : List.of("FORWARD", "INPUT")) {
            rules.add(List.of("-A", chain, "-i", handsetInterface, "-p", "udp", "--dport", "443",
                    "-j", "REJECT", "--reject-with", "icmp-port-unreachable"));
        }
        uplinkInterface.ifPresent(u -> rules.add(List.of("-t", "nat", "-A", "POSTROUTING", "-o", u,
                "-j", "MASQUERADE")));
        return rules;
    }

    /**
     * IPv6 from the handsets is refused rather than forwarded: the transparent capture listens for IPv4 only, so a
     * forwarded IPv6 connection would leave unseen. Android's Happy Eyeballs falls back to IPv4 at once on a refusal.
     */
    public List<List<String>> ip6tables() {
        return List.of(List.of("-A", "FORWARD", "-i", handsetInterface, "-j", "REJECT", "--reject-with",
                "icmp6-adm-prohibited"));
    }

    /** The rules as shell lines a lab can paste on its access point's host, forwarding switched on first. */
    public List<String> shellLines() {
        List<String> lines = new ArrayList<>();
        lines.add("sysctl -w net.ipv4.ip_forward=1");
        iptables().forEach(r -> lines.add("iptables " + String.join(" ", r)));
        ip6tables().forEach(r -> lines.add("ip6tables " + String.join(" ", r)));
        return lines;
    }
}
