package dev.consentry.twin.firmware;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request the firmware makes by itself. {@code path} and header values are templates like the body fields.
 * {@code when} lists settings that must all hold at the moment the rule fires (empty: always).
 *
 * @param pins for {@link Transport#HTTPS_PINNED}: the SHA-256 hashes of the subject public keys the app accepts
 *             ({@code sha256/<base64>}, as OkHttp and Android's network security config write them); empty otherwise
 */
public record TrafficRule(String name, List<Trigger> triggers, Duration delay, Transport transport, String method,
                          String host, int port, String path, Map<String, String> headers, Optional<BodySpec> body,
                          List<Condition> when, List<String> pins) {
    /** How the request travels; written in firmware YAML as the lower-case name with '-' for '_'. */
    public enum Transport {
        /** Plain HTTP, through the global proxy when one is set. */
        HTTP,
        /** HTTPS verified against the handset's trust store (where the lab CA is pushed), through the proxy. */
        HTTPS,
        /** Plain HTTP straight to the destination's address, whatever the global proxy says (as apps may do). */
        DIRECT,
        /** HTTPS through the proxy that accepts only a pinned vendor key: the lab CA never satisfies it. */
        HTTPS_PINNED,
        /**
         * A WebSocket over plain HTTP (a push channel), through the global proxy when one is set: the GET upgrade,
         * the body as one message, then a close. A proxy sees the messages only if it follows the connection past
         * the 101.
         */
        WS,
        /** {@link #WS} over TLS, verified as {@link #HTTPS} is. */
        WSS;

        public boolean tls() {
            return this == HTTPS || this == HTTPS_PINNED || this == WSS;
        }

        public boolean webSocket() {
            return this == WS || this == WSS;
        }

        public int defaultPort() {
            return tls() ? 443 : 80;
        }

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public TrafficRule {
        triggers = List.copyOf(triggers);
        headers = Map.copyOf(headers);
        when = List.copyOf(when);
        pins = List.copyOf(pins);
    }
}
