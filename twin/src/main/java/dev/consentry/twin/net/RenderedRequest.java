package dev.consentry.twin.net;

import dev.consentry.twin.firmware.TrafficRule.Transport;

import java.net.URI;
import java.util.Map;

/** A request ready for the wire. */
public record RenderedRequest(Transport transport, String method, URI uri, Map<String, String> headers, byte[] body) {
    public RenderedRequest {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
