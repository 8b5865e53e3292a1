#!/usr/bin/env bash
# tests/host/fuzz.sh: runs each libFuzzer target (build/fuzz/fuzz_*) for FUZZ_TIME seconds (default 20) from its seeds, FUZZ_JOBS at a time; one PASS/FAIL line per target.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${B:-build}
T=${FUZZ_TIME:-20}
J=${FUZZ_JOBS:-$(nproc)}
# Every target: the mkimage ones (tools/mkimage/mkimage.mk), the guest-facing decoders and the switch (tests/fuzz/fuzz.mk).
# FUZZ_TARGETS="a b" runs only those.
TARGETS=(${FUZZ_TARGETS:-config manifest guestwalk svm_decode hypercall switch})
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Seeds: the committed ones (tests/fuzz/<target>/) and the generated binary ones.
seed() {
	local t=$1 corpus=$2
	[ -d "tests/fuzz/$t" ] && cp tests/fuzz/"$t"/* "$corpus"/
	case $t in
	manifest) "$B/fuzz/seeds" "$corpus" ;;
	guestwalk|svm_decode|hypercall) "$B/fuzz/seeds_guest" "$t" "$corpus" ;;
	esac
}

# One target; its line goes to $out/<target> (it runs in the background: its fail cannot set UV_FAILED here).
run() {
	local t=$1 bin=$B/fuzz/fuzz_$1 name=fuzz.$1
	local corpus=$B/fuzz/corpus/$t art=$B/fuzz/artifacts/$t log=$B/fuzz/$t.log
	if [ ! -x "$bin" ] || [ ! -x "$B/fuzz/seeds" ] || [ ! -x "$B/fuzz/seeds_guest" ]; then
		fail "$name" "$bin or a seed generator not built (make test-build)"
		return
	fi
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	if ! seed "$t" "$corpus" 2>"$log"; then
		fail "$name" "seed generation failed: $(head -n1 "$log")"
		return
	fi
	"$bin" -max_total_time="$T" -rss_limit_mb=1024 -max_len=65536 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	local rc=$? crash runs
	crash=$(find "$art" -type f | head -n1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -ne 0 ] || [ -n "$crash" ]; then
		fail "$name" "${crash:-no crash file} (exit $rc; log $log)"
	elif [ -z "$runs" ] || [ "$runs" -lt 1000 ]; then
		fail "$name" "only ${runs:-0} runs in ${T}s (log $log)"
	else
		pass "$name"
		echo "$name: $runs runs in ${T}s ($((runs / T))/s)" >&2
	fi
}

for t in "${TARGETS[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$J" ]; do wait -n; done
	run "$t" >"$out/$t" &
done
wait
for t in "${TARGETS[@]}"; do
	cat "$out/$t"
	grep -q '^PASS ' "$out/$t" || UV_FAILED=1
done
exit $UV_FAILED
