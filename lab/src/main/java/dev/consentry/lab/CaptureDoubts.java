package dev.consentry.lab;

import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.mitm.TlsFailure;
import dev.consentry.verdict.OpaqueConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything about a capture that means it may not have seen all the handset sent; any entry rules out a PASS. TLS
 * the proxy could not open is not among them: it becomes an opaque finding, which the policy may exempt.
 */
public final class CaptureDoubts {
    private CaptureDoubts() {
    }

    public static List<String> of(MitmdumpCapture.Outcome outcome) {
        List<String> doubts = new ArrayList<>(outcome.problems());
        if (!outcome.health().healthy() && doubts.isEmpty()) {
            doubts.add("capture " + outcome.name() + " ended unhealthy: " + outcome.health());
        }
        return List.copyOf(doubts);
    }

    /** The TLS connections the proxy could not open, as the judge sees them. */
    public static List<OpaqueConnection> opaque(MitmdumpCapture.Outcome outcome) {
        return outcome.tlsFailures().stream().map(CaptureDoubts::opaque).toList();
    }

    static OpaqueConnection opaque(TlsFailure t) {
        return new OpaqueConnection(t.target(), t.port(), t.time(), t.error());
    }
}
