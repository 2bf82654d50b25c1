#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Boot guest kernels under plain QEMU (TCG) with -kernel and check them:
# no FAIL line, a PASS line, and isa-debug-exit status 0, which QEMU
# reports as exit code (0 << 1) | 1 = 1.  Hypercall-based tests belong to
# Aperture; only kernels that run without it (smoke, standalone) fit here.
#
#	guest/qemu-check.sh build/guest/smoke.elf build/guest/standalone.elf

QEMU=${GUEST_QEMU:-qemu-system-x86_64}
status=0

for elf in "$@"; do
	log=$(timeout 60 "$QEMU" -kernel "$elf" -display none -serial stdio \
		-monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 2>&1)
	rc=$?
	printf '%s\n' "$log" | sed "s|^|$(basename "$elf"): |"
	if [ "$rc" -ne 1 ]; then
		echo "qemu-check: $elf: QEMU exit code $rc, want 1 (guest status 0)"
		status=1
	elif printf '%s\n' "$log" | grep -q '^FAIL:'; then
		echo "qemu-check: $elf: FAIL lines"
		status=1
	elif ! printf '%s\n' "$log" | grep -q '^PASS:'; then
		echo "qemu-check: $elf: no PASS line"
		status=1
	fi
done
exit $status
