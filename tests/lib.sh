# tests/lib.sh: the check helpers every test script sources (tests/host/*.sh, and tests/boot/*.sh through tests/boot/lib.sh).
#
# Each check prints one line, `PASS <path> <name>` or `FAIL <path> <name>: <why>`; tests/run
# counts them. UV_PATH is the path in those lines: host here, the emulator path for boot
# tests (tests/boot/lib.sh sets it). A script ends with `exit $UV_FAILED`: non-zero when a
# check failed.

UV_PATH=host
UV_FAILED=0

# pass <name> / fail <name> <why>: one verdict.
pass() { echo "PASS $UV_PATH $1"; }
fail() { echo "FAIL $UV_PATH $1: $2"; UV_FAILED=1; }

# expect <name> <file> <extended regex>: PASS if some line matches.
expect() {
	if grep -qE -- "$3" "$2"; then pass "$1"; else fail "$1" "no line matching /$3/ in $2"; fi
}
# expect_not <name> <file> <extended regex>: PASS if no line matches.
expect_not() {
	local hit
	if hit=$(grep -m1 -E -- "$3" "$2"); then fail "$1" "unexpected line: $hit"; else pass "$1"; fi
}
# expect_count <name> <file> <extended regex> <n>: exactly n matching lines.
expect_count() {
	local n
	n=$(grep -cE -- "$3" "$2")
	if [ "$n" = "$4" ]; then pass "$1"; else fail "$1" "$n lines match /$3/, expected $4 (in $2)"; fi
}
