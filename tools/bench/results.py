#!/usr/bin/env python3
# tools/bench/results.py: turns the benchmark boots' serial logs into build/bench/results.json and the table; compares results with bench/baseline.json.
#   results.py collect --out-dir DIR --linux LINUXDIR --kernel-obj build/kernel.o --results R.json --table T.txt
#   results.py check --results R.json --baseline bench/baseline.json
#   results.py table --results R.json
# Every figure is an exact count (instructions, bytes or lines): lower is better, but for the
# firewall's frames per second (HIGHER_IS_BETTER).
import argparse, json, os, re, struct, subprocess, sys

PATHS = ["qemu-svm", "bochs-vmx", "bochs-svm"]
EMULATORS = {
    "qemu-svm": ("QEMU TCG -icount shift=0,sleep=off, -kernel (PVH)", "max (SVM+NPT)"),
    "bochs-vmx": ("Bochs, GRUB ISO", "corei7_skylake_x (VMX+EPT)"),
    "bochs-svm": ("Bochs, GRUB ISO", "zambezi (SVM+NPT)"),
}
LINUX_VARIANTS = ("default", "tuned")

# Targets relative to Linux: ours at most 1/N of Linux's instructions (the HTTP figure: the
# target is N times Linux's requests per second in the same emulator).
RATIO_TARGETS = {"http-get-1k": 3}
# name, label, unit, target (strictly below), which Linux figure it is compared with
FIGURES = [
    ("boot-entry-to-app", "boot: entry -> 1st app insn", "insns", 1_000_000, "boot-entry-to-user"),
    ("boot-entry-to-write", "boot: entry -> 1st write", "insns", None, "boot-entry-to-write"),
    ("boot-reset-to-app", "boot: reset -> 1st app insn", "insns", 10_000_000, "boot-reset-to-user"),
    ("firmware", "  firmware share (apart)", "insns", None, "firmware"),
    ("app-start", "  starting one 4 MiB app", "insns", None, None),
    ("app-start-1g", "  starting one 1 GiB app", "insns", None, None),
    ("first-touch", "  first touch of 2 MiB", "insns", None, None),
    ("null-hypercall", "null hypercall / syscall", "insns", 150, "null-syscall"),
    ("console-write-64", "console write, 64 B", "insns", 1_500, "console-write-64"),
    ("clock-tsc", "clock: in-app TSC", "insns", 76, "clock-read"),
    ("clock-hypercall", "clock: clock_monotonic HC", "insns", None, "clock-read"),
    ("app-switch", "switch, one way", "insns", 400, "pipe-switch"),
    ("net-frame-64", "frame app -> app, 64 B", "insns", 1_000, "packet-frame-64"),
    ("chan-rtt-64", "channel round trip, 64 B", "insns", 1_000, "pipe-rtt-64"),
    ("http-get-1k", "HTTP GET 1 KiB, keep-alive", "insns", None, "http-get-1k"),
    ("kernel-image-bytes", "kernel image, bytes", "bytes", None, "kernel-image-bytes"),
    ("app-overhead-bytes", "per-app overhead, bytes", "bytes", None, None),
    ("kernel-heap-bytes", "kernel heap after boot, bytes", "bytes", None, "mem-used-bytes"),
    ("trusted-code-lines", "trusted code (no net), lines", "lines", 6_000, None),
    ("trusted-code-vmx-lines", "  of an hv = vmx image", "lines", 6_000, None),
    ("trusted-code-svm-lines", "  of an hv = svm image", "lines", 6_000, None),
    ("nic-driver-lines", "  NICs+switch+net HCs, lines", "lines", None, None),
]
# Figures whose Linux counterpart ran elsewhere (QEMU's firmware, not Bochs'): no ratio off QEMU.
QEMU_ONLY_RATIO = {"firmware"}
# Figures that do not depend on the emulator path.
PATH_FREE = {"kernel-image-bytes", "trusted-code-lines", "trusted-code-vmx-lines", "trusted-code-svm-lines",
             "nic-driver-lines"}
# The firewall bench (tools/bench/fw.conf; Linux's /init with bench=fw): four e1000s wired
# in pairs by QEMU hubs, so QEMU only (the Bochs cells show "-"). Its figures come from the
# sink's fw-forward line: ticks (TSC from the first data frame to the last; under -icount
# shift=0 one virtual ns per instruction) over frames received.
FW_FIGURES = [
    ("fw-insns-per-frame", "firewall: insns per frame", "insns"),
    ("fw-frames-per-s", "firewall: frames/s (virtual)", "frames/s"),
]
FW_PATH = "qemu-svm"
FW_TARGET_RATIO = 3  # ours: at least 3x Linux's frames per second (so at most a third of its insns)
HIGHER_IS_BETTER = {"fw-frames-per-s"}
FW_RE = re.compile(r"(?:^|: )(?:fig )?fw-forward received=(\d+) sent=(\d+) ticks=(\d+) denied=(\d+) other=(\d+) "
                   r"out-of-order=(\d+) ended=([01])$", re.M)
# Networking, counted apart from the trusted base: the NIC drivers with their rings and
# registry, the frame pool, the virtual switch and the rest of kernel/net, the net hypercalls
# and the manifest's net records, and the NICs' plumbing: PCI (dev/pci*: only the drivers
# find, claim and program devices; the boot's scan just lists them) and device interrupt
# vectors and INTx routing (dev/irq*: irq_alloc, irq_share, irq_route_intx have no caller
# but e1000.c and virtio_net.c). All run in root mode; an appliance without NICs needs none.
# The MADT and the IOAPICs (dev/madt, acpi, ioapic: every pin masked at boot) stay trusted.
NIC_RE = re.compile(r"(^|/)(drivers/net/|dev/(e1000|virtio|virtq|nic|netbuf|pci|irq)[^/]*$|net/[^/]*$|"
                    r"hc/net_calls[^/]*$|app/manifest_net[^/]*$)")
TRUSTED_DIRS = ["kernel", "hv", "include/abi"]
# Not root-mode code of a shipped image: the test kernel's self-tests and make fragments.
NOT_SHIPPED_RE = re.compile(r"(^|/)(selftest[^/]*|[^/]*\.mk)$")

STAT_RE = re.compile(r"min=(\d+) median=(\d+) n=(\d+)")
# The real-time figures (tools/bench/wrk.sh): the host's wrk against apps/httpd through a
# hostfwd, ours and Linux's one after the other in the same run, QEMU without -icount. Rates
# of wall time, so they move from run to run: shown as ours / Linux, never held to the baseline.
# name, label, unit, wrk report (wrk-<side>-<which>.txt), target ratio (ours / Linux) or None
WRK_FIGURES = [
    ("wrk-1k-req-per-s", "wrk 1 KiB keep-alive, req/s", "req/s", "1k", 3),
    ("wrk-blob-mb-per-s", "TCP 1 MiB file (wrk), MiB/s", "MiB/s", "blob", None),
]
WRK_UNITS = {"B": 1 / 2**20, "KB": 1 / 2**10, "MB": 1, "GB": 2**10}  # wrk's Transfer/sec units are binary
# What the wrk rows pay at every exit: the bench image's null hypercall and Linux's null
# syscall in the same QEMU without -icount (wrk.sh's rt boots), in host TSC ticks. QEMU TCG
# emulates VMRUN and #VMEXIT with a flush of its whole software TLB each (the CR3 load) and
# of its nested-paging TLB, which a syscall never pays. Real time: shown, not held to the baseline.
# name, label, our log's regex, Linux's log's regex (both: min, median, n)
RT_FIGURES = [
    ("rt-null-hypercall", "null HC / syscall, real ticks", r"^bench: fig null-hypercall ", r"^lxbench: null-syscall "),
]


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return None


def stat(value, median=None, n=None):
    """A figure's numbers: value is the one compared (the median when there are samples)."""
    d = {"value": value}
    if median is not None:
        d.update({"min": value, "median": median, "n": n, "value": median})
    return d


def missing(why):
    return {"value": None, "missing": why}


def fwstub(text):
    """The firmware share printed by tools/bench/fwstub: the TSC at the stub's first instruction."""
    m = re.search(r"^fwstub: first-kernel-insn tsc=0x([0-9a-f]{16})$", text or "", re.M)
    return int(m.group(1), 16) if m else None


def parse_linux(text):
    """lxbench lines of tools/bench/linux/init.c: {figure: numbers}."""
    out = {}
    for line in (text or "").splitlines():
        m = re.match(r"^lxbench: (\S+) (.*)$", line)
        if not m:
            continue
        key, rest = m.groups()
        s = STAT_RE.fullmatch(rest)
        if s:
            out[key] = stat(int(s.group(1)), int(s.group(2)), int(s.group(3)))
        elif re.fullmatch(r"tsc=\d+", rest):
            out[key] = int(rest[4:])
        elif re.fullmatch(r"\d+", rest):
            out[key] = int(rest)
    return out


def linux_figures(out_dir, linux_dir):
    """Linux's figures per variant (default: bzImage; tuned: vmlinux by PVH), and the better of the two."""
    variants = {}
    for v in LINUX_VARIANTS:
        raw = parse_linux(read(os.path.join(out_dir, f"linux-{v}.txt")))
        fw = fwstub(read(os.path.join(out_dir, f"fw-linux-{v}.txt")))
        f = {}
        if "first-user-insn" in raw:
            f["boot-reset-to-user"] = stat(raw["first-user-insn"])
            if fw is not None:
                f["firmware"] = stat(fw)
                f["boot-entry-to-user"] = stat(raw["first-user-insn"] - fw)
                if "first-write" in raw:
                    f["boot-entry-to-write"] = stat(raw["first-write"] - fw)
        for k in ("null-syscall", "console-write-64", "clock-read", "pipe-switch", "packet-frame-64", "pipe-rtt-64",
                  "http-get-1k"):
            if k in raw:
                f[k] = raw[k]
        if "mem-used-kib" in raw:
            f["mem-used-bytes"] = stat(raw["mem-used-kib"] * 1024)
        if "rdtsc-overhead" in raw:
            f["rdtsc-overhead"] = raw["rdtsc-overhead"]
        variants[v] = f
    image = elf_load_bytes(os.path.join(linux_dir, "vmlinux"))
    best = {}
    # Boot figures come together from the variant that reaches user space first.
    boots = [v for v in LINUX_VARIANTS if "boot-reset-to-user" in variants[v]]
    if boots:
        vb = min(boots, key=lambda v: variants[v]["boot-reset-to-user"]["value"])
        for k in ("boot-reset-to-user", "firmware", "boot-entry-to-user", "boot-entry-to-write"):
            if k in variants[vb]:
                best[k] = dict(variants[vb][k], variant=vb)
    for k in ("null-syscall", "console-write-64", "clock-read", "pipe-switch", "packet-frame-64", "pipe-rtt-64",
              "http-get-1k", "mem-used-bytes"):
        have = [v for v in LINUX_VARIANTS if k in variants[v]]
        if have:
            vb = min(have, key=lambda v: variants[v][k]["value"])
            best[k] = dict(variants[vb][k], variant=vb)
    if image is not None:
        best["kernel-image-bytes"] = stat(image)
    return variants, best


def elf_load_bytes(path):
    """Sum of PT_LOAD memory sizes of an ELF64 executable (None if unreadable)."""
    try:
        with open(path, "rb") as f:
            hdr = f.read(64)
            if hdr[:4] != b"\x7fELF" or hdr[4] != 2:
                return None
            phoff, = struct.unpack_from("<Q", hdr, 32)
            phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
    except OSError:
        return None
    total = 0
    for i in range(phnum):
        p_type, = struct.unpack_from("<I", ph, i * phentsize)
        if p_type == 1:
            total += struct.unpack_from("<Q", ph, i * phentsize + 40)[0]
    return total


def elf_alloc_bytes(path):
    """Sum of the SHF_ALLOC section sizes of an ELF64 object (text, rodata, data, bss)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return None
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum = struct.unpack_from("<HH", data, 58)
    total = 0
    for i in range(shnum):
        sh = shoff + i * shentsize
        flags, = struct.unpack_from("<Q", data, sh + 8)
        size, = struct.unpack_from("<Q", data, sh + 32)
        if flags & 2:
            total += size
    return total


def code_lines():
    """Lines of code (cloc) of the root-mode code but networking: both backends, an hv = vmx
    image's (no hv/svm), an hv = svm image's (no hv/vmx); and networking (NIC_RE) apart."""
    dirs = [d for d in TRUSTED_DIRS if os.path.isdir(d)]
    try:
        # Code only: a folder's README (Markdown) documents it and does not run.
        r = subprocess.run(["cloc", "--json", "--by-file", "--quiet", "--exclude-lang=Markdown", *dirs],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True, text=True)
        files = json.loads(r.stdout)
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError) as e:
        why = f"cloc failed ({e.__class__.__name__}): run tools/deps/packages.sh"
        return (missing(why),) * 4
    trusted = nic = 0
    backend = {"vmx": 0, "svm": 0}
    for name, v in files.items():
        if name in ("header", "SUM"):
            continue
        if NOT_SHIPPED_RE.search(name):
            continue
        if NIC_RE.search(name):
            nic += v["code"]
            continue
        trusted += v["code"]
        m = re.match(r"(?:\./)?hv/(vmx|svm)/", name)
        if m:
            backend[m.group(1)] += v["code"]
    return stat(trusted), stat(trusted - backend["svm"]), stat(trusted - backend["vmx"]), stat(nic)


def parse_ours(text):
    """Kernel lines (CONTRACTS.md section 4) and the bench app's "fig" lines: {key: value}."""
    out = {}
    for line in (text or "").splitlines():
        m = re.match(r"^bench: (first-app-entry|kernel-entry) tsc=(\d+)$", line)
        if m:
            out.setdefault(m.group(1), int(m.group(2)))
        m = re.match(r"^(hv: .*|appliance: no usable .*|KERNEL (PANIC|EXCEPTION).*|bench: timed out.*)$", line)
        if m:
            out.setdefault("trouble", m.group(1))
        m = re.match(r"^app '[^']+' started: mem=(\d+)KiB ", line)
        if m and "kernel-heap-pages" not in out:
            out["apps-ram-pages"] = out.get("apps-ram-pages", 0) + int(m.group(1)) // 4
        m = re.match(r"^bench: kernel-heap-pages (\d+)$", line)
        if m:
            out["kernel-heap-pages"] = int(m.group(1))
        m = re.match(r"^bench: app (bench|bench-peer|bench-big) overhead-bytes (\d+) tsc-zero (\d+) start-ticks (\d+)$", line)
        if m:
            sfx = {"bench": "", "bench-peer": "-peer", "bench-big": "-big"}[m.group(1)]
            if not sfx:
                out["app-overhead-bytes"] = int(m.group(2))
            out["tsc-zero" + sfx] = int(m.group(3))
            out["start-ticks" + sfx] = int(m.group(4))
        m = re.search(r"(?:^|: )fig (\S+) (.*)$", line)
        if m:
            key, rest = m.groups()
            s = STAT_RE.fullmatch(rest)
            if s:
                out["fig:" + key] = stat(int(s.group(1)), int(s.group(2)), int(s.group(3)))
            elif re.fullmatch(r"tsc=\d+", rest):
                out["fig:" + key] = int(rest[4:])
            elif rest.startswith("missing"):
                out["fig:" + key] = missing(rest[len("missing"):].strip(" :") or "missing")
    return out


def our_figures(out_dir, path, why_no_image):
    """Our figures on one path, each a stat() or missing()."""
    text = read(os.path.join(out_dir, f"ours-{path}.txt"))
    fw = fwstub(read(os.path.join(out_dir, f"fw-{path}.txt")))
    f = {"firmware": stat(fw) if fw is not None else missing("the firmware stub printed nothing")}
    if fw is not None:
        f["firmware"]["stub"] = fw
    if text is None:
        why = why_no_image or f"{path}: no serial log"
        for name, *_ in FIGURES:
            if name not in f and name not in PATH_FREE:
                f[name] = missing(why)
        return f
    o = parse_ours(text)
    log = os.path.join(out_dir, f"ours-{path}.txt")
    entry = o.get("first-app-entry")
    if entry is None:
        # The run went wrong as a whole: every figure of this path is missing for one reason.
        why = f"{path}: {o.get('trouble', 'no bench lines')} (see {log})"
        for name, *_ in FIGURES:
            if name not in f and name not in PATH_FREE:
                f[name] = missing(why)
        return f
    tail = "; see " + log
    f["boot-entry-to-app"] = stat(entry)
    # From reset: the kernel's own entry TSC when it prints one (firmware + loader for
    # this very image, plus entry.S), else the stub's firmware share.
    start = o.get("kernel-entry", fw)
    if "kernel-entry" in o:
        f["firmware"] = dict(stat(o["kernel-entry"]), stub=fw)
    f["boot-reset-to-app"] = stat(start + entry) if start is not None else missing("no firmware share")
    # The app's TSC reads 0 at tsc-zero (ticks from kernel entry); it read first-write
    # just before its first console write.
    first_write, zero = o.get("fig:first-write"), o.get("tsc-zero")
    if isinstance(first_write, int) and zero is not None:
        f["boot-entry-to-write"] = stat(zero + first_write)
    else:
        f["boot-entry-to-write"] = missing("no 'bench: app bench tsc-zero' or 'fig first-write' line")
    for name in ("null-hypercall", "console-write-64", "clock-tsc", "clock-hypercall", "app-switch",
                 "net-frame-64", "chan-rtt-64", "first-touch"):
        v = o.get("fig:" + name)
        f[name] = v if isinstance(v, dict) else missing(f"the bench app printed no 'fig {name}' line" + tail)
    # The HTTP figure comes from its own appliance (tools/bench/bench-http.conf).
    hlog = os.path.join(out_dir, f"http-{path}.txt")
    h = parse_ours(read(hlog)).get("fig:http-get-1k")
    f["http-get-1k"] = h if isinstance(h, dict) else missing(f"the bench-http app printed no 'fig http-get-1k' line; see {hlog}")
    if "kernel-heap-pages" in o:
        # The apps' RAM apart (each app's memory = line reserves it in full at its start).
        f["kernel-heap-bytes"] = stat((o["kernel-heap-pages"] - o.get("apps-ram-pages", 0)) * 4096)
    else:
        f["kernel-heap-bytes"] = missing("no 'bench: kernel-heap-pages' line")
    # The kernel times starting each app (RAM zeroed, image and tables built, VM made).
    if "start-ticks" in o:
        f["app-start"] = stat(o["start-ticks"])
    else:
        f["app-start"] = missing("no 'bench: app bench ... start-ticks' line")
    if "start-ticks-big" in o:
        f["app-start-1g"] = stat(o["start-ticks-big"])
    else:
        f["app-start-1g"] = missing("no 'bench: app bench-big ... start-ticks' line")
    if "app-overhead-bytes" in o:
        f["app-overhead-bytes"] = stat(o["app-overhead-bytes"])
    else:
        f["app-overhead-bytes"] = missing("no 'bench: app bench overhead-bytes' line")
    return f


def fw_figures(text, log):
    """The firewall bench's two figures from a sink's fw-forward line: {name: stat or missing}."""
    m = FW_RE.search(text or "")
    if not m:
        why = f"no fw-forward line in {log}"
        return {name: missing(why) for name, *_ in FW_FIGURES}
    received, sent, ticks, denied, other, ooo, ended = (int(g) for g in m.groups())
    if received < 2 or ticks == 0:
        why = f"only {received} frames came through (see {log})"
        return {name: missing(why) for name, *_ in FW_FIGURES}
    extra = {"received": received, "sent": sent, "dropped": sent - received, "ticks": ticks, "denied": denied,
             "other": other, "out_of_order": ooo, "ended": bool(ended)}
    return {"fw-insns-per-frame": dict(stat(round(ticks / received)), **extra),
            "fw-frames-per-s": dict(stat(round(received * 1_000_000_000 / ticks)), **extra)}


def fw_rows(out_dir, rev, qemu):
    """The firewall figures for results.json (ours on FW_PATH, "-" elsewhere), and Linux's."""
    ours = fw_figures(read(os.path.join(out_dir, "ours-fw-qemu-svm.txt")),
                      os.path.join(out_dir, "ours-fw-qemu-svm.txt"))
    linux = fw_figures(read(os.path.join(out_dir, "linux-fw.txt")), os.path.join(out_dir, "linux-fw.txt"))
    rows = []
    for name, label, unit in FW_FIGURES:
        for p in PATHS:
            emu, cpu = EMULATORS[p]
            emu = f"{emu} {qemu if p.startswith('qemu') else bochs_version()}"
            fig = {"path": p, "name": name, "unit": unit, "emulator": emu, "cpu": cpu, "revision": rev,
                   "target_below": None, "target_ratio": FW_TARGET_RATIO, "higher_is_better": name in HIGHER_IS_BETTER}
            fig.update(ours[name] if p == FW_PATH else missing("QEMU only: the NICs are wired by QEMU hubs"))
            fig["linux"] = linux[name]["value"]
            rows.append(fig)
    return rows, linux


def fw_meets_target(name, value, lv):
    """Whether our figure is FW_TARGET_RATIO times better than Linux's (None if either is missing)."""
    if value is None or not lv:
        return None
    return value >= FW_TARGET_RATIO * lv if name in HIGHER_IS_BETTER else value * FW_TARGET_RATIO <= lv


def fw_table_rows(figs, w0, w1, w2, w3):
    """The firewall rows of the table: Linux's figure, ours on FW_PATH with the ratio, "-" elsewhere."""
    lines = []
    for name, label, unit in FW_FIGURES:
        f = figs.get((FW_PATH, name))
        if f is None:
            continue
        lv = f["linux"]
        target = f">={FW_TARGET_RATIO}x" if name in HIGHER_IS_BETTER else f"<=1/{FW_TARGET_RATIO}"
        row = f"{label:<{w0}}{target:>{w1}}{fmt(lv):>{w2}}"
        for p in PATHS:
            g = figs.get((p, name))
            if p != FW_PATH or g is None:
                cell = "-"
            elif g["value"] is None:
                cell = "missing"
            else:
                cell = fmt(g["value"])
                if lv:
                    r = g["value"] / lv if name in HIGHER_IS_BETTER else lv / g["value"]
                    cell += f" ({r:.1f}x)"
                if fw_meets_target(name, g["value"], lv) is False:
                    cell += "!"
            row += f"{cell:>{w3}}"
        lines.append(row)
    return lines


def wrk_value(text, unit):
    """Requests/sec (req/s) or Transfer/sec in MiB (MiB/s) from a wrk report, or None."""
    if unit == "req/s":
        m = re.search(r"^Requests/sec:\s+([\d.]+)$", text or "", re.M)
        return round(float(m.group(1))) if m else None
    m = re.search(r"^Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)$", text or "", re.M)
    return round(float(m.group(1)) * WRK_UNITS[m.group(2)], 2) if m else None


def real_time_rows(name, unit, side, rev, qemu, why_elsewhere, **extra):
    """One real-time figure for results.json from its two sides: ours on FW_PATH (QEMU), missing elsewhere."""
    rows = []
    for p in PATHS:
        fig = {"path": p, "name": name, "unit": unit, "emulator": f"QEMU TCG {qemu}, real time (no -icount)",
               "cpu": "max", "revision": rev, "target_below": None, **extra, "real_time": True,
               "linux": side["linux"]["value"]}
        fig.update(side["ours"] if p == FW_PATH else missing(why_elsewhere))
        rows.append(fig)
    return rows


def wrk_rows(out_dir, rev, qemu):
    """The wrk figures for results.json: ours on FW_PATH (QEMU), "-" elsewhere, Linux's beside."""
    rows = []
    for name, label, unit, which, ratio in WRK_FIGURES:
        side = {}
        for who in ("ours", "linux"):
            log = os.path.join(out_dir, f"wrk-{who}-{which}.txt")
            v = wrk_value(read(log), unit)
            side[who] = stat(v) if v is not None else missing(f"no wrk figure in {log}")
        rows += real_time_rows(name, unit, side, rev, qemu, "QEMU only: wrk reaches the guest by QEMU's hostfwd",
                               target_ratio=ratio, higher_is_better=True)
    return rows


def rt_rows(out_dir, rev, qemu):
    """The real-time exit figures for results.json (RT_FIGURES): ours on FW_PATH, Linux's beside."""
    rows = []
    for name, label, ours_re, linux_re in RT_FIGURES:
        side = {}
        for who, pre in (("ours", ours_re), ("linux", linux_re)):
            log = os.path.join(out_dir, f"rt-{who}.txt")
            m = re.search(pre + STAT_RE.pattern, read(log) or "", re.M)
            side[who] = stat(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else \
                missing(f"no real-time figure in {log}")
        rows += real_time_rows(name, "ticks", side, rev, qemu, "QEMU only: measured beside the wrk rows")
    return rows


def rt_table_rows(figs, w0, w1, w2, w3):
    """The real-time exit rows: Linux's ticks, ours on QEMU with (Linux / ours, as the counted rows), "-" on Bochs."""
    lines = []
    for name, label, _, _ in RT_FIGURES:
        mine = figs.get((FW_PATH, name))
        if mine is None:
            continue
        lv, v = mine["linux"], mine["value"]
        cells = {p: "-" for p in PATHS}
        cells[FW_PATH] = "missing" if v is None else fmt(v) + (f" ({lv / v:.2f}x)" if lv and v else "")
        lines.append(f"{label:<{w0}}{'-':>{w1}}{fmt(lv):>{w2}}" + "".join(f"{cells[p]:>{w3}}" for p in PATHS))
    return lines


def wrk_table_rows(figs, w0, w1, w2, w3):
    """The real-time rows: Linux's rate, ours on QEMU with (ours / Linux), "-" on Bochs."""
    lines = []
    for name, label, unit, which, ratio in WRK_FIGURES:
        mine = figs.get((FW_PATH, name))
        if mine is None:
            continue
        lv, v = mine["linux"], mine["value"]
        cells = {p: "-" for p in PATHS}
        cells[FW_PATH] = "missing" if v is None else fmt(v) + (f" ({v / lv:.1f}x)" if lv else "")
        if ratio and v is not None and lv and v < ratio * lv:
            cells[FW_PATH] += "!"
        lines.append(f"{label:<{w0}}{(f'>={ratio}x' if ratio else '-'):>{w1}}{fmt(lv):>{w2}}" +
                     "".join(f"{cells[p]:>{w3}}" for p in PATHS))
    return lines


def bochs_version():
    return tool_version(["dpkg-query", "-W", "-f=${Version}", "bochs"], r"(\S+)")


def git_revision():
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def tool_version(cmd, pattern):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        m = re.search(pattern, r.stdout)
        return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def collect(a):
    rev = git_revision()
    qemu = tool_version(["qemu-system-x86_64", "--version"], r"version (\S+)")
    bochs = tool_version(["dpkg-query", "-W", "-f=${Version}", "bochs"], r"(\S+)")
    linux_version = (read(os.path.join(a.linux, "version")) or "unknown").strip()
    why = (read(os.path.join(a.out_dir, "ours-missing.why")) or "").strip() or None
    variants, lbest = linux_figures(a.out_dir, a.linux)
    image = elf_alloc_bytes(a.kernel_obj)
    trusted, trusted_vmx, trusted_svm, nic = code_lines()
    path_free = {
        "kernel-image-bytes": stat(image) if image is not None else missing(f"no {a.kernel_obj}"),
        "trusted-code-lines": trusted,
        "trusted-code-vmx-lines": trusted_vmx,
        "trusted-code-svm-lines": trusted_svm,
        "nic-driver-lines": nic,
    }
    ours = {p: our_figures(a.out_dir, p, why) for p in PATHS}
    ours["all"] = path_free
    figures = []
    for name, label, unit, target, lkey in FIGURES:
        for p in ["all"] if name in PATH_FREE else PATHS:
            v = ours[p][name]
            emu, cpu = EMULATORS.get(p, ("none (static count)", "-"))
            if p != "all":
                emu = f"{emu} {qemu if p.startswith('qemu') else bochs}"
            fig = {"path": p, "name": name, "unit": unit, "emulator": emu, "cpu": cpu, "revision": rev,
                   "target_below": target}
            fig.update(v)
            lv = lbest.get(lkey) if lkey else None
            fig["linux"] = lv["value"] if lv else None
            figures.append(fig)
    fw, linux_fw = fw_rows(a.out_dir, rev, qemu)
    figures += fw
    figures += wrk_rows(a.out_dir, rev, qemu)
    figures += rt_rows(a.out_dir, rev, qemu)
    res = {
        "schema": 1,
        "revision": rev,
        "qemu": qemu,
        "bochs": bochs,
        "linux": {
            "package": f"linux-image-amd64 {linux_version}",
            "emulator": f"QEMU TCG {qemu} -icount shift=0,sleep=off",
            "cpu": "max",
            "variants": {
                "default": "bzImage by -kernel/-initrd, console=ttyS0",
                "tuned": "vmlinux by PVH, console=ttyS0 mitigations=off cryptomgr.notests quiet",
            },
            "figures": variants,
            "best": lbest,
            "firewall": dict(linux_fw, boot="tuned (vmlinux by PVH) with bench=fw, four e1000s on two QEMU hubs"),
        },
        "figures": figures,
    }
    with open(a.results, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(a.table, "w") as f:
        f.write(table(res))


def fmt(n):
    return "-" if n is None else f"{n:,}"


def table(res):
    """The one-screen table: one row per figure, one column per path, Linux's best beside them."""
    figs = {(f["path"], f["name"]): f for f in res["figures"]}
    w0, w1, w2, w3 = 30, 12, 13, 20
    lines = [f"univisor bench, revision {res['revision']}: exact counts (instructions unless said), lower is better",
             f"Linux = Debian {res['linux']['package'].split()[-1]} on QEMU {res['qemu']}, the better of its default and tuned boots;"
             " (Nx) = Linux / ours",
             f"{'figure':<{w0}}{'target':>{w1}}{'Linux':>{w2}}" + "".join(f"{p:>{w3}}" for p in PATHS)]
    missing_why = {}
    for name, label, unit, target, lkey in FIGURES:
        row = f"{label:<{w0}}"
        ratio = RATIO_TARGETS.get(name)
        row += f"{('<' + fmt(target)) if target else f'<=1/{ratio}' if ratio else '-':>{w1}}"
        paths = ["all"] if name in PATH_FREE else PATHS
        lv = figs[(paths[0], name)]["linux"]
        row += f"{fmt(lv):>{w2}}"
        for p in PATHS:
            f = figs.get((p, name)) or figs.get(("all", name))
            if p != PATHS[0] and name in PATH_FREE:
                cell = '"'
            elif f["value"] is None:
                cell = "missing"
                missing_why.setdefault(f["missing"], []).append(f"{name}@{p}")
            else:
                cell = fmt(f["value"])
                if lv and f["value"] and (p == "qemu-svm" or name not in QEMU_ONLY_RATIO):
                    r = lv / f["value"]
                    cell += f" ({r:,.0f}x)" if r >= 10 else f" ({r:.1f}x)" if r >= 0.1 else f" ({r:.2f}x)"
                if (target and f["value"] >= target) or (ratio and lv and f["value"] * ratio > lv):
                    cell += "!"
            row += f"{cell:>{w3}}"
        lines.append(row)
    lines += fw_table_rows(figs, w0, w1, w2, w3)
    lines += wrk_table_rows(figs, w0, w1, w2, w3)
    lines += rt_table_rows(figs, w0, w1, w2, w3)
    lines.append("! = misses its target.  Per-op figures are medians (min in results.json), RDTSC before/after"
                 " as the app sees it.")
    if any(f.get("real_time") for f in res["figures"]):
        lines.append("wrk: real time, QEMU only (host wrk through hostfwd, -t1 -c4, 3 s; Linux's boot right after ours);"
                     " higher-better, (Nx) = ours / Linux; varies from run to run. real ticks: the same QEMU without"
                     " -icount, host TSC ticks per call (every exit of ours pays QEMU's VMRUN/#VMEXIT).")
    if any(f["name"] in HIGHER_IS_BETTER for f in res["figures"]):
        lines.append(f"firewall: QEMU only (4 e1000s on 2 hubs; Linux's AF_PACKET bridge beside it); frames/s is"
                     f" higher-better, its (Nx) = ours / Linux; target: {FW_TARGET_RATIO}x Linux's frames/s.")
    for why, where in missing_why.items():
        names = sorted({w.split("@")[0] for w in where})
        which = ", ".join(names) if len(names) <= 3 else f"{len(names)} figures"
        lines.append(f"missing ({which}): {why}")
    return "\n".join(lines) + "\n"


def check(a):
    res = json.load(open(a.results))
    base = json.load(open(a.baseline))
    now = {(f["path"], f["name"]): f for f in res["figures"]}
    bad = 0
    for bf in base["figures"]:
        key = (bf["path"], bf["name"])
        b = bf.get("value")
        if b is None:
            continue
        if bf.get("real_time"):
            continue  # wall-clock rates (wrk): shown, not held to the baseline
        f = now.get(key)
        v = f.get("value") if f else None
        label = f"{key[0]} {key[1]}"
        if v is None:
            print(f"WORSE {label}: missing now ({f.get('missing') if f else 'not measured'}), baseline {b:,}")
            bad += 1
        elif (v * 11 < b * 10) if bf.get("higher_is_better") else (v * 10 > b * 11):
            change = f"{(v - b) * 100 / b:+.1f}%" if b else "up from 0"
            limit = "-10%" if bf.get("higher_is_better") else "+10%"
            print(f"WORSE {label}: {v:,} vs baseline {b:,} ({change}, limit {limit})")
            bad += 1
        else:
            change = f"{(v - b) * 100 / b:+.1f}%" if b else "same"
            print(f"ok    {label}: {v:,} vs baseline {b:,} ({change})")
    for key, f in sorted(now.items()):
        if f.get("real_time"):
            if f.get("value") is not None:
                print(f"info  {key[0]} {key[1]}: {f['value']:,} (real time, Linux {fmt(f.get('linux'))}: not checked)")
            continue
        if f.get("value") is not None and not any((bf["path"], bf["name"]) == key and bf.get("value") is not None
                                                  for bf in base["figures"]):
            print(f"new   {key[0]} {key[1]}: {f['value']:,} (not in the baseline yet)")
    print(f"bench-check: {bad} figure(s) more than 10% worse than bench/baseline.json"
          f" (baseline revision {base.get('revision')}, now {res.get('revision')})")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--out-dir", required=True)
    c.add_argument("--linux", required=True)
    c.add_argument("--kernel-obj", required=True)
    c.add_argument("--results", required=True)
    c.add_argument("--table", required=True)
    k = sub.add_parser("check")
    k.add_argument("--results", required=True)
    k.add_argument("--baseline", required=True)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    a = ap.parse_args()
    if a.cmd == "collect":
        collect(a)
    elif a.cmd == "check":
        sys.exit(check(a))
    else:
        sys.stdout.write(table(json.load(open(a.results))))


main()
