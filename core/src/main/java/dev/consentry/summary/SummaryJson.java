package dev.consentry.summary;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.policy.Party;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.UnobservedConnection;
import dev.consentry.verdict.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code reports/latest/summary.json}: the machine-readable outcome of a run, one result per handset and flow. CI and
 * the nightly integration test read it, so its shape is a contract:
 * <pre>{"results":[{"device","flow","verdict","reason"?,"gaps"?:[{"start","end","cause"}],"findings":[{"verdict",
 * "canary"?,"value"?,"host","address"?,"port"?,"scheme","location"?,"transforms"?,"flowId"?,"form"?,"offset"?,
 * "bytesOut"?,"bytesIn"?,"at","consent":{"granted","declined"},"screen"?,"step"?,"party"?,"destination"?,"rule"?,
 * "exempt"?,"detail"?,"explanation"}]}],"skipped"?:[{"device","flow","reason"}]}</pre>
 * The JSON shape lives in private records here, so the public API speaks only {@link FlowResult}.
 */
public final class SummaryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Readers of older or newer summaries should not break on a field they do not know.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SummaryJson() {
    }

    public static byte[] toBytes(List<FlowResult> results) {
        return toBytes(results, List.of());
    }

    public static byte[] toBytes(List<FlowResult> results, List<SkippedFlow> skipped) {
        List<ResultJson> out = new ArrayList<>();
        for (FlowResult r : results) {
            List<FindingJson> fs = new ArrayList<>();
            for (JudgedFinding j : r.findings()) {
                Optional<Finding> leak = j.leak();
                Optional<UnobservedConnection> u = j.connection();
                fs.add(new FindingJson(j.verdict().id(), leak.map(f -> f.canary().kind().id()).orElse(null),
                        leak.map(f -> f.canary().value()).orElse(null), j.host(),
                        u.map(UnobservedConnection::address).filter(a -> !a.isEmpty()).orElse(null),
                        u.map(UnobservedConnection::port).filter(p -> p > 0).orElse(null), j.scheme(),
                        leak.map(Finding::location).orElse(null), leak.map(Finding::transforms).orElse(null),
                        leak.map(Finding::flowId).orElse(null), leak.map(Finding::form).orElse(null),
                        leak.map(Finding::offset).orElse(null), u.map(UnobservedConnection::bytesOut).orElse(null),
                        u.map(UnobservedConnection::bytesIn).orElse(null), j.at().toString(),
                        new ConsentJson(List.copyOf(j.consent().granted()), List.copyOf(j.consent().declined())),
                        j.screen().orElse(null), j.step().orElse(null), j.party().map(Party::id).orElse(null),
                        j.destination().orElse(null), j.rule().orElse(null), j.exempt() ? Boolean.TRUE : null,
                        u.map(UnobservedConnection::detail).filter(d -> !d.isEmpty()).orElse(null), j.explanation()));
            }
            List<GapJson> gaps = r.gaps().stream()
                    .map(g -> new GapJson(g.from().toString(), g.to().toString(), g.why())).toList();
            out.add(new ResultJson(r.device(), r.flow(), r.verdict().name(), r.reason().orElse(null), gaps, fs));
        }
        try {
            return MAPPER.writeValueAsBytes(new SummaryDoc(out, List.copyOf(skipped)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialise", e);
        }
    }

    /** Writes via a temporary file and a rename, so a reader never sees half a summary. Creates parent directories. */
    public static void write(List<FlowResult> results, Path file) {
        write(results, List.of(), file);
    }

    public static void write(List<FlowResult> results, List<SkippedFlow> skipped, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Not createTempFile: its owner-only mode would carry over and hide the summary from the web server
            // or reviewer that reads reports/latest/.
            Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, toBytes(results, skipped));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static List<FlowResult> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SummaryException(file + ": cannot read: " + e, e);
        }
        return read(bytes, file.toString());
    }

    /** @param source what to call the data in error messages */
    public static List<FlowResult> read(byte[] json, String source) {
        SummaryDoc doc;
        try {
            doc = MAPPER.readValue(json, SummaryDoc.class);
        } catch (IOException e) {
            throw new SummaryException(source + ": not a summary: " + e.getMessage(), e);
        }
        if (doc == null || doc.results() == null) {
            throw new SummaryException(source + ": not a summary: no \"results\" array", null);
        }
        List<FlowResult> results = new ArrayList<>();
        for (int i = 0; i < doc.results().size(); i++) {
            String where = source + ": results[" + i + "]";
            try {
                results.add(toResult(doc.results().get(i), where));
            } catch (RuntimeException e) {
                throw e instanceof SummaryException s ? s : new SummaryException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(results);
    }

    private static FlowResult toResult(ResultJson r, String where) {
        Verdict verdict;
        try {
            verdict = Verdict.valueOf(String.valueOf(r.verdict()));
        } catch (IllegalArgumentException e) {
            throw new SummaryException(where + ": verdict: expected PASS, FAIL or INCONCLUSIVE, got " + r.verdict(), e);
        }
        List<JudgedFinding> findings = new ArrayList<>();
        List<FindingJson> fs = r.findings() == null ? List.of() : r.findings();
        for (int i = 0; i < fs.size(); i++) {
            findings.add(toFinding(fs.get(i), where + ".findings[" + i + "]"));
        }
        List<CaptureGap> gaps = new ArrayList<>();
        List<GapJson> gs = r.gaps() == null ? List.of() : r.gaps();
        for (int i = 0; i < gs.size(); i++) {
            String gw = where + ".gaps[" + i + "]";
            gaps.add(new CaptureGap(instant(gs.get(i).start(), gw + ": start"), instant(gs.get(i).end(), gw + ": end"),
                    gs.get(i).cause()));
        }
        return new FlowResult(r.device(), r.flow(), verdict, findings, Optional.ofNullable(r.reason()), gaps);
    }

    private static JudgedFinding toFinding(FindingJson f, String fw) {
        FindingVerdict v = FindingVerdict.fromId(String.valueOf(f.verdict())).orElseThrow(() -> new SummaryException(
                fw + ": verdict: expected one of " + java.util.Arrays.stream(FindingVerdict.values())
                        .map(FindingVerdict::id).collect(java.util.stream.Collectors.joining(", ")) + ", got "
                        + f.verdict(), null));
        Optional<Finding> leak = Optional.empty();
        if (f.canary() != null || !v.doubt()) {
            CanaryKind kind = CanaryKind.fromId(String.valueOf(f.canary())).orElseThrow(() -> new SummaryException(
                    fw + ": canary: unknown kind " + f.canary(), null));
            if (f.value() == null || f.flowId() == null) {
                throw new SummaryException(fw + ": value and flowId are required", null);
            }
            leak = Optional.of(new Finding(Canary.of(kind, f.value()), f.flowId(), f.host(), f.scheme(), f.location(),
                    f.transforms() == null ? List.of() : f.transforms(), f.form() == null ? f.value() : f.form(),
                    f.offset() == null ? 0 : f.offset()));
        }
        Instant at = instant(f.at(), fw + ": at");
        Optional<UnobservedConnection> connection = v == FindingVerdict.UNOBSERVED
                ? Optional.of(new UnobservedConnection(String.valueOf(f.host()), f.address(),
                f.port() == null ? 0 : f.port(), f.scheme(), at, f.bytesOut() == null ? 0 : f.bytesOut(),
                f.bytesIn() == null ? 0 : f.bytesIn(), f.detail()))
                : Optional.empty();
        ConsentJson c = f.consent() == null ? new ConsentJson(List.of(), List.of()) : f.consent();
        return new JudgedFinding(v, leak, f.host(), f.scheme(), at,
                Optional.ofNullable(f.party()).flatMap(Party::fromId), Optional.ofNullable(f.destination()),
                ConsentState.of(c.granted() == null ? List.of() : c.granted(),
                        c.declined() == null ? List.of() : c.declined()),
                Optional.ofNullable(f.screen()), Optional.ofNullable(f.step()), Optional.ofNullable(f.rule()),
                Boolean.TRUE.equals(f.exempt()), f.explanation(), connection);
    }

    private static Instant instant(String text, String where) {
        try {
            return Instant.parse(String.valueOf(text));
        } catch (java.time.format.DateTimeParseException e) {
            throw new SummaryException(where + ": expected an ISO-8601 instant, got " + text, e);
        }
    }

    private record SummaryDoc(List<ResultJson> results,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SkippedFlow> skipped) {
    }

    @JsonPropertyOrder({"device", "flow", "verdict", "reason", "gaps", "findings"})
    private record ResultJson(String device, String flow, String verdict,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GapJson> gaps,
                              List<FindingJson> findings) {
    }

    /** A capture gap: from the last good health probe to the next good one (or the end of the test). */
    @JsonPropertyOrder({"start", "end", "cause"})
    private record GapJson(String start, String end, String cause) {
    }

    /** Leak fields (canary ... offset) are absent for opaque and unobserved findings; optional ones when unknown. */
    @JsonPropertyOrder({"verdict", "canary", "value", "host", "address", "port", "scheme", "location", "transforms",
            "flowId", "form", "offset", "bytesOut", "bytesIn", "at", "consent", "screen", "step", "party",
            "destination", "rule", "exempt", "detail", "explanation"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record FindingJson(String verdict, String canary, String value, String host, String address, Integer port,
                               String scheme, String location, List<String> transforms, String flowId, String form,
                               Long offset, Long bytesOut, Long bytesIn, String at, ConsentJson consent, String screen, String step, String party,
                               String destination, String rule, Boolean exempt, String detail,
                               String explanation) {
    }

    @JsonPropertyOrder({"granted", "declined"})
    private record ConsentJson(List<String> granted, List<String> declined) {
    }
}
