"""
Consentry flow-file reader for mitmproxy 8.1 (Debian bookworm's python3-mitmproxy), run by mitmdump's own Python:

    python3 consentry_flowread.py FLOWS [OFFSET INDEX]

Reads a `mitmdump -w` file with mitmproxy's own mitmproxy.io.FlowReader (so every flow-file version mitmproxy can
read, migrated as mitmdump would, and nothing else) and writes one JSON line per HTTP flow to stdout, in file order,
in the "flow" line format of consentry_stream.py (dev.consentry.mitm.StreamParser), except that what is never a leak
is left out: response bodies ("body_b64" absent) and WebSocket messages from the server. Plus:
  "index":     0-based position of the flow among the file's HTTP flows
  "websocket": [{"from_client": true, "content_b64": str}, ...] the handset's WebSocket messages, or null
A flow that cannot be converted gives {"type": "bad_flow", "index": i, "error": str} and the reading goes on. A file
that stops being readable (corrupt, truncated) ends with
  {"type": "read_error", "index": i, "offset": byte offset where flow i starts, "error": str}
and exit status 3. Without mitmproxy's Python modules: a message on stderr and exit status 4.
No replay, no addons, no event loop: mitmdump's replay machinery costs more than the reading itself.
With OFFSET and INDEX it starts at byte OFFSET, where flow INDEX (counting HTTP flows) begins: dev.consentry.mitm.FlowFile
reads the flows before it itself and hands mitmproxy the rest from the first flow it does not read for certain.
"""

import base64
import json
import sys

try:
    from mitmproxy import exceptions, http, io
except ImportError as e:  # not mitmdump's Python, or no mitmproxy package
    sys.stderr.write("cannot import mitmproxy (%s) with %s\n" % (e, sys.executable))
    sys.exit(4)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def _headers(headers) -> list:
    return [[_text(k), _text(v)] for k, v in headers.fields]


def _line(flow: http.HTTPFlow, index: int) -> dict:
    req = flow.request
    resp = flow.response
    ws = None
    if flow.websocket is not None:
        ws = [{"from_client": True, "content_b64": base64.b64encode(m.content).decode("ascii")}
              for m in flow.websocket.messages if m.from_client]
    peer = flow.client_conn.peername
    return {
        "type": "flow", "id": flow.id, "index": index,
        "started": req.timestamp_start,
        "client": "%s:%s" % tuple(peer[:2]) if peer else "",
        "request": {"method": req.method, "scheme": req.scheme, "host": req.pretty_host, "port": req.port,
                    "authority": req.authority, "path": req.path, "http_version": req.http_version,
                    "headers": _headers(req.headers),
                    "body_b64": base64.b64encode(req.raw_content or b"").decode("ascii"),
                    "timestamp_start": req.timestamp_start},
        "response": None if resp is None else {
            "status": resp.status_code, "reason": resp.reason, "http_version": resp.http_version,
            "headers": _headers(resp.headers)},
        "error": flow.error.msg if flow.error else None,
        "websocket": ws,
    }


def main(path: str, offset: int = 0, index: int = 0) -> int:
    out = sys.stdout
    with open(path, "rb") as f:
        f.seek(offset)
        start = offset
        try:
            for flow in io.FlowReader(f).stream():
                if isinstance(flow, http.HTTPFlow):
                    try:
                        line = json.dumps(_line(flow, index))
                    except Exception as e:  # a flow mitmproxy read but with fields this reader cannot convert
                        line = json.dumps({"type": "bad_flow", "index": index, "error": "%s: %s" % (
                            type(e).__name__, e)})
                    out.write(line)
                    out.write("\n")
                    index += 1
                start = f.tell()
        except (exceptions.FlowReadException, OSError, ValueError, TypeError, KeyError, IndexError,
                AttributeError) as e:
            out.write(json.dumps({"type": "read_error", "index": index, "offset": start,
                                  "error": "%s: %s" % (type(e).__name__, e)}))
            out.write("\n")
            out.flush()
            return 3
    out.flush()
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4):
        sys.stderr.write("usage: consentry_flowread.py FLOWS [OFFSET INDEX]\n")
        sys.exit(2)
    sys.stdout = open(sys.stdout.fileno(), "w", encoding="ascii", buffering=1 << 20, closefd=False)
    sys.exit(main(sys.argv[1], *(int(a) for a in sys.argv[2:])))
