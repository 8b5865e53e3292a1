#!/usr/bin/env python3
# tests/boot/fw_frames.py: hostile frames from the host side into the appliance's NIC: runts, oversize, garbage ethertypes and a burst, through an interface (AF_PACKET, root).
import os
import socket
import sys
import time

ifname, burst = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
dst, src = b"\x52\x54\x00\x12\x34\x56", b"\x02\x99\x00\x00\x00\x01"
sent = 0
def send(frame):
    global sent
    try:
        s.send(frame)
        sent += 1
    except OSError:
        pass  # larger than the interface takes: the point is only that nothing breaks
for n in (1, 6, 13, 14, 20, 59):
    send((dst + src + b"\x08\x00" + os.urandom(64))[:n])
for n in (1515, 1518, 1600, 4000, 9000):
    send(dst + src + b"\x88\xb5" + os.urandom(n - 14))
for t in (b"\x00\x00", b"\xff\xff", b"\x81\x00\x81\x00", b"\x86\xdd", b"\x08\x06"):
    send(b"\xff" * 6 + src + t + os.urandom(46))
send(b"\xff" * 6 + src + b"\x08\x00" + b"\x4f" + os.urandom(59))  # IPv4 with IHL 15 and no room for it
for i in range(burst):
    send(b"\xff" * 6 + src + b"\x08\x00" + os.urandom(46 + i % 64))
    if i % 20 == 19:
        time.sleep(0.001)  # paced: the tap's queue (1000 frames) would drop most of an unpaced burst
print(f"fw_frames: {sent} frames sent on {ifname}", flush=True)
