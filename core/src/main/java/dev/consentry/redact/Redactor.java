package dev.consentry.redact;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What may go into a report. Three rules, applied to every attachment:
 * <ul>
 *   <li>credentials (authorization headers, cookies, tokens in query strings, forms and JSON) are masked with as many
 *   {@code *} as they had characters, so offsets into a body stay true;</li>
 *   <li>real identifiers of lab handsets (IMEI, phone number, serial, ... as read from the handset; planted contacts
 *   are made up and stay) are masked outside the evidence that proves a leak: in flows no finding cites, in logs and
 *   in tables;</li>
 *   <li>PEM private keys never pass.</li>
 * </ul>
 * Evidence wins over masking: a credential whose value carries a canary (a token that is the IMEI in base64, say)
 * stays as sent, since masking it would hide the leak the report exists to show. Immutable and thread-safe.
 */
public final class Redactor {
    private static final Pattern JSON_FIELD =
            Pattern.compile("\"([A-Za-z0-9_.\\-]{1,64})\"(\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FORM_FIELD = Pattern.compile("(?<=^|[?&;\\s])([A-Za-z0-9_.\\-]{1,64})=([^&\\s\"';]*)");
    private static final Pattern HEADER_LINE = Pattern.compile(
            "(?im)^(\\s*(authorization|proxy-authorization|cookie|set-cookie)\\s*:\\s*)(.+)$");
    private static final Set<CanaryKind> PLANTED = Set.of(CanaryKind.CONTACT_PHONE, CanaryKind.CONTACT_NAME,
            CanaryKind.CONTACT_EMAIL);

    private final LeakDetector detector;
    private final Set<String> evidenceFlows;
    /** Written form -> mask, longest forms first so a 15-digit IMEI is masked before its 14-digit prefix. */
    private final Map<String, String> identifierMasks;

    private Redactor(List<Canary> canaries, List<Finding> evidence) {
        this.detector = new LeakDetector(canaries);
        this.evidenceFlows = evidence.stream().map(Finding::flowId).collect(Collectors.toUnmodifiableSet());
        Map<String, String> masks = new LinkedHashMap<>();
        canaries.stream().filter(Redactor::realIdentifier).forEach(c -> CanaryForms.of(c).stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .forEach(form -> masks.putIfAbsent(form, mask(c))));
        this.identifierMasks = masks.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * @param canaries every canary of the handset (read identifiers are masked outside the evidence; any canary
     *                 inside a credential keeps that credential visible)
     * @param evidence the findings; the flows they cite keep the identifiers they carry
     */
    public static Redactor of(List<Canary> canaries, List<Finding> evidence) {
        return new Redactor(List.copyOf(canaries), List.copyOf(evidence));
    }

    /** Masks credentials and private keys only, for text with no handset behind it. */
    public static Redactor secretsOnly() {
        return of(List.of(), List.of());
    }

    /** True for identifiers read from a handset; planted canary contacts are made up and may be shown. */
    public static boolean realIdentifier(Canary c) {
        return !PLANTED.contains(c.kind());
    }

    public List<CapturedFlow> flows(List<CapturedFlow> flows) {
        return flows.stream().map(this::flow).toList();
    }

    public CapturedFlow flow(CapturedFlow f) {
        boolean evidence = evidenceFlows.contains(f.id());
        Function<String, String> text = s -> evidence ? secrets(s) : text(s);
        HttpRequestData q = f.request();
        // A body recorded decoded (a HAR writer's text) no longer carries its Content-Encoding: redacted as it is,
        // and still marked so, or it would be read as damaged.
        HttpRequestData request = new HttpRequestData(q.method(), q.scheme(), q.host(), q.port(),
                text.apply(q.path()), q.httpVersion(), headers(q.headers(), text),
                Bodies.redact(q.body(), q.bodyDecoded() ? "" : q.header("Content-Encoding").orElse(""), text),
                q.bodyDecoded());
        Optional<HttpResponseData> response = f.response().map(r -> new HttpResponseData(r.status(), r.reason(),
                headers(r.headers(), text), Bodies.redact(r.body(), header(r.headers(), "Content-Encoding"), text)));
        return new CapturedFlow(f.id(), f.started(), f.client(), request, response, f.error().map(text));
    }

    /** Each WebSocket message as a body of its flow: its identifiers stay only when a finding cites that flow. */
    public SentOnWebSockets sent(SentOnWebSockets sent) {
        return sent.map((flowId, message) -> Bodies.redact(message, "",
                evidenceFlows.contains(flowId) ? this::secrets : this::text));
    }

    /** For logs, tables and step names: credentials, identifiers and private keys masked. */
    public String text(String s) {
        return identifiers(secrets(s));
    }

    /**
     * For the evidence of a finding: credentials and private keys masked, identifiers kept (they are the proof).
     */
    public String secrets(String s) {
        String out = PrivateKeys.strip(s);
        out = replace(HEADER_LINE, out, m -> m.group(1) + (m.group(2).toLowerCase(Locale.ROOT).endsWith("cookie")
                ? cookies(m.group(3)) : credential(m.group(3))));
        out = replace(JSON_FIELD, out, m -> SecretNames.field(m.group(1))
                ? "\"" + m.group(1) + "\"" + m.group(2) + "\"" + keepIfCanary(m.group(3)) + "\"" : m.group());
        return replace(FORM_FIELD, out, m -> SecretNames.field(m.group(1))
                ? m.group(1) + "=" + keepIfCanary(m.group(2)) : m.group());
    }

    private String identifiers(String s) {
        String out = s;
        for (Map.Entry<String, String> e : identifierMasks.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private List<HttpHeader> headers(List<HttpHeader> headers, Function<String, String> text) {
        List<HttpHeader> out = new ArrayList<>();
        for (HttpHeader h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            String value;
            if (name.equals("cookie")) {
                value = cookies(h.value());
            } else if (name.equals("set-cookie")) {
                int semi = h.value().indexOf(';');
                value = cookies(semi < 0 ? h.value() : h.value().substring(0, semi))
                        + (semi < 0 ? "" : h.value().substring(semi));
            } else if (SecretNames.header(name)) {
                value = credential(h.value());
            } else {
                value = h.value();
            }
            out.add(new HttpHeader(h.name(), text.apply(value)));
        }
        return out;
    }

    /** Each cookie's value masked on its own, so the names stay readable and a cookie carrying a canary stays. */
    private String cookies(String header) {
        List<String> parts = new ArrayList<>();
        for (String pair : header.split(";", -1)) {
            int eq = pair.indexOf('=');
            parts.add(eq < 0 ? pair : pair.substring(0, eq + 1) + keepIfCanary(pair.substring(eq + 1)));
        }
        return String.join(";", parts);
    }

    /** "Bearer abc.def" -> "Bearer *******": the scheme says what kind of credential it was. */
    private String credential(String value) {
        Matcher m = Pattern.compile("^(\\s*(?:Bearer|Basic|Digest|Token|OAuth|MiAuth)\\s+)(.*)$",
                Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(value);
        return m.matches() ? m.group(1) + keepIfCanary(m.group(2)) : keepIfCanary(value);
    }

    private String keepIfCanary(String value) {
        if (value.isEmpty() || carriesCanary(value)) {
            return value;
        }
        return "*".repeat(value.length());
    }

    private boolean carriesCanary(String value) {
        if (detector.canaries().isEmpty()) {
            return false;
        }
        // The leak engine itself decides, through every encoding it knows: a probe flow whose body is the value.
        HttpRequestData probe = new HttpRequestData("POST", "http", "redaction.invalid", 80, "/", "HTTP/1.1",
                List.of(), value.getBytes(StandardCharsets.UTF_8));
        return !detector.scan(new CapturedFlow("redaction-probe", Instant.EPOCH, "", probe, Optional.empty(),
                Optional.empty())).isEmpty();
    }

    private static String header(List<HttpHeader> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst()
                .orElse("");
    }

    /** "[imei ...893]": enough to tell two handsets apart in a table, not enough to be the identifier. */
    private static String mask(Canary c) {
        String v = c.value();
        return "[" + c.kind().id() + " ..." + v.substring(Math.max(0, v.length() - 3)) + "]";
    }

    private static String replace(Pattern p, String s, Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
