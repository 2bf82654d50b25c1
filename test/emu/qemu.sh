#!/usr/bin/env bash
# Boots an ESP image under QEMU (TCG) with OVMF: the boot-path tier.  TCG
# has no VMX, so hv.efi is expected to report "no-vmx" here.
#
# hv.efi ends QEMU through isa-debug-exit (exit=qemu): QEMU's status is
# (v << 1) | 1, i.e. 33 pass, 35 fail, 37 no-vmx, 39 error.  137 means the
# timeout killed it.  The status is printed and returned.
#
# usage: qemu.sh <esp.img> <serial.log> [timeout_s]
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
	echo "usage: $0 <esp.img> <serial.log> [timeout_s]" >&2
	exit 2
fi
esp=$1
log=$2
timeout_s=${3:-120}

ovmf_code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
ovmf_vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}

for f in "$esp" "$ovmf_code" "$ovmf_vars"; do
	[[ -f $f ]] || { echo "qemu.sh: $f is missing" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# OVMF writes its variable store; each run gets a fresh copy.
cp "$ovmf_vars" "$tmp/vars.fd"
mkdir -p "$(dirname "$log")"
: >"$log"

rc=0
timeout -s KILL "$timeout_s" qemu-system-x86_64 \
	-machine q35 -accel tcg -m 512M \
	-drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code" \
	-drive if=pflash,format=raw,unit=1,file="$tmp/vars.fd" \
	-drive if=none,id=esp,format=raw,snapshot=on,file="$esp" \
	-device ide-hd,drive=esp \
	-display none -serial file:"$log" -no-reboot -net none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	</dev/null || rc=$?

echo "qemu.sh: QEMU exit status $rc"
exit "$rc"
