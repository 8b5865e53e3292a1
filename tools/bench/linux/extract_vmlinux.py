#!/usr/bin/env python3
# tools/bench/linux/extract_vmlinux.py: takes the ELF vmlinux out of a bzImage's compressed payload (boot protocol 2.08+).
#   extract_vmlinux.py <bzImage> <vmlinux out>
# The setup header gives payload_offset/payload_length (Documentation/x86/boot.rst);
# the payload is the kernel ELF (plus relocation data after it) compressed with xz,
# gzip or zstd. Fails unless the result is an x86-64 ELF with a PVH entry note.
import lzma, gzip, struct, sys

def die(msg):
    sys.exit(f"extract_vmlinux: {msg}")

def payload(img):
    if len(img) < 0x250 or img[0x202:0x206] != b"HdrS":
        die("not a bzImage (no HdrS)")
    version = struct.unpack_from("<H", img, 0x206)[0]
    if version < 0x208:
        die(f"boot protocol {version:#x} has no payload fields")
    setup_sects = img[0x1F1] or 4
    off, length = struct.unpack_from("<II", img, 0x248)
    start = (setup_sects + 1) * 512 + off
    if start + length > len(img):
        die("payload runs past the end of the file")
    return img[start:start + length]

def decompress(data):
    if data.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    if data.startswith(b"\x1f\x8b"):
        return gzip.decompress(data)
    if data.startswith(b"\x28\xb5\x2f\xfd"):
        import subprocess
        return subprocess.run(["zstd", "-dc"], input=data, stdout=subprocess.PIPE, check=True).stdout
    die(f"unknown payload compression {data[:6].hex()}")

def has_pvh_note(elf):
    """True if a PT_NOTE segment holds a Xen note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or struct.unpack_from("<H", elf, 18)[0] != 62:
        die("payload is not an x86-64 ELF")
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * phentsize)
        if p_type != 4:
            continue
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and ntype == 18:
                return True
            pos += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
    return False

def main():
    if len(sys.argv) != 3:
        die("usage: extract_vmlinux.py <bzImage> <vmlinux out>")
    elf = decompress(payload(open(sys.argv[1], "rb").read()))
    if not has_pvh_note(elf):
        die("vmlinux has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY): CONFIG_PVH off?")
    with open(sys.argv[2], "wb") as f:
        f.write(elf)

main()
