#!/usr/bin/env python3
"""Host test of tools/lib/bench_report.py: medians and ratios, n/a rows
with their reason (a guest that cannot be measured yet must never break
the table), the JSON record, and the PNG when gnuplot is installed.

    test_bench_report.py TOOLS_LIB_DIR
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, sys.argv[1])
import bench_report as R  # noqa: E402

failed = 0


def check(cond, what):
    global failed
    if not cond:
        failed += 1
        print(f"FAIL: {what}")


meta = {"linux_kernel": "6.1", "nginx": "1.22", "accel": "tcg", "mem": 512, "pairs": 3,
        "quick": True, "synack_commit": "abc", "date": "2026-01-01 00:00"}
keys = ["ping", "wrk64", "echo"]
results = {"virtio": {
    "ping": {"synack": {"runs": [0.3, 0.1, 0.2], "notes": []},
             "linux": {"runs": [0.4, 0.4, 0.5], "notes": []}},
    "wrk64": {"synack": {"runs": [], "notes": ["synack does not serve HTTP yet"] * 3},
              "linux": {"runs": [2000.0, 2200.0, 2100.0], "notes": []}},
    "echo": {"synack": {"runs": [], "notes": []},
             "linux": {"runs": [], "notes": ["linux: TCP echo returned no data"]}},
}}

check(R.summarize(results["virtio"]["ping"]["synack"]) == (0.2, None), "median")
check(abs(R.ratio(results, "virtio", "ping") - 0.5) < 1e-9, "ratio 0.2/0.4")
check(R.ratio(results, "virtio", "wrk64") is None, "no ratio without synack")
text = R.table(meta, results, keys)
rows = text.splitlines()
check(len(rows) == 2 + len(keys), "one row per metric")
check("n/a: synack does not serve HTTP yet" in rows[3], "HTTP reason in the wrk64 row")
check("2,100" in rows[3], "Linux median shown beside n/a")
check("not measured" in rows[4] and "TCP echo returned no data" in rows[4], "echo reasons")
check("0.50" in rows[2], "ratio printed")

with tempfile.TemporaryDirectory() as tmp:
    made = R.save(tmp, "x", meta, results, keys, text)
    data = json.load(open(os.path.join(tmp, "latest.json")))
    cell = data["results"]["virtio"]["wrk64"]
    check(cell["synack"]["median"] is None and cell["ratio"] is None, "JSON n/a cell")
    check(cell["linux"]["median"] == 2100.0, "JSON median")
    check(data["metrics"]["ping"]["lower_is_better"] is True, "JSON metric direction")
    if shutil.which("gnuplot"):
        png = os.path.join(tmp, "latest.png")
        check(os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
              "PNG written")
    check(all(os.path.exists(p) for p in made), "files exist")

print(f"{failed} failed")
sys.exit(1 if failed else 0)
