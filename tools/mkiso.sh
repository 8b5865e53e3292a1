#!/usr/bin/env bash
# tools/mkiso.sh: wraps a kernel ELF into a GRUB ISO that boots it by Multiboot2.
#   mkiso.sh <univisor.elf> <out.iso> "<kernel command line>" [--bios-only | --uefi]
# BIOS always; UEFI too when grub-efi-amd64-bin is installed. --bios-only: BIOS alone (the
# boot tests' ISOs); --uefi: UEFI or an error (the UEFI boot test's ISO).
set -euo pipefail
elf=$1 iso=$2 cmdline=${3:-} mode=${4:-}
tmp=$(mktemp -d) log=$(mktemp)
trap 'rm -rf "$tmp" "$log"' EXIT
mkdir -p "$tmp/boot/grub"
cp "$elf" "$tmp/boot/univisor.elf"
cat > "$tmp/boot/grub/grub.cfg" <<EOG
set timeout=0
multiboot2 /boot/univisor.elf $cmdline
boot
EOG
args=(--fonts= --locales= --themes= --install-modules="multiboot2 normal" --compress=no)
case $mode in
--bios-only) args+=(-d /usr/lib/grub/i386-pc) ;;
--uefi) [ -d /usr/lib/grub/x86_64-efi ] || { echo "mkiso.sh: --uefi needs GRUB's UEFI modules (/usr/lib/grub/x86_64-efi: Debian package grub-efi-amd64-bin, make deps)" >&2; exit 1; } ;;
'') [ -d /usr/lib/grub/x86_64-efi ] || args+=(-d /usr/lib/grub/i386-pc) ;;
*) echo "mkiso.sh: unknown mode '$mode' (--bios-only or --uefi)" >&2; exit 2 ;;
esac
# The log lives outside the ISO's source tree (xorriso refuses files that change while packed).
grub-mkrescue "${args[@]}" -o "$iso.tmp" "$tmp" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
mv "$iso.tmp" "$iso"
