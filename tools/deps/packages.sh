#!/usr/bin/env bash
# tools/deps/packages.sh: installs the Debian packages the build, run and tests need, if missing.
. "$(dirname "$0")/common.sh"
want=(gcc make binutils libc6-dev qemu-system-x86 bochs bochsbios vgabios bochs-term
      grub-pc-bin grub-common xorriso mtools newlib-source dpkg-dev xz-utils ca-certificates
      clang libclang-rt-14-dev llvm python3 cloc ovmf grub-efi-amd64-bin
      iproute2 curl tcpdump iputils-ping autoconf automake libtool openssl apache2-utils wrk)
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root, or apt-get install them)"
say "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
