package dev.consentry.capture;

import java.util.List;

/** The server's (in sink mode: the sink's) answer. Response bodies are never leaks, but they belong in the evidence. */
public record HttpResponseData(int status, String reason, List<HttpHeader> headers, byte[] body) {
    public HttpResponseData {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
