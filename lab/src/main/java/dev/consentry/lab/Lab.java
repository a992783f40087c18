package dev.consentry.lab;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Handsets reachable through a Grid: the embedded lab of virtual handsets, or a device farm's own Grid. */
public interface Lab extends AutoCloseable {
    URI gridUrl();

    /** The handsets (device-profile names) this lab offers. */
    List<String> profiles();

    /** The sink captures send upstream traffic to; empty when traffic goes to its real destination. */
    Optional<InetSocketAddress> sink();

    /** Where this machine's mitmdumps are reached from the handsets. */
    String proxyHost();

    /** Versions and settings for the report's environment section. */
    java.util.Map<String, String> environment();

    @Override
    void close();
}
