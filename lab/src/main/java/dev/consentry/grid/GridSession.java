package dev.consentry.grid;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A running session.
 *
 * @param capabilities as the node returned them; note the Grid upper-cases {@code platformName} for known platforms
 *                     ({@code ANDROID})
 */
public record GridSession(String id, URI nodeUri, Map<String, Object> capabilities) {
    public GridSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeUri, "nodeUri");
        capabilities = Collections.unmodifiableMap(new LinkedHashMap<>(capabilities));
    }
}
