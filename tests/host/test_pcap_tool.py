#!/usr/bin/env python3
"""tools/pcap on a real synack pcap stream (written by test_net_core_pcap
--dump): a capture from boot comes out byte for byte; one that starts
mid-record, stops mid-record, spans two boots, or has junk in the middle
comes out as valid pcap holding exactly the whole records; tshark reads
the result when it is installed.

Usage: test_pcap_tool.py TOOL TEST_EXECUTABLE
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def parse(blob):
    """Strict pcap parser: (snaplen, [record bytes]) or raises."""
    magic, major, minor, _, _, snap, link = struct.unpack_from("<IHHiIII", blob, 0)
    assert (magic, major, minor, link) == (0xA1B2C3D4, 2, 4, 1), "global header"
    off, recs = 24, []
    while off < len(blob):
        assert off + 16 <= len(blob), "record header cut"
        _, usec, incl, orig = struct.unpack_from("<IIII", blob, off)
        assert usec < 1000000 and 0 < incl <= min(orig, snap), "record header"
        assert off + 16 + incl <= len(blob), "record data cut"
        recs.append(blob[off:off + 16 + incl])
        off += 16 + incl
    return snap, recs


def run_tool(tool, tmp, name, data):
    src = os.path.join(tmp, name)
    with open(src, "wb") as f:
        f.write(data)
    out = src + ".pcap"
    subprocess.run([sys.executable, tool, "-o", out, src], check=False,
                   stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return out, f.read()


def main(tool, exe):
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "stream.raw")
        subprocess.run([exe, "--dump", raw], check=True, stdout=subprocess.DEVNULL)
        with open(raw, "rb") as f:
            stream = f.read()
        _, recs = parse(stream)
        check(len(recs) == 20, "20 records in the dump")
        offs = [24]
        for r in recs:
            offs.append(offs[-1] + len(r))

        out, blob = run_tool(tool, tmp, "boot", stream)
        check(blob == stream, "from-boot capture is copied unchanged")
        pcaps = [out]

        cases = {
            "midstream": (stream[offs[3] + 7:], recs[4:]),
            "cut-tail": (stream[:offs[19] + 30], recs[:19]),
            "two-boots": (stream + stream, recs + recs),
            "junk": (stream[:offs[10]] + b"\x00junk\xff" * 5 + stream[offs[10]:], recs),
            "mid-and-cut": (stream[offs[5] + 1:offs[15] - 1], recs[6:14]),
            "short": (stream[offs[1] + 5:offs[4] + 20], recs[2:4]),
        }
        for name, (data, want) in cases.items():
            out, blob = run_tool(tool, tmp, name, data)
            try:
                _, got = parse(blob)
            except AssertionError as e:
                check(False, "%s: output is not valid pcap (%s)" % (name, e))
                continue
            check(got == want, "%s: %d records, want %d" % (name, len(got), len(want)))
            pcaps.append(out)

        tshark = shutil.which("tshark")
        if tshark:
            for p in pcaps:
                r = subprocess.run([tshark, "-r", p], capture_output=True, text=True)
                check(r.returncode == 0, "tshark reads %s: %s" % (p, r.stderr.strip()))
        else:
            print("tshark not installed: skipped reading with tshark")
    print("pcap tool: %d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
