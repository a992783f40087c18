package dev.consentry.twin.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Picks the route from the {@code http_proxy} global setting and the twin's hosts map. Whatever the setting says, a
 * twin only ever connects to loopback addresses, or to the lab addresses its hosts map names (see {@link Hosts}): it
 * must never reach a real network.
 */
final class RouteResolver {
    private final Optional<InetSocketAddress> internet;
    private final Hosts hosts;

    RouteResolver(Optional<InetSocketAddress> internet, Hosts hosts) {
        this.internet = internet;
        this.hosts = hosts;
    }

    /**
     * @param honourProxy false for a request that ignores the global proxy (transport {@code direct})
     */
    Route resolve(Optional<String> httpProxySetting, boolean honourProxy, String host, int port) {
        Optional<String> proxy = httpProxySetting.map(String::trim).filter(p -> !p.isEmpty() && !p.equals("null"));
        if (honourProxy && proxy.isPresent()) {
            Optional<Route> viaProxy = viaProxy(proxy.get());
            if (viaProxy.isPresent()) {
                return viaProxy.get();
            }
        }
        Optional<InetAddress> destination = hosts.lookup(host);
        if (destination.isPresent()) {
            return new Route.ToDestination(new InetSocketAddress(destination.get(), port));
        }
        if (internet.isPresent()) {
            InetSocketAddress a = internet.get();
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                return new Route.Unroutable("internet stand-in " + a + " is not a loopback address");
            }
            return new Route.Direct(a);
        }
        return new Route.Unroutable("no route to host (" + (honourProxy ? "no proxy set" : "direct connection")
                + ", no network)");
    }

    /** Empty when the setting means "no proxy". */
    private static Optional<Route> viaProxy(String p) {
        int colon = p.lastIndexOf(':');
        String host = colon < 0 ? p : p.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? 8080 : Integer.parseInt(p.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.of(new Route.Unroutable("malformed http_proxy '" + p + "'"));
        }
        // ":0" (and any empty host or port 0) is Android's way of saying "no proxy".
        if (host.isEmpty() || port <= 0) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isLoopbackAddress()) {
                return Optional.of(new Route.Unroutable("proxy " + p + " is not a loopback address; a virtual "
                        + "handset only connects to this machine"));
            }
            return Optional.of(new Route.ViaProxy(new InetSocketAddress(a, port)));
        } catch (UnknownHostException e) {
            return Optional.of(new Route.Unroutable("cannot resolve proxy host '" + host + "'"));
        }
    }
}
