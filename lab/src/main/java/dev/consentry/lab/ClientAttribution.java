package dev.consentry.lab;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.mitm.TlsFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * On an access point a transparent mitmdump sees whoever the redirect rules send it, so a flow belongs to a handset
 * by its client address, not by which mitmdump caught it. Flows from any other address are not the handset's: they
 * are dropped from its evidence, and their presence makes the capture doubtful (the rules or the handset's address
 * are not what the profile says, so the handset's own traffic may have gone elsewhere): never a PASS.
 */
public final class ClientAttribution {
    private ClientAttribution() {
    }

    public static MitmdumpCapture.Outcome attribute(MitmdumpCapture.Outcome outcome, String handsetAddress) {
        List<CapturedFlow> kept = new ArrayList<>();
        Map<String, Integer> foreign = new TreeMap<>();
        for (CapturedFlow f : outcome.flows()) {
            if (CaptureProbe.isProbe(f) || address(f.client()).equals(handsetAddress)) {
                kept.add(f);
            } else {
                foreign.merge(address(f.client()), 1, Integer::sum);
            }
        }
        List<TlsFailure> tls = new ArrayList<>();
        for (TlsFailure t : outcome.tlsFailures()) {
            if (address(t.client()).equals(handsetAddress)) {
                tls.add(t);
            } else {
                foreign.merge(address(t.client()), 1, Integer::sum);
            }
        }
        if (foreign.isEmpty()) {
            return outcome;
        }
        List<String> problems = new ArrayList<>(outcome.problems());
        foreign.forEach((client, n) -> problems.add(n + " flow(s) or TLS failure(s) from " + (client.isEmpty() ? "an unknown client"
                : client) + ", not the handset's address " + handsetAddress + ": left out; check the access "
                + "point's redirect rules and the handset's address reservation"));
        return new MitmdumpCapture.Outcome(outcome.name(), kept, tls, problems, outcome.health(),
                outcome.logTail(), outcome.logFile(), outcome.flowFile());
    }

    /** "10.0.0.2:41234" -> "10.0.0.2"; "[fd00::2]:41234" -> "fd00::2". */
    static String address(String client) {
        if (client.startsWith("[")) {
            int end = client.indexOf(']');
            return end < 0 ? client : client.substring(1, end);
        }
        int colon = client.lastIndexOf(':');
        return colon < 0 ? client : client.substring(0, colon);
    }
}
