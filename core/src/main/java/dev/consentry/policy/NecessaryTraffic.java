package dev.consentry.policy;

import java.util.List;
import java.util.Objects;

/**
 * Traffic a handset needs whatever the user decides (connectivity checks, time, OTA checks): it needs no consent as
 * long as it carries no personal data. Once a canary is found in it, it is judged like any other traffic.
 */
public record NecessaryTraffic(String name, List<HostPattern> hosts, String where) {
    public NecessaryTraffic {
        Objects.requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
    }

    public boolean matches(String host) {
        return hosts.stream().anyMatch(h -> h.matches(host));
    }
}
