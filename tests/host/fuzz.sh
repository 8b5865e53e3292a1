#!/usr/bin/env bash
# tests/host/fuzz.sh: runs each libFuzzer target (build/fuzz/fuzz_*) for FUZZ_TIME seconds (default 25) from its seeds; one PASS/FAIL line per target.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
T=${FUZZ_TIME:-25}
status=0
for t in config manifest; do
	bin=$B/fuzz/fuzz_$t name=fuzz.$t
	if [ ! -x "$bin" ] || [ ! -x "$B/fuzz/seeds" ]; then
		echo "FAIL host $name: $bin or $B/fuzz/seeds not built (make test-build)"
		status=1
		continue
	fi
	corpus=$B/fuzz/corpus/$t art=$B/fuzz/artifacts/$t log=$B/fuzz/$t.log
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	# Seeds: the committed ones (tests/fuzz/<target>/) and the generated binary ones.
	[ -d "tests/fuzz/$t" ] && cp tests/fuzz/"$t"/* "$corpus"/
	if [ "$t" = manifest ] && ! "$B/fuzz/seeds" "$corpus" 2>"$log"; then
		echo "FAIL host $name: seed generation failed: $(head -n1 "$log")"
		status=1
		continue
	fi
	"$bin" -max_total_time="$T" -rss_limit_mb=1024 -max_len=65536 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?
	crash=$(find "$art" -type f | head -n1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -ne 0 ] || [ -n "$crash" ]; then
		echo "FAIL host $name: ${crash:-no crash file} (exit $rc; log $log)"
		status=1
	elif [ -z "$runs" ] || [ "$runs" -lt 1000 ]; then
		echo "FAIL host $name: only ${runs:-0} runs in ${T}s (log $log)"
		status=1
	else
		echo "PASS host $name"
		echo "$name: $runs runs in ${T}s" >&2
	fi
done
exit $status
