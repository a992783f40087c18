package dev.consentry.leak;

import dev.consentry.canary.Canary;

import java.util.List;
import java.util.Objects;

/**
 * One place a canary left the handset.
 *
 * @param location   "url" (path and query), "host" (when no Host header names it: HTTP/2 and 3), "header:&lt;name&gt;",
 *                   "cookie:&lt;name&gt;" or "body"
 * @param transforms how the value was wrapped, outermost first, e.g. ["gzip","json","base64"]; empty when plain
 * @param form       the form of the value that matched (e.g. the IMEI without check digit), for the evidence
 * @param offset     byte offset of the match in the innermost decoded view
 */
public record Finding(Canary canary, String flowId, String host, String scheme, String location,
                      List<String> transforms, String form, long offset) {
    public Finding {
        Objects.requireNonNull(canary, "canary");
        Objects.requireNonNull(flowId, "flowId");
        transforms = List.copyOf(transforms);
    }
}
