package dev.consentry.twin.net;

import java.net.InetSocketAddress;

/** How a request leaves the handset right now. */
sealed interface Route {
    /** Through the global HTTP proxy (the lab's mitmdump). */
    record ViaProxy(InetSocketAddress proxy) implements Route { }

    /** Straight to the stand-in for the internet, as if it were the destination server. */
    record Direct(InetSocketAddress internet) implements Route { }

    /**
     * Straight to the destination's own address, found in the twin's hosts map: what a handset on a real network
     * does, and what an access point's transparent proxy or a network tap gets to see.
     */
    record ToDestination(InetSocketAddress address) implements Route { }

    record Unroutable(String reason) implements Route { }
}
