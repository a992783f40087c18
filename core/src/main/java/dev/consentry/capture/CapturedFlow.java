package dev.consentry.capture;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One transaction seen by the proxy, after the model of mitmproxy's flow: a request, and a response or an error.
 *
 * @param id       mitmproxy's flow id (a UUID), stable across the stream, the HAR and the report
 * @param started  when the proxy saw the request begin
 * @param client   the handset side of the connection, "host:port"
 * @param error    why there is no response (connection refused, TLS handshake failed, ...)
 */
public record CapturedFlow(String id, Instant started, String client, HttpRequestData request,
                           Optional<HttpResponseData> response, Optional<String> error) {
    public CapturedFlow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(request, "request");
        response = response == null ? Optional.empty() : response;
        error = error == null ? Optional.empty() : error;
        client = client == null ? "" : client;
    }
}
