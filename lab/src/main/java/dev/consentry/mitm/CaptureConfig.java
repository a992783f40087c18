package dev.consentry.mitm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one capture is started with (what {@link MitmdumpCapture.Builder} collects).
 *
 * @param name       the handset (profile) name, for logs, thread names and messages
 * @param mitmdump   the program: a name looked up on PATH, or a path
 * @param listenHost where the proxy listens: 127.0.0.1 for local twins, 0.0.0.0 for handsets on the lab network
 * @param listenPort 0: mitmdump binds a free port itself and reports it (no race with other captures)
 * @param confDir    mitmproxy's confdir with the lab CA, shared by all captures
 * @param sink       in sink mode every request goes here instead of its destination; empty: real destinations
 * @param workDir    this capture's folder: mitmdump.log, flows.mitm, the addon copy
 * @param mode       regular (the handset's proxy setting) or transparent (an access point redirects to mitmdump)
 * @param namespace  the network namespace mitmdump runs in ({@code ip netns exec}); empty: this JVM's
 * @param streamBind where this JVM listens for the addon's stream: loopback, or an address the namespace reaches
 * @param reachableAt where this JVM reaches the proxy (readiness check, {@link MitmdumpCapture#proxyAddress()});
 *                    empty: the listen host (loopback for a wildcard)
 */
public record CaptureConfig(String name, String mitmdump, String listenHost, int listenPort, Path confDir,
                            Optional<InetSocketAddress> sink, Path workDir, Duration startupTimeout,
                            Duration stopGracePeriod, CaptureMode mode, Optional<String> namespace,
                            InetAddress streamBind, Optional<InetAddress> reachableAt) {
    public static final String LOG_FILE = "mitmdump.log";
    public static final String FLOW_FILE = "flows.mitm";

    public CaptureConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mitmdump, "mitmdump");
        Objects.requireNonNull(listenHost, "listenHost");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        Objects.requireNonNull(confDir, "confDir");
        sink = sink == null ? Optional.empty() : sink;
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        Objects.requireNonNull(mode, "mode");
        namespace = namespace == null ? Optional.empty() : namespace;
        Objects.requireNonNull(streamBind, "streamBind");
        reachableAt = reachableAt == null ? Optional.empty() : reachableAt;
    }

    public Path logFile() {
        return workDir.resolve(LOG_FILE);
    }

    public Path flowFile() {
        return workDir.resolve(FLOW_FILE);
    }
}
