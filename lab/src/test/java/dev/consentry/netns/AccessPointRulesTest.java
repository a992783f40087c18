package dev.consentry.netns;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPointRulesTest {
    @Test
    void redirectsTcp80And443RejectsQuicAndIpv6AndMasqueradesUpstream() {
        AccessPointRules rules = new AccessPointRules("wlan0", "eth0", 8080);

        assertThat(rules.shellLines()).containsExactly(
                "sysctl -w net.ipv4.ip_forward=1",
                "iptables -t nat -A PREROUTING -i wlan0 -p tcp --dport 80 -j REDIRECT --to-ports 8080",
                "iptables -t nat -A PREROUTING -i wlan0 -p tcp --dport 443 -j REDIRECT --to-ports 8080",
                "iptables -A FORWARD -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "iptables -A INPUT -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
                "ip6tables -A FORWARD -i wlan0 -j REJECT --reject-with icmp6-adm-prohibited");
    }

    @Test
    void severalHandsetsOnOneWifiEachGoToTheirOwnMitmdump() {
        AccessPointRules rules = new AccessPointRules("wlan0", Optional.empty(), List.of(
                new AccessPointRules.Redirect(Optional.of("192.168.50.23"), 8091),
                new AccessPointRules.Redirect(Optional.of("192.168.50.24"), 8092)));

        assertThat(rules.shellLines()).containsExactly(
                "sysctl -w net.ipv4.ip_forward=1",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.23 -p tcp --dport 80 -j REDIRECT --to-ports 8091",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.23 -p tcp --dport 443 -j REDIRECT --to-ports 8091",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.24 -p tcp --dport 80 -j REDIRECT --to-ports 8092",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.24 -p tcp --dport 443 -j REDIRECT --to-ports 8092",
                "iptables -A FORWARD -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "iptables -A INPUT -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "ip6tables -A FORWARD -i wlan0 -j REJECT --reject-with icmp6-adm-prohibited");
    }

    @Test
    void interfaceNamesAndPortsAreChecked() {
        assertThatThrownBy(() -> new AccessPointRules("wlan0; reboot", "eth0", 8080))
                .hasMessageContaining("not an interface name: 'wlan0; reboot'");
        assertThatThrownBy(() -> new AccessPointRules("wlan0", "a-name-far-too-long", 8080))
                .hasMessageContaining("not an interface name");
        assertThatThrownBy(() -> new AccessPointRules("wlan0", "eth0", 0)).hasMessageContaining("proxy port");
        assertThatThrownBy(() -> new AccessPointRules.Redirect(Optional.of("1.2.3.4; x"), 80))
                .hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> new AccessPointRules("wlan0", Optional.empty(), List.of()))
                .hasMessageContaining("no redirect");
    }
}
