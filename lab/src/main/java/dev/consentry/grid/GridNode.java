package dev.consentry.grid;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A registered node.
 *
 * @param status UP, DRAINING or DOWN
 */
public record GridNode(URI uri, String status, List<NodeStereotype> stereotypes) {
    public GridNode {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(status, "status");
        stereotypes = List.copyOf(stereotypes);
    }

    public boolean isUp() {
        return "UP".equals(status);
    }

    /** Whether some stereotype carries this capability value (as the Grid matches: strings ignoring case). */
    public boolean offers(String capability, Object value) {
        return stereotypes.stream().anyMatch(s -> NodeStereotype.sameValue(s.capabilities().get(capability), value));
    }
}
