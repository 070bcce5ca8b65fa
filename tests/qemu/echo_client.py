#!/usr/bin/env python3
"""Clients for the echo QEMU tests (run inside the test's namespace).

  echo_client.py udp HOST PORT COUNT       datagrams of many sizes (1 .. 8000
                                           bytes: fragmented ones too) must
                                           come back intact; prints the count
  echo_client.py udp-refused HOST PORT     a connected UDP socket to a closed
                                           port must see ECONNREFUSED
  echo_client.py tcp HOST PORT BYTES       streams BYTES of seeded random data
                                           through TCP echo, compares sha256 of
                                           what was sent and what came back;
                                           prints MB/s
  echo_client.py tcp-many HOST PORT N      N concurrent connections, each
                                           sends a line and reads it back
  echo_client.py tcp-refused HOST PORT     connect to a closed port must be
                                           refused (RST)
  echo_client.py tcp-rate HOST PORT N      N connections one after another,
                                           each connect, send a line, read it
                                           back, close; prints connections/s
  echo_client.py tcp-idle HOST PORT N      N connections held idle after one
                                           echo each; prints the slab bytes
                                           per connection from the guest's
                                           /stats (HTTP on port 80)

Exit status 0 on success; the reason for a failure goes to stderr.
"""
import hashlib
import json
import random
import selectors
import socket
import sys
import time


def fail(msg):
    print("echo_client: " + msg, file=sys.stderr)
    sys.exit(1)


def udp(host, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    rng = random.Random(7)
    sizes = [1, 2, 100, 512, 1472, 1473, 4000, 8000]
    for i in range(count):
        n = sizes[i % len(sizes)]
        payload = bytes(rng.getrandbits(8) for _ in range(n))
        for attempt in range(3):
            s.sendto(payload, (host, port))
            try:
                data, addr = s.recvfrom(65536)
            except socket.timeout:
                continue
            if data != payload or addr != (host, port):
                fail("datagram %d (%d bytes) came back wrong" % (i, n))
            break
        else:
            fail("datagram %d (%d bytes): no echo after 3 tries" % (i, n))
    print("udp: %d datagrams echoed" % count)


def udp_refused(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.connect((host, port))
    s.send(b"anyone?")
    try:
        s.recv(100)
    except ConnectionRefusedError:
        print("udp-refused: ECONNREFUSED from port %d" % port)
        return
    except socket.timeout:
        fail("no ICMP port unreachable from port %d" % port)
    fail("port %d answered" % port)


def tcp(host, port, total):
    rng = random.Random(1)
    chunk = rng.randbytes(1 << 20)
    s = socket.create_connection((host, port), timeout=30)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent = received = 0
    h_out, h_in = hashlib.sha256(), hashlib.sha256()
    start = last = time.monotonic()
    while received < total:
        if time.monotonic() - last > 60:
            fail("tcp: stalled at %d/%d bytes received" % (received, total))
        for key, ev in sel.select(timeout=1):
            if ev & selectors.EVENT_WRITE and sent < total:
                off = sent % len(chunk)
                piece = chunk[off:off + min(65536, total - sent, len(chunk) - off)]
                n = s.send(piece)
                h_out.update(piece[:n])
                sent += n
                if sent == total:
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                data = s.recv(1 << 18)
                if not data:
                    fail("tcp: EOF after %d/%d bytes" % (received, total))
                h_in.update(data)
                received += len(data)
                last = time.monotonic()
    elapsed = time.monotonic() - start
    s.close()
    if h_in.hexdigest() != h_out.hexdigest():
        fail("tcp: sha256 differs")
    print("tcp: %d bytes, sha256 %s, %.1f s, %.2f MB/s" %
          (total, h_in.hexdigest()[:16], elapsed, total / elapsed / 1e6))


def tcp_many(host, port, n):
    socks = []
    for i in range(n):
        s = socket.create_connection((host, port), timeout=60)
        socks.append(s)
    for i, s in enumerate(socks):
        s.sendall(b"conn %d\n" % i)
    for i, s in enumerate(socks):
        read_echo(s, b"conn %d\n" % i)
    for s in socks:
        s.close()
    print("tcp-many: %d concurrent connections echoed" % n)


def read_echo(s, line):
    """Reads len(line) bytes from s; they must be line."""
    got = b""
    while len(got) < len(line):
        d = s.recv(100)
        if not d:
            fail("connection closed before the echo of %r" % line)
        got += d
    if got != line:
        fail("%r echoed as %r" % (line, got))


def echo_line(s, line):
    s.sendall(line)
    read_echo(s, line)


def tcp_rate(host, port, n):
    start = time.monotonic()
    for i in range(n):
        with socket.create_connection((host, port), timeout=30) as s:
            echo_line(s, b"rate %d\n" % i)
    elapsed = time.monotonic() - start
    print("tcp-rate: %d connect-send-close in %.2f s, %.0f connections/s" %
          (n, elapsed, n / elapsed))


def guest_memory(host):
    with socket.create_connection((host, 80), timeout=30) as s:
        s.sendall(b"GET /stats HTTP/1.0\r\nHost: synack\r\n\r\n")
        data = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        fail("GET /stats: %r" % head[:80])
    return json.loads(body)["memory"]


def tcp_idle(host, port, n):
    before = guest_memory(host)
    socks = []
    for i in range(n):
        s = socket.create_connection((host, port), timeout=60)
        echo_line(s, b"idle %d\n" % i)
        socks.append(s)
    time.sleep(1)                       # delayed ACKs out, queues empty
    during = guest_memory(host)
    for s in socks:
        s.close()
    per = (during["slab_bytes"] - before["slab_bytes"]) / n
    if not 0 < per < 65536:
        fail("tcp-idle: %.0f slab bytes per connection (before %d, with %d open %d)" %
             (per, before["slab_bytes"], n, during["slab_bytes"]))
    print("tcp-idle: %d idle connections: %.0f slab bytes each (%d objects), "
          "skbs %d -> %d" % (n, per, during["slab_objects"] - before["slab_objects"],
                             before["skbs"], during["skbs"]))


def tcp_refused(host, port):
    try:
        socket.create_connection((host, port), timeout=10)
    except ConnectionRefusedError:
        print("tcp-refused: RST from port %d" % port)
        return
    except socket.timeout:
        fail("tcp-refused: no answer from port %d" % port)
    fail("tcp-refused: port %d accepted" % port)


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    cmd, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arg = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    {"udp": lambda: udp(host, port, arg),
     "udp-refused": lambda: udp_refused(host, port),
     "tcp": lambda: tcp(host, port, arg),
     "tcp-many": lambda: tcp_many(host, port, arg),
     "tcp-refused": lambda: tcp_refused(host, port),
     "tcp-rate": lambda: tcp_rate(host, port, arg),
     "tcp-idle": lambda: tcp_idle(host, port, arg)}.get(cmd, lambda: fail(__doc__))()


if __name__ == "__main__":
    main()
