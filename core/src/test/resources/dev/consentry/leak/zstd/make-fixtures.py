#!/usr/bin/python3
# Regenerates the zstd fixtures of ZstdTest with a real encoder: Debian bookworm's `zstd` CLI 1.5.4 (the reference C
# library). Run from this directory: /usr/bin/python3 make-fixtures.py
# telemetry.json: a telemetry-like JSON document (5.5 KB) with the IMEI first and a contact's phone number last.
# Small bodies fit one block; --target-compressed-block-size=300 makes the encoder end blocks early, as a streaming
# sender flushing as it goes does, so cuts between and inside blocks can be tried.
import json
import random
import subprocess

r = random.Random(7)
events = [{"t": 1712000000 + 37 * i, "screen": r.choice(["home", "setup", "contacts", "cloud"]),
           "dur": r.randint(10, 9000), "ok": r.random() < 0.9} for i in range(100)]
doc = {"device": {"imei": "865123045678901", "model": "Redmi 1S"}, "events": events,
       "contacts": [{"name": "Asha", "tel": "+919812345678"}]}
with open("telemetry.json", "wb") as f:
    f.write(json.dumps(doc, separators=(",", ":")).encode())
# Incompressible bytes around the IMEI: the encoder stores them as a raw block.
with open("binary.bin", "wb") as f:
    f.write(r.randbytes(1500) + b"865123045678901" + r.randbytes(1500))


def zstd(name, args, source, stdin=False):
    cmd = ["zstd", "-q", "-f", "-c"] + args + ([] if stdin else [source])
    with open(source, "rb") as src:
        packed = subprocess.run(cmd, stdin=src if stdin else None, check=True, capture_output=True).stdout
    unpacked = subprocess.run(["zstd", "-q", "-d", "-c"], input=packed, check=True, capture_output=True).stdout
    assert unpacked == open(source, "rb").read()
    with open(name, "wb") as f:
        f.write(packed)
    print(name, len(unpacked), "->", len(packed))


SMALL_BLOCKS = ["--target-compressed-block-size=300"]
# From a file: content size, single segment, checksum.
zstd("blocks-file.zst", SMALL_BLOCKS, "telemetry.json")
# From a pipe: no content size, a window descriptor, checksum.
zstd("blocks-stream.zst", SMALL_BLOCKS, "telemetry.json", stdin=True)
# Strongest level, no checksum.
zstd("blocks-19-nocheck.zst", SMALL_BLOCKS + ["-19", "--no-check"], "telemetry.json")
# Long-distance matching from a pipe: a 128 MB window declared, more than aircompressor 0.27 takes (8 MB).
zstd("long-window-stream.zst", SMALL_BLOCKS + ["--long=27"], "telemetry.json", stdin=True)
# Defaults: the whole document in one compressed block.
zstd("one-block.zst", [], "telemetry.json")
zstd("raw-block.zst", [], "binary.bin")
