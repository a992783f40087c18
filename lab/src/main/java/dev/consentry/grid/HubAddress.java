package dev.consentry.grid;

import java.net.URI;

/**
 * Where a hub listens: HTTP for clients, and the two event-bus sockets nodes connect to in order to register.
 * Nodes need the event-bus ports, not the HTTP port; the hub binds both sockets.
 */
public record HubAddress(String host, int port, int publishPort, int subscribePort) {
    public static final HubAddress DEFAULT = new HubAddress("127.0.0.1", 4444, 4442, 4443);

    public HubAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("hub host is blank");
        }
        for (int p : new int[] {port, publishPort, subscribePort}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("hub port out of range: " + p);
            }
        }
    }

    public URI url() {
        return URI.create("http://" + host + ":" + port);
    }

    public String publishEvents() {
        return "tcp://" + host + ":" + publishPort;
    }

    public String subscribeEvents() {
        return "tcp://" + host + ":" + subscribePort;
    }
}
