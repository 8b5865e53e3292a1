#!/usr/bin/env python3
# tests/boot/sock_clients.py: the host side of tests/boot/sockets.sh: real clients of the echo app through QEMU's hostfwd, and the listener an app connects out to.
# Usage: sock_clients.py listen PORT SECONDS      answers one "hello back" per connection (bounded in time)
#        sock_clients.py clients HOST PORT MB N   a MB-MiB TCP stream with a checksum, UDP echo, N concurrent connections
# Prints "ok NAME" or "fail NAME: why" per check.
import hashlib, os, socket, sys, threading, time

def listen(port, seconds):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(8); s.settimeout(1)
    end = time.time() + seconds
    while time.time() < end:
        try:
            c, a = s.accept()
        except socket.timeout:
            continue
        c.settimeout(10)
        try:
            line = c.recv(100)
            print("listener: got %r from %s" % (line, a[0]), flush=True)
            c.sendall(b"hello back\n")
        except OSError as e:
            print("listener: %s" % e, flush=True)
        c.close()

def stream(host, port, mb):
    total = mb << 20
    data = os.urandom(1 << 20)
    want = hashlib.sha256()
    got = hashlib.sha256()
    s = socket.create_connection((host, port), timeout=60)
    n_got = [0]
    def reader():
        while n_got[0] < total:
            b = s.recv(65536)
            if not b:
                break
            got.update(b); n_got[0] += len(b)
    t = threading.Thread(target=reader); t.start()
    t0 = time.time()
    for i in range(mb):
        s.sendall(data); want.update(data)
    t.join(120)
    dt = time.time() - t0
    s.close()
    if n_got[0] != total:
        return "fail tcp-10mb-checksum: %d of %d bytes came back" % (n_got[0], total)
    if got.digest() != want.digest():
        return "fail tcp-10mb-checksum: sha256 differs"
    print("stream: %d MiB echoed in %.1f s (%.2f MB/s), sha256 %s" % (mb, dt, total / dt / 1e6, got.hexdigest()[:16]), flush=True)
    return "ok tcp-10mb-checksum"

def udp(host, port, n):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(1)
    ok = 0
    for i in range(n):
        msg = b"udp %d " % i + os.urandom(16).hex().encode()
        for attempt in range(3):
            u.sendto(msg, (host, port))
            try:
                b, _ = u.recvfrom(2048)
            except socket.timeout:
                continue
            if b == msg:
                ok += 1; break
    return "ok udp-echo" if ok == n else "fail udp-echo: %d of %d datagrams echoed" % (ok, n)

def concurrent(host, port, n):
    socks = []
    try:
        for i in range(n):
            socks.append(socket.create_connection((host, port), timeout=30))
        for i, s in enumerate(socks):
            s.sendall(b"client %03d\n" % i)
        bad = 0
        for i, s in enumerate(socks):
            want = b"client %03d\n" % i
            b = b""
            while len(b) < len(want):
                c = s.recv(100)
                if not c:
                    break
                b += c
            bad += b != want
    except OSError as e:
        return "fail concurrent-%d: %s after %d connections" % (n, e, len(socks))
    finally:
        for s in socks:
            s.close()
    return "ok concurrent-%d" % n if bad == 0 else "fail concurrent-%d: %d answers wrong" % (n, bad)

if sys.argv[1] == "listen":
    listen(int(sys.argv[2]), int(sys.argv[3]))
else:
    host, port, mb, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    for r in (stream(host, port, mb), udp(host, port, 100), concurrent(host, port, n)):
        print(r, flush=True)
