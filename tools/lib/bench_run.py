#!/usr/bin/env python3
"""The measuring part of tools/bench; runs inside the bench network
namespace (tools/bench creates it, with tap0 = 198.18.0.1/24, and deletes
it afterwards).  For each NIC model, boots synack and the Linux guest in
turn (A B A B ..., --pairs pairs), measures each boot, bisects the smallest
-m that still serves, prints the table and saves JSON + PNG in results/.
See tools/bench --help for the options.
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

import bench_clients as C
import bench_guest
import bench_proc
import bench_report
import image_size

HTTP_KEYS = {"wrk1", "wrk64", "close", "bulk", "bulkcpu", "start"}
ORDER = ["ping", "wrk1", "wrk64", "close", "bulk", "bulkcpu", "echo", "start", "ready", "boot", "minmem",
         "image", "text"]
STATIC_KEYS = {"image", "text"}         # properties of the kernel files, not of a boot
BOOT_US = re.compile(rb"synack: ready ip=\S+ .* boot_us=(\d+)")
MEM_STEPS = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 80, 96, 112, 128, 160, 192, 256, 384, 512,
             768, 1024]
SYNACK_BULK = "/bytes/1073741824"

FULL = dict(ping=(100, 0.05), wrk_s=10, ab_s=10, ab_max=100000, curl_s=60,
            echo_bytes=64 << 20, echo_s=60)
QUICK = dict(ping=(20, 0.05), wrk_s=3, ab_s=3, ab_max=20000, curl_s=15,
             echo_bytes=8 << 20, echo_s=20)


def default_accel():
    try:
        mods = open("/proc/modules").read()
    except OSError:
        mods = ""
    hw = any(line.startswith(("kvm_intel ", "kvm_amd ")) for line in mods.splitlines())
    return "kvm" if os.path.exists("/dev/kvm") and hw else "tcg"


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="tools/bench", description=__doc__.split("\n")[0])
    ap.add_argument("--nic", choices=["e1000", "virtio", "both"], default="both")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--only", default=",".join(ORDER))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--accel", choices=["tcg", "kvm"], default=default_accel())
    ap.add_argument("-m", "--memory", type=int, default=512, dest="mem")
    ap.add_argument("--results", default="results")
    args = ap.parse_args(argv)
    args.keys = [k for k in ORDER if k in args.only.split(",")]
    unknown = set(args.only.split(",")) - set(ORDER)
    if unknown or not args.keys:
        ap.error(f"--only takes a comma-separated subset of {','.join(ORDER)}")
    if args.pairs < 1:
        ap.error("--pairs must be at least 1")
    args.synack_elf = os.environ["BENCH_SYNACK_ELF"]
    args.rundir = os.environ["BENCH_RUNDIR"]
    env = dict(line.strip().split("=", 1) for line in
               open(os.path.join(os.environ["BENCH_LINUX_DIR"], "guest.env")) if "=" in line)
    args.linux_kernel = env["KERNEL"]
    args.linux_initrd = os.path.join(os.environ["BENCH_LINUX_DIR"], "initramfs.cpio")
    args.guest_env = env
    args.d = QUICK if args.quick else FULL
    return args


def boot(guest, want_http, boot_timeout, http_grace):
    """Starts guest and waits for its ready line and, if want_http, the
    first HTTP 200 on GET /, polled from the ready line on (SYNs sent
    earlier would wait in the TAP queue and flood the guest when its NIC
    comes up; both guests print the line once their servers listen, Linux
    after nginx and socat).  Returns
    (booted, ms from QEMU start to the first 200 or None, note); the ready
    line's time (ms from QEMU start, seen by a 10 ms watcher) is in
    guest.ready_ms."""
    guest.start()
    guest.watch_ready(boot_timeout)
    poll = C.FirstResponse()
    ready_at = None
    deadline = guest.t0 + boot_timeout
    last = None
    try:
        while time.monotonic() < deadline and guest.alive():
            if ready_at is None and guest.ready_ms is not None:
                ready_at = guest.t0 + guest.ready_ms / 1000
                if not want_http:
                    return True, None, None
            if not want_http or ready_at is None:
                time.sleep(0.01)
                continue
            status = poll.step()
            if status == 200:
                return True, (time.monotonic() - guest.t0) * 1000, None
            last = status or last
            if ready_at is not None and time.monotonic() - ready_at > http_grace:
                if last is None:
                    return True, None, f"{guest.name} does not serve HTTP yet"
                return True, None, f"{guest.name} answers GET / with {last}"
    finally:
        poll.close()
    why = "QEMU exited" if not guest.alive() else f"no ready line in {boot_timeout} s"
    return False, None, f"{guest.name} did not boot ({why}, see {guest.log})"


def timeouts(args, name):
    """(boot timeout, seconds after the ready line to wait for HTTP)"""
    slow = args.accel == "tcg"
    if name == "synack":
        return (60 if slow else 20), 5
    return (240 if slow else 60), 20


def bulk(guest, max_seconds):
    """One bulk download: (MB/s, CPU seconds of the whole QEMU process per
    GiB transferred), both from the same transfer."""
    path = SYNACK_BULK
    if guest.name == "linux":
        m = guest.wait_for(bench_guest.BULK_LINE, 1)
        if not m or m.group(1) == b"none":
            raise C.NotAvailable("linux guest made no bulk file (see its log)")
        path = m.group(1).decode()
    cpu0 = C.process_cpu_seconds(guest.proc.pid)
    mbps, size = C.curl_bulk(path, max_seconds)
    cpu = C.process_cpu_seconds(guest.proc.pid) - cpu0
    return mbps, cpu / (size / 2**30)


def measure(args, guest, key):
    d = args.d
    if key == "ping":
        return C.ping_rtt_ms(*d["ping"])
    if key == "wrk1":
        return C.wrk_rps(1, d["wrk_s"])
    if key == "wrk64":
        return C.wrk_rps(64, d["wrk_s"])
    if key == "close":
        return C.ab_close_rps(16, d["ab_s"], d["ab_max"])
    if key in ("bulk", "bulkcpu"):
        if guest.bulk is None:
            guest.bulk = bulk(guest, d["curl_s"])
        return guest.bulk[0 if key == "bulk" else 1]
    if key == "echo":
        if not C.tcp_port_open(7):
            raise C.NotAvailable(f"{guest.name} does not serve TCP echo yet")
        return C.echo_mbps(d["echo_bytes"], d["echo_s"])
    raise ValueError(key)


def one_run(args, name, nic, cells, tag):
    """One boot of one guest: every selected per-boot measurement."""
    keys = [k for k in args.keys if k != "minmem" and k not in STATIC_KEYS]
    guest = bench_guest.Guest(name, args, nic, args.mem, args.rundir, tag)
    bt, grace = timeouts(args, name)
    try:
        ok, first200, note = boot(guest, bool(HTTP_KEYS & set(keys)), bt, grace)
        if ok and guest.ready_ms is None:
            guest.wait_for(bench_guest.READY[name], 10)
        if ok and name == "linux":
            # /init writes the bulk file after its ready line: wait for it
            # to finish so it does not load the guest during measurements.
            guest.wait_for(bench_guest.BULK_LINE, 120)
        shown = []
        for key in keys:
            cell = cells[key][name]
            if not ok or (key in HTTP_KEYS and first200 is None):
                cell["notes"].append(note)
                shown.append(f"{key} n/a")
                continue
            if key == "start":
                cell["runs"].append(round(first200, 1))
                shown.append(f"start {first200:.0f} ms")
                continue
            if key == "boot":
                us = guest_boot_us(guest)
                if us is None:
                    cell["notes"].append(f"{name} printed no boot_us" if name == "synack"
                                         else "linux: no TSC stamp at its first instruction")
                    shown.append("boot n/a")
                else:
                    cell["runs"].append(round(us / 1000, 3))
                    shown.append(f"boot {us / 1000:.1f} ms")
                continue
            if key == "ready":
                if guest.ready_ms is None:
                    cell["notes"].append(f"{name} printed no ready line")
                    shown.append("ready n/a")
                else:
                    cell["runs"].append(round(guest.ready_ms, 1))
                    shown.append(f"ready {guest.ready_ms:.0f} ms")
                continue
            try:
                v = measure(args, guest, key)
                cell["runs"].append(round(v, 4))
                shown.append(f"{key} {bench_report.fmt(v)}")
            except C.NotAvailable as e:
                msg = str(e)
                cell["notes"].append(msg if msg.startswith(name) else f"{name}: {msg}")
                shown.append(f"{key} n/a")
        print(f"  {tag}: {', '.join(shown)}", flush=True)
        return ok and first200 is not None
    finally:
        guest.stop()


def guest_boot_us(guest):
    """synack's boot_us from its ready line (first instruction to the
    line, TSC); None for Linux, which has no such stamp."""
    if guest.name != "synack":
        return None
    m = BOOT_US.search(guest.serial())
    return int(m.group(1)) if m else None


def static_sizes(args, results):
    """The image and text rows: synack's ELF (bytes its loader copies,
    .text section) and Linux's bzImage (file bytes, .text of the vmlinux in
    it), the same for every NIC model."""
    elf = open(args.synack_elf, "rb").read()
    sizes = {"synack": {"image": image_size.loaded_bytes(image_size.elf_segments(elf)),
                        "text": image_size.section_size(elf, ".text")}}
    bz, text, _ = image_size.vmlinuz_sizes(args.linux_kernel)
    sizes["linux"] = {"image": bz, "text": text}
    for nic in results:
        for key in STATIC_KEYS & set(args.keys):
            for g in bench_report.GUESTS:
                cell = results[nic][key][g]
                if sizes[g][key] is None:
                    cell["notes"].append(f"{g}: {key} not readable (payload not xz)")
                else:
                    cell["runs"].append(round(sizes[g][key] / 1024, 1))


def serves_at(args, name, nic, mem, tag):
    guest = bench_guest.Guest(name, args, nic, mem, args.rundir, f"{tag}-m{mem}")
    bt, grace = timeouts(args, name)
    try:
        ok, first200, note = boot(guest, True, bt, grace)
        shown = "serves" if first200 is not None else f"no: {note or 'no 200 on GET /'}"
        print(f"  {tag}: -m {mem}: {shown}", flush=True)
        return first200 is not None
    finally:
        guest.stop()


def bisect_min_mem(args, name, nic, served_full, cell):
    """Smallest size in MEM_STEPS (up to -m) at which the guest serves GET /
    with 200; assumes serving is monotonic in memory."""
    sizes = sorted({s for s in MEM_STEPS if s < args.mem} | {args.mem})
    tag = f"{nic}-{name}-minmem"
    if served_full is None:
        served_full = serves_at(args, name, nic, args.mem, tag)
    if not served_full:
        cell["notes"].append(f"{name} does not serve HTTP yet" if name == "synack"
                             else f"{name} does not serve HTTP at -m {args.mem}")
        return
    lo, hi = -1, len(sizes) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if serves_at(args, name, nic, sizes[mid], tag):
            hi = mid
        else:
            lo = mid
    cell["runs"].append(sizes[hi])


def git_commit():
    r = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                       text=True)
    return r.stdout.strip() or "unknown"


def metadata(args, nics):
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.split("\n")[0]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.machine())
    return {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "accel": args.accel, "mem": args.mem, "pairs": args.pairs, "quick": args.quick,
            "nics": nics, "vcpus": 1, "qemu": qemu, "host_cpu": cpu,
            "host_cpus": os.cpu_count(),
            "linux_kernel": args.guest_env.get("KVER", "?"),
            "nginx": args.guest_env.get("NGINX", "?"), "socat": args.guest_env.get("SOCAT", "?"),
            "synack_commit": git_commit(), "synack_bulk": SYNACK_BULK,
            "durations": args.d, "clients": {
                "ping": "ping -i 0.05, 56-byte payload, median of per-packet RTTs",
                "wrk1/wrk64": "wrk -t1 -c1 / -c64, GET /, keep-alive",
                "close": "ab -c 16 without -k, GET /",
                "bulk": "curl, MB/s = bytes / (total - starttransfer); synack "
                        f"{SYNACK_BULK}, linux its tmpfs file (see bench_guest_init.sh)",
                "bulkcpu": "the same transfer: user + system CPU seconds of every thread of "
                           "the QEMU process (/proc/PID/task/*/stat) over it, per GiB",
                "echo": "python client, one connection to port 7, send and read back",
                "start": "QEMU process start to the first 200 on GET / (from the ready "
                         "line on, a new connection attempt every 20 ms, each kept up to 3 s)",
                "ready": "QEMU process start to the guest's ready line on the serial console",
                "boot": "synack's boot_us on its ready line: TSC at the first instruction of "
                        "the boot path to the line (kernel/time.c); linux has no such stamp",
                "image": "synack: the bytes its loader copies (PT_LOAD p_filesz of synack.elf, "
                         "bss excluded); linux: the bzImage file (xz-compressed vmlinuz) booted",
                "text": "the .text section: synack.elf's, and that of the vmlinux "
                        "decompressed from the bzImage",
                "minmem": "bisection over " + ",".join(map(str, MEM_STEPS)) + " MiB"}}


def main():
    args = parse_args(sys.argv[1:])
    bench_proc.install_signal_handlers()
    nics = ["e1000", "virtio"] if args.nic == "both" else [args.nic]
    meta = metadata(args, nics)
    results = {nic: {k: {g: {"runs": [], "notes": []} for g in bench_report.GUESTS}
                     for k in args.keys} for nic in nics}
    print(f"tools/bench: accel {args.accel}, -m {args.mem}, {args.pairs} pairs, "
          f"nics {','.join(nics)}, measuring {','.join(args.keys)}; logs in {args.rundir}",
          flush=True)
    static_sizes(args, results)
    boots = any(k not in STATIC_KEYS for k in args.keys)
    try:
        for nic in (nics if boots else []):
            served = {g: None for g in bench_report.GUESTS}
            for pair in range(args.pairs):
                for g in bench_report.GUESTS:
                    ok = one_run(args, g, nic, results[nic], f"{nic}-{g}-{pair + 1}")
                    if HTTP_KEYS & set(args.keys):
                        served[g] = bool(served[g]) or ok
            if "minmem" in args.keys:
                for g in bench_report.GUESTS:
                    bisect_min_mem(args, g, nic, served[g], results[nic]["minmem"][g])
    finally:
        bench_proc.kill_all()
    text = bench_report.table(meta, results, args.keys)
    print()
    print(text)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in bench_report.save(args.results, stamp, meta, results, args.keys, text):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
