package dev.consentry.grid;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The hub's HTTP endpoints this code reads: {@code /status} and {@code /graphql}. */
final class GridClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Short: a readiness check must not sit on a port some other program holds while our process has died. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final String NODES = "{ nodesInfo { nodes { uri status stereotypes } } }";
    private static final String SESSIONS = "{ sessionsInfo { sessions { id nodeUri capabilities } } }";

    private final URI url;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    GridClient(URI url) {
        this.url = stripTrailingSlash(url);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    URI url() {
        return url;
    }

    /** Whether the hub answers {@code /status}. Its {@code ready} flag stays false until a node is UP, so not that. */
    boolean answers() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url.resolve("/status")).timeout(PROBE_TIMEOUT).GET().build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return res.statusCode() == 200 && json.readTree(res.body()).has("value");
    }

    List<GridNode> nodes() {
        List<GridNode> nodes = new ArrayList<>();
        for (JsonNode n : query(NODES).path("nodesInfo").path("nodes")) {
            List<NodeStereotype> stereotypes = new ArrayList<>();
            // GraphQL hands stereotypes over as a JSON document inside a string.
            for (JsonNode s : parse(n.path("stereotypes").asText("[]"))) {
                stereotypes.add(new NodeStereotype(s.path("slots").asInt(), json.convertValue(s.path("stereotype"), MAP)));
            }
            nodes.add(new GridNode(URI.create(n.path("uri").asText()), n.path("status").asText(), stereotypes));
        }
        return nodes;
    }

    List<GridSession> sessions() {
        List<GridSession> sessions = new ArrayList<>();
        for (JsonNode s : query(SESSIONS).path("sessionsInfo").path("sessions")) {
            sessions.add(new GridSession(s.path("id").asText(), URI.create(s.path("nodeUri").asText()),
                    json.convertValue(parse(s.path("capabilities").asText("{}")), MAP)));
        }
        return sessions;
    }

    private JsonNode query(String graphql) {
        try {
            String body = json.writeValueAsString(Map.of("query", graphql));
            // The Grid rejects a JSON body whose Content-Type lacks the charset.
            HttpRequest req = HttpRequest.newBuilder(url.resolve("/graphql")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (res.statusCode() != 200) {
                throw new GridException("Grid GraphQL at " + url + " answered HTTP " + res.statusCode() + ": "
                        + abbreviate(res.body()));
            }
            JsonNode root = json.readTree(res.body());
            if (root.hasNonNull("errors")) {
                throw new GridException("Grid GraphQL at " + url + " reported errors: " + root.get("errors"));
            }
            return root.path("data");
        } catch (IOException e) {
            throw new GridException("Grid at " + url + " cannot be asked " + graphql + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GridException("interrupted while asking the Grid at " + url, e);
        }
    }

    private JsonNode parse(String embedded) {
        try {
            return json.readTree(embedded);
        } catch (IOException e) {
            throw new GridException("Grid GraphQL at " + url + " returned malformed JSON: " + abbreviate(embedded), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    private static URI stripTrailingSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }
}
