"""The load clients of tools/bench, each bounded in count and in time, run
from inside the bench network namespace against 198.18.0.2.  Every function
returns one number (with the unit the table names) or raises NotAvailable
with the reason, which goes into the table instead of a figure.
"""
import os
import re
import select
import socket
import statistics
import threading
import time

import bench_proc

HOST = "198.18.0.2"


class NotAvailable(Exception):
    pass


class FirstResponse:
    """Polls GET / from before the guest is up without penalising a guest
    whose first handshakes are slow (cold code under TCG): a new
    non-blocking connection attempt every `interval` s, each kept for up to
    `keep` s; the first to connect sends the request.  step() returns the
    status code of a response (or None) within about `interval` s."""

    def __init__(self, interval=0.02, keep=3.0):
        self.interval = interval
        self.keep = keep
        self.pending = {}               # socket -> time started
        self.next = 0.0

    def step(self):
        now = time.monotonic()
        if now >= self.next:
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((HOST, 80))
            self.pending[s] = now
            self.next = now + self.interval
        for s, t in list(self.pending.items()):
            if now - t > self.keep:
                self._drop(s)
        if not self.pending:
            time.sleep(self.interval)
            return None
        _, writable, _ = select.select([], list(self.pending), [], self.interval)
        for s in writable:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            self._drop(s, close=False)
            if err:
                s.close()
                continue
            status = self._request(s)
            if status is not None:
                return status
        return None

    def _drop(self, s, close=True):
        self.pending.pop(s, None)
        if close:
            s.close()

    @staticmethod
    def _request(s):
        try:
            s.setblocking(True)
            s.settimeout(2.0)
            s.sendall(f"GET / HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode())
            head = b""
            while b"\r\n" not in head and len(head) < 256:
                chunk = s.recv(256)
                if not chunk:
                    break
                head += chunk
            m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
            return int(m.group(1)) if m else None
        except OSError:
            return None
        finally:
            s.close()

    def close(self):
        for s in list(self.pending):
            self._drop(s)


def tcp_port_open(port, timeout=2.0):
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def ping_rtt_ms(count, interval):
    """Median RTT in ms of `count` echo requests `interval` s apart (56 bytes)."""
    rc, out, err = bench_proc.run(
        ["ping", "-n", "-c", str(count), "-i", str(interval), "-W", "1",
         "-w", str(int(count * interval + 10)), HOST], timeout=count * interval + 20)
    rtts = [float(x) for x in re.findall(r"time=([\d.]+) ms", out)]
    if not rtts:
        raise NotAvailable("no ping reply")
    return statistics.median(rtts)


def wrk_rps(connections, seconds):
    """wrk keep-alive requests/s for GET / with one thread."""
    rc, out, err = bench_proc.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         f"http://{HOST}/"], timeout=seconds + 30)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rc != 0 or not m:
        raise NotAvailable(f"wrk failed: {(err or out).strip()[:80]}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise NotAvailable(f"wrk: {bad.group(1)} non-2xx responses")
    return float(m.group(1))


def ab_close_rps(concurrency, seconds, max_requests):
    """ab without -k: requests/s with a new TCP connection per request."""
    rc, out, err = bench_proc.run(
        ["ab", "-q", "-r", "-s", "5", "-t", str(seconds), "-n", str(max_requests),
         "-c", str(concurrency), f"http://{HOST}/"], timeout=seconds + 30)
    m = re.search(r"Requests per second:\s+([\d.]+)", out)
    if not m:
        raise NotAvailable(f"ab failed: {(err or out).strip()[-80:]}")
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if non2xx and int(non2xx.group(1)):
        raise NotAvailable(f"ab: {non2xx.group(1)} non-2xx responses")
    if failed and int(failed.group(1)):
        done = re.search(r"Complete requests:\s+(\d+)", out)
        if done and int(failed.group(1)) * 10 > int(done.group(1)):
            raise NotAvailable(f"ab: {failed.group(1)} failed requests")
    return float(m.group(1))


def curl_bulk(path, max_seconds):
    """curl download of path: (MB/s (10^6 bytes/s), bytes); a transfer cut
    by the time limit still gives its rate (throughput does not depend on
    size)."""
    rc, out, err = bench_proc.run(
        ["curl", "-s", "-o", "/dev/null", "--max-time", str(max_seconds),
         "-w", "%{http_code} %{size_download} %{time_total} %{time_starttransfer}",
         f"http://{HOST}{path}"], timeout=max_seconds + 15)
    f = out.split()
    if len(f) != 4 or f[0] != "200" or int(f[1]) == 0:
        raise NotAvailable(f"curl {path}: status {f[0] if f else '?'}, rc {rc}")
    size, total, start = int(f[1]), float(f[2]), float(f[3])
    return size / max(total - start, 1e-6) / 1e6, size


def process_cpu_seconds(pid):
    """User + system CPU seconds of every thread of pid so far
    (/proc/PID/task/*/stat, fields 14 and 15 after the parenthesised name,
    which may hold spaces: QEMU's "CPU 0/TCG")."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue                    # the thread ended meanwhile
        f = stat.rsplit(")", 1)[1].split()
        total += int(f[11]) + int(f[12])
    return total / tick


def echo_mbps(nbytes, max_seconds):
    """TCP echo on port 7: sends nbytes while reading the echo back; MB/s of
    echoed bytes over the time from connect to the last byte back."""
    try:
        s = socket.create_connection((HOST, 7), timeout=3)
    except OSError as e:
        raise NotAvailable(f"no TCP echo on port 7 ({e.strerror or e})")
    deadline = time.monotonic() + max_seconds
    s.settimeout(1.0)
    block = bytes(range(256)) * 256
    failed = []

    def sender():
        left = nbytes
        try:
            while left and time.monotonic() < deadline:
                try:
                    left -= s.send(block[:min(left, len(block))])
                except socket.timeout:
                    continue
        except OSError as e:
            failed.append(e)

    t0 = time.monotonic()
    th = threading.Thread(target=sender, daemon=True)
    th.start()
    got = 0
    try:
        while got < nbytes and time.monotonic() < deadline:
            try:
                d = s.recv(1 << 18)
            except socket.timeout:
                continue
            if not d:
                break
            got += len(d)
    except OSError as e:
        failed.append(e)
    dt = time.monotonic() - t0
    s.close()
    th.join(timeout=2)
    if got == 0:
        raise NotAvailable(f"TCP echo returned no data{': ' + str(failed[0]) if failed else ''}")
    if got < nbytes and time.monotonic() < deadline:
        raise NotAvailable(f"TCP echo stopped after {got} of {nbytes} bytes")
    return got / dt / 1e6
