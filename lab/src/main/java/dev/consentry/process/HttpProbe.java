package dev.consentry.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A readiness check that GETs a URL and is satisfied by HTTP 200 (for example a WebDriver server's /status). */
public final class HttpProbe implements ReadinessCheck {
    private final HttpClient client;
    private final HttpRequest request;

    public HttpProbe(URI url, Duration requestTimeout) {
        // HTTP/1.1: the servers probed here are plain HTTP; an h2c upgrade attempt only costs a round trip.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).build();
        this.request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
    }

    @Override
    public Optional<String> notReadyBecause() throws IOException, InterruptedException {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status == 200 ? Optional.empty() : Optional.of(request.uri() + " answered HTTP " + status);
    }
}
