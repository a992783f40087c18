/**
 * Capture through a real mitmdump (Debian's mitmproxy 8.1.1), one per handset and flow.
 *
 * <p>How it fits together: {@link dev.consentry.mitm.MitmdumpCapture} listens on a free loopback port, copies the
 * addon {@code consentry_stream.py} (shipped in the jar from lab/src/main/python) into the capture's work dir and
 * starts {@code mitmdump -s <addon> --set consentry_stream=127.0.0.1:<port>}. The addon connects back once the proxy
 * listens and sends one JSON line per completed flow, per client TLS failure, a hello first and a goodbye last (the
 * format is documented at the top of the addon). Ready means: hello received and the proxy port accepts.
 *
 * <p>Sink mode ({@code withSink}): the addon records the request exactly as the handset sent it, then changes only
 * its destination to the sink (Host header and body untouched), and puts the original request back before mitmdump
 * writes {@code flows.mitm}. {@code upstream_cert=false} keeps mitmproxy from opening TLS to the real server to copy
 * its certificate. Target names never need DNS: the handset gives them to the proxy (absolute URL or CONNECT).
 *
 * <p>Stopping: SIGTERM, mitmdump runs its shutdown hooks, the addon emits requests still waiting for an answer as
 * flows with an error, then its goodbye with counts that Java checks against what arrived. Anything that makes the
 * result doubtful (died, killed, stream broken, counts differ) is listed in {@code Outcome.problems()}.
 *
 * <p>The confdir (lab CA) is shared; a capture that finds no CA there holds a file lock until its mitmdump has
 * created one, so captures starting together cannot each make their own. {@link dev.consentry.mitm.LabCa} reads it.
 */
package dev.consentry.mitm;
