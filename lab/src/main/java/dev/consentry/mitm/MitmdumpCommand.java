package dev.consentry.mitm;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mitmdump command line for one capture. */
final class MitmdumpCommand {
    private MitmdumpCommand() {
    }

    static List<String> build(CaptureConfig config, Path addon, InetSocketAddress stream) {
        List<String> cmd = new ArrayList<>();
        // ip netns exec execs the program itself: the pid stays mitmdump's, so stopping it stays polite.
        config.namespace().ifPresent(ns -> cmd.addAll(List.of("ip", "netns", "exec", ns)));
        cmd.addAll(List.of(config.mitmdump(),
                "--listen-host", config.listenHost(),
                "--listen-port", Integer.toString(config.listenPort()),
                "--set", "confdir=" + config.confDir().toAbsolutePath(),
                // No upstream connection before the first request needs one: the handset's side completes even
                // when upstream DNS fails (it always does here) and, in sink mode, never happens at all.
                "--set", "connection_strategy=lazy",
                "-s", addon.toAbsolutePath().toString(),
                "--set", "consentry_stream=" + hostPort(stream)));
        if (config.mode() == CaptureMode.TRANSPARENT) {
            cmd.addAll(List.of("--mode", "transparent"));
        }
        config.sink().ifPresent(sink -> {
            cmd.addAll(List.of("--set", "consentry_sink=" + hostPort(sink)));
            // Otherwise mitmproxy (even when lazy) opens a TLS connection to the real server to copy its
            // certificate's names, which in sink mode would contact the internet on the handset's behalf.
            cmd.addAll(List.of("--set", "upstream_cert=false"));
        });
        // One line per flow plus connection events: enough to read a failure from the log without the bodies.
        cmd.addAll(List.of("--set", "flow_detail=1",
                "-w", config.flowFile().toAbsolutePath().toString()));
        return cmd;
    }

    static String hostPort(InetSocketAddress address) {
        // The literal address when known: "localhost" may resolve to ::1 in mitmdump but 127.0.0.1 here.
        String host = address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
