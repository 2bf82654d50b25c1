#!/usr/bin/env bash
# Boots an ESP image and shows what hv.efi printed (`make run`, `make run-kvm`).
#
#   kvm    QEMU with KVM and nested VMX on an Intel host: the real-world path.
#          Serial output goes to the terminal (and to <esp>.kvm.log).
#   bochs  Bochs with OVMF and the corei7_skylake_x CPU (emulated VMX).
#   qemu   QEMU with TCG: boot path only, no VMX.
#   auto   kvm if this host has VMX and /dev/kvm is usable, else bochs.
#
# Exits 0 if the run ended with "APERTURE-EXIT: pass", 1 otherwise.
#
# usage: run.sh <auto|kvm|bochs|qemu> <config>
set -euo pipefail

if [[ $# -ne 2 ]]; then
	echo "usage: $0 <auto|kvm|bochs|qemu> <config>" >&2
	exit 2
fi
emu=$1
config=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${BUILD:-$(cd "$here/../.." && pwd)/build}

ovmf_code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
ovmf_vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}

[[ -f $config ]] || { echo "run.sh: $config is missing" >&2; exit 1; }

# The ESP for this run: the configuration plus the emulator's exit port,
# so that the emulator ends when hv.efi does (real hardware keeps the
# default, exit=return: see 'make esp').
make_esp() {	# make_esp <exit-kind>
	esp=$build/run-$emu.img
	mkdir -p "$build"
	{ cat "$config"; echo "exit=$1"; } >"$build/run-$emu.cfg"
	"$here/mkesp.sh" "$esp" "$build/run-$emu.cfg" >/dev/null
}

kvm_usable() {
	grep -qw vmx /proc/cpuinfo && [[ -r /dev/kvm && -w /dev/kvm ]]
}

# The serial log with ANSI escapes and carriage returns removed.
show_log() {
	sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$1"
}

verdict() {
	if grep -q '^APERTURE-EXIT: pass' < <(show_log "$1"); then
		return 0
	fi
	echo "run.sh: no 'APERTURE-EXIT: pass' in $1" >&2
	return 1
}

run_kvm() {
	local log=$esp.kvm.log tmp rc=0

	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now: it is local
	trap "rm -rf '$tmp'" EXIT
	cp "$ovmf_vars" "$tmp/vars.fd"
	qemu-system-x86_64 \
		-machine q35 -accel kvm -cpu host,+vmx -m 1G \
		-drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code" \
		-drive if=pflash,format=raw,unit=1,file="$tmp/vars.fd" \
		-drive if=none,id=esp,format=raw,snapshot=on,file="$esp" \
		-device ide-hd,drive=esp \
		-display none -serial stdio -no-reboot -net none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		</dev/null | tee "$log" || rc=$?
	echo "run.sh: QEMU exit status $rc"
	verdict "$log"
}

run_logged() {
	local log=$esp.$1.log rc=0

	case $1 in
	bochs) "$here/bochs.sh" "$esp" "$log" corei7_skylake_x || rc=$? ;;
	qemu) "$here/qemu.sh" "$esp" "$log" || rc=$? ;;
	esac
	show_log "$log"
	echo "run.sh: $1 exit status $rc"
	verdict "$log"
}

if [[ $emu == auto ]]; then
	if kvm_usable; then emu=kvm; else emu=bochs; fi
	echo "run.sh: using $emu"
fi

case $emu in
kvm)
	kvm_usable || echo "run.sh: warning: no VMX or /dev/kvm here" >&2
	make_esp qemu
	run_kvm
	;;
bochs | qemu)
	make_esp "$emu"
	run_logged "$emu"
	;;
*)
	echo "run.sh: unknown emulator '$emu' (auto, kvm, bochs or qemu)" >&2
	exit 2
	;;
esac
