#!/usr/bin/env python3
# tests/boot/udp_echo.py: the host side of the network boot test: answers each UDP datagram on 127.0.0.1:PORT with "echo " + its bytes, for at most SECONDS.
import socket
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
end = time.monotonic() + seconds
answered = 0
while time.monotonic() < end:
    s.settimeout(max(0.1, end - time.monotonic()))
    try:
        data, peer = s.recvfrom(2048)
    except socket.timeout:
        continue
    s.sendto(b"echo " + data, peer)
    answered += 1
    print(f"udp_echo: answered {len(data)} bytes from {peer[0]}:{peer[1]}", flush=True)
print(f"udp_echo: {answered} answered", flush=True)
