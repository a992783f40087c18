"""
Consentry certificate check for dev.consentry.mitm.FlowFile, run by mitmdump's own Python:

    python3 consentry_certcheck.py

Answers, for each PEM it is sent, whether mitmproxy 8.1's own Cert.from_state loads it, as FlowReader does for every
certificate in a flow's client_conn and server_conn. Java reads the flows; only this decision is mitmproxy's.
Input: a 4-byte big-endian length, then that many bytes, repeated. Output: one byte per PEM, "1" loads, "0" does not.
Without mitmproxy's Python modules: a message on stderr and exit status 4.
"""

import struct
import sys

try:
    from mitmproxy import certs
except ImportError as e:  # not mitmdump's Python, or no mitmproxy package
    sys.stderr.write("cannot import mitmproxy (%s) with %s\n" % (e, sys.executable))
    sys.exit(4)


def main() -> int:
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    while True:
        head = inp.read(4)
        if len(head) < 4:
            return 0
        (length,) = struct.unpack(">I", head)
        pem = inp.read(length)
        try:
            certs.Cert.from_state(pem)
            out.write(b"1")
        except Exception:  # whatever it raises, FlowReader would not have read the flow: mitmproxy decides
            out.write(b"0")
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
