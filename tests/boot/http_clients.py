#!/usr/bin/env python3
# tests/boot/http_clients.py: hostile clients of apps/httpd for tests/boot/httpd.sh, each phase followed by a well-behaved request that must still be answered.
# Usage: http_clients.py HOST PORT. Prints "ok NAME" or "fail NAME: why" per check.
import select, socket, struct, sys, threading, time

HOST, PORT = sys.argv[1], int(sys.argv[2])

def get(path="/hello.txt", timeout=15):
    """One well-behaved request; returns (status, body) or raises."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.sendall(b"GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path.encode())
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body

def still_answers(name):
    try:
        st, body = get()
        if st == 200 and body == b"hello, world\n":
            print("ok %s" % name, flush=True)
        else:
            print("fail %s: status %d body %r" % (name, st, body[:40]), flush=True)
    except Exception as e:
        print("fail %s: %s" % (name, e), flush=True)

def raw(data, read_timeout=15):
    """Sends data in pieces until the server answers (or resets), returns what it answered."""
    s = socket.create_connection((HOST, PORT), timeout=read_timeout)
    try:
        for i in range(0, len(data), 16384):
            if select.select([s], [], [], 0)[0]:
                break  # an answer already: stop sending, as a browser would
            s.sendall(data[i:i + 16384])
    except OSError:
        pass
    got = b""
    try:
        while len(got) < 4096:
            b = s.recv(4096)
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    return got

def status_is(name, got, want):
    if got.startswith(b"HTTP/1.1 %d " % want):
        print("ok %s" % name, flush=True)
    else:
        print("fail %s: answer %r, want %d" % (name, got[:60], want), flush=True)

def held(n):
    socks = []
    try:
        for i in range(n):
            s = socket.create_connection((HOST, PORT), timeout=20)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /blob HTTP/1.1\r\nHost: t\r\n\r\n")
            socks.append(s)
    except OSError as e:
        print("note: held connections: %s after %d" % (e, len(socks)), flush=True)
    print("note: holding %d connections without reading" % len(socks), flush=True)
    still_answers("answers-while-%d-held" % n)
    for s in socks:
        s.close()

slow_result = []
def slow_header():
    s = socket.create_connection((HOST, PORT), timeout=30)
    t0 = time.time()
    got = b""
    try:
        for ch in b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 40:
            if select.select([s], [], [], 0)[0]:
                break  # the server answered (408)
            s.send(bytes([ch]))
            time.sleep(1)
            if time.time() - t0 > 25:
                break
    except OSError:
        pass
    try:
        got = s.recv(4096)
    except OSError:
        pass
    s.close()
    slow_result.append((got, time.time() - t0))

def resets(n):
    for i in range(n):
        s = socket.create_connection((HOST, PORT), timeout=10)
        s.sendall(b"GET /blob HTTP/1.1\r\nHost: t\r\n\r\n")
        s.recv(8192)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # RST in mid-transfer

slow = threading.Thread(target=slow_header)
slow.start()
held(20)  # through the emulator: QEMU's user network opens about 3 connections a second
status_is("request-line-1mb-413", raw(b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: t\r\n\r\n"), 413)
status_is("garbage-400", raw(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\xff" * 64 + b"\r\n\r\n"), 400)
status_is("too-many-fields-431", raw(b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-A: b\r\n" * 40 + b"\r\n"), 431)
status_is("post-405", raw(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"), 405)
status_is("body-413", raw(b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + b"x" * 100), 413)
resets(50)
still_answers("answers-after-50-resets")
slow.join(40)
got, dt = slow_result[0] if slow_result else (b"", 0)
if got.startswith(b"HTTP/1.1 408 ") and dt < 20:
    print("ok slow-header-408", flush=True)
else:
    print("fail slow-header-408: after %.0f s got %r" % (dt, got[:40]), flush=True)
still_answers("answers-at-the-end")
