#!/usr/bin/env bash
# Builds a FAT16 EFI system partition image (no partition table) that boots
# hv.efi from the removable-media path:
#
#   \EFI\BOOT\BOOTX64.EFI       build/hv.efi
#   \aperture\aperture.cfg      <config>
#   \aperture\guests\*.elf      build/guest/*.elf, the malformed images from
#                               build/tools/mkbadimage (if built) and any
#                               [extra guest files]
#
# With --shell <script>, hv.efi goes to \hv.efi and the script to
# \startup.nsh instead.  Without a removable-media boot file, OVMF's boot
# manager falls through to its built-in UEFI Shell, which runs startup.nsh:
# the script can start hv.efi several times in one firmware session.
# Each --efi <app.efi> (with --shell) goes to \<app.efi> next to it, for
# the script to run around hv.efi (test/efi/).
#
# The image is a whole number of 16-head, 63-sector cylinders (516096 bytes)
# so that Bochs can work out the disk geometry itself.
#
# usage: mkesp.sh [--shell <startup.nsh> [--efi <app.efi>]...] <out.img> <config>
#                 [extra guest files...]
set -euo pipefail

usage() {
	echo "usage: $0 [--shell <startup.nsh> [--efi <app.efi>]...]" \
		"<out.img> <config> [extra guest files...]" >&2
	exit 2
}

shell_script=
efi_apps=()
while [[ ${1-} == --shell || ${1-} == --efi ]]; do
	[[ $# -ge 2 ]] || usage
	if [[ $1 == --shell ]]; then
		shell_script=$2
	else
		efi_apps+=("$2")
	fi
	shift 2
done
[[ -n $shell_script || ${#efi_apps[@]} -eq 0 ]] || usage
[[ $# -ge 2 ]] || usage
out=$1
config=$2
shift 2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$root/build}
hv_efi=$build/hv.efi
mkbadimage=$build/tools/mkbadimage
bad_kinds=(bad-magic bad-checksum truncated outside-ram overlap)

readonly CYL_BYTES=$((16 * 63 * 512))
readonly MIN_CYLS=40

die() {
	echo "mkesp: $*" >&2
	exit 1
}

[[ -f $hv_efi ]] || die "$hv_efi is missing; run 'make' first"
[[ -f $config ]] || die "config file $config is missing"
[[ -z $shell_script || -f $shell_script ]] ||
	die "shell script $shell_script is missing"
for f in "$@"; do
	[[ -f $f ]] || die "guest file $f is missing"
done
for f in ${efi_apps[@]+"${efi_apps[@]}"}; do
	[[ -f $f ]] || die "EFI application $f is missing"
	[[ $(basename "$f") != hv.efi ]] || die "$f would replace hv.efi"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

guests=()
shopt -s nullglob
for f in "$build"/guest/*.elf; do
	guests+=("$f")
done
shopt -u nullglob
if [[ -x $mkbadimage ]]; then
	for kind in "${bad_kinds[@]}"; do
		"$mkbadimage" "$kind" "$tmp/$kind.elf" ||
			die "mkbadimage $kind failed"
		guests+=("$tmp/$kind.elf")
	done
fi
guests+=("$@")

declare -A seen=()
for g in ${guests[@]+"${guests[@]}"}; do
	name=$(basename "$g")
	[[ -z ${seen[$name]+x} ]] || die "two guest files named $name: ${seen[$name]} and $g"
	seen[$name]=$g
done

# Size: contents plus 25% and 4 MiB for FAT tables and slack, rounded up
# to whole cylinders, never below MIN_CYLS (FAT16 needs >= 4085 clusters).
bytes=$(stat -c %s "$hv_efi" "$config" ${shell_script:+"$shell_script"} \
	${efi_apps[@]+"${efi_apps[@]}"} ${guests[@]+"${guests[@]}"} |
	awk '{ s += $1 } END { print s + 0 }')
want=$((bytes + bytes / 4 + 4 * 1024 * 1024))
cyls=$(((want + CYL_BYTES - 1) / CYL_BYTES))
((cyls >= MIN_CYLS)) || cyls=$MIN_CYLS

img=$tmp/esp.img
dd if=/dev/zero of="$img" bs="$CYL_BYTES" count="$cyls" status=none
mkfs.fat -F 16 -n APERTURE "$img" >/dev/null

export MTOOLS_SKIP_CHECK=1
if [[ -n $shell_script ]]; then
	mmd -i "$img" ::/aperture ::/aperture/guests
	mcopy -i "$img" "$hv_efi" ::/hv.efi
	mcopy -i "$img" "$shell_script" ::/startup.nsh
	for f in ${efi_apps[@]+"${efi_apps[@]}"}; do
		mcopy -i "$img" "$f" "::/$(basename "$f")"
	done
else
	mmd -i "$img" ::/EFI ::/EFI/BOOT ::/aperture ::/aperture/guests
	mcopy -i "$img" "$hv_efi" ::/EFI/BOOT/BOOTX64.EFI
fi
mcopy -i "$img" "$config" ::/aperture/aperture.cfg
for g in ${guests[@]+"${guests[@]}"}; do
	mcopy -i "$img" "$g" "::/aperture/guests/$(basename "$g")"
done

mkdir -p "$(dirname "$out")"
mv "$img" "$out"
echo "mkesp: $out ($cyls cylinders, ${#guests[@]} guest files)"
