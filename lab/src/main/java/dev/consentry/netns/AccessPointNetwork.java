package dev.consentry.netns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A lab Wi-Fi access point rebuilt from network namespaces, for handsets (virtual ones) that have no proxy setting:
 * <pre>
 *   handset ns (hs) --veth--  access-point ns (ap)  --veth--  this (root) namespace
 *   10.A.B.2  default via .1  .1 | iptables, mitmdump | .10   .9: the stand-in internet (sink, capture stream)
 *   10.A.B.18 -------------------- management link ---------- .17: how the lab drives the handset (its "USB cable")
 * </pre>
 * In the access-point namespace forwarding is on and {@link AccessPointRules} apply: TCP 80/443 from the handset go
 * to the transparent mitmdump's port there, UDP 443 is rejected. Nothing routes beyond this machine: no namespace
 * has a default route to the real network, and the root namespace only gains the two links' own subnets.
 * Names are unique per instance ({@code cst-<6 hex>-hs}/{@code -ap}), the subnet is a random 10.A.B.0/27 not in use
 * here. {@link #close()} stops whatever still runs in the namespaces, deletes them and the links, and waits until
 * they are really gone (deleting a namespace frees its links asynchronously).
 */
public final class AccessPointNetwork implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(10);
    private static final int SUBNET_ATTEMPTS = 32;

    private final String id;
    private final String subnet;
    private final int proxyPort;
    private final AccessPointRules rules;
    private final List<List<String>> extraRules;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private boolean closed;

    private AccessPointNetwork(Builder b) {
        this.id = HexFormat.of().formatHex(randomBytes(3));
        this.subnet = freeSubnet();
        this.proxyPort = b.proxyPort;
        this.rules = new AccessPointRules(apHandsetLink(), apUplink(), proxyPort);
        this.extraRules = b.extraRules.stream().map(r -> r.stream()
                .map(a -> a.replace("{hs}", apHandsetLink()).replace("{up}", apUplink())).toList()).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Why namespaces cannot be made here (not root, a command missing), or empty. Tests call this first so that a
     * machine without the means fails with what is missing instead of a half-built network.
     */
    public static Optional<String> unsupportedBecause() {
        List<String> missing = new ArrayList<>();
        Commands.Result uid = Commands.attempt(List.of("id", "-u"));
        if (!uid.ok() || !uid.output().equals("0")) {
            missing.add("root (network namespaces need CAP_NET_ADMIN; running as uid " + uid.output() + ")");
        }
        Commands.Result ip = Commands.attempt(List.of("ip", "netns", "list"));
        if (!ip.ok()) {
            missing.add("'ip netns' from iproute2 (apt-get install iproute2): " + ip.output());
        }
        Commands.Result iptables = Commands.attempt(List.of("iptables", "--version"));
        if (!iptables.ok()) {
            missing.add("iptables (apt-get install iptables): " + iptables.output());
        }
        Commands.Result ip6tables = Commands.attempt(List.of("ip6tables", "--version"));
        if (!ip6tables.ok()) {
            missing.add("ip6tables (apt-get install iptables): " + ip6tables.output());
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("access-point capture needs " + String.join("; ", missing));
    }

    private void create() {
        String hs = handsetNamespace();
        String ap = accessPointNamespace();
        for (String ns : List.of(hs, ap)) {
            Commands.run(List.of("ip", "netns", "add", ns));
            namespaces.add(ns);
            Commands.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
        // Handset <-> access point (the Wi-Fi).
        pair(handsetLink(), hs, address(2), apHandsetLink(), ap, address(1), 29);
        // Access point <-> root (the uplink; the root end stands in for the internet).
        pair(rootUplink(), null, address(9), apUplink(), ap, address(10), 29);
        // Root <-> handset (management: WebDriver/adb, never the handset's traffic).
        pair(rootManagementLink(), null, address(17), handsetManagementLink(), hs, address(18), 29);
        Commands.run(List.of("ip", "-n", hs, "route", "add", "default", "via", address(1)));
        Commands.run(Commands.in(ap, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"));
        // IPv6 too, routed like a dual-stack Wi-Fi, so that the rule refusing it is what stops it (not a missing route).
        address6(hs, handsetLink(), 2);
        address6(ap, apHandsetLink(), 1);
        address6(ap, apUplink(), 0x10);
        address6(null, rootUplink(), 0x11);
        Commands.run(List.of("ip", "-n", hs, "-6", "route", "add", "default", "via", address6(1)));
        Commands.run(List.of("ip", "-6", "route", "add", address6(2) + "/128", "via", address6(0x10), "dev",
                rootUplink()));
        Commands.run(Commands.in(ap, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding"));
        for (List<String> rule : rules.ip6tables()) {
            List<String> command = new ArrayList<>(Commands.in(ap, "ip6tables", "-w"));
            command.addAll(rule);
            Commands.run(command);
            applied.add("ip6tables " + String.join(" ", rule));
        }
        List<List<String>> all = new ArrayList<>(rules.iptables());
        all.addAll(extraRules);
        for (List<String> rule : all) {
            List<String> command = new ArrayList<>(Commands.in(ap, "iptables", "-w"));
            command.addAll(rule);
            Commands.run(command);
            applied.add("iptables " + String.join(" ", rule));
        }
    }

    /** A unique-local IPv6 address of this network: the Wi-Fi ::0/126, the uplink ::10/124. */
    private String address6(int host) {
        return "fd63:7374:" + id.substring(0, 4) + ":" + id.substring(4) + "::" + Integer.toHexString(host);
    }

    /** {@code nodad}: duplicate address detection would leave the address tentative, unusable, for a second or two. */
    private void address6(String ns, String link, int host) {
        String prefix = host >= 0x10 ? "/124" : "/126";
        List<String> cmd = new ArrayList<>(ns == null ? List.of("ip") : List.of("ip", "-n", ns));
        cmd.addAll(List.of("-6", "addr", "add", address6(host) + prefix, "dev", link, "nodad"));
        Commands.run(cmd);
    }

    /** The handset's IPv6 address (a unique-local one), reachable only if the access point forwarded IPv6. */
    public InetAddress handsetAddress6() {
        return inet(address6(2));
    }

    /** This (root) namespace's IPv6 address on the uplink. */
    public InetAddress upstreamAddress6() {
        return inet(address6(0x11));
    }

    /** A veth pair; {@code nsA} null keeps end A in the root namespace. */
    private void pair(String a, String nsA, String addrA, String b, String nsB, String addrB, int prefix) {
        Commands.run(List.of("ip", "link", "add", a, "type", "veth", "peer", "name", b));
        if (nsA == null) {
            rootLinks.add(a);
        }
        for (String[] end : new String[][] {{a, nsA, addrA}, {b, nsB, addrB}}) {
            if (end[1] != null) {
                Commands.run(List.of("ip", "link", "set", end[0], "netns", end[1]));
                Commands.run(List.of("ip", "-n", end[1], "addr", "add", end[2] + "/" + prefix, "dev", end[0]));
                Commands.run(List.of("ip", "-n", end[1], "link", "set", end[0], "up"));
            } else {
                Commands.run(List.of("ip", "addr", "add", end[2] + "/" + prefix, "dev", end[0]));
                Commands.run(List.of("ip", "link", "set", end[0], "up"));
            }
        }
    }

    public String id() {
        return id;
    }

    public String handsetNamespace() {
        return "cst-" + id + "-hs";
    }

    public String accessPointNamespace() {
        return "cst-" + id + "-ap";
    }

    /** The handset's address on the Wi-Fi: the client address its flows carry. */
    public InetAddress handsetAddress() {
        return inet(address(2));
    }

    /** The access point's address on the Wi-Fi (the handset's gateway; REDIRECT delivers to it). */
    public InetAddress gatewayAddress() {
        return inet(address(1));
    }

    /** The access point's uplink address: where this namespace reaches the access point's own services. */
    public InetAddress accessPointAddress() {
        return inet(address(10));
    }

    /**
     * This (root) namespace's address on the uplink: the stand-in internet. Vendor host names resolve here for the
     * handset, and listeners the access point must reach (the sink, the capture's stream receiver) bind here.
     */
    public InetAddress upstreamAddress() {
        return inet(address(9));
    }

    /** The handset's management address, reachable from this namespace (what a USB cable is to a real handset). */
    public InetAddress handsetManagementAddress() {
        return inet(address(18));
    }

    public int proxyPort() {
        return proxyPort;
    }

    public AccessPointRules rules() {
        return rules;
    }

    /** The iptables lines applied in the access-point namespace, as run. */
    public List<String> appliedRules() {
        return Collections.unmodifiableList(applied);
    }

    /** {@code ip netns exec <handset ns> command...}: to start the handset's processes. */
    public List<String> inHandset(List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", handsetNamespace()));
        c.addAll(command);
        return c;
    }

    /** {@code ip netns exec <access-point ns> command...}: to start the transparent mitmdump. */
    public List<String> inAccessPoint(List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", accessPointNamespace()));
        c.addAll(command);
        return c;
    }

    /** What of this network still exists (namespaces listed by {@code ip netns}, links in this namespace). */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        String list = Commands.attempt(List.of("ip", "netns", "list")).output();
        for (String ns : List.of(handsetNamespace(), accessPointNamespace())) {
            if (list.lines().anyMatch(l -> l.split("\\s")[0].equals(ns))) {
                left.add("namespace " + ns);
            }
        }
        for (String link : List.of(rootUplink(), rootManagementLink())) {
            if (Commands.attempt(List.of("ip", "link", "show", "dev", link)).ok()) {
                left.add("link " + link);
            }
        }
        return left;
    }

    /**
     * Stops what still runs in the namespaces (SIGTERM, then SIGKILL), deletes namespaces and links, and waits until
     * they are gone. Idempotent.
     *
     * @throws NetnsException naming what could not be removed
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        for (String ns : namespaces) {
            stopProcessesIn(ns, problems);
        }
        for (String link : rootLinks) {
            // Deleting one end of a veth deletes its peer in the namespace with it.
            Commands.Result r = Commands.attempt(List.of("ip", "link", "del", link));
            if (!r.ok() && Commands.attempt(List.of("ip", "link", "show", "dev", link)).ok()) {
                problems.add("ip link del " + link + ": " + r.output());
            }
        }
        for (String ns : namespaces) {
            // Deleting a namespace also drops its iptables rules and its remaining links.
            Commands.Result r = Commands.attempt(List.of("ip", "netns", "del", ns));
            if (!r.ok()) {
                problems.add("ip netns del " + ns + ": " + r.output());
            }
        }
        long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
        List<String> left = leftovers();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
            left = leftovers();
        }
        if (!left.isEmpty()) {
            problems.add("still present " + GONE_TIMEOUT.toSeconds() + " s after deletion: " + left);
        }
        if (!problems.isEmpty()) {
            throw new NetnsException("access-point network " + id + " not fully removed: "
                    + String.join("; ", problems));
        }
    }

    private static void stopProcessesIn(String ns, List<String> problems) {
        for (String signal : List.of("TERM", "KILL")) {
            List<String> pids = pids(ns);
            if (pids.isEmpty()) {
                return;
            }
            List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
            kill.addAll(pids);
            Commands.attempt(kill);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!pids(ns).isEmpty() && System.nanoTime() < deadline) {
                sleep(100);
            }
        }
        if (!pids(ns).isEmpty()) {
            problems.add("processes still running in " + ns + ": " + pids(ns));
        }
    }

    private static List<String> pids(String ns) {
        Commands.Result r = Commands.attempt(List.of("ip", "netns", "pids", ns));
        return r.ok() ? r.output().lines().map(String::trim).filter(l -> l.matches("\\d+")).toList() : List.of();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "AccessPointNetwork[" + id + ", " + subnet + "0/27, handset " + address(2) + ", proxy port "
                + proxyPort + "]";
    }

    // Interface names are limited to 15 characters: cst + 6 hex + 2.
    private String handsetLink() {
        return "cst" + id + "h0";
    }

    private String apHandsetLink() {
        return "cst" + id + "a0";
    }

    private String apUplink() {
        return "cst" + id + "a1";
    }

    private String rootUplink() {
        return "cst" + id + "u1";
    }

    private String handsetManagementLink() {
        return "cst" + id + "h2";
    }

    private String rootManagementLink() {
        return "cst" + id + "m2";
    }

    private String address(int host) {
        return subnet + host;
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** "10.A.B." of a /24 no address on this machine's root namespace falls into (other labs, other helpers). */
    private static String freeSubnet() {
        String inUse = Commands.attempt(List.of("ip", "-4", "-o", "addr", "show")).output();
        for (int i = 0; i < SUBNET_ATTEMPTS; i++) {
            String candidate = "10." + (100 + RANDOM.nextInt(150)) + "." + RANDOM.nextInt(256) + ".";
            if (!inUse.contains(" " + candidate)) {
                return candidate;
            }
        }
        throw new NetnsException("no free 10.x.y.0/24 after " + SUBNET_ATTEMPTS + " attempts");
    }

    /** Collects the options; {@link #start()} builds the network or removes all it made and throws. */
    public static final class Builder {
        private int proxyPort = 8080;
        private final List<List<String>> extraRules = new ArrayList<>();

        private Builder() {
        }

        /**
         * One more iptables rule for the access-point namespace, appended after the capture rules (arguments without
         * the program name, e.g. {@code "-A", "FORWARD", "-p", "tcp", "--dport", "8443", "-j", "DROP"}). Interface
         * names are only known once built: use {@code {hs}} and {@code {up}} for the handset and uplink interfaces.
         */
        public Builder withRule(String... iptablesArguments) {
            extraRules.add(List.of(iptablesArguments));
            return this;
        }

        /**
         * The port the transparent mitmdump listens on inside the access-point namespace (its own port space, so a
         * fixed port cannot clash with anything else on the machine). Default 8080.
         */
        public Builder withProxyPort(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("proxy port out of range: " + port);
            }
            this.proxyPort = port;
            return this;
        }

        /**
         * @throws NetnsException with the failing command and its output, after removing what was already made;
         *                        or naming what is missing (see {@link #unsupportedBecause()})
         */
        public AccessPointNetwork start() {
            unsupportedBecause().ifPresent(why -> {
                throw new NetnsException(why);
            });
            AccessPointNetwork network = new AccessPointNetwork(this);
            try {
                network.create();
                return network;
            } catch (RuntimeException e) {
                try {
                    network.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
