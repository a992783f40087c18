package dev.consentry.twin.net;

import java.net.InetSocketAddress;

/** How a request leaves the handset right now. */
sealed interface Route {
    /** Through the global HTTP proxy (the lab's mitmdump). */
    record ViaProxy(InetSocketAddress proxy) implements Route { }

    /** Straight to the stand-in for the internet, as if it were the destination server. */
    record Direct(InetSocketAddress internet) implements Route { }

    record Unroutable(String reason) implements Route { }
}
