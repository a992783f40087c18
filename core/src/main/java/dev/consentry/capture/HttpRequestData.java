package dev.consentry.capture;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as the handset sent it, before any rewriting by the lab (sink mode changes where it goes, not this).
 *
 * @param path path plus query string, exactly as on the request line (still URL-encoded)
 * @param body        the raw body bytes as sent (still content-encoded, e.g. gzip); never null, may be empty
 * @param bodyDecoded the recorder stored the body with its Content-Encoding already undone, as HAR writers do with
 *                    postData.text (mitmproxy's har_dump.py, browsers), while the headers still declare the coding:
 *                    the body is then the decoded one and the headers stay as sent
 */
public record HttpRequestData(String method, String scheme, String host, int port, String path, String httpVersion,
                              List<HttpHeader> headers, byte[] body, boolean bodyDecoded) {
    /** A body as sent, which is what every source but a HAR's text holds. */
    public HttpRequestData(String method, String scheme, String host, int port, String path, String httpVersion,
                           List<HttpHeader> headers, byte[] body) {
        this(method, scheme, host, port, path, httpVersion, headers, body, false);
    }

    public HttpRequestData {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The full URL as the handset addressed it. */
    public String url() {
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    /** First header of that name, case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst();
    }
}
