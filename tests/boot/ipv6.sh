#!/usr/bin/env bash
# tests/boot/ipv6.sh: IPv6 in apps on every path: two lwIP apps on an internal segment (apps/echo and tests/apps/v6check) get their link-local addresses from their MACs and their static ones from the config, and talk TCP and UDP over both, IPv4 beside them; dual stack over loopback; a third app that asks for echo's address later finds it taken (duplicate address detection); a hostile neighbour's redirects and router advertisements move nothing.
. tests/boot/lib.sh
s=$UV_OUT/serial.txt

uv_boot_path "$B/test/ipv6" "$s" 120 900
booted ipv6 "$s" || exit 1
# RFC 4291 appendix A: 52:54:00:06:00:01 -> interface identifier 5054:00ff:fe06:0001.
expect ipv6.echo.addresses "$s" '^echo: net: nic 0 ip6 fe80::5054:ff:fe06:1/64 fd00:6::1/64 \(static\)$'
expect ipv6.check.addresses "$s" '^check: net: nic 0 ip6 fe80::5054:ff:fe06:2/64 fd00:6::2/64 gw6 fe80::1 \(static\)$'
expect ipv6.echo.listens-v6 "$s" '^echo: echo: listening on tcp and udp port 7007, IPv4 and IPv6 '
expect ipv6.echo.ipv4-unchanged "$s" '^echo: net: nic 0 10\.6\.0\.1/24 gw 0\.0\.0\.0 dns 0\.0\.0\.0 \(static\)$'
relay ipv6 "$s" check
relay ipv6 "$s" dup
expect ipv6.echo.served "$s" '^echo: echo: served 5 connections, 0 open; exiting$'
expect ipv6.rogue.sent "$s" '^rogue: nd6rogue: sent 900 redirects and advertisements \(0 not taken\)$'
expect ipv6.rogue.exit "$s" "^app 'rogue' exited with status 0\$"
expect ipv6.check.exit "$s" "^app 'check' exited with status 0\$"
expect ipv6.echo.exit "$s" "^app 'echo' exited with status 0\$"
expect_not ipv6.no-app-stopped "$s" "^app '[a-z]*' stopped"
expect ipv6.dup.detected "$s" '^dup: net: nic 0 ip6 fe80::5054:ff:fe06:3/64 fd00:6::1/64 duplicate \(static\)$'
expect_not ipv6.no-other-duplicate "$s" '^(echo|check): net: .* duplicate'
expect ipv6.dup.exit "$s" "^app 'dup' exited with status 0\$"
expect_not ipv6.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
expect ipv6.run-ended "$s" '^univisor: run ended, powering off$'
exit $UV_FAILED
