package dev.consentry.twin.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostsTest {
    @Test
    void acceptsOnlyAddressesThatCannotBeOnTheInternet() throws Exception {
        for (String ok : new String[] {"127.0.0.2", "10.200.1.2", "172.16.0.1", "192.168.5.5", "169.254.1.1",
                "192.0.2.7", "198.51.100.7", "203.0.113.7", "::1", "fd00::1"}) {
            assertThat(Hosts.labAddress(InetAddress.getByName(ok))).as(ok).isTrue();
        }
        for (String bad : new String[] {"8.8.8.8", "203.0.114.1", "172.32.0.1", "2001:db9::1"}) {
            assertThat(Hosts.labAddress(InetAddress.getByName(bad))).as(bad).isFalse();
        }
    }

    @Test
    void entriesParseAndLookupIgnoresCase() {
        Map.Entry<String, InetAddress> e = Hosts.entry("API.example=203.0.113.10");
        Hosts hosts = Hosts.of(Map.ofEntries(e));
        assertThat(hosts.lookup("api.EXAMPLE")).map(InetAddress::getHostAddress).contains("203.0.113.10");
        assertThat(hosts.lookup("other.example")).isEmpty();
        assertThatThrownBy(() -> Hosts.entry("api.example")).hasMessageContaining("expected NAME=ADDRESS");
        assertThatThrownBy(() -> Hosts.entry("api.example=somewhere.example"))
                .hasMessageContaining("'somewhere.example' is not an IP address");
    }

    @Test
    void routesHonourTheProxyUnlessDirectAndPreferTheHostsMapOverTheStandIn() throws Exception {
        Hosts hosts = Hosts.of(Map.of("mapped.example", InetAddress.getByName("203.0.113.10")));
        InetSocketAddress standIn = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        RouteResolver r = new RouteResolver(Optional.of(standIn), hosts);
        Optional<String> proxy = Optional.of("127.0.0.1:8080");
        assertThat(r.resolve(proxy, true, "mapped.example", 80)).isInstanceOf(Route.ViaProxy.class);
        assertThat(r.resolve(proxy, false, "mapped.example", 5228)).isEqualTo(new Route.ToDestination(
                new InetSocketAddress(InetAddress.getByName("203.0.113.10"), 5228)));
        assertThat(r.resolve(Optional.of(":0"), true, "mapped.example", 443))
                .isInstanceOf(Route.ToDestination.class);
        assertThat(r.resolve(proxy, false, "other.example", 80)).isEqualTo(new Route.Direct(standIn));
        assertThat(new RouteResolver(Optional.empty(), Hosts.none()).resolve(proxy, false, "other.example", 80))
                .isEqualTo(new Route.Unroutable("no route to host (direct connection, no network)"));
    }
}
