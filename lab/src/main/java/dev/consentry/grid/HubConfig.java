package dev.consentry.grid;

import java.time.Duration;
import java.util.Objects;

/**
 * The hub's settings; {@link #toToml()} is what {@code grid-config/hub.toml} holds for {@link #defaults()}.
 *
 * @param sessionRequestTimeout how long a new-session request may wait; must exceed a real handset's UiAutomator2
 *                              start-up, or Appium's own error is replaced by "New session request timed out"
 * @param rejectUnsupportedCaps a request no node can serve (an unknown {@code lab:profile}) fails at once instead of
 *                              waiting out the queue
 */
public record HubConfig(HubAddress address, Duration sessionRequestTimeout, boolean rejectUnsupportedCaps) {
    public HubConfig {
        Objects.requireNonNull(address, "address");
        if (sessionRequestTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("session request timeout under 1 s: " + sessionRequestTimeout);
        }
    }

    public static HubConfig defaults() {
        return new HubConfig(HubAddress.DEFAULT, Duration.ofSeconds(300), true);
    }

    public HubConfig withAddress(HubAddress newAddress) {
        return new HubConfig(newAddress, sessionRequestTimeout, rejectUnsupportedCaps);
    }

    public String toToml() {
        return """
                # Selenium Grid 4 hub for Consentry. The framework starts it with free ports on the command line
                # (--port, --publish-events, --subscribe-events), which win over the values here.

                [server]
                host = %s
                port = %d

                [events]
                bind = true
                publish = %s
                subscribe = %s

                [sessionqueue]
                # Real handsets take a while to start a UiAutomator2 session; a shorter timeout replaces Appium's own
                # error with "New session request timed out".
                session-request-timeout = %d

                [distributor]
                # A request no node can serve (unknown lab:profile) fails at once instead of waiting out the queue.
                reject-unsupported-caps = %s
                """.formatted(Toml.basic(address.host()), address.port(), Toml.basic(address.publishEvents()),
                Toml.basic(address.subscribeEvents()), sessionRequestTimeout.toSeconds(), rejectUnsupportedCaps);
    }
}
