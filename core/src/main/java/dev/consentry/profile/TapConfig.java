package dev.consentry.profile;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a network tap sees this handset's traffic: the interface of the lab's access point the handset is on, the
 * handset's address there, and the network namespace the interface lives in, if any. With it, every flow runs under
 * a {@code tcpdump} and connections that bypassed the capture become {@code unobserved} findings.
 */
public record TapConfig(String iface, InetAddress address, Optional<String> namespace) {
    public TapConfig {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(address, "address");
        namespace = namespace == null ? Optional.empty() : namespace;
    }
}
