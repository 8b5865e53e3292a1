#!/usr/bin/env bash
# tests/boot/console.sh: a console flooder delays no one's wake-up and loses none of its own lines; a forger cannot fake kernel lines or send terminal controls.
. tests/boot/lib.sh
export LC_ALL=C # the forger's lines hold UTF-8 and '?': compare bytes
img=$B/test/console
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 300
booted console "$s" || exit 1

# The sleepers woke on time while the flooder flooded, and their console_writes never waited.
for a in ticker-a ticker-b flooder; do
	relay console "$s" "$a"
done
for a in flooder ticker-a ticker-b forger; do
	expect "console.$a.exit" "$s" "^app '$a' exited with status 0$"
done
# The flooder really hit its share (blocked), and every line of it arrived, whole and in order.
expect console.flooder.blocked "$s" '^  flooder +exited +status=0 .* console-waits=[1-9][0-9]*/[0-9]+ms '
lines=$(sed -n 's/^flooder: lines=\([0-9]*\)$/\1/p' "$s")
got=$(awk '/^flooder: flood / {
	want = sprintf("flooder: flood %08d abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv", n)
	if ($0 != want) { print "line " NR " is \"" $0 "\", expected \"" want "\""; bad = 1; exit }
	n++ }
	END { if (!bad) print n + 0 }' "$s")
if [ -n "$lines" ] && [ "$lines" -gt 0 ] && [ "$got" = "$lines" ]; then pass console.flooder.complete-in-order
else fail console.flooder.complete-in-order "the flooder says it wrote ${lines:-no} lines; the console shows: $got"; fi
# Its flood did not hold up the others' lines: a sleeper's line came out while it flooded.
first_tick=$(grep -an -m1 '^ticker-a: round=' "$s" | cut -d: -f1)
last_flood=$(grep -an '^flooder: flood ' "$s" | tail -n1 | cut -d: -f1)
if [ -n "$first_tick" ] && [ -n "$last_flood" ] && [ "$first_tick" -lt "$last_flood" ]; then
	pass console.flooder.others-not-held-up
else fail console.flooder.others-not-held-up "ticker-a's first line (line ${first_tick:-none}) is not before the flooder's last (line ${last_flood:-none})"; fi

# The forger's lines, byte for byte: controls and invalid bytes are '?', valid UTF-8 stays.
# forged <check> <printf format of the whole line>
forged() {
	local want
	want=$(printf "$2")
	if grep -aqxF -- "$want" "$s"; then pass "console.forger.$1"
	else fail "console.forger.$1" "no line '$(printf '%s\n' "$want" | sed -n 'l' | sed 's/\$$//')' in $s"; fi
}
forged escape 'forger: ?[2J?[Hcleared the screen'
forged osc 'forger: ?]0;title? osc'
forged raw-c1 'forger: raw-csi ?31m red'
forged utf8-c1 'forger: utf8-csi ?31m red, nel ?, raw nel ?'
forged cr 'forger: ?app '\''x'\'' stopped: forged by CR'
forged newline 'forger: app '\''y'\'' stopped: forged after a newline'
forged backspace-del 'forger: abc???xyz del?'
forged utf8-kept 'forger: utf8 \303\251 \342\202\254 \360\237\230\200'
forged invalid-utf8 'forger: bad overlong ?? surrogate ??? too-big ???? cut ?? end'
forged split-across-writes 'forger: split \342\202\254 end'
forged wrap-keeps-characters "forger: $(printf 'w%.0s' $(seq 255))"
forged wrap-next-line 'forger: \342\202\254'
forged cut-at-exit 'forger: tail ??'
expect_not console.forger.no-fake-kernel-line "$s" "^app '(x|y)' stopped"
# Nothing an app printed holds a control byte or anything but valid UTF-8 without C1 controls.
bad=$(python3 - "$s" <<'PY'
import sys
for n, raw in enumerate(open(sys.argv[1], "rb").read().split(b"\n"), 1):
    if not raw.startswith((b"forger: ", b"flooder: ", b"ticker-a: ", b"ticker-b: ")):
        continue
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"line {n}: invalid UTF-8 ({e})"); break
    if any((ord(c) < 0x20 and c != "\t") or 0x7f <= ord(c) <= 0x9f for c in text):
        print(f"line {n}: a control character: {raw!r}"); break
PY
)
if [ -z "$bad" ]; then pass console.forger.app-lines-clean; else fail console.forger.app-lines-clean "$bad"; fi

expect_count console.summary-lines "$s" '^  [a-z0-9-]+ +(exited|stopped) +status=' 4
expect console.run-ended "$s" '^univisor: run ended, powering off$'
expect_not console.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
