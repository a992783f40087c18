package dev.consentry.verdict;

import dev.consentry.leak.Finding;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns what a flow produced into a verdict, failing closed: a leak is a FAIL whatever else happened; otherwise any
 * doubt about what the capture saw makes the result INCONCLUSIVE, never PASS.
 */
public final class Judge {
    private Judge() {
    }

    /**
     * @param flowsSeen       how many flows the capture recorded from this handset
     * @param captureProblems why the capture may have missed traffic (proxy died, TLS it could not open, ...)
     */
    public static FlowResult judge(String device, String flow, List<Finding> findings, int flowsSeen,
                                   List<String> captureProblems) {
        if (!findings.isEmpty()) {
            String what = findings.stream()
                    .map(f -> f.canary().kind().id() + " to " + f.host())
                    .distinct().collect(Collectors.joining(", "));
            return FlowResult.failed(device, flow, findings, "personal data left the handset: " + what);
        }
        if (!captureProblems.isEmpty()) {
            return FlowResult.inconclusive(device, flow, findings, String.join("; ", captureProblems));
        }
        if (flowsSeen == 0) {
            // A handset that sent nothing at all through the proxy is more likely bypassing it than silent.
            return FlowResult.inconclusive(device, flow, findings,
                    "no traffic reached the proxy: the handset may bypass it, so silence proves nothing");
        }
        return FlowResult.passed(device, flow);
    }
}
