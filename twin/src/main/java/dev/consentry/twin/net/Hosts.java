package dev.consentry.twin.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The twin's own name resolution, like /etc/hosts: which address a destination host name has. A twin never asks DNS,
 * so a host missing here is not reachable directly. Only addresses that cannot be on the internet are accepted
 * (loopback, private ranges, link-local, the documentation ranges): a lab points names at its own listeners, or at
 * addresses routed inside its own network namespaces, never at a real server.
 */
public final class Hosts {
    private static final Hosts NONE = new Hosts(Map.of());
    private final Map<String, InetAddress> addresses;

    private Hosts(Map<String, InetAddress> addresses) {
        this.addresses = Map.copyOf(addresses);
    }

    public static Hosts none() {
        return NONE;
    }

    /** @throws IllegalArgumentException naming the first entry whose address could be on the internet */
    public static Hosts of(Map<String, InetAddress> addresses) {
        Map<String, InetAddress> checked = new LinkedHashMap<>();
        addresses.forEach((host, address) -> {
            if (!labAddress(address)) {
                throw new IllegalArgumentException("hosts entry " + host + "=" + address.getHostAddress()
                        + ": a virtual handset only connects to loopback, private (10/8, 172.16/12, 192.168/16), "
                        + "link-local or documentation (192.0.2/24, 198.51.100/24, 203.0.113/24) addresses");
            }
            checked.put(host.toLowerCase(Locale.ROOT), address);
        });
        return new Hosts(checked);
    }

    /** Parses one {@code name=address} entry (an IP literal: resolving it needs no DNS). */
    public static Map.Entry<String, InetAddress> entry(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("expected NAME=ADDRESS, got '" + text + "'");
        }
        String address = text.substring(eq + 1).trim();
        if (!address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address (in '" + text + "')");
        }
        try {
            return Map.entry(text.substring(0, eq).trim(), InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address (in '" + text + "')", e);
        }
    }

    public Optional<InetAddress> lookup(String host) {
        return Optional.ofNullable(addresses.get(host.toLowerCase(Locale.ROOT)));
    }

    public Map<String, InetAddress> asMap() {
        return addresses;
    }

    static boolean labAddress(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
            return true;
        }
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            return first == 192 && second == 0 && third == 2
                    || first == 198 && second == 51 && third == 100
                    || first == 203 && second == 0 && third == 113;
        }
        // IPv6 unique local addresses (fc00::/7), which Java does not count as site-local.
        return (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    @Override
    public String toString() {
        return addresses.toString();
    }
}
