package dev.consentry.lab;

import dev.consentry.canary.Canary;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.LeakDetector;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.Evidence;

import java.util.List;

/** A stopped capture made into evidence for the judge: health probes left out, canaries searched, doubts collected. */
public final class CaptureEvidence {
    private CaptureEvidence() {
    }

    public static Evidence of(String device, String flow, MitmdumpCapture.Outcome outcome, List<Canary> canaries,
                              List<CaptureGap> gaps, Timeline timeline) {
        List<CapturedFlow> flows = handsetFlows(outcome);
        return Evidence.of(device, flow, flows, new LeakDetector(canaries).scanAll(flows))
                .withProblems(CaptureDoubts.of(outcome))
                .withOpaque(CaptureDoubts.opaque(outcome))
                .withGaps(gaps)
                .withTimeline(timeline);
    }

    /** What the handset sent; probes are the lab's own and would make a silent handset look talkative. */
    public static List<CapturedFlow> handsetFlows(MitmdumpCapture.Outcome outcome) {
        return outcome.flows().stream().filter(f -> !CaptureProbe.isProbe(f)).toList();
    }
}
