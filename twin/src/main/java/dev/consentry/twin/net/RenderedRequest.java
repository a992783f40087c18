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

    /**
     * The request line in origin form, the Host header and the rule's headers, each line with its CRLF, as a client
     * writes them to the server itself: the caller adds its own headers and the blank line.
     */
    StringBuilder originHead() {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String authority = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        StringBuilder h = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + authority + "\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        return h;
    }
}
