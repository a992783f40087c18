package dev.consentry.verdict;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one handset after one flow (first-boot, contact-import, cloud-opt-out).
 *
 * @param device   the device profile's name (its file name without .yaml)
 * @param findings every judged finding: leaks (allowed or not), opaque and unobserved connections
 * @param reason   why the verdict is what it is, in words a reviewer can act on; always present for INCONCLUSIVE
 * @param gaps     spans in which the capture may have missed traffic (also told in the reason); never on a PASS
 */
public record FlowResult(String device, String flow, Verdict verdict, List<JudgedFinding> findings,
                         Optional<String> reason, List<CaptureGap> gaps) {
    public FlowResult {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        reason = reason == null ? Optional.empty() : reason;
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
        if (verdict == Verdict.PASS && !gaps.isEmpty()) {
            throw new IllegalArgumentException("a PASS cannot have capture gaps");
        }
        if (verdict == Verdict.INCONCLUSIVE && reason.isEmpty()) {
            throw new IllegalArgumentException("an INCONCLUSIVE result needs a reason");
        }
        if (verdict == Verdict.PASS && findings.stream().anyMatch(f -> f.violation() || f.doubt())) {
            throw new IllegalArgumentException("a PASS cannot carry violations or unexempted doubts");
        }
        if (verdict == Verdict.FAIL && findings.stream().noneMatch(JudgedFinding::violation)) {
            throw new IllegalArgumentException("a FAIL needs at least one violation");
        }
    }

    public FlowResult(String device, String flow, Verdict verdict, List<JudgedFinding> findings,
                      Optional<String> reason) {
        this(device, flow, verdict, findings, reason, List.of());
    }

    public FlowResult withGaps(List<CaptureGap> g) {
        return new FlowResult(device, flow, verdict, findings, reason, g);
    }

    public static FlowResult passed(String device, String flow) {
        return new FlowResult(device, flow, Verdict.PASS, List.of(), Optional.empty());
    }

    public static FlowResult passed(String device, String flow, List<JudgedFinding> allowed) {
        return new FlowResult(device, flow, Verdict.PASS, allowed, Optional.empty());
    }

    public static FlowResult failed(String device, String flow, List<JudgedFinding> findings, String reason) {
        return new FlowResult(device, flow, Verdict.FAIL, findings, Optional.of(reason));
    }

    public static FlowResult inconclusive(String device, String flow, List<JudgedFinding> findings, String reason) {
        return new FlowResult(device, flow, Verdict.INCONCLUSIVE, findings, Optional.of(reason));
    }

    public List<JudgedFinding> violations() {
        return findings.stream().filter(JudgedFinding::violation).toList();
    }
}
