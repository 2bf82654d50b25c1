#!/usr/bin/env bash
# Boots an ESP image under Bochs with OVMF: the tier with real VMX.
#
# hv.efi ends Bochs through port 0x8900 (exit=bochs): status 0 when every
# guest passed, 1 otherwise; 137 means the timeout killed it.  The detail
# is in the serial log ("APERTURE-EXIT: ..." is its last line).  Next to
# the serial log go Bochs' own log (<serial log>.bochs) and its terminal
# output (<serial log>.screen).  The status is printed and returned.
#
# usage: bochs.sh <esp.img> <serial.log> <cpu-model> [timeout_s]
#   cpu-model: a Bochs CPU model, e.g. corei7_skylake_x (VMX) or ryzen (none),
#              or bx_generic:<cpuid options>, Bochs' configurable CPU with a
#              "cpuid:" line, e.g. bx_generic:vmx=1 (VMX without the
#              IA32_EFER/IA32_PAT load and save controls)
set -euo pipefail

if [[ $# -lt 3 || $# -gt 4 ]]; then
	echo "usage: $0 <esp.img> <serial.log> <cpu-model> [timeout_s]" >&2
	exit 2
fi
esp=$1
log=$2
model=$3
timeout_s=${4:-300}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
ovmf_code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
ovmf_vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}
vgarom=/usr/share/vgabios/vgabios.bin
rom=$build/OVMF-2M.fd

die() {
	echo "bochs.sh: $*" >&2
	exit 1
}

for f in "$esp" "$ovmf_code" "$ovmf_vars" "$vgarom" "$here/bochsrc.in"; do
	[[ -f $f ]] || die "$f is missing"
done
cpuid_opts=
if [[ $model == bx_generic:* ]]; then
	cpuid_opts=${model#bx_generic:}
	model=bx_generic
	[[ $cpuid_opts =~ ^[a-z0-9_]+=[a-z0-9_]+(,[a-z0-9_]+=[a-z0-9_]+)*$ ]] ||
		die "bad cpuid options '$cpuid_opts'"
fi
[[ $model =~ ^[a-z0-9_]+$ ]] || die "bad cpu model '$model'"

# Bochs takes one ROM image: the variable store followed by the code.
if [[ ! -f $rom || $rom -ot $ovmf_code || $rom -ot $ovmf_vars ]]; then
	mkdir -p "$build"
	cat "$ovmf_vars" "$ovmf_code" >"$rom.tmp"
	mv "$rom.tmp" "$rom"
fi

mkdir -p "$(dirname "$log")"
log=$(cd "$(dirname "$log")" && pwd)/$(basename "$log")
: >"$log"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Bochs writes to and locks its disk: give it a private copy.
cp "$esp" "$tmp/esp.img"

# Fill in the template.  Bash 5.2 would expand '&' in a replacement.
shopt -u patsub_replacement 2>/dev/null || true
rc_text=$(<"$here/bochsrc.in")
rc_text=${rc_text//@MEGS@/512}
rc_text=${rc_text//@CPU_MODEL@/$model}
rc_text=${rc_text//@ROMIMAGE@/$rom}
rc_text=${rc_text//@VGAROMIMAGE@/$vgarom}
rc_text=${rc_text//@ESP@/$tmp/esp.img}
rc_text=${rc_text//@SERIAL@/$log}
rc_text=${rc_text//@LOG@/$log.bochs}
# Bochs reads the cpuid: options only for its generic model.
[[ -z $cpuid_opts ]] || rc_text+=$'\n'"cpuid: ${cpuid_opts//,/, }"
printf '%s\n' "$rc_text" >"$tmp/bochsrc"
# Bochs' internal debugger stops at tick 0: continue, and quit when the
# guest breaks in (hv.efi writes 'D' to port 0x8900 on success).
printf 'c\nquit\n' >"$tmp/cont.rc"

rc=0
(cd "$tmp" && TERM=xterm timeout -s KILL "$timeout_s" \
	bochs-bin -q -unlock -f bochsrc -rc cont.rc \
	</dev/null >"$log.screen" 2>&1) || rc=$?

echo "bochs.sh: Bochs exit status $rc"
exit "$rc"
