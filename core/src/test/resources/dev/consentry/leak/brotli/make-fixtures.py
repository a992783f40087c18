#!/usr/bin/python3
# Regenerates the brotli fixtures of BrotliTest with a real encoder: Debian bookworm's python3-brotli 1.0.9 (Google's
# C library, the encoder behind the `brotli` CLI). Run from this directory: /usr/bin/python3 make-fixtures.py
# One telemetry-like JSON document per canary of TransformTableTest.EVERY_KIND (the value first, then 40 events),
# compressed at quality 11 (kind-<kind>.br), plus the IMEI's at other qualities and windows and a short one.
# Also brotli over a gzip stream, for bodies declaring two codings.
import brotli
import gzip
import json
import random

KINDS = {"imei": "865123045678901", "imsi": "404451234567890", "iccid": "8991101200003204514",
         "phone_number": "+919876500001", "contact_phone": "+919812345678",
         "contact_email": "Kiran.Canary@Example.org", "contact_name": "Canary Asha 4821",
         "android_id": "3f1a9c20d84e7b65", "serial": "Rk3a9X02", "wifi_mac": "A4:5E:60:C1:02:9F",
         "advertising_id": "38400000-8cf0-11bd-b23e-10b96e40000d", "account_email": "asha.owner@example.com",
         "location": "12.97159,77.59457"}


def telemetry(kind, value, seed):
    r = random.Random(seed)
    events = [{"t": 1712000000 + 37 * i, "screen": r.choice(["home", "setup", "contacts", "cloud"]),
               "dur": r.randint(10, 9000), "ok": r.random() < 0.9} for i in range(40)]
    return json.dumps({"device": {kind: value, "model": "Redmi 1S", "build": "KTU84P"}, "events": events},
                      separators=(",", ":")).encode()


def write(name, data, quality, lgwin=22):
    packed = brotli.compress(data, quality=quality, lgwin=lgwin)
    assert brotli.decompress(packed) == data
    with open(name, "wb") as f:
        f.write(packed)
    print(name, len(data), "->", len(packed))


for i, (kind, value) in enumerate(KINDS.items()):
    write("kind-%s.br" % kind, telemetry(kind, value, i), 11)
write("imei-q5.br", telemetry("imei", KINDS["imei"], 99), 5)
write("imei-short.br", b'{"imei":"865123045678901","t":1712000000}', 11)
# Other encoder settings: the fastest quality (several meta-blocks, not last), and small and large windows.
write("imei-q0.br", telemetry("imei", KINDS["imei"], 98), 0)
write("imei-q2-w10.br", telemetry("imei", KINDS["imei"], 97), 2, 10)
write("imei-q9-w16.br", telemetry("imei", KINDS["imei"], 96), 9, 16)
write("imei-q11-w24.br", telemetry("imei", KINDS["imei"], 95), 11, 24)

# Content-Encoding "gzip, br": gzip applied first, brotli last (MultiCodingTest), whole and with the gzip cut at 60%.
gzipped = gzip.compress(telemetry("imei", KINDS["imei"], 94), mtime=0)
write("imei-gzip-br.br", gzipped, 11)
write("imei-gzip-cut-br.br", gzipped[:len(gzipped) * 6 // 10], 11)
