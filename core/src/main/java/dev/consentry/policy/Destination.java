package dev.consentry.policy;

import java.util.List;
import java.util.Objects;

/**
 * A named group of hosts belonging to one party ({@code xiaomi}: vendor, *.xiaomi.com, *.miui.com).
 *
 * @param opaqueExempt TLS to these hosts that the lab cannot open (certificate pinning) is expected and does not make a
 *                     test INCONCLUSIVE; it is still reported as an opaque finding
 * @param where        file:line of the definition, for messages
 */
public record Destination(String name, Party party, List<HostPattern> hosts, boolean opaqueExempt, String where) {
    public Destination {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(party, "party");
        hosts = List.copyOf(hosts);
    }

    public boolean matches(String host) {
        return hosts.stream().anyMatch(h -> h.matches(host));
    }
}
