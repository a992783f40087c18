package dev.consentry.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules that make a Linux host a capturing access point: TCP 80 and 443 arriving from the handsets'
 * interface are redirected to the transparent mitmdump on this host, UDP 443 from them is rejected (QUIC, which
 * mitmdump 8 cannot read, falls back to TCP when it gets port-unreachable), and what is forwarded upstream is
 * masqueraded. The same lines are applied in the namespace fixture and printed for a real lab.
 *
 * @param handsetInterface where the handsets are (the Wi-Fi interface of a real access point, e.g. wlan0)
 * @param uplinkInterface  towards the internet (or the lab's stand-in for it)
 * @param proxyPort        the port the transparent mitmdump listens on, on this host
 */
public record AccessPointRules(String handsetInterface, String uplinkInterface, int proxyPort) {
    public AccessPointRules {
        if (!handsetInterface.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw new IllegalArgumentException("not an interface name: '" + handsetInterface + "'");
        }
        if (!uplinkInterface.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw new IllegalArgumentException("not an interface name: '" + uplinkInterface + "'");
        }
        if (proxyPort <= 0 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + proxyPort);
        }
    }

    /** Each rule as iptables arguments (without the program name), in the order they are appended. */
    public List<List<String>> iptables() {
        String port = Integer.toString(proxyPort);
        List<List<String>> rules = new ArrayList<>();
        for (String dport : List.of("80", "443")) {
            rules.add(List.of("-t", "nat", "-A", "PREROUTING", "-i", handsetInterface, "-p", "tcp", "--dport", dport,
                    "-j", "REDIRECT", "--to-ports", port));
        }
        // Both chains: QUIC to a forwarded address and to the access point's own address.
        for (String chain : List.of("FORWARD", "INPUT")) {
            rules.add(List.of("-A", chain, "-i", handsetInterface, "-p", "udp", "--dport", "443",
                    "-j", "REJECT", "--reject-with", "icmp-port-unreachable"));
        }
        rules.add(List.of("-t", "nat", "-A", "POSTROUTING", "-o", uplinkInterface, "-j", "MASQUERADE"));
        return rules;
    }

    /** The rules as shell lines a lab can paste on its access point's host, forwarding switched on first. */
    public List<String> shellLines() {
        List<String> lines = new ArrayList<>();
        lines.add("sysctl -w net.ipv4.ip_forward=1");
        iptables().forEach(r -> lines.add("iptables " + String.join(" ", r)));
        return lines;
    }
}
