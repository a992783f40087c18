package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** What a {@link CaptureProbe} needs of a capture; a seam so a probe's timing can be tested without mitmdump. */
interface ProbeTarget {
    String name();

    InetSocketAddress proxyAddress();

    Optional<CapturedFlow> awaitFlow(Predicate<CapturedFlow> matching, Duration timeout) throws InterruptedException;
}
