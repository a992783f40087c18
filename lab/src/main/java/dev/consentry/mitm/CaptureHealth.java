package dev.consentry.mitm;

/** Whether a capture can still be trusted to have seen (and delivered) everything. */
public sealed interface CaptureHealth {
    default boolean healthy() {
        return this instanceof Running || this instanceof Stopped;
    }

    /** mitmdump runs and its addon's stream is connected. */
    record Running(long pid) implements CaptureHealth {
    }

    /** Stopped on request; every flow the addon emitted reached Java. */
    record Stopped(int exitCode) implements CaptureHealth {
    }

    /** mitmdump ended without being asked to: traffic after that went nowhere (the handset saw a dead proxy). */
    record Died(int exitCode) implements CaptureHealth {
    }

    /** The addon's stream to Java broke or ended early: flows may be missing here (they are still in flows.mitm). */
    record StreamBroken(String reason) implements CaptureHealth {
    }
}
