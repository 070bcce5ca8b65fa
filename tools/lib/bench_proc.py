"""Child processes of tools/bench (QEMU and the load clients): every one is
started through here, remembered by PID, bounded in time, and ended by PID
by kill_all() (called from the finally of bench_run.py and on SIGTERM/INT).
"""
import os
import signal
import subprocess

_live = {}                              # pid -> Popen


def start(cmd, **kw):
    """Popen(cmd) with stdin closed; the process is remembered until reaped."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, **kw)
    _live[p.pid] = p
    return p


def stop(p, grace=3.0):
    """Ends p by PID: SIGTERM, then SIGKILL after grace seconds; reaps it."""
    if p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGTERM)
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
        except ProcessLookupError:
            pass
    _live.pop(p.pid, None)


def run(cmd, timeout):
    """Runs cmd to completion with a hard time limit; returns
    (returncode or None if it had to be killed, stdout text, stderr text)."""
    p = start(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        stop(p, grace=1.0)
        out, err = p.communicate()
        rc = None
    _live.pop(p.pid, None)
    return rc, out or "", err or ""


def kill_all():
    for p in list(_live.values()):
        stop(p, grace=1.0)


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


def install_signal_handlers():
    """SIGTERM/SIGINT/SIGHUP unwind the stack, so finally blocks end the
    processes by PID before the interpreter exits."""
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, _on_signal)
