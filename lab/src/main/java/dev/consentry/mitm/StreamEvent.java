package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;

import java.util.List;
import java.util.Optional;

/** One line of the addon's stream (format: see lab/src/main/python/consentry_stream.py). */
public sealed interface StreamEvent {
    /** First line: the addon is loaded, connected and the proxy is listening on {@code listen}. */
    record Hello(int version, String mitmproxyVersion, long pid, List<String> listen, Optional<String> sink)
            implements StreamEvent {
        public Hello {
            listen = List.copyOf(listen);
        }
    }

    /** A completed flow; {@code redirectedTo} is the sink it was sent to instead of its destination. */
    record Flow(CapturedFlow flow, Optional<String> redirectedTo) implements StreamEvent {
    }

    record TlsFailed(TlsFailure failure) implements StreamEvent {
    }

    /** Last line, from mitmdump's shutdown: how many it emitted, and how many it could not deliver. */
    record Bye(int flows, int tlsFailures, int lost) implements StreamEvent {
    }

    /** A line type this Java side does not know: a newer addon. Ignored, but not silently. */
    record Unknown(String type) implements StreamEvent {
    }
}
