"""
Consentry capture addon for mitmproxy 8.1 (Debian bookworm's mitmdump).

Streams every completed HTTP flow, and every client-side TLS handshake failure, to the Java capture
(dev.consentry.mitm.MitmdumpCapture) as one JSON object per line over a TCP connection the addon opens to
--set consentry_stream=HOST:PORT. In sink mode (--set consentry_sink=HOST:PORT) each request is sent to the sink
instead of its real destination; what is recorded is always the request exactly as the handset sent it.

Stream format, version 1 (ASCII JSON, one object per line, "type" first):
  hello        {"type":"hello","v":1,"mitmproxy":"8.1.1","pid":..,"listen":["127.0.0.1:8080"],"sink":"h:p"|null}
  flow         {"type":"flow","id":uuid,"started":epoch_s,"client":"ip:port","request":{..},"response":{..}|null,
                "error":str|null,"redirected_to":"h:p"|null}
               request:  method, scheme, host, port, authority, path, http_version,
                         destination "ip:port" (transparent mode only: where the connection went; host and port
                         are then the Host header's, or the SNI's),
                         headers [[name, value], ...] (wire order, duplicates kept), body_b64 (raw, still
                         content-encoded), timestamp_start
               response: status, reason, http_version, headers, body_b64
  tls_failure  {"type":"tls_failure","client":"ip:port","sni":str|null,"host":str|null,"port":int|null,
                "time":epoch_s,"error":str}
  bye          {"type":"bye","flows":N,"tls_failures":M,"lost":L}   sent from the `done` hook, last line
Header names and values are decoded as UTF-8, or as ISO-8859-1 when they are not valid UTF-8 (then every byte
survives as one char).

Failure policy: if the connection to Java breaks, the addon never raises into mitmproxy (that would only disable
the addon, or stall the proxy); it logs loudly to stderr (mitmdump's log) for every flow it cannot deliver and
counts it. The flows are still in the -w file. Java sees the broken socket and marks the capture unhealthy.
"""

import base64
import json
import os
import socket
import sys
import time
from typing import Optional

from mitmproxy import ctx, exceptions, http, tls, version
from mitmproxy.net.http import url

STREAM_VERSION = 1
# Loopback only: a peer that does not read for this long is treated as gone rather than stalling the proxy.
SEND_TIMEOUT_S = 10.0
STOPPED_BEFORE_COMPLETION = "capture stopped before the flow completed"


def _host_port(option: str, value: str) -> Optional[tuple[str, int]]:
    if not value:
        return None
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise exceptions.OptionsError(f"{option}: expected HOST:PORT, got {value!r}")
    return host.strip("[]"), int(port)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def _headers(headers) -> list:
    # .fields is the raw (name, value) byte pairs in wire order, duplicates included.
    return [[_text(name), _text(value)] for name, value in headers.fields]


def _address(addr) -> Optional[str]:
    if not addr:
        return None
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _b64(raw: Optional[bytes]) -> str:
    return base64.b64encode(raw or b"").decode("ascii")


def _request(req: http.Request) -> dict:
    return {
        "method": _text(req.data.method),
        "scheme": _text(req.data.scheme),
        "host": req.data.host,
        "port": req.data.port,
        "authority": _text(req.data.authority),
        "path": _text(req.data.path),
        "http_version": _text(req.data.http_version),
        "headers": _headers(req.headers),
        "body_b64": _b64(req.raw_content),
        "timestamp_start": req.timestamp_start,
    }


def _recorded(flow: http.HTTPFlow) -> dict:
    """The request as recorded. In transparent mode mitmproxy sets host/port to the connection's original
    destination (an IP address, from SO_ORIGINAL_DST); what the handset meant is the Host header, or the TLS SNI
    when there is none. That name is recorded as host, and the address as "destination"."""
    req = _request(flow.request)
    if ctx.options.mode != "transparent":
        return req
    destination = (flow.request.data.host, flow.request.data.port)
    req["destination"] = _address(destination)
    name, port = None, None
    if flow.request.host_header:
        try:
            name, port = url.parse_authority(flow.request.host_header, check=False)
        except ValueError:
            name = None
    if not name and flow.client_conn and flow.client_conn.sni:
        name = flow.client_conn.sni
    if name:
        req["host"] = name
        req["port"] = port or destination[1]
    return req


def _response(resp: Optional[http.Response]) -> Optional[dict]:
    if resp is None:
        return None
    return {
        "status": resp.status_code,
        "reason": _text(resp.data.reason),
        "http_version": _text(resp.data.http_version),
        "headers": _headers(resp.headers),
        "body_b64": _b64(resp.raw_content),
    }


def _loud(message: str) -> None:
    # stderr goes to mitmdump's log file even when mitmproxy's own logging is what failed.
    print(f"CONSENTRY STREAM: {message}", file=sys.stderr, flush=True)


class ConsentryStream:
    def __init__(self) -> None:
        self.stream_to: Optional[tuple[str, int]] = None
        self.sink: Optional[tuple[str, int]] = None
        self.sock: Optional[socket.socket] = None
        self.broken: Optional[str] = None
        # flow id -> (request as sent, recorded in `request`; the untouched request, restored for -w; client)
        self.pending: dict[str, tuple[dict, Optional[http.Request], Optional[str]]] = {}
        self.emitted: set[str] = set()
        self.flows = 0
        self.tls_failures = 0
        self.lost = 0

    def load(self, loader) -> None:
        loader.add_option("consentry_stream", str, "",
                          "HOST:PORT where the Java capture listens for this addon's JSON-line stream.")
        loader.add_option("consentry_sink", str, "",
                          "HOST:PORT of the sink; when set, every request goes there instead of its destination.")

    def configure(self, updated) -> None:
        if "consentry_sink" in updated:
            self.sink = _host_port("consentry_sink", ctx.options.consentry_sink)
        if "consentry_stream" in updated:
            self.stream_to = _host_port("consentry_stream", ctx.options.consentry_stream)

    def running(self) -> None:
        # Connect once the proxy is listening, so hello can report the real port (mitmdump may pick it: port 0).
        if self.stream_to is None:
            _loud("consentry_stream is not set: nothing will be streamed")
            return
        try:
            self.sock = socket.create_connection(self.stream_to, timeout=SEND_TIMEOUT_S)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as e:
            self._break(f"cannot connect to Java at {_address(self.stream_to)}: {e}")
            return
        self._send({"type": "hello", "v": STREAM_VERSION, "mitmproxy": version.VERSION, "pid": os.getpid(),
                    "listen": self._listening(), "sink": _address(self.sink)})

    @staticmethod
    def _listening() -> list:
        server = getattr(ctx.master.addons.get("proxyserver"), "tcp_server", None)
        if server is None:
            return []
        return [_address(s.getsockname()) for s in server.sockets]

    def request(self, flow: http.HTTPFlow) -> None:
        if flow.request.method == "CONNECT":
            return
        original = flow.request.copy() if self.sink else None
        client = _address(flow.client_conn.peername) if flow.client_conn else None
        self.pending[flow.id] = (_recorded(flow), original, client)
        if self.sink:
            # Only where it goes changes: setting .data avoids the setters, which would rewrite Host/authority.
            flow.request.data.scheme = b"http"
            flow.request.data.host = self.sink[0]
            flow.request.data.port = self.sink[1]
            flow.metadata["consentry_redirected_to"] = _address(self.sink)

    def response(self, flow: http.HTTPFlow) -> None:
        self._complete(flow, None)

    def error(self, flow: http.HTTPFlow) -> None:
        self._complete(flow, flow.error.msg if flow.error else "unknown error")

    def tls_failed_client(self, data: tls.TlsData) -> None:
        client = data.context.client
        server = data.context.server.address if data.context.server else None
        self.tls_failures += 1
        self._send({"type": "tls_failure", "client": _address(client.peername), "sni": client.sni,
                    "host": server[0] if server else None, "port": server[1] if server else None,
                    "time": time.time(), "error": client.error or "TLS handshake failed"})

    def done(self) -> None:
        # Requests the handset sent whose answer never came still are what left the handset.
        for flow_id, (request, _, client) in list(self.pending.items()):
            self._emit(flow_id, request, None, STOPPED_BEFORE_COMPLETION, _address(self.sink), client)
        self._send({"type": "bye", "flows": self.flows, "tls_failures": self.tls_failures, "lost": self.lost})
        if self.lost:
            _loud(f"{self.lost} flow(s) did not reach Java; they are only in the -w flow file")
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_WR)
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def _complete(self, flow: http.HTTPFlow, error: Optional[str]) -> None:
        if flow.request.method == "CONNECT" or flow.id in self.emitted:
            return
        request, original, _ = self.pending.get(flow.id, (None, None, None))
        if request is None:
            # `request` never fired (the handset gave up mid-request): nothing was redirected, record what came.
            request = _recorded(flow)
        if original is not None:
            # So the -w file (written by the save addon after this hook) holds the request as the handset sent it.
            flow.request = original
        client = _address(flow.client_conn.peername) if flow.client_conn else None
        redirected = flow.metadata.get("consentry_redirected_to")
        self._emit(flow.id, request, _response(flow.response) if error is None else None, error, redirected, client)

    def _emit(self, flow_id: str, request: dict, response: Optional[dict], error: Optional[str],
              redirected: Optional[str], client: Optional[str]) -> None:
        self.pending.pop(flow_id, None)
        if flow_id in self.emitted:
            return
        self.emitted.add(flow_id)
        self.flows += 1
        self._send({"type": "flow", "id": flow_id, "started": request["timestamp_start"], "client": client,
                    "request": request, "response": response, "error": error, "redirected_to": redirected})

    def _send(self, message: dict) -> None:
        line = json.dumps(message, separators=(",", ":"), ensure_ascii=True) + "\n"
        if self.sock is None or self.broken:
            if message["type"] != "bye":
                self.lost += message["type"] in ("flow", "tls_failure")
                _loud(f"NOT DELIVERED ({self.broken or 'not connected'}): {line[:300].rstrip()}")
            return
        try:
            self.sock.sendall(line.encode("ascii"))
        except OSError as e:
            self._break(f"connection to Java lost: {e}")
            self.lost += message["type"] in ("flow", "tls_failure")
            _loud(f"NOT DELIVERED: {line[:300].rstrip()}")

    def _break(self, reason: str) -> None:
        self.broken = reason
        _loud(f"BROKEN: {reason}")
        try:
            ctx.log.error(f"consentry_stream: {reason}")
        except Exception:  # the log itself must not take the proxy down either
            pass
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


addons = [ConsentryStream()]
