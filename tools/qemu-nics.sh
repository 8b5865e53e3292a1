#!/usr/bin/env bash
# tools/qemu-nics.sh: prints the QEMU arguments for the NICs an appliance config's [port] sections name, in their order, each on its own user-mode network (make run).
#   qemu-nics.sh <config>
# A config without ports gets -nic none (QEMU would otherwise add an e1000 of its own).
# A port's `hostfwd = tcp:HOSTPORT-GUESTPORT ...` (config/README.md) becomes QEMU hostfwd
# rules bound to 127.0.0.1 (guest address 10.0.2.15 unless the rule names one), and the URL
# or address each one opens is printed on stderr.
set -euo pipefail
awk '
	/^[ \t]*\[port[ \t]/ { inport = 1; n++; drv[n] = "e1000"; name[n] = $2; sub(/\].*/, "", name[n]); next }
	/^[ \t]*\[/ { inport = 0; next }
	inport && /^[ \t]*driver[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*(#.*)?$/, ""); drv[n] = $0 }
	inport && /^[ \t]*hostfwd[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*(#.*)?$/, ""); fwd[n] = $0 }
	END {
		if (!n) { print "-nic none"; exit }
		for (i = 1; i <= n; i++) {
			dev = drv[i] == "virtio-net" ? "virtio-net-pci,disable-legacy=on" : "e1000"
			rules = ""
			k = split(fwd[i], r, /[ \t]+/)
			for (j = 1; j <= k; j++) {
				if (r[j] == "") continue
				proto = substr(r[j], 1, 3); rest = substr(r[j], 5)
				hp = rest; sub(/-.*/, "", hp); gp = rest; sub(/^[^-]*-/, "", gp)
				if (gp !~ /:/) gp = ":" gp
				rules = rules ",hostfwd=" proto ":127.0.0.1:" hp "-" gp
				g = gp; sub(/^:/, "10.0.2.15:", g)
				if (proto == "tcp" && gp ~ /:80$/)
					printf "run: http://127.0.0.1:%s/ reaches %s (port %s)\n", hp, g, name[i] > "/dev/stderr"
				else
					printf "run: %s 127.0.0.1:%s reaches %s (port %s)\n", proto, hp, g, name[i] > "/dev/stderr"
			}
			printf "-netdev user,id=uvn%d%s -device %s,netdev=uvn%d,mac=52:54:00:12:34:%02x ", i - 1, rules, dev, i - 1, 86 + i - 1
		}
		print ""
	}' "$1"
