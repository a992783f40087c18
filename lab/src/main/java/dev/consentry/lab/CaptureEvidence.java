package dev.consentry.lab;

import dev.consentry.canary.Canary;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;
import dev.consentry.leak.FlowScan;
import dev.consentry.leak.LeakDetector;
import dev.consentry.leak.ScanTarget;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.FlowFile;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.Evidence;

import dev.consentry.lab.tap.TcpdumpTap;
import dev.consentry.tap.Connection;
import dev.consentry.tap.PcapException;
import dev.consentry.tap.Reconciliation;
import dev.consentry.verdict.UnobservedConnection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A stopped capture made into evidence for the judge: health probes left out, canaries searched, doubts collected. */
public final class CaptureEvidence {
    private CaptureEvidence() {
    }

    public static Evidence of(String device, String flow, MitmdumpCapture.Outcome outcome, List<Canary> canaries,
                              List<CaptureGap> gaps, Timeline timeline) {
        List<CapturedFlow> flows = handsetFlows(outcome);
        LeakDetector detector = new LeakDetector(canaries);
        List<Finding> leaks = new ArrayList<>();
        List<String> problems = new ArrayList<>(CaptureDoubts.of(outcome));
        for (CapturedFlow f : flows) {
            FlowScan scan = detector.inspect(f);
            leaks.addAll(scan.findings());
            // Fail closed: what the handset sent that could not be decoded was not searched.
            scan.damage().forEach(d -> problems.add("flow " + f.id() + " to " + f.request().scheme() + "://"
                    + f.request().host() + ": request " + d.message()
                    + " (part of what the handset sent could not be searched)"));
        }
        SentOnWebSockets sent = webSocketMessages(outcome, flows, detector, leaks, problems);
        return Evidence.of(device, flow, flows, leaks)
                .withSent(sent)
                .withProblems(problems)
                .withOpaque(CaptureDoubts.opaque(outcome))
                .withGaps(gaps)
                .withTimeline(timeline);
    }

    /**
     * Holds the tap's connections against the capture: the handset's connections the capture never saw become
     * unobserved findings; a tap that may have missed packets, or whose file cannot be read, is a problem (fail
     * closed: without a complete tap, bypass cannot be ruled out).
     *
     * An unobserved connection whose whole payload the tap read in cleartext is scanned for every canary, so what
     * it carried is known: leaks in it are judged like any other, and necessary traffic with none is exempt.
     *
     * @param handsets the handsets' addresses as the tap sees them; other hosts' traffic is ignored
     * @param proxies  where the handsets reach the capture as an explicit proxy (empty for a transparent capture)
     */
    public static Evidence withTap(Evidence evidence, MitmdumpCapture.Outcome outcome, TcpdumpTap.Result tap,
                                   List<Canary> canaries, Set<InetAddress> handsets, Set<InetSocketAddress> proxies) {
        List<String> problems = new ArrayList<>(evidence.problems());
        problems.addAll(tap.problems());
        List<Connection> connections;
        try {
            connections = tap.connections();
        } catch (PcapException e) {
            problems.add("the network tap's capture " + tap.file() + " could not be read, so traffic that bypassed "
                    + "the proxy cannot be ruled out: " + e.getMessage());
            return evidence.withProblems(problems);
        }
        List<String> clients = new ArrayList<>();
        outcome.flows().forEach(f -> clients.add(f.client()));
        outcome.tlsFailures().forEach(t -> clients.add(t.client()));
        List<UnobservedConnection> unobserved = new ArrayList<>(evidence.unobserved());
        LeakDetector detector = new LeakDetector(canaries);
        for (Connection c : Reconciliation.of(connections, handsets, clients, proxies).unobserved()) {
            UnobservedConnection u = Reconciliation.finding(c);
            if (c.cleartext().isEmpty()) {
                unobserved.add(u);
                continue;
            }
            CapturedFlow wire = wireFlow(c, u);
            FlowScan scan = detector.inspectMessage(wire, "tap", c.cleartext().get());
            // What the tap read but could not decode, or the scan ran out of heap on, was not searched: a doubt, as
            // for a request through the proxy.
            scan.damage().forEach(d -> problems.add("connection " + wire.id() + " to " + u.host() + ":" + u.port()
                    + " that bypassed the proxy: " + d.message() + " (part of what the handset sent could not be"
                    + " searched)"));
            unobserved.add(u.withCarried(scan.findings()));
        }
        return evidence.withProblems(problems).withUnobserved(unobserved);
    }

    /** How long reading the flow file for WebSocket messages may take (mitmproxy's Python, for a file it must read). */
    private static final Duration FLOW_FILE_READ = Duration.ofMinutes(5);

    /**
     * What the handset sent on its WebSocket connections. The addon's stream carries a WebSocket flow's upgrade
     * request, not its messages; mitmdump's -w file holds them (mitmproxy's save addon writes such a flow when it
     * ends, or, still open, when mitmdump stops), so the file is read when a handset flow was upgraded (101), once:
     * the messages are kept for the report to show and replay. Fail closed: messages that cannot be read, or an
     * upgraded flow missing from the file, are problems.
     */
    private static SentOnWebSockets webSocketMessages(MitmdumpCapture.Outcome outcome, List<CapturedFlow> flows,
                                                      LeakDetector detector, List<Finding> leaks,
                                                      List<String> problems) {
        Map<String, CapturedFlow> upgraded = new LinkedHashMap<>();
        for (CapturedFlow f : flows) {
            if (f.response().map(r -> r.status() == 101).orElse(false)) {
                upgraded.put(f.id(), f);
            }
        }
        if (upgraded.isEmpty()) {
            return SentOnWebSockets.NONE;
        }
        Map<String, List<byte[]>> sent = Map.of();
        try {
            sent = sentOnWebSockets(outcome, upgraded.keySet(), problems);
        } catch (FlowFile.FlowFileException e) {
            problems.add("the WebSocket messages in " + outcome.flowFile() + " could not be read: " + e.getMessage()
                    + " (what the handset sent on them was not searched)");
        }
        for (CapturedFlow f : upgraded.values()) {
            List<byte[]> messages = sent.get(f.id());
            if (messages == null) {
                problems.add("flow " + f.id() + " to " + f.request().scheme() + "://" + f.request().host()
                        + " became a WebSocket, but " + outcome.flowFile() + " does not hold it: its messages were"
                        + " not searched");
                continue;
            }
            for (int n = 0; n < messages.size(); n++) {
                FlowScan scan = detector.inspectMessage(f, ScanTarget.WEBSOCKET, messages.get(n));
                leaks.addAll(scan.findings());
                int message = n;
                scan.damage().forEach(d -> problems.add("flow " + f.id() + " to " + f.request().scheme() + "://"
                        + f.request().host() + ": WebSocket message " + message + " from the handset: " + d.problem()
                        + " (part of what the handset sent could not be searched)"));
            }
        }
        return new SentOnWebSockets(sent);
    }

    /**
     * The messages the handset sent on each of {@code ids}' WebSocket flows, in order, as mitmdump's -w file holds
     * them. A flow the file does not hold has no entry; one it could not read is a problem.
     *
     * @throws FlowFile.FlowFileException when the file cannot be read to its end
     */
    private static Map<String, List<byte[]>> sentOnWebSockets(MitmdumpCapture.Outcome outcome, Set<String> ids,
                                                             List<String> problems) {
        Path file = outcome.flowFile();
        Map<String, List<byte[]>> sent = new LinkedHashMap<>();
        FlowFile.read(file, file.toAbsolutePath().getParent(), FLOW_FILE_READ, new FlowFile.Sink() {
            @Override
            public void flow(int index, CapturedFlow inFile, List<FlowFile.Message> websocket) {
                if (ids.contains(inFile.id())) {
                    sent.put(inFile.id(), websocket.stream().filter(FlowFile.Message::fromClient)
                            .map(FlowFile.Message::content).toList());
                }
            }

            @Override
            public void badFlow(int index, String problem) {
                problems.add(file + ": flow " + index + " could not be read: " + problem + " (if it is a WebSocket"
                        + " flow, what the handset sent on it was not searched)");
            }
        });
        return sent;
    }

    /** The connection as a flow, so findings in it name it: id "tap:frame N", its host, http when it spoke HTTP. */
    private static CapturedFlow wireFlow(Connection c, UnobservedConnection u) {
        return new CapturedFlow("tap:frame " + c.firstFrame(), c.start(), c.clientEndpoint(),
                new HttpRequestData("", c.http() ? "http" : u.protocol(), u.host(), u.port(), "", "", List.of(),
                        new byte[0]), Optional.empty(), Optional.empty());
    }

    /** What the handset sent; probes are the lab's own and would make a silent handset look talkative. */
    public static List<CapturedFlow> handsetFlows(MitmdumpCapture.Outcome outcome) {
        return outcome.flows().stream().filter(f -> !CaptureProbe.isProbe(f)).toList();
    }
}
