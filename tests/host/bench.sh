#!/usr/bin/env bash
# tests/host/bench.sh: tools/bench/results.py on canned serial logs: figures derived right, missing ones named, bench-check's 10% rule.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# A figure from results.json: fig <path> <name> <key>
fig() {
	python3 -c 'import json, sys
for f in json.load(open(sys.argv[1]))["figures"]:
    if f["path"] == sys.argv[2] and f["name"] == sys.argv[3]:
        print(f.get(sys.argv[4]))' "$t/results.json" "$1" "$2" "$3"
}
expect_fig() { # <check> <path> <name> <key> <value>
	local v
	v=$(fig "$2" "$3" "$4")
	if [ "$v" = "$5" ]; then pass "$1"; else fail "$1" "$2 $3 $4 is '$v', expected '$5'"; fi
}

# ---- collect: canned logs of one good QEMU run, one failed Bochs run, Linux's two boots ----
mkdir -p "$t/out" "$t/linux"
echo 6.1.0-test > "$t/linux/version"
cat > "$t/out/ours-qemu-svm.txt" <<'EOF'
univisor x: kernel started by PVH
bench: kernel-heap-pages 10
bench: app bench overhead-bytes 32768 tsc-zero 900 start-ticks 600
bench: app bench-peer overhead-bytes 32768 tsc-zero 1500 start-ticks 650
bench: fig first-write tsc=700
bench: fig app-switch min=1700 median=1764 n=1000
bench: fig null-hypercall min=100 median=120 n=1000
bench: console-write-64 ..............................................
bench: fig console-write-64 min=4000 median=4318 n=64
bench: fig clock-tsc missing: the boot-info page says the TSC clock is unusable (0)
bench: fig clock-hypercall min=300 median=329 n=1000
bench: first-app-entry tsc=2000
bench: kernel-entry tsc=8000000
univisor: run ended, powering off
EOF
cat > "$t/out/ours-bochs-vmx.txt" <<'EOF'
hv: this kernel was built without the backend for this CPU's VMX
appliance: no usable hardware virtualization; stopping
EOF
echo "fwstub: first-kernel-insn tsc=0x0000000000000064" > "$t/out/fw-qemu-svm.txt"
echo "fwstub: first-kernel-insn tsc=0x00000000000000c8" > "$t/out/fw-linux-tuned.txt"
echo "fwstub: first-kernel-insn tsc=0x000000000000012c" > "$t/out/fw-linux-default.txt"
cat > "$t/out/linux-tuned.txt" <<'EOF'
lxbench: first-user-insn tsc=10000
lxbench: first-write tsc=10500
lxbench: null-syscall min=326 median=326 n=1000
lxbench: console-write-64 .....................................
lxbench: console-write-64 min=10527 median=10527 n=64
lxbench: pipe-switch min=5190 median=5190 n=1000
EOF
cat > "$t/out/linux-default.txt" <<'EOF'
lxbench: first-user-insn tsc=90000
lxbench: null-syscall min=300 median=310 n=1000
lxbench: pipe-switch min=5289 median=5289 n=1000
EOF
if python3 tools/bench/results.py collect --out-dir "$t/out" --linux "$t/linux" --kernel-obj "$t/none.o" \
	--results "$t/results.json" --table "$t/table.txt" 2>"$t/err"; then
	pass bench.collect.runs
	expect_fig bench.collect.entry-to-app qemu-svm boot-entry-to-app value 2000
	expect_fig bench.collect.entry-to-write qemu-svm boot-entry-to-write value 1600   # tsc-zero 900 + 700
	expect_fig bench.collect.reset-to-app qemu-svm boot-reset-to-app value 8002000     # kernel-entry + entry
	expect_fig bench.collect.firmware-stub qemu-svm firmware stub 100
	expect_fig bench.collect.app-start qemu-svm app-start value 600                   # bench's start-ticks
	expect_fig bench.collect.median-is-value qemu-svm null-hypercall value 120
	expect_fig bench.collect.min qemu-svm null-hypercall min 100
	expect_fig bench.collect.app-missing-says-why qemu-svm clock-tsc missing "the boot-info page says the TSC clock is unusable (0)"
	expect_fig bench.collect.heap-pages qemu-svm kernel-heap-bytes value 40960
	expect_fig bench.collect.overhead-of-bench-app qemu-svm app-overhead-bytes value 32768
	expect_fig bench.collect.failed-path-missing bochs-vmx null-hypercall value None
	expect_fig bench.collect.failed-path-reason bochs-vmx null-hypercall missing \
		"bochs-vmx: hv: this kernel was built without the backend for this CPU's VMX (see $t/out/ours-bochs-vmx.txt)"
	expect_fig bench.collect.no-log-missing bochs-svm app-switch value None
	# Linux: boot figures from the variant that reached user space first, minus its firmware.
	expect_fig bench.collect.linux-boot qemu-svm boot-entry-to-app linux 9800
	expect_fig bench.collect.linux-reset qemu-svm boot-reset-to-app linux 10000
	expect_fig bench.collect.linux-write qemu-svm boot-entry-to-write linux 10300
	# Per-op figures: the better of the two boots, each on its own.
	expect_fig bench.collect.linux-best-per-figure qemu-svm null-hypercall linux 310
	expect_fig bench.collect.linux-pipe qemu-svm app-switch linux 5190
	expect_fig bench.collect.kernel-obj-missing all kernel-image-bytes value None
	if grep -q '^null hypercall / syscall .* 120 (2.6x) ' "$t/table.txt" &&
		grep -q '^console write, 64 B .* 4,318 (2.4x)!' "$t/table.txt"; then pass bench.table.ratio-and-target
	else fail bench.table.ratio-and-target "no rows with 120 (2.6x) and 4,318 (2.4x)!in: $(cat "$t/table.txt")"; fi
else
	fail bench.collect.runs "results.py collect failed: $(tail -n 3 "$t/err")"
fi

# ---- check: the 10% rule against a baseline ----
mk() { # <file> <value of qemu-svm null-hypercall> [<value of bochs-svm app-switch>]
	python3 -c 'import json, sys
v = lambda s: None if s == "None" else int(s)
figs = [{"path": "qemu-svm", "name": "null-hypercall", "value": v(sys.argv[2])},
        {"path": "bochs-svm", "name": "app-switch", "value": v(sys.argv[3])}]
json.dump({"revision": "r", "figures": figs}, open(sys.argv[1], "w"))' "$1" "$2" "${3:-500}"
}
check() { python3 tools/bench/results.py check --results "$t/now.json" --baseline "$t/base.json" > "$t/check.out" 2>&1; }
mk "$t/base.json" 1000
mk "$t/now.json" 1000
if check; then pass bench.check.same; else fail bench.check.same "exit $? on identical figures"; fi
mk "$t/now.json" 1100
if check; then pass bench.check.ten-percent-is-ok; else fail bench.check.ten-percent-is-ok "exit $? at +10%"; fi
mk "$t/now.json" 1101
if check; then fail bench.check.worse-fails "exit 0 at +10.1%"
elif grep -q '^WORSE qemu-svm null-hypercall: 1,101 vs baseline 1,000' "$t/check.out"; then pass bench.check.worse-fails
else fail bench.check.worse-fails "no WORSE line: $(cat "$t/check.out")"; fi
mk "$t/now.json" 900 None
if check; then fail bench.check.missing-fails "exit 0 when a figure disappeared"
elif grep -q '^WORSE bochs-svm app-switch: missing now' "$t/check.out"; then pass bench.check.missing-fails
else fail bench.check.missing-fails "no WORSE line: $(cat "$t/check.out")"; fi
mk "$t/base.json" None
mk "$t/now.json" 5000
if check && grep -q '^new   qemu-svm null-hypercall' "$t/check.out"; then pass bench.check.new-figure-passes
else fail bench.check.new-figure-passes "$(cat "$t/check.out")"; fi

exit $UV_FAILED
