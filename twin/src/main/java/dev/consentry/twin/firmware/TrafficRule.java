package dev.consentry.twin.firmware;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the firmware makes by itself. {@code path} and header values are templates like the body fields.
 * {@code when} lists settings that must all hold at the moment the rule fires (empty: always).
 */
public record TrafficRule(String name, List<Trigger> triggers, Duration delay, Transport transport, String method,
                          String host, int port, String path, Map<String, String> headers, Optional<BodySpec> body,
                          List<Condition> when) {
    public enum Transport { HTTP, HTTPS }

    public TrafficRule {
        triggers = List.copyOf(triggers);
        headers = Map.copyOf(headers);
        when = List.copyOf(when);
    }
}
