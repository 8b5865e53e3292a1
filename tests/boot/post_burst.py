#!/usr/bin/env python3
# tests/boot/post_burst.py: a burst of HTTP POSTs that reaches the guest at once, for tests/boot/signer.sh.
# Usage: post_burst.py PORT PATH OUT CONNS MSG... : opens CONNS connections to 127.0.0.1:PORT one
# after another, sending on each as it opens its messages (round robin over the connections,
# pipelined on each), and reads the answers only once every connection is open and has sent.
# Writes OUT.<i>.code, OUT.<i>.hdr, OUT.<i>.body and OUT.<i>.time for the i-th message
# (1-based), like curl -D/-o/-w; .time is curl's "connect first-byte total" (seconds from the
# start; the answer is read whole, so first-byte and total are one time here).
#
# Why not CONNS curls at once: an emulator's port forward listens with a backlog of 1 (Bochs'
# slirp module: `ss -ltn` shows it), so a burst of connects overflows the host's accept queue,
# the host drops SYNs and handshake ACKs, and each client retries with exponential backoff
# (1, 2, 4, 8 s ...): under load one connection of 40 took longer than the signer's idle limit.
# Connecting one at a time, each once the forwarder has accepted the one before (the listener's
# accept queue in /proc/net/tcp is empty), drops nothing; all of them are open at once.
import socket, sys, time

def read_answer(f):
    """One HTTP/1.1 answer from the buffered reader f: (status, head bytes, body bytes)."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = f.readline(65536)
        if not line:
            raise EOFError("connection closed inside an answer's head")
        head += line
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = f.read(length)
    if len(body) != length:
        raise EOFError("connection closed inside an answer's body")
    return int(head.split(b" ")[1]), head, body

def accept_queue(port):
    """Connections waiting in the accept queue of the host's listener on 127.0.0.1:port (the
    rx_queue of its LISTEN row in /proc/net/tcp), or 0 when there is no such row."""
    want = "0100007F:%04X" % port
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        f = line.split()
        if f[1] == want and f[3] == "0A":  # local address, state TCP_LISTEN
            return int(f[4].split(":")[1], 16)
    return 0

def wait_accepted(port, limit_s=5.0):
    """Waits (at most limit_s) until the forwarder has accepted every connection made so far."""
    end = time.monotonic() + limit_s
    while accept_queue(port) and time.monotonic() < end:
        time.sleep(0.005)

def main():
    port, path, out, conns = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    msgs = [open(m, "rb").read() for m in sys.argv[5:]]
    plan = [[] for _ in range(min(conns, len(msgs)))]  # message indices per connection, in sending order
    for i in range(len(msgs)):
        plan[i % len(plan)].append(i)
    t0 = time.monotonic()
    socks, connected = [], []
    for idx in plan:
        wait_accepted(port)
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        connected.append(time.monotonic() - t0)
        s.settimeout(90)
        s.sendall(b"".join(b"POST %s HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" %
                           (path.encode(), len(msgs[i]), msgs[i]) for i in idx))
        socks.append(s)
    for k, (s, idx) in enumerate(zip(socks, plan)):
        f = s.makefile("rb")
        for i in idx:
            status, head, body = 0, b"", b""
            try:
                status, head, body = read_answer(f)
            except (OSError, EOFError, ValueError) as e:
                sys.stderr.write("post_burst: message %d: %s\n" % (i + 1, e))
            answered = time.monotonic() - t0
            p = "%s.%d" % (out, i + 1)
            open(p + ".code", "w").write("%03d\n" % status)
            open(p + ".hdr", "wb").write(head)
            open(p + ".body", "wb").write(body)
            open(p + ".time", "w").write("%f %f %f\n" % (connected[k], answered, answered))
        s.close()

main()
