#!/usr/bin/env python3
# tools/bench/linux/mkinitramfs.py: writes a tiny, byte-for-byte reproducible initramfs (cpio "newc") holding /dev/console, /proc and /init.
#   mkinitramfs.py <init executable> <out.cpio> [file...]
# Each extra file goes into the root under its own name (the firewall bench's e1000.ko).
# Every mtime is 0 and every owner root, so the same /init gives the same archive.
import os, sys

def entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    """One newc record: 110-byte ASCII header, name, padding to 4, data, padding to 4."""
    nb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(nb), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + nb
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out

def main():
    if len(sys.argv) < 3:
        sys.exit("usage: mkinitramfs.py <init> <out.cpio> [file...]")
    init = open(sys.argv[1], "rb").read()
    arc = entry("dev", 0o040755, ino=1)
    arc += entry("dev/console", 0o020600, rdev=(5, 1), ino=2)
    arc += entry("proc", 0o040755, ino=3)
    arc += entry("init", 0o100755, init, ino=4)
    for i, path in enumerate(sys.argv[3:]):
        arc += entry(os.path.basename(path), 0o100644, open(path, "rb").read(), ino=5 + i)
    arc += entry("TRAILER!!!", 0, ino=0)
    arc += b"\0" * (-len(arc) % 512)
    with open(sys.argv[2], "wb") as f:
        f.write(arc)

main()
