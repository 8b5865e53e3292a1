#!/usr/bin/env bash
# tests/boot/dns.sh: getaddrinfo of names through lwIP's resolver on every path, against a DNS responder app on an internal segment (no internet): A, AAAA, a missing name and a missing record (EAI_NONAME), no answer (EAI_AGAIN), hostile answers ignored, malformed queries dropped by the responder.
. tests/boot/lib.sh
s=$UV_OUT/serial.txt

uv_boot_path "$B/test/dns" "$s" 120 900
booted dns "$s" || exit 1
expect dns.check.server-from-config "$s" '^check: net: nic 0 10\.5\.0\.2/24 gw 0\.0\.0\.0 dns 10\.5\.0\.53 \(static\)$'
relay dns "$s" check
expect_count dns.dnsd.dropped-malformed "$s" '^dnsd: dnsd: dropped a malformed query: ' 5
expect_count dns.dnsd.asked-4-times-then-gave-up "$s" '^dnsd: dnsd: query silent\.uv\.test type 1$' 4
expect dns.dnsd.exit "$s" "^app 'dnsd' exited with status 0\$"
expect dns.check.exit "$s" "^app 'check' exited with status 0\$"
expect_not dns.no-app-stopped "$s" "^app '[a-z]*' stopped"
expect_not dns.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
expect dns.run-ended "$s" '^univisor: run ended, powering off$'
exit $UV_FAILED
