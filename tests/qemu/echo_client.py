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

Exit status 0 on success; the reason for a failure goes to stderr.
"""
import hashlib
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
        want = b"conn %d\n" % i
        got = b""
        while len(got) < len(want):
            d = s.recv(100)
            if not d:
                fail("tcp-many: connection %d closed early" % i)
            got += d
        if got != want:
            fail("tcp-many: connection %d echoed %r" % (i, got))
    for s in socks:
        s.close()
    print("tcp-many: %d concurrent connections echoed" % n)


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
     "tcp-refused": lambda: tcp_refused(host, port)}.get(cmd, lambda: fail(__doc__))()


if __name__ == "__main__":
    main()
