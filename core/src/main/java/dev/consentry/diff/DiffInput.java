package dev.consentry.diff;

import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.FlowResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One side of a diff: one handset's results from a run, read from a summary.json or from a directory holding one
 * (reports/latest, reports/runs/&lt;time&gt;).
 *
 * @param label how the diff names this side: "redmi-1s-miui5-2014 in reports/latest/summary.json"
 */
public record DiffInput(String label, String device, List<FlowResult> results) {
    /**
     * @param device which handset, needed when the run holds several
     * @throws IllegalArgumentException with the file and the choices when the input is missing or ambiguous
     */
    public static DiffInput load(Path path, Optional<String> device) {
        Path file = Files.isDirectory(path) ? path.resolve("summary.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (give a summary.json or a report directory "
                    + "holding one)");
        }
        List<FlowResult> all = SummaryJson.read(file);
        TreeSet<String> devices = all.stream().map(FlowResult::device).collect(Collectors.toCollection(TreeSet::new));
        String chosen;
        if (device.isPresent()) {
            chosen = device.get();
            if (!devices.contains(chosen)) {
                throw new IllegalArgumentException(file + ": no results for device '" + chosen + "' (it holds "
                        + (devices.isEmpty() ? "none" : String.join(", ", devices)) + ")");
            }
        } else if (devices.size() == 1) {
            chosen = devices.first();
        } else {
            throw new IllegalArgumentException(file + ": holds " + (devices.isEmpty() ? "no results"
                    : "results for " + String.join(", ", devices) + "; name one with --old-device/--new-device"));
        }
        return new DiffInput(chosen + " in " + file, chosen,
                all.stream().filter(r -> r.device().equals(chosen)).toList());
    }
}
