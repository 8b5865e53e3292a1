#!/usr/bin/env bash
# tests/boot/vault.sh: the key vault (apps/vault) signs over channels and tells its public key, the host verifies every signature with OpenSSL and a tampered message fails; mkimage proves config/vault.conf's deny_flow and names the path without its declassify line.
. tests/boot/lib.sh
s=$UV_OUT/serial.txt
t=$UV_OUT/verify
rm -rf "$t" && mkdir -p "$t"
unhex() { python3 -c 'import sys, binascii; sys.stdout.buffer.write(binascii.unhexlify(sys.argv[1]))' "$1"; }

# The shipped appliance: the vault's only way to the uplink is the declassified reply channel.
if "$B/tools/mkimage" --config config/vault.conf > "$t/mk.txt" 2>&1 && grep -qx '  deny_flow vault -> uplink: no path (checked)' "$t/mk.txt"; then
	pass vault.config-flow-proved
else
	fail vault.config-flow-proved "$(tail -n 2 "$t/mk.txt")"
fi
grep -v '^declassify' config/vault.conf > "$t/undeclassified.conf"
want="$t/undeclassified.conf:[0-9]+: deny_flow vault -> uplink: the config lets information flow that way: vault -> chan:sign_rep -> signer -> seg:lan -> port:uplink$"
if ! "$B/tools/mkimage" --config "$t/undeclassified.conf" > "$t/mk2.txt" 2>&1 && grep -qE "^$want" "$t/mk2.txt"; then
	pass vault.config-flow-refused-without-declassify
else
	fail vault.config-flow-refused-without-declassify "$(head -n 1 "$t/mk2.txt")"
fi

uv_boot_path "$B/test/vault" "$s" 120 900
booted vault "$s" || exit 1
expect vault.serving "$s" '^vault: serving sign requests \(rate 2/s, burst 5\)$'
relay vault "$s" front
pk=$(sed -n 's/^vault: public key \([0-9a-f]\{64\}\)$/\1/p' "$s" | tail -n 1)
if [ -z "$pk" ]; then
	fail vault.public-key "no 'vault: public key' line"
else
	pass vault.public-key
	# RFC 8410: an Ed25519 SubjectPublicKeyInfo is this 12-byte DER prefix and the 32-byte key.
	unhex "302a300506032b6570032100$pk" > "$t/pk.der"
	openssl pkey -pubin -inform DER -in "$t/pk.der" -out "$t/pk.pem" 2> "$t/pkey.err" ||
		fail vault.public-key-der "$(head -n 1 "$t/pkey.err")"
	n=0
	while read -r msg sig; do
		n=$((n + 1))
		unhex "$msg" > "$t/msg$n.bin"
		unhex "$sig" > "$t/sig$n.bin"
		if openssl pkeyutl -verify -pubin -inkey "$t/pk.pem" -rawin -in "$t/msg$n.bin" -sigfile "$t/sig$n.bin" > "$t/v$n.txt" 2>&1; then
			pass "vault.signature-$n-verifies"
		else
			fail "vault.signature-$n-verifies" "openssl: $(head -n 1 "$t/v$n.txt") (message $(cat "$t/msg$n.bin"))"
		fi
		# The same signature over the message with its first byte changed must not verify.
		python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[0] ^= 1; open(sys.argv[2], "wb").write(b)' \
			"$t/msg$n.bin" "$t/tampered$n.bin"
		if openssl pkeyutl -verify -pubin -inkey "$t/pk.pem" -rawin -in "$t/tampered$n.bin" -sigfile "$t/sig$n.bin" > "$t/t$n.txt" 2>&1; then
			fail "vault.tampered-$n-fails" "openssl accepted a tampered message"
		else
			pass "vault.tampered-$n-fails"
		fi
	done < <(sed -n 's/^front: signature msg=\([0-9a-f]*\) sig=\([0-9a-f]\{128\}\)$/\1 \2/p' "$s")
	cpk=$(sed -n 's/^front: channel public key \([0-9a-f]\{64\}\)$/\1/p' "$s" | tail -n 1)
	[ "$cpk" = "$pk" ] && pass vault.channel-pubkey-is-console-pubkey ||
		fail vault.channel-pubkey-is-console-pubkey "channel '${cpk:-none}', console '$pk'"
	[ "$n" = 3 ] && pass vault.three-signatures || fail vault.three-signatures "$n signature lines, not 3"
	[ "$(cat "$t/msg1.bin" 2>/dev/null)" = "hello vault" ] && pass vault.message-is-argument ||
		fail vault.message-is-argument "first message '$(cat "$t/msg1.bin" 2>/dev/null)'"
fi
# The client's exit resets the channels: the vault is told once and then waits with nothing to wake it.
expect vault.told-client-stopped "$s" '^vault: client channel reset; signed=[0-9]+ pubkeys=1 malformed=3 too-long=1 limited=[0-9]+ lost=0$'
expect vault.run-ends "$s" '^sched: every remaining app waits forever with nothing to wake it; ending the run$'
expect vault.front-exit "$s" "^app 'front' exited with status 0\$"
expect_not vault.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
