package dev.consentry.lab.tap;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.ProcessExit;
import dev.consentry.process.ProcessSpec;
import dev.consentry.process.ProcessStartException;
import dev.consentry.tap.Connection;
import dev.consentry.tap.Connections;
import dev.consentry.tap.PcapReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A network tap for real: {@code tcpdump -i IFACE -w FILE -U --immediate-mode} on the interface the handsets' traffic
 * crosses (the lab access point's, or loopback), started before a flow and stopped after it. Packets are written as
 * they arrive, so what the file holds when the tap stops is what crossed the wire; {@link PcapReader} reads it in pure
 * Java. Ready once tcpdump says it is listening; a bad interface or missing privilege fails the start with tcpdump's
 * own words, the command line and a hint.
 */
public final class TcpdumpTap implements AutoCloseable {
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Duration SETTLE_MAX = Duration.ofSeconds(3);

    private final ExternalProcess process;
    private final Path file;
    private final String iface;
    private Optional<Result> result = Optional.empty();

    private TcpdumpTap(ExternalProcess process, Path file, String iface) {
        this.process = process;
        this.file = file;
        this.iface = iface;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path file() {
        return file;
    }

    public String iface() {
        return iface;
    }

    public Path logFile() {
        return process.logFile();
    }

    /**
     * Stops tcpdump once the file has stopped growing (packets of the flow's last moments are still being written),
     * and reads what it captured. Idempotent.
     */
    public synchronized Result stop() {
        if (result.isPresent()) {
            return result.get();
        }
        awaitQuietFile();
        ProcessExit exit = process.stop(Duration.ofSeconds(5));
        List<String> problems = new ArrayList<>();
        // tcpdump ends with 0 on SIGTERM; anything else (or a kill) means the file may be cut short.
        if (exit.killed() || exit.exitCode() != 0 && exit.exitCode() != 143) {
            problems.add("tcpdump on " + iface + " ended badly (exit " + exit.exitCode() + (exit.killed() ? ", killed"
                    : "") + "); its capture may be incomplete: " + process.logTail(5).replace('\n', ' '));
        }
        String tail = process.logTail(5);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) packets? dropped by kernel")
                .matcher(tail);
        if (m.find() && Long.parseLong(m.group(1)) > 0) {
            problems.add("tcpdump on " + iface + ": " + m.group(0) + ", so the tap missed packets");
        }
        result = Optional.of(new Result(file, problems));
        return result.get();
    }

    private void awaitQuietFile() {
        long deadline = System.nanoTime() + SETTLE_MAX.toNanos();
        long last = -1;
        try {
            while (System.nanoTime() - deadline < 0) {
                long size = Files.exists(file) ? Files.size(file) : 0;
                if (size == last) {
                    return;
                }
                last = size;
                Thread.sleep(SETTLE.toMillis());
            }
        } catch (IOException e) {
            // Then there is nothing to wait for; reading the file will say what is wrong with it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "tcpdump on " + iface + " -> " + file;
    }

    /**
     * What the tap captured.
     *
     * @param problems reasons the file may not hold everything (tcpdump killed, kernel drops); each rules out a PASS
     */
    public record Result(Path file, List<String> problems) {
        public Result {
            Objects.requireNonNull(file, "file");
            problems = List.copyOf(problems);
        }

        /** The TCP connections and UDP flows in the file. */
        public List<Connection> connections() {
            return Connections.of(PcapReader.read(file));
        }
    }

    public static final class Builder {
        private String tcpdump = "tcpdump";
        private String iface = "lo";
        private String filter = "";
        private Optional<String> namespace = Optional.empty();
        private Path file;
        private Duration startTimeout = Duration.ofSeconds(10);

        public Builder withTcpdump(String program) {
            this.tcpdump = Objects.requireNonNull(program, "program");
            return this;
        }

        /** The interface to listen on: the access point's handset-facing one, or {@code lo}. */
        public Builder withInterface(String iface) {
            if (iface == null || iface.isBlank()) {
                throw new IllegalArgumentException("tap interface is empty");
            }
            this.iface = iface;
            return this;
        }

        /** A BPF filter ({@code "host 10.1.2.3"}); empty captures everything on the interface. */
        public Builder withFilter(String filter) {
            this.filter = filter == null ? "" : filter.trim();
            return this;
        }

        /** Runs tcpdump inside a network namespace ({@code ip netns exec NAME}), e.g. the lab access point's. */
        public Builder withNamespace(String name) {
            this.namespace = Optional.of(name);
            return this;
        }

        /** Where the pcap goes; the log goes next to it ({@code FILE.log}). */
        public Builder withFile(Path file) {
            this.file = file;
            return this;
        }

        public Builder withStartTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        List<String> command() {
            List<String> c = new ArrayList<>();
            namespace.ifPresent(ns -> c.addAll(List.of("ip", "netns", "exec", ns)));
            // -U --immediate-mode: every packet reaches the file at once (else TPACKET_V3 delivers in blocks and a
            // stop can lose the last second); -n: no DNS lookups; -s 0: whole packets, for SNI and Host names;
            // -B 32768 (KiB): the default 2 MB ring overflowed while a loaded 2-core machine left tcpdump unscheduled
            // ("30 packets dropped by kernel"), and a drop makes the flow INCONCLUSIVE.
            c.addAll(List.of(tcpdump, "-i", iface, "-w", file.toString(), "-U", "--immediate-mode", "-B", "32768",
                    "-n", "-s", "0"));
            if ("root".equals(System.getProperty("user.name"))) {
                c.addAll(List.of("-Z", "root")); // else tcpdump drops to its own user and owns the run's files
            }
            if (!filter.isEmpty()) {
                c.add(filter);
            }
            return c;
        }

        /** @throws ProcessStartException naming the command, tcpdump's words and what to do */
        public TcpdumpTap start() {
            Objects.requireNonNull(file, "withFile");
            Path abs = file.toAbsolutePath();
            file = abs;
            try {
                Files.createDirectories(abs.getParent());
                Files.deleteIfExists(abs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + abs, e);
            }
            Path log = abs.resolveSibling(abs.getFileName() + ".log");
            ProcessSpec spec = ProcessSpec.of("tcpdump on " + iface + namespace.map(n -> " in " + n).orElse(""),
                    command(), abs.getParent(), log);
            ExternalProcess p = ExternalProcess.start(spec, ExternalProcess.hintsFor(
                    "No such file or directory", "is tcpdump installed? scripts/setup.sh installs Debian's tcpdump",
                    "No such device", "no interface " + iface + " here: `ip link` lists them",
                    "doesn't exist", "no interface " + iface + " here: `ip link` lists them",
                    "permission", "capturing needs root or CAP_NET_RAW (setcap cap_net_raw,cap_net_admin=eip "
                            + "$(command -v tcpdump))",
                    "syntax error", "the BPF filter is wrong: " + filter,
                    "Cannot open network namespace", "no network namespace " + namespace.orElse("") + " (ip netns list)"));
            p.awaitReady("tcpdump says it is listening on " + iface, startTimeout, () -> {
                String tail = p.logTail(20);
                return tail.contains("listening on ") ? Optional.empty()
                        : Optional.of(tail.isBlank() ? "no output yet" : tail.lines().reduce((a, b) -> b).orElse(""));
            });
            return new TcpdumpTap(p, abs, iface);
        }
    }
}
