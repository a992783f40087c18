"""
Consentry flow-file converter for mitmproxy 8.1 (Debian bookworm's mitmdump).

    mitmdump -nr FLOWS -s consentry_flowjson.py --set consentry_flowjson=OUT.jsonl

Writes one JSON object per HTTP flow of a `mitmdump -w` file, in file order, in the "flow" line format of
consentry_stream.py (so dev.consentry.mitm.StreamParser reads it), plus:
  "index":     0-based position of the flow among the file's HTTP flows
  "websocket": [{"from_client": bool, "content_b64": str}, ...] the flow's WebSocket messages, or null
A flow is written when mitmproxy replays its response or error, or at the end for a request that had neither.
mitmdump itself reads the file, so every flow-file version mitmproxy 8.1 can read is supported.
"""

import base64
import json
from typing import Optional

from mitmproxy import ctx, http


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def _headers(headers) -> list:
    return [[_text(k), _text(v)] for k, v in headers.fields]


def _b64(raw: Optional[bytes]) -> str:
    return base64.b64encode(raw or b"").decode("ascii")


class FlowJson:
    def __init__(self) -> None:
        self.out = None
        self.index = {}
        self.pending = {}

    def load(self, loader) -> None:
        loader.add_option("consentry_flowjson", str, "", "write the flows as JSON lines to this file")

    def configure(self, updated) -> None:
        if "consentry_flowjson" in updated and ctx.options.consentry_flowjson:
            self.out = open(ctx.options.consentry_flowjson, "w", encoding="ascii")

    def request(self, flow: http.HTTPFlow) -> None:
        if flow.id not in self.index:
            self.index[flow.id] = len(self.index)
            self.pending[flow.id] = flow

    def response(self, flow: http.HTTPFlow) -> None:
        self._write(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._write(flow)

    def done(self) -> None:
        for flow in list(self.pending.values()):
            self._write(flow)
        if self.out:
            self.out.close()

    def _write(self, flow: http.HTTPFlow) -> None:
        if self.out is None or self.pending.pop(flow.id, None) is None:
            return
        req = flow.request
        resp = flow.response
        ws = None
        if getattr(flow, "websocket", None) is not None:
            ws = [{"from_client": m.from_client, "content_b64": _b64(m.content)} for m in flow.websocket.messages]
        line = {
            "type": "flow", "id": flow.id, "index": self.index[flow.id],
            "started": req.timestamp_start,
            "client": "%s:%s" % tuple(flow.client_conn.peername[:2]) if flow.client_conn.peername else "",
            "request": {"method": req.method, "scheme": req.scheme, "host": req.pretty_host, "port": req.port,
                        "authority": req.authority, "path": req.path, "http_version": req.http_version,
                        "headers": _headers(req.headers), "body_b64": _b64(req.raw_content),
                        "timestamp_start": req.timestamp_start},
            "response": None if resp is None else {
                "status": resp.status_code, "reason": resp.reason, "http_version": resp.http_version,
                "headers": _headers(resp.headers), "body_b64": _b64(resp.raw_content)},
            "error": flow.error.msg if flow.error else None,
            "redirected_to": None,
            "websocket": ws,
        }
        self.out.write(json.dumps(line) + "\n")


addons = [FlowJson()]
