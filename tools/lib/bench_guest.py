"""The two guests tools/bench compares, booted under identical QEMU settings
(q35, the same accelerator, -cpu max, 1 vCPU, the same -m, the same NIC
model and MAC on the same TAP): synack (PVH, build/synack.elf) and the
reference Linux guest (Debian's bzImage + the initramfs that
bench_initramfs.sh assembles).  Runs inside the bench network namespace.
"""
import os
import re
import threading
import time

import bench_proc

GUEST_IP = "198.18.0.2"
MAC = "52:54:00:12:34:56"               # both guests: the host's neighbour entry stays valid

NIC_DEVICES = {
    "e1000": "e1000",
    "virtio": "virtio-net-pci,disable-legacy=on,disable-modern=off",
}

READY = {
    "synack": re.compile(rb"synack: ready ip=198\.18\.0\.2/"),
    "linux": re.compile(rb"linux-ref: ready ip=198\.18\.0\.2/"),
}
BULK_LINE = re.compile(rb"linux-ref: bulk (/bytes/\d+|none)")


class Guest:
    """One QEMU run of one guest; the serial console goes to a log file."""

    def __init__(self, name, cfg, nic, mem, logdir, tag):
        self.name = name
        self.cfg = cfg
        self.nic = nic
        self.mem = mem
        self.log = os.path.join(logdir, f"{tag}.serial.log")
        self.qemu_out = os.path.join(logdir, f"{tag}.qemu.log")
        self.proc = None
        self.t0 = None
        self.ready_ms = None
        self.bulk = None                # (MB/s, QEMU CPU s per GiB) of this boot's download

    def command(self):
        cmd = ["qemu-system-x86_64", "-M", "q35", "-accel", self.cfg.accel, "-cpu", "max",
               "-smp", "1", "-m", str(self.mem), "-display", "none", "-no-reboot",
               "-serial", f"file:{self.log}", "-nic", "none",
               "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
               "-device", f"{NIC_DEVICES[self.nic]},netdev=n0,mac={MAC}"]
        if self.name == "synack":
            # loglevel=warn keeps the per-request access log off the serial
            # console, as nginx runs with access_log off and Linux quiet.
            cmd += ["-kernel", self.cfg.synack_elf,
                    "-append", f"ip={GUEST_IP}/24 loglevel=warn"]
        else:
            cmd += ["-kernel", self.cfg.linux_kernel, "-initrd", self.cfg.linux_initrd,
                    "-append", "console=ttyS0 quiet panic=-1"]
        return cmd

    def start(self):
        open(self.log, "wb").close()
        with open(self.qemu_out, "wb") as out:
            self.t0 = time.monotonic()
            self.proc = bench_proc.start(self.command(), stdout=out, stderr=out)

    def watch_ready(self, timeout):
        """Sets ready_ms (ms from QEMU start) when the ready line appears;
        a thread reading the serial log every 10 ms, for up to timeout s."""
        def watch():
            m = self.wait_for(READY[self.name], timeout, poll=0.01)
            if m:
                self.ready_ms = (time.monotonic() - self.t0) * 1000
        threading.Thread(target=watch, daemon=True).start()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def serial(self):
        try:
            with open(self.log, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def wait_for(self, pattern, timeout, poll=0.02):
        """Waits until pattern matches the serial log; returns the match, or
        None when QEMU exits or timeout seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            m = pattern.search(self.serial())
            if m or not self.alive() or time.monotonic() >= deadline:
                return m
            time.sleep(poll)

    def stop(self):
        if self.proc is not None:
            bench_proc.stop(self.proc)
            self.proc = None
