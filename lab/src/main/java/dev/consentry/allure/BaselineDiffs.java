package dev.consentry.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.diff.FirmwareDiff;
import dev.consentry.summary.SummaryException;
import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Each handset's test in the report gets its diff against the last certified run of the same model: the newest
 * earlier run (reports/runs/&lt;time&gt;/summary.json) in which a handset of that model passed the same flow. The
 * diff is added to the test's Allure result after the suite, as an HTML attachment.
 */
public final class BaselineDiffs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A certified run: where, and the passing result of the model's handset in it. */
    public record Baseline(Path summary, FlowResult result) {
    }

    private BaselineDiffs() {
    }

    /**
     * @param modelOf device profile name -> model ("Xiaomi Redmi 1S"); devices it does not know have no baseline
     * @return the newest run before {@code currentRun} with a PASS of {@code flow} on a handset of that model
     */
    public static Optional<Baseline> find(Path runsDir, Path currentRun, String device, String flow,
                                          Map<String, String> modelOf) {
        String model = modelOf.get(device);
        if (model == null || !Files.isDirectory(runsDir)) {
            return Optional.empty();
        }
        List<Path> runs;
        try (Stream<Path> s = Files.list(runsDir)) {
            // Run directories are named yyyyMMdd-HHmmss, so names sort in time order.
            runs = s.filter(Files::isDirectory).filter(p -> !p.equals(currentRun))
                    .filter(p -> p.getFileName().toString().compareTo(currentRun.getFileName().toString()) < 0)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path run : runs) {
            Path summary = run.resolve("summary.json");
            if (!Files.isRegularFile(summary)) {
                continue;
            }
            List<FlowResult> results;
            try {
                results = SummaryJson.read(summary);
            } catch (SummaryException e) {
                continue; // a damaged old summary is no baseline; the next older one may be
            }
            Optional<FlowResult> pass = results.stream().filter(r -> r.flow().equals(flow))
                    .filter(r -> r.verdict() == Verdict.PASS).filter(r -> model.equals(modelOf.get(r.device())))
                    .findFirst();
            if (pass.isPresent()) {
                return Optional.of(new Baseline(summary, pass.get()));
            }
        }
        return Optional.empty();
    }

    /** Adds a baseline diff attachment to every result in {@code results} labelled with a device and flow. */
    public static void attach(Path results, Path runsDir, Path currentRun, List<FlowResult> current,
                              Map<String, String> modelOf) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(results)) {
            files = s.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList();
        }
        for (Path file : files) {
            JsonNode node = JSON.readTree(file.toFile());
            if (!(node instanceof ObjectNode result)) {
                continue;
            }
            Optional<String> device = label(result, "device");
            Optional<String> flow = label(result, "flow");
            if (device.isEmpty() || flow.isEmpty()) {
                continue;
            }
            Optional<FlowResult> now = current.stream().filter(r -> r.device().equals(device.get())
                    && r.flow().equals(flow.get())).findFirst();
            if (now.isEmpty()) {
                continue;
            }
            Optional<Baseline> base = find(runsDir, currentRun, device.get(), flow.get(), modelOf);
            String html;
            String name;
            if (base.isPresent()) {
                FirmwareDiff d = FirmwareDiff.between(base.get().result().device() + " in "
                                + base.get().summary().getParent().getFileName() + " (last certified run)",
                        List.of(base.get().result()), device.get() + " in this run", List.of(now.get()));
                html = MatrixHtml.diff(d);
                name = "baseline diff: " + (d.regressed() ? "REGRESSED" : "no regression") + " against "
                        + base.get().summary().getParent().getFileName();
            } else {
                html = "<!DOCTYPE html><html><body><p>No earlier run in which a "
                        + EvidenceHtml.esc(modelOf.getOrDefault(device.get(), device.get())) + " passed "
                        + EvidenceHtml.esc(flow.get()) + ": nothing to compare with yet.</p></body></html>";
                name = "baseline diff: no certified run of this model yet";
            }
            String source = UUID.randomUUID() + "-attachment.html";
            Files.writeString(results.resolve(source), html, StandardCharsets.UTF_8);
            ArrayNode attachments = result.has("attachments") && result.get("attachments").isArray()
                    ? (ArrayNode) result.get("attachments") : result.putArray("attachments");
            attachments.addObject().put("name", name).put("source", source).put("type", "text/html");
            JSON.writeValue(file.toFile(), result);
        }
    }

    private static Optional<String> label(JsonNode result, String name) {
        for (JsonNode l : result.path("labels")) {
            if (name.equals(l.path("name").asText())) {
                return Optional.of(l.path("value").asText());
            }
        }
        return Optional.empty();
    }
}
