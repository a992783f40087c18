package dev.consentry.twin.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Picks the route from the {@code http_proxy} global setting. Whatever the setting says, a twin only ever connects to
 * loopback addresses: it must never reach a real network.
 */
final class RouteResolver {
    private final Optional<InetSocketAddress> internet;

    RouteResolver(Optional<InetSocketAddress> internet) {
        this.internet = internet;
    }

    Route resolve(Optional<String> httpProxySetting) {
        Optional<String> proxy = httpProxySetting.map(String::trim).filter(p -> !p.isEmpty() && !p.equals("null"));
        if (proxy.isPresent()) {
            String p = proxy.get();
            int colon = p.lastIndexOf(':');
            String host = colon < 0 ? p : p.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 8080 : Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                return new Route.Unroutable("malformed http_proxy '" + p + "'");
            }
            // ":0" (and any empty host or port 0) is Android's way of saying "no proxy".
            if (!host.isEmpty() && port > 0) {
                try {
                    InetAddress a = InetAddress.getByName(host);
                    if (!a.isLoopbackAddress()) {
                        return new Route.Unroutable("proxy " + p + " is not a loopback address; a virtual handset "
                                + "only connects to this machine");
                    }
                    return new Route.ViaProxy(new InetSocketAddress(a, port));
                } catch (UnknownHostException e) {
                    return new Route.Unroutable("cannot resolve proxy host '" + host + "'");
                }
            }
        }
        if (internet.isPresent()) {
            InetSocketAddress a = internet.get();
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                return new Route.Unroutable("internet stand-in " + a + " is not a loopback address");
            }
            return new Route.Direct(a);
        }
        return new Route.Unroutable("no route to host (no proxy set, no network)");
    }
}
