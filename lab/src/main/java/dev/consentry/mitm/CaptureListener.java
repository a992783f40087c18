package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;

/**
 * Told of flows and TLS failures as they arrive, in stream order, on the capture's stream thread: keep it quick,
 * a slow listener holds back the stream (and, once socket buffers fill, mitmdump itself).
 */
public interface CaptureListener {
    default void onFlow(CapturedFlow flow) {
    }

    default void onTlsFailure(TlsFailure failure) {
    }
}
