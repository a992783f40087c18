package dev.consentry.lab;

import dev.consentry.mitm.MitmdumpCapture;

import java.util.ArrayList;
import java.util.List;

/** Everything about a capture that means it may not have seen all the handset sent; any entry rules out a PASS. */
public final class CaptureDoubts {
    private CaptureDoubts() {
    }

    public static List<String> of(MitmdumpCapture.Outcome outcome) {
        List<String> doubts = new ArrayList<>(outcome.problems());
        if (!outcome.health().healthy() && doubts.isEmpty()) {
            doubts.add("capture " + outcome.name() + " ended unhealthy: " + outcome.health());
        }
        // Traffic the proxy could not open may carry anything (issue 4 adds policy exemptions for pinned parties).
        outcome.tlsFailures().forEach(t -> doubts.add("TLS to " + t.target() + ":" + t.port()
                + " could not be decrypted at " + t.time() + " (" + t.error() + ")"));
        return List.copyOf(doubts);
    }
}
