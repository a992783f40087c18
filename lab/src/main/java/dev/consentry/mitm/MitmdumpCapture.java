package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.process.ExternalProcess;
import dev.consentry.process.ProcessExit;
import dev.consentry.process.ProcessSpec;
import dev.consentry.process.ProcessStartException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One handset's capture: a real mitmdump with the Consentry addon, whose flows stream into this JVM as they complete.
 * Start with {@link #builder()}; {@link #stop()} (or {@link #close()}) ends mitmdump politely and returns only once
 * every flow it captured has reached Java, or says in {@link Outcome#problems()} why that cannot be promised.
 */
public final class MitmdumpCapture implements AutoCloseable, ProbeTarget {
    private static final int SOCKET_CHECK_MILLIS = 500;
    private static final Duration STREAM_DRAIN = Duration.ofSeconds(5);

    private final CaptureConfig config;
    private final List<CapturedFlow> flows = new CopyOnWriteArrayList<>();
    private final List<TlsFailure> tlsFailures = new CopyOnWriteArrayList<>();
    private final List<CaptureListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Object arrivals = new Object();
    private final StreamReceiver receiver;
    private ExternalProcess process;
    private InetSocketAddress proxyAddress;
    private volatile boolean stopping;
    private Outcome outcome;

    public static Builder builder() {
        return new Builder();
    }

    private MitmdumpCapture(CaptureConfig config) throws IOException {
        this.config = config;
        this.receiver = new StreamReceiver(config.name(), config.streamBind(), this::onEvent, problems::add);
    }

    private static MitmdumpCapture start(CaptureConfig config) {
        MitmdumpCapture capture;
        try {
            Files.createDirectories(config.workDir());
            capture = new MitmdumpCapture(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare capture " + config.name() + " in " + config.workDir(), e);
        }
        try (CaCreationLock ignored = CaCreationLock.acquireIfCaMissing(config.confDir(), config.startupTimeout())) {
            capture.launch();
            return capture;
        } catch (RuntimeException e) {
            capture.receiver.close();
            throw e;
        }
    }

    private void launch() {
        Path addon = AddonScript.installInto(config.workDir());
        List<String> command = MitmdumpCommand.build(config, addon, receiver.address());
        ProcessSpec spec = ProcessSpec.of("mitmdump for " + config.name(), command, config.workDir(),
                config.logFile());
        process = ExternalProcess.start(spec, MitmdumpCapture::hints);
        process.awaitReady("the proxy accepts connections and the addon has connected to Java",
                config.startupTimeout(), this::notReadyBecause);
    }

    /** Separate from start-up so the reason for "not ready" reads well in a time-out message. */
    private Optional<String> notReadyBecause() {
        Optional<StreamEvent.Hello> hello = receiver.hello();
        if (hello.isEmpty()) {
            return Optional.of(receiver.broken().map(b -> "addon stream: " + b)
                    .orElse("the addon has not connected to " + MitmdumpCommand.hostPort(receiver.address())));
        }
        if (hello.get().listen().isEmpty()) {
            return Optional.of("the addon connected but mitmdump is not listening (see the log)");
        }
        InetSocketAddress listening = proxyAddressFrom(hello.get());
        try (Socket probe = new Socket()) {
            probe.connect(probeAddress(listening), SOCKET_CHECK_MILLIS);
        } catch (IOException e) {
            return Optional.of("proxy port " + listening.getPort() + " does not accept: " + e.getMessage());
        }
        synchronized (this) {
            proxyAddress = listening;
        }
        return Optional.empty();
    }

    private InetSocketAddress proxyAddressFrom(StreamEvent.Hello hello) {
        String first = hello.listen().get(0);
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        // Listen hosts are IP literals (127.0.0.1, 0.0.0.0): resolving them needs no DNS.
        return config.reachableAt().map(a -> new InetSocketAddress(a, port))
                .orElseGet(() -> new InetSocketAddress(config.listenHost(), port));
    }

    private static InetSocketAddress probeAddress(InetSocketAddress listening) {
        String host = listening.getHostString();
        // A wildcard listener is reachable on loopback; probing the wildcard address itself is not portable.
        InetAddress target = host.equals("0.0.0.0") || host.equals("::") ? InetAddress.getLoopbackAddress()
                : new InetSocketAddress(host, 0).getAddress();
        return new InetSocketAddress(target, listening.getPort());
    }

    static List<String> hints(String failureText) {
        List<String> hints = new ArrayList<>();
        String text = failureText.toLowerCase(java.util.Locale.ROOT);
        if (text.contains("cannot run program") || text.contains("no such file or directory")
                && text.contains("could not be started")) {
            hints.add("mitmdump is not installed (or not on PATH): install Debian's mitmproxy package: "
                    + "apt-get install mitmproxy");
        }
        if (text.contains("address already in use")) {
            hints.add("the listen port is taken by another program or capture: use withListenPort(0) to let "
                    + "mitmdump pick a free one");
        }
        if (text.contains("modulenotfounderror") || text.contains("importerror")) {
            hints.add("mitmdump's Python environment is incomplete: reinstall Debian's mitmproxy package");
        }
        if (text.contains("consentry_stream") && text.contains("cannot connect")) {
            hints.add("the addon could not reach this JVM on loopback: is a firewall filtering 127.0.0.1?");
        }
        return hints;
    }

    private void onEvent(StreamEvent event) {
        try {
            if (event instanceof StreamEvent.Flow f) {
                flows.add(f.flow());
                listeners.forEach(l -> tell(() -> l.onFlow(f.flow())));
            } else if (event instanceof StreamEvent.TlsFailed t) {
                tlsFailures.add(t.failure());
                listeners.forEach(l -> tell(() -> l.onTlsFailure(t.failure())));
            } else if (event instanceof StreamEvent.Unknown u) {
                problems.add("unknown stream line type '" + u.type() + "': the addon is newer than this Java side");
            }
            // hello and bye are kept by the receiver
        } finally {
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            problems.add("a capture listener failed: " + e);
        }
    }

    public String name() {
        return config.name();
    }

    public CaptureConfig config() {
        return config;
    }

    /** Where handsets (and test clients) send their traffic, with the port mitmdump actually listens on. */
    public synchronized InetSocketAddress proxyAddress() {
        return proxyAddress;
    }

    public long pid() {
        return process.pid();
    }

    /** Snapshot of the flows received so far, in the order they completed. */
    public List<CapturedFlow> flows() {
        return List.copyOf(flows);
    }

    public List<TlsFailure> tlsFailures() {
        return List.copyOf(tlsFailures);
    }

    /** Adds a listener for what arrives from now on (what came before is in {@link #flows()}). */
    public void addListener(CaptureListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CaptureListener listener) {
        listeners.remove(listener);
    }

    /** Waits (bounded) for a flow that matches, including ones already received. */
    public Optional<CapturedFlow> awaitFlow(Predicate<CapturedFlow> matching, Duration timeout)
            throws InterruptedException {
        return await(() -> flows.stream().filter(matching).findFirst(), timeout);
    }

    public Optional<TlsFailure> awaitTlsFailure(Predicate<TlsFailure> matching, Duration timeout)
            throws InterruptedException {
        return await(() -> tlsFailures.stream().filter(matching).findFirst(), timeout);
    }

    private <T> Optional<T> await(java.util.function.Supplier<Optional<T>> lookup, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            while (true) {
                Optional<T> found = lookup.get();
                long left = deadline - System.nanoTime();
                if (found.isPresent() || left <= 0) {
                    return found;
                }
                // Bounded slices: a flow may land between the lookup and the wait.
                arrivals.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
        }
    }

    /** The lab CA's certificate (PEM) in the shared confdir: what handsets must trust. */
    public Path caCertificatePem() {
        return config.confDir().resolve(LabCa.CERT_FILE);
    }

    public Path logFile() {
        return config.logFile();
    }

    /** mitmdump's own record of every flow (the addon restores the original request before it is written). */
    public Path flowFile() {
        return config.flowFile();
    }

    public String logTail() {
        return process.logTail();
    }

    public CaptureHealth health() {
        Optional<String> broken = receiver.broken();
        synchronized (this) {
            if (outcome != null) {
                return outcome.health();
            }
        }
        Optional<Integer> exit = process.exitCode();
        if (exit.isPresent() && !stopping) {
            return new CaptureHealth.Died(exit.get());
        }
        if (broken.isPresent() && !stopping) {
            return new CaptureHealth.StreamBroken(broken.get());
        }
        return new CaptureHealth.Running(process.pid());
    }

    /**
     * Stops mitmdump (SIGTERM; killed after the grace period), waits for the addon's goodbye and returns what was
     * captured. Idempotent: later calls return the same outcome.
     */
    public synchronized Outcome stop() {
        if (outcome != null) {
            return outcome;
        }
        CaptureHealth before = health();
        stopping = true;
        ProcessExit exit = process.stop(config.stopGracePeriod());
        try {
            if (!receiver.awaitEnd(STREAM_DRAIN)) {
                problems.add("the addon's stream did not end within " + STREAM_DRAIN.toSeconds()
                        + " s of mitmdump's exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while waiting for the last flows");
        }
        receiver.close();
        List<String> found = new ArrayList<>();
        if (before instanceof CaptureHealth.Died died) {
            found.add("mitmdump died during the capture (exit code " + died.exitCode() + ")");
        }
        if (exit.killed()) {
            found.add("mitmdump ignored the stop request for " + config.stopGracePeriod().toSeconds()
                    + " s and was killed: flows in flight may be missing");
        }
        Optional<StreamEvent.Bye> bye = receiver.bye();
        receiver.broken().ifPresent(b -> found.add("addon stream: " + b));
        bye.ifPresent(b -> {
            if (b.flows() != flows.size()) {
                found.add("the addon emitted " + b.flows() + " flows but Java received " + flows.size());
            }
            if (b.tlsFailures() != tlsFailures.size()) {
                found.add("the addon emitted " + b.tlsFailures() + " TLS failures but Java received "
                        + tlsFailures.size());
            }
            if (b.lost() > 0) {
                found.add("the addon could not deliver " + b.lost() + " events (they are in " + flowFile() + ")");
            }
        });
        found.addAll(problems);
        CaptureHealth health;
        if (before instanceof CaptureHealth.Died died) {
            health = died;
        } else if (receiver.broken().isPresent() || bye.isEmpty()) {
            health = new CaptureHealth.StreamBroken(receiver.broken().orElse("no goodbye from the addon"));
        } else {
            health = new CaptureHealth.Stopped(exit.exitCode());
        }
        outcome = new Outcome(config.name(), flows(), tlsFailures(), found, health, process.logTail(),
                config.logFile(), config.flowFile());
        return outcome;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "MitmdumpCapture[" + config.name() + " at " + proxyAddress() + "]";
    }

    /**
     * What a stopped capture saw.
     *
     * @param problems why the flows may be incomplete (empty when every captured flow arrived); TLS failures are not
     *                 problems of the capture, they are what the handset did
     */
    public record Outcome(String name, List<CapturedFlow> flows, List<TlsFailure> tlsFailures, List<String> problems,
                          CaptureHealth health, String logTail, Path logFile, Path flowFile) {
        public Outcome {
            flows = List.copyOf(flows);
            tlsFailures = List.copyOf(tlsFailures);
            problems = List.copyOf(problems);
        }

        public boolean complete() {
            return problems.isEmpty() && health.healthy();
        }
    }

    /** Collects a {@link CaptureConfig}; {@link #start()} returns a running, ready capture or throws. */
    public static final class Builder {
        private String name = "capture";
        private String mitmdump = "mitmdump";
        private String listenHost = "127.0.0.1";
        private int listenPort = 0;
        private Path confDir;
        private InetSocketAddress sink;
        private Path workDir;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Duration stopGracePeriod = Duration.ofSeconds(10);
        private CaptureMode mode = CaptureMode.REGULAR;
        private String namespace;
        private InetAddress streamBind = InetAddress.getLoopbackAddress();
        private InetAddress reachableAt;

        private Builder() {
        }

        public Builder withName(String name) {
            this.name = name;
            return this;
        }

        /** The program to run; default "mitmdump" from PATH. */
        public Builder withMitmdump(String program) {
            this.mitmdump = program;
            return this;
        }

        public Builder withListenHost(String host) {
            this.listenHost = host;
            return this;
        }

        /** 0 (the default): mitmdump binds a free port and the capture reports it in {@link #proxyAddress()}. */
        public Builder withListenPort(int port) {
            this.listenPort = port;
            return this;
        }

        public Builder withConfDir(Path confDir) {
            this.confDir = confDir;
            return this;
        }

        /** Sink mode: requests go to this address instead of their destination (recorded unchanged). */
        public Builder withSink(InetSocketAddress sink) {
            this.sink = sink;
            return this;
        }

        public Builder withoutSink() {
            this.sink = null;
            return this;
        }

        public Builder withWorkDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder withStartupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        public Builder withStopGracePeriod(Duration grace) {
            this.stopGracePeriod = grace;
            return this;
        }

        public Builder withMode(CaptureMode mode) {
            this.mode = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Runs mitmdump inside a network namespace (the access point's), via {@code ip netns exec}. The addon's
         * stream must then reach this JVM from there: see {@link #withStreamBind}; and the readiness check must
         * reach the proxy from here: see {@link #withReachableAt}.
         */
        public Builder inNamespace(String namespace) {
            this.namespace = java.util.Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** Where this JVM listens for the addon's stream; default loopback. */
        public Builder withStreamBind(InetAddress address) {
            this.streamBind = java.util.Objects.requireNonNull(address, "address");
            return this;
        }

        /** The address at which this JVM reaches the proxy, when it is not the listen host (another namespace). */
        public Builder withReachableAt(InetAddress address) {
            this.reachableAt = java.util.Objects.requireNonNull(address, "address");
            return this;
        }

        public CaptureConfig config() {
            if (confDir == null) {
                throw new IllegalStateException("withConfDir(...) is required: the lab CA lives there");
            }
            if (workDir == null) {
                throw new IllegalStateException("withWorkDir(...) is required: logs and flows.mitm go there");
            }
            return new CaptureConfig(name, mitmdump, listenHost, listenPort, confDir.toAbsolutePath(),
                    Optional.ofNullable(sink), workDir.toAbsolutePath(), startupTimeout, stopGracePeriod, mode,
                    Optional.ofNullable(namespace), streamBind, Optional.ofNullable(reachableAt));
        }

        /**
         * Starts mitmdump and waits until it is ready (bounded by the start-up timeout).
         *
         * @throws ProcessStartException with the command line and the log's tail when it does not come up
         */
        public MitmdumpCapture start() {
            return MitmdumpCapture.start(config());
        }
    }
}
