#!/usr/bin/env bash
# tools/qemu-nics.sh: prints the QEMU arguments for the NICs an appliance config's [port] sections name, in their order, each on its own user-mode network (make run).
#   qemu-nics.sh <config>
# A config without ports gets -nic none (QEMU would otherwise add an e1000 of its own).
set -euo pipefail
awk '
	/^[ \t]*\[port[ \t]/ { inport = 1; n++; drv[n] = "e1000"; next }
	/^[ \t]*\[/ { inport = 0; next }
	inport && /^[ \t]*driver[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*(#.*)?$/, ""); drv[n] = $0 }
	END {
		if (!n) { print "-nic none"; exit }
		for (i = 1; i <= n; i++) {
			dev = drv[i] == "virtio-net" ? "virtio-net-pci,disable-legacy=on" : "e1000"
			printf "-netdev user,id=uvn%d -device %s,netdev=uvn%d,mac=52:54:00:12:34:%02x ", i - 1, dev, i - 1, 86 + i - 1
		}
		print ""
	}' "$1"
