#!/usr/bin/env python3
"""Raw-socket HTTP checks against synack (tests/qemu/http_curl.sh).

usage: http_client.py HOST CHECK
  pipeline   four requests in one send; four answers, in order, framed by
             Content-Length, on one connection
  malformed  each bad request on a fresh connection gets its status, then
             the server closes; a good request still works afterwards
  oversized  a 17 KiB header section gets 431 (and 100 fields pass, 101 not)
  slowloris  a request that trickles in never completes within the header
             timeout: the server closes the connection
"""
import socket
import sys
import time

PORT = 80


def connect(host, timeout=30):
    s = socket.create_connection((host, PORT), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_answer(s, buf=b''):
    """One answer from s: (status, headers dict, body, leftover bytes)."""
    while b'\r\n\r\n' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError('connection closed before an answer (%r)' % buf[:200])
        buf += chunk
    head, buf = buf.split(b'\r\n\r\n', 1)
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        name, value = line.split(':', 1)
        fields[name.strip().lower()] = value.strip()
    length = int(fields.get('content-length', '0')) if status != 304 else 0
    while len(buf) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError('body cut short')
        buf += chunk
    return status, fields, buf[:length], buf[length:]


def closed_by_peer(s, within):
    s.settimeout(within)
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return True
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def check(cond, what):
    if not cond:
        print('FAIL: ' + what)
        sys.exit(1)


def pipeline(host):
    s = connect(host)
    paths = ['/robots.txt', '/missing', '/style.css', '/bytes/100000']
    s.sendall(b''.join(b'GET %s HTTP/1.1\r\nHost: t\r\n\r\n' % p.encode() for p in paths))
    buf = b''
    statuses = []
    for p in paths:
        status, fields, body, buf = read_answer(s, buf)
        statuses.append(status)
        if p == '/robots.txt':
            check(body.startswith(b'User-agent'), 'first answer is robots.txt')
        if p.startswith('/bytes/'):
            check(len(body) == 100000, '/bytes/100000 length')
    check(statuses == [200, 404, 200, 200], 'pipelined statuses %s' % statuses)
    s.close()
    print('pipeline: 4 requests in one send, answers in order %s' % statuses)


MALFORMED = [
    (b'GET / HTTP/1.1\r\n\r\n', 400, 'no Host on 1.1'),
    (b'GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n', 400, 'two Host fields'),
    (b'GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n', 400, 'traversal'),
    (b'GET /%2e%2e/x HTTP/1.1\r\nHost: t\r\n\r\n', 400, 'encoded traversal'),
    (b'GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n', 400, 'encoded NUL'),
    (b'GET / HTTP/1.1\r\nHost : t\r\n\r\n', 400, 'space before colon'),
    (b'GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n  folded\r\n\r\n', 400, 'obs-fold'),
    (b'GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400,
     'conflicting Content-Length'),
    (b'GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 501,
     'transfer-coded body'),
    (b'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi', 405, 'POST'),
    (b'DELETE /index.html HTTP/1.1\r\nHost: t\r\n\r\n', 405, 'DELETE'),
    (b'OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n', 405, 'OPTIONS'),
    (b'BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n', 501, 'unknown method'),
    (b'GET / HTTP/2.0\r\nHost: t\r\n\r\n', 505, 'HTTP/2.0 text'),
    (b'GET / HTTP/1.1x\r\nHost: t\r\n\r\n', 400, 'bad version'),
    (b'GET /' + b'a' * 9000 + b' HTTP/1.1\r\nHost: t\r\n\r\n', 414, 'long target'),
    (b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 400, 'TLS hello'),
]


def malformed(host):
    for req, want, what in MALFORMED:
        s = connect(host)
        s.sendall(req)
        status, fields, _, _ = read_answer(s)
        check(status == want, '%s: status %d, want %d' % (what, status, want))
        check(fields.get('connection') == 'close', '%s: Connection: close' % what)
        if want == 405:
            check(fields.get('allow') == 'GET, HEAD', '%s: Allow' % what)
        check(closed_by_peer(s, 10), '%s: the server closes' % what)
        s.close()
        print('malformed: %-28s -> %d' % (what, status))
    s = connect(host)
    s.sendall(b'GET /robots.txt HTTP/1.1\r\nHost: t\r\n\r\n')
    check(read_answer(s)[0] == 200, 'a good request after the bad ones')
    s.close()


def fields_request(n, size):
    return (b'GET / HTTP/1.1\r\nHost: t\r\n' +
            b''.join(b'X-F%d: %s\r\n' % (i, b'v' * size) for i in range(n - 1)) + b'\r\n')


def oversized(host):
    for req, want, what in [(fields_request(18, 1000), 431, '17 KiB of fields'),
                            (fields_request(100, 10), 200, '100 fields'),
                            (fields_request(101, 10), 431, '101 fields')]:
        s = connect(host)
        s.sendall(req)
        status = read_answer(s)[0]
        check(status == want, '%s: status %d, want %d' % (what, status, want))
        s.close()
        print('oversized: %-18s -> %d' % (what, status))


def slowloris(host):
    s = connect(host)
    start = time.monotonic()
    s.sendall(b'GET / HTTP/1.1\r\n')
    closed = False
    s.settimeout(1)
    while time.monotonic() - start < 30:
        try:
            s.sendall(b'X-a: b\r\n')
            if s.recv(1) == b'':
                closed = True
                break
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
    elapsed = time.monotonic() - start
    check(closed, 'slowloris connection still open after %.0f s' % elapsed)
    print('slowloris: a field line a second; closed after %.1f s' % elapsed)


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[2] not in ('pipeline', 'malformed', 'oversized',
                                                 'slowloris'):
        sys.exit(__doc__)
    globals()[sys.argv[2]](sys.argv[1])
