package dev.consentry.sink;

import java.time.Instant;

/**
 * One request that reached the sink (what tests check: that traffic went here, and for which original host).
 *
 * @param host       the Host header as received: in sink mode, the handset's original destination
 * @param path       path and query as on the request line
 * @param bodyLength bytes of request body read
 */
public record SinkRequest(Instant time, String method, String host, String path, long bodyLength) {
}
