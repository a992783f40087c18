package dev.consentry.twin.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.twin.firmware.BodySpec;
import dev.consentry.twin.firmware.Placeholders;
import dev.consentry.twin.firmware.TrafficRule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.zip.GZIPOutputStream;

/** Fills a rule's templates and encodes its body as the firmware does. */
final class RequestRenderer {
    private final ObjectMapper json = new ObjectMapper();

    RenderedRequest render(TrafficRule rule, TemplateValues values) {
        boolean webSocket = rule.transport().webSocket();
        String scheme = (webSocket ? "ws" : "http") + (rule.transport().tls() ? "s" : "");
        boolean defaultPort = rule.port() == rule.transport().defaultPort();
        // Values land in a URL, so they are URL-encoded there (and only there).
        String path = fill(rule.path(), values, v -> URLEncoder.encode(v, StandardCharsets.UTF_8));
        URI uri = URI.create(scheme + "://" + rule.host() + (defaultPort ? "" : ":" + rule.port()) + path);
        Map<String, String> headers = new LinkedHashMap<>();
        rule.headers().forEach((k, v) -> headers.put(k, fill(v, values, UnaryOperator.identity())));
        byte[] body = new byte[0];
        if (rule.body().isPresent()) {
            BodySpec spec = rule.body().get();
            // A WebSocket message has no headers of its own: what would describe its body is left out.
            Map<String, String> described = webSocket ? new LinkedHashMap<>() : headers;
            body = encode(spec, values, described);
            if (spec.gzip()) {
                body = gzip(body);
                described.put("Content-Encoding", "gzip");
            }
        }
        return new RenderedRequest(rule.transport(), rule.method(), uri, headers, body);
    }

    private byte[] encode(BodySpec spec, TemplateValues values, Map<String, String> headers) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (BodySpec.Field f : spec.fields()) {
            fields.put(f.name(), FieldEncoding.apply(fill(f.template(), values, UnaryOperator.identity()), f.encodes()));
        }
        if (spec.format() == BodySpec.Format.PROTOBUF) {
            headers.put("Content-Type", "application/x-protobuf");
            return Protobuf.strings(fields);
        }
        if (spec.format() == BodySpec.Format.JSON) {
            headers.put("Content-Type", "application/json; charset=UTF-8");
            try {
                return json.writeValueAsBytes(fields);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of strings always serialises", e);
            }
        }
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String fill(String template, TemplateValues values, UnaryOperator<String> escape) {
        Matcher m = Placeholders.PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.value(m.group(1)).orElse("");
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }
}
