#!/usr/bin/env python3
# tools/bench/trace_sum.py: sums a QEMU instruction trace (-singlestep -d exec,nochain) of a bench boot by function, per app and for the kernel, inside a window of the client's loop.
"""Usage: trace_sum.py LOG KERNEL.elf NAME=APP.elf... --window NAME:FROM:TO [--count N] [--top K]

LOG is QEMU's log (a file or a FIFO): one "Trace 0: ... [cs_base/pc/flags/...]" line per
retired instruction. Kernel PCs are told apart by the kernel ELF's text range. All apps are
linked at the same address, so a guest PC is given to the app that resumes there: each app's
resume point is the instruction after its last VMCALL/VMMCALL (found by disassembling its ELF);
after kernel code, the first guest PC names the app whose resume point it is (else the app
that ran last). The window opens when app NAME executes FROM (a symbol+offset or hex address)
and closes at its last TO; figures are the window's instructions divided by --count (the
requests, round trips, ... in the window)."""
import argparse
import bisect
import collections
import re
import subprocess
import sys


def symbols(elf):
    """Sorted (address, name) of the ELF's text symbols."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def disassembly(elf):
    """The ELF's VMCALL/VMMCALL addresses (3 bytes each), the start of each instruction, and
    its entry point."""
    out = subprocess.run(["objdump", "-d", elf], capture_output=True, text=True, check=True).stdout
    sites, starts = set(), set()
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\t", line)
        if not m:
            continue
        starts.add(int(m.group(1), 16))
        if re.search(r"\b(vmcall|vmmcall)\b", line):
            sites.add(int(m.group(1), 16))
    hdr = subprocess.run(["readelf", "-h", elf], capture_output=True, text=True, check=True).stdout
    entry = int(re.search(r"Entry point address:\s*(0x[0-9a-f]+)", hdr).group(1), 16)
    return sites, starts, entry


def resolve(addr_text, syms):
    """A hex address or symbol[+offset] to an address."""
    if re.fullmatch(r"(0x)?[0-9a-fA-F]+", addr_text):
        return int(addr_text, 16)
    name, _, off = addr_text.partition("+")
    for a, n in syms:
        if n == name:
            return a + (int(off, 0) if off else 0)
    sys.exit(f"trace_sum: no symbol {name}")


class Names:
    def __init__(self, syms):
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]

    def __call__(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log")
    ap.add_argument("kernel")
    ap.add_argument("apps", nargs="+", help="NAME=APP.elf")
    ap.add_argument("--window", required=True, help="NAME:FROM:TO")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()

    ksyms = symbols(args.kernel)
    kname = Names(ksyms)
    ktext = (ksyms[0][0], ksyms[-1][0] + 0x1000)
    apps = {}
    for spec in args.apps:
        name, _, elf = spec.partition("=")
        s = symbols(elf)
        sites, starts, entry = disassembly(elf)
        apps[name] = (Names(s), sites, s, starts, entry)
    wname, wfrom, wto = args.window.split(":")
    wsyms = apps[wname][2]
    wfrom, wto = resolve(wfrom, wsyms), resolve(wto, wsyms)

    resume = {n: None for n in apps}
    unstarted = list(apps)  # the kernel starts them in manifest order (the order given)
    cur = next(iter(apps))
    in_kernel = True
    counts = collections.Counter()  # (owner, function) -> instructions, inside the window
    pending = collections.Counter()  # since the window's last TO (dropped if no TO follows)
    opened = False
    pat = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
    def entered(pc, cur):
        """The app a guest PC after kernel code belongs to: a first start, a resume point
        after a hypercall, else an instruction start of one app only, else cur."""
        if unstarted and pc == apps[unstarted[0]][4]:
            return unstarted.pop(0)
        for n, r in resume.items():
            if r == pc:
                return n
        if pc not in apps[cur][3]:
            for n, a in apps.items():
                if pc in a[3]:
                    return n
        return cur

    with open(args.log, errors="replace") as f:
        for line in f:
            m = pat.search(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if ktext[0] <= pc < ktext[1]:
                in_kernel = True
                owner, fn = "kernel", kname(pc)
            else:
                if in_kernel:
                    in_kernel = False
                    cur = entered(pc, cur)
                owner = cur
                names, sites = apps[cur][0], apps[cur][1]
                fn = names(pc)
                if pc in sites:
                    resume[cur] = pc + 3
                if cur == wname and pc == wfrom and not opened:
                    opened = True
                    pending.clear()
                if cur == wname and pc == wto and opened:
                    counts.update(pending)
                    pending.clear()
            if opened:
                pending[(owner, fn)] += 1
    total = sum(counts.values())
    if not total:
        sys.exit("trace_sum: the window never opened and closed")
    per_owner = collections.Counter()
    for (o, _), v in counts.items():
        per_owner[o] += v
    n = args.count
    print(f"window: {total} instructions, {total / n:.0f} per 1/{n}")
    for o, v in per_owner.most_common():
        print(f"  {o:12s} {v / n:10.0f}")
    print(f"top functions (per 1/{n}):")
    for (o, fn), v in counts.most_common(args.top):
        print(f"  {v / n:8.0f}  {o:10s} {fn}")


if __name__ == "__main__":
    main()
