"""tools/bench output: the metric list, medians and ratios, the printed
table, the JSON record and the PNG chart (gnuplot, one panel per metric:
synack and Linux medians side by side for each NIC, the ratio in the
panel's title).
"""
import json
import os
import shutil
import statistics
import subprocess

# key: (label, unit, lower_is_better)
METRICS = {
    "ping": ("ping RTT median", "ms", True),
    "wrk1": ("wrk keep-alive, 1 conn", "req/s", False),
    "wrk64": ("wrk keep-alive, 64 conns", "req/s", False),
    "close": ("new conn per request (ab -c 16)", "req/s", False),
    "bulk": ("curl bulk download", "MB/s", False),
    "bulkcpu": ("QEMU CPU time per GiB of that download", "s", True),
    "echo": ("TCP echo (port 7)", "MB/s", False),
    "start": ("QEMU start to first HTTP 200", "ms", True),
    "ready": ("QEMU start to ready line", "ms", True),
    "boot": ("first instruction to ready (TSC)", "ms", True),
    "image": ("kernel image (synack loaded, linux bzImage)", "KiB", True),
    "text": ("kernel .text, uncompressed", "KiB", True),
    "minmem": ("smallest -m serving HTTP", "MiB", True),
}
GUESTS = ("synack", "linux")


def summarize(cell):
    """cell = {"runs": [...], "notes": [...]} -> (median or None, note)."""
    runs = cell.get("runs", [])
    if runs:
        return statistics.median(runs), None
    notes = cell.get("notes", [])
    return None, (max(set(notes), key=notes.count) if notes else "not measured")


def ratio(results, nic, key):
    s, _ = summarize(results[nic][key]["synack"])
    l, _ = summarize(results[nic][key]["linux"])
    return s / l if s is not None and l else None


def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:.3g}" if v < 10 else f"{v:,.0f}"


def row_name(key):
    label, unit, lower = METRICS[key]
    return f"{label} ({unit}, {'lower' if lower else 'higher'} is better)"


def table(meta, results, keys):
    width = max(len(row_name(k)) for k in keys)
    lines = [f"synack vs Linux {meta['linux_kernel']} + nginx {meta['nginx']}: "
             f"accel {meta['accel']}, 1 vCPU, -m {meta['mem']}, "
             f"{meta['pairs']} pairs A B A B{' (--quick)' if meta['quick'] else ''}, "
             f"synack {meta['synack_commit']}, {meta['date']}",
             f"{'metric':{width}s} {'nic':7s} {'synack':>10s} {'linux':>10s} {'synack/linux':>13s}  note"]
    for nic in results:
        for key in keys:
            s, snote = summarize(results[nic][key]["synack"])
            l, lnote = summarize(results[nic][key]["linux"])
            r = ratio(results, nic, key)
            notes = [f"n/a: {n}" for n in (snote, lnote) if n]
            lines.append(f"{row_name(key):{width}s} {nic:7s} {fmt(s):>10s} {fmt(l):>10s} "
                         f"{(f'{r:.2f}' if r is not None else '-'):>13s}  {'; '.join(notes)}")
    return "\n".join(lines)


def write_json(path, meta, results, keys):
    out = {"meta": meta, "metrics": {k: dict(zip(("label", "unit", "lower_is_better"),
                                                 METRICS[k])) for k in keys},
           "results": {}}
    for nic in results:
        out["results"][nic] = {}
        for key in keys:
            row = {}
            for g in GUESTS:
                med, note = summarize(results[nic][key][g])
                row[g] = dict(results[nic][key][g], median=med, note=note)
            row["ratio"] = ratio(results, nic, key)
            out["results"][nic][key] = row
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def _gp_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_png(path, meta, results, keys):
    """One gnuplot panel per metric; returns False if gnuplot is missing."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return False
    nics = list(results)
    cols = min(4, len(keys))
    rows = (len(keys) + cols - 1) // cols
    gp = [f"set terminal pngcairo size {360 * cols},{300 * rows + 40} font 'sans,9'",
          f"set output {_gp_str(path)}",
          "set style data histogram", "set style histogram cluster gap 1",
          "set style fill solid 0.85 border -1", "set boxwidth 0.9",
          "set datafile missing '?'", "set key top left font 'sans,8'",
          "set yrange [0:*]", "set grid ytics", "set offsets 0,0,graph 0.35,0",
          f"set multiplot layout {rows},{cols} title "
          + _gp_str(f"synack vs Linux {meta['linux_kernel']} (nginx {meta['nginx']}): "
                    f"accel {meta['accel']}, 1 vCPU, -m {meta['mem']}, medians of "
                    f"{meta['pairs']} A/B pairs, {meta['date']}")]
    for key in keys:
        label, unit, lower = METRICS[key]
        ratios = []
        gp.append(f"$d_{key} << EOD")
        for nic in nics:
            s, _ = summarize(results[nic][key]["synack"])
            l, _ = summarize(results[nic][key]["linux"])
            r = ratio(results, nic, key)
            ratios.append(f"{nic} {r:.2f}" if r is not None else f"{nic} n/a")
            gp.append(f"{nic} {s if s is not None else '?'} {l if l is not None else '?'} "
                      f"{s or 0} {l or 0} {fmt(s).replace(',', '')} {fmt(l).replace(',', '')}")
        gp.append("EOD")
        title = (f"{label} ({unit}, {'lower' if lower else 'higher'} better)\\n"
                 f"synack/linux: {', '.join(ratios)}")
        gp.append(f'set title "{title}" font "sans,9"')
        gp.append(f"plot $d_{key} using 2:xtic(1) title 'synack' lc rgb '#d95f02', "
                  f"'' using 3 title 'linux' lc rgb '#7570b3', "
                  f"'' using ($0-0.17):4:6 with labels offset 0,0.7 notitle, "
                  f"'' using ($0+0.17):5:7 with labels offset 0,0.7 notitle")
    gp.append("unset multiplot")
    r = subprocess.run([gnuplot], input="\n".join(gp) + "\n", text=True,
                       capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"gnuplot: {r.stderr.strip()[:300]}")
    return True


def save(resultsdir, stamp, meta, results, keys, text):
    """results/bench-STAMP.{json,png,txt} and copies as results/latest.*"""
    os.makedirs(resultsdir, exist_ok=True)
    base = os.path.join(resultsdir, f"bench-{stamp}")
    write_json(base + ".json", meta, results, keys)
    with open(base + ".txt", "w") as f:
        f.write(text + "\n")
    made = [base + ".json", base + ".txt"]
    if write_png(base + ".png", meta, results, keys):
        made.append(base + ".png")
    for p in made:
        shutil.copyfile(p, os.path.join(resultsdir, "latest" + os.path.splitext(p)[1]))
    return made
