"""
Edge-case flow files for FlowFileDifferentialIT, made by mitmproxy 8.1.1 itself (its test factories and FlowWriter,
or its tnetstring.dump of a state it wrote and then altered), run by mitmdump's Python:

    python3 edge_flows.py DIR

native.mitm: HTTP, WebSocket and TCP flows of every shape Debian's mitmdump writes that FlowFile reads itself.
fallback-NAME.mitm: a native flow, one flow FlowFile must hand to mitmproxy (NAME says why), a native flow after it.
"""

import copy
import sys

from mitmproxy import certs, flow, http, io
from mitmproxy.io import tnetstring
from mitmproxy.test import tflow, tutils

T = 1795610855.0013752


def floats(f):
    """tflow's timestamps are ints, which mitmproxy's own reader converts: give it the floats mitmdump writes."""
    for c in (f.client_conn, f.server_conn):
        for a in ("timestamp_start", "timestamp_end", "timestamp_tls_setup", "timestamp_tcp_setup"):
            if getattr(c, a, None) is not None:
                setattr(c, a, float(getattr(c, a)) + 0.25)
    f.timestamp_created = T
    for m in (getattr(f, "request", None), getattr(f, "response", None)):
        if m is not None:
            m.timestamp_start = T + 0.5
            m.timestamp_end = T + 0.75 if m.timestamp_end is not None else None
    if getattr(f, "error", None) is not None:
        f.error.timestamp = T + 1.5
    if getattr(f, "websocket", None) is not None:
        f.websocket.timestamp_end = T + 2.5
        for i, m in enumerate(f.websocket.messages):
            m.timestamp = T + 3 + i
    if getattr(f, "messages", None) is not None:
        for i, m in enumerate(f.messages):
            m.timestamp = T + 4 + i
    return f


def req(**kw):
    return tutils.treq(**kw)


def native_flows():
    out = []
    out.append(floats(tflow.tflow(resp=True)))
    out.append(floats(tflow.tflow(req=req(content=b"", method=b"post"))))
    out.append(floats(tflow.tflow(req=req(content=None))))
    out.append(floats(tflow.tflow(req=req(content=bytes(range(256)) * 3))))
    out.append(floats(tflow.tflow(req=req(headers=http.Headers(((b"X-Bin", b"\xff\xfe\x00"), (b"N\xe9", b"v"),
                                                                 (b"X-Utf8", "h\u00e9\u20ac\U0001F600".encode()),
                                                                 (b"Host", b"Example.COM:8443")))))))
    many = tuple((b"X-H%d" % i, b"v%d" % i) for i in range(300))
    out.append(floats(tflow.tflow(req=req(headers=http.Headers(many + ((b"host", b"many.example"),))))))
    out.append(floats(tflow.tflow(req=req(trailers=http.Headers(((b"X-Trailer", b"t"),))), resp=True)))
    out.append(floats(tflow.tflow(err=True)))
    out.append(floats(tflow.tflow(resp=tutils.tresp(reason=b"Caf\xe9", status_code=599), err=True)))
    out.append(floats(tflow.twebsocketflow()))
    out.append(floats(tflow.ttcpflow()))
    out.append(floats(tflow.tflow(req=req(http_version=b"HTTP/2.0", authority=b"h2.example:8443",
                                          headers=http.Headers(((b"host", b"ignored.example"),))))))
    out.append(floats(tflow.tflow(req=req(http_version=b"HTTP/2.0", authority=b"",
                                          headers=http.Headers(((b"host", b"h2host.example"),))))))
    for host in (b"bad_host..x:80", b"a.b.:80", b"x:99999", b"x:00080", b":80", b"a:b:c", b"host:", b"", b"1.2.3.4",
                 b"-dash-.example", b"a" * 64 + b".example"):
        out.append(floats(tflow.tflow(req=req(headers=http.Headers(((b"Host", host),))))))
    out.append(floats(tflow.tflow(req=req(headers=http.Headers(())))))
    v6 = floats(tflow.tflow())
    v6.client_conn.peername = ("::1", 5000, 0, 0)
    out.append(v6)
    nopeer = floats(tflow.tflow())
    nopeer.client_conn.peername = None
    out.append(nopeer)
    meta = floats(tflow.tflow())
    meta.metadata = {"k": [1, "x", None, {"n": 2.5}]}
    meta.comment = "a comment"
    meta.marked = ":star:"
    meta.is_replay = "request"
    out.append(meta)
    backup = floats(tflow.tflow())
    backup.backup()
    backup.request.path = "/changed"
    out.append(backup)
    return out


def write(path, flows):
    with open(path, "wb") as fo:
        w = io.FlowWriter(fo)
        for f in flows:
            if isinstance(f, dict):
                tnetstring.dump(f, fo)
            else:
                w.add(f)


def main(d):
    write(d + "/native.mitm", native_flows())
    before = floats(tflow.tflow(req=req(path=b"/before")))
    after = floats(tflow.tflow(req=req(path=b"/after")))

    def fallback(name, middle):
        write(d + "/fallback-" + name + ".mitm", [copy.deepcopy(before), middle, copy.deepcopy(after)])

    fallback("int-timestamps", tflow.tflow(resp=True))
    fallback("dns", tflow.tdnsflow(resp=True))
    fallback("path-not-utf8", floats(tflow.tflow(req=req(path=b"/\xff\xfe"))))
    fallback("method-not-ascii", floats(tflow.tflow(req=req(method=b"G\xc3\xa9T"))))
    fallback("two-hosts", floats(tflow.tflow(req=req(headers=http.Headers(((b"Host", b"a"), (b"Host", b"b")))))))
    fallback("idna-host", floats(tflow.tflow(req=req(headers=http.Headers(((b"Host", b"xn--bcher-kva.example"),))))))
    fallback("ipv6-host", floats(tflow.tflow(req=req(headers=http.Headers(((b"Host", b"[::1]:8080"),))))))
    old = floats(tflow.tflow(resp=True)).get_state()
    old["version"] = 16
    old["mode"] = "regular"
    fallback("version-16", old)
    key, ca = certs.create_ca("consentry", "consentry test", 2048)
    good = floats(tflow.tflow(resp=True))
    good.server_conn.certificate_list = [certs.Cert(ca)]
    good.client_conn.mitmcert = certs.Cert(ca)
    bad = good.get_state()
    bad["server_conn"]["certificate_list"] = [b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
    fallback("bad-certificate", bad)
    extra = floats(tflow.tflow()).get_state()
    extra["request"]["unexpected"] = b"x"
    fallback("unexpected-key", extra)
    noerr = floats(tflow.tflow(err=True)).get_state()
    del noerr["error"]["timestamp"]
    fallback("missing-key", noerr)
    write(d + "/certificates.mitm", [before, good, after])
    ws = floats(tflow.twebsocketflow()).get_state()
    ws["websocket"]["messages"][0] = (9,) + tuple(ws["websocket"]["messages"][0][1:])
    fallback("ws-opcode", ws)
    huge = floats(tflow.tflow()).get_state()
    huge["request"]["timestamp_start"] = 1e300
    fallback("huge-timestamp", huge)
    port = floats(tflow.tflow()).get_state()
    port["request"]["port"] = 1 << 40
    fallback("huge-port", port)


if __name__ == "__main__":
    main(sys.argv[1])
