package dev.consentry.verdict;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;

import java.util.List;
import java.util.Objects;

/**
 * Everything one test's capture produced, ready to be judged against a consent ledger and a policy.
 *
 * @param flows      the handset's captured flows (health probes already removed)
 * @param leaks      where canaries were found in them
 * @param problems   why the capture may be incomplete in ways that have no time span (stream broke, flows lost)
 * @param timeline   which step and screen were active when, to tag each finding
 * @param sent       what the handset sent on its WebSockets, as searched: for the report to show and replay
 */
public record Evidence(String device, String flow, List<CapturedFlow> flows, List<Finding> leaks,
                       List<OpaqueConnection> opaque, List<UnobservedConnection> unobserved, List<CaptureGap> gaps,
                       List<String> problems, Timeline timeline, SentOnWebSockets sent) {
    public Evidence {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(flow, "flow");
        flows = List.copyOf(flows);
        leaks = List.copyOf(leaks);
        opaque = List.copyOf(opaque);
        unobserved = List.copyOf(unobserved);
        gaps = List.copyOf(gaps);
        problems = List.copyOf(problems);
        timeline = timeline == null ? Timeline.EMPTY : timeline;
        sent = sent == null ? SentOnWebSockets.NONE : sent;
    }

    public static Evidence of(String device, String flow, List<CapturedFlow> flows, List<Finding> leaks) {
        return new Evidence(device, flow, flows, leaks, List.of(), List.of(), List.of(), List.of(), Timeline.EMPTY,
                SentOnWebSockets.NONE);
    }

    public Evidence withOpaque(List<OpaqueConnection> o) {
        return new Evidence(device, flow, flows, leaks, o, unobserved, gaps, problems, timeline, sent);
    }

    public Evidence withUnobserved(List<UnobservedConnection> u) {
        return new Evidence(device, flow, flows, leaks, opaque, u, gaps, problems, timeline, sent);
    }

    public Evidence withGaps(List<CaptureGap> g) {
        return new Evidence(device, flow, flows, leaks, opaque, unobserved, g, problems, timeline, sent);
    }

    public Evidence withProblems(List<String> p) {
        return new Evidence(device, flow, flows, leaks, opaque, unobserved, gaps, p, timeline, sent);
    }

    public Evidence withTimeline(Timeline t) {
        return new Evidence(device, flow, flows, leaks, opaque, unobserved, gaps, problems, t, sent);
    }

    public Evidence withSent(SentOnWebSockets s) {
        return new Evidence(device, flow, flows, leaks, opaque, unobserved, gaps, problems, timeline, s);
    }
}
