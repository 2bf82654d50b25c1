#!/usr/bin/env bash
# Runs every test tier and ends with one line "N passed, M failed".
#
#   1. unit   host unit tests (ASan + UBSan), one line per case
#   2. fuzz   each libFuzzer target, a short fixed-seed run
#   3. qemu   QEMU + OVMF (TCG): the boot path and the clean no-VMX error,
#             and a malformed configuration refused with a clear message
#   4. bochs  Bochs + OVMF with a VMX CPU: every guest suite in one boot
#   5. return hv.efi started twice from OVMF's UEFI Shell (test/emu/return.nsh):
#             the first run returns to the shell, the second enters VMX
#             again; under QEMU (no VMX) the return path alone
#   6. ryzen  Bochs with a CPU without VMX: the clean no-VMX error
#
# Each tier prints PASS:/FAIL: lines; this script counts them.  A tier
# that cannot run at all (a missing binary, an emulator killed by its
# timeout) counts as a failure, never as a skip.
#
# Environment: CHECK_TIERS="unit fuzz qemu bochs return ryzen" selects tiers,
# BOCHS_CPU picks the VMX model (default corei7_skylake_x),
# FUZZ_CHECK_RUNS the runs per fuzz target (default 200000).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
out=$build/check
tiers=${CHECK_TIERS:-unit fuzz qemu bochs return ryzen}
bochs_cpu=${BOCHS_CPU:-corei7_skylake_x}
fuzz_runs=${FUZZ_CHECK_RUNS:-200000}

passed=0
failed=0
# Nothing from an earlier run may stand in for this one's logs.
rm -rf "$out"
mkdir -p "$out"

pass() {
	echo "PASS: $1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL: $1"
	failed=$((failed + 1))
}

check() {	# check <name> <command...>: PASS if the command succeeds
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

logged() {	# logged <log> <command...>: run it with its output in <log>
	local log=$1
	shift
	"$@" >"$log" 2>&1
}

strip_ansi() {
	sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$1"
}

# Counts the result lines a run printed (the hypervisor's own and the
# guests', which arrive as "[guest] PASS: ...").
count_results() {
	local log=$1 line
	while IFS= read -r line; do
		line=${line#\[*\] }
		case $line in
		PASS:*) echo "$line"; passed=$((passed + 1)) ;;
		FAIL:*) echo "$line"; failed=$((failed + 1)) ;;
		SKIP:*) echo "$line" ;;
		esac
	done < <(grep -E '^(\[[^]]*\] )?(PASS|FAIL|SKIP): ' "$log")
}

# Every test program the sources define must exist, run, and report: a
# missing binary is a failure, never a silent skip.
tier_unit() {
	local src name t log rc
	echo "== unit: host unit tests under ASan and UBSan"
	for src in "$root"/test/unit/*_test.c; do
		name=$(basename "$src" .c)
		t=$build/host/unit/$name
		log=$out/$name.log
		if [[ ! -x $t ]]; then
			fail "unit: $name was not built (make unit-bins)"
			continue
		fi
		"$t" >"$log" 2>&1
		rc=$?
		count_results "$log"
		if [[ $rc -ne 0 ]] && ! grep -q '^FAIL: ' "$log"; then
			# A crash or sanitizer report outside any case.
			tail -n 20 "$log"
			fail "unit: $name exited with $rc"
		fi
		grep -qE '^SUMMARY: .*: [1-9][0-9]* passed' "$log" ||
			fail "unit: $name ran no case to its end"
	done
}

tier_fuzz() {
	local src name f
	echo "== fuzz: $fuzz_runs runs per target, seed 1"
	for src in "$root"/test/fuzz/*_fuzz.c; do
		name=$(basename "$src" .c)
		f=$build/fuzz/$name
		if [[ ! -x $f ]]; then
			fail "fuzz: $name was not built (make fuzz-bins)"
			continue
		fi
		check "fuzz: $name $fuzz_runs runs" \
			logged "$out/$name.log" "$f" -runs="$fuzz_runs" -seed=1
	done
}

# qemu_boot <name> <config> <expected QEMU status> <expected text...>
qemu_boot() {
	local name=$1 cfg=$2 want=$3 rc text
	shift 3
	local img=$out/esp-$name.img log=$out/qemu-$name.log
	if ! "$root/test/emu/mkesp.sh" "$img" "$cfg" >/dev/null; then
		fail "qemu: $name: cannot build the ESP"
		return
	fi
	"$root/test/emu/qemu.sh" "$img" "$log" 120 >/dev/null 2>&1
	rc=$?
	strip_ansi "$log" >"$log.txt"
	check "qemu: $name: QEMU exit status $want (got $rc)" test "$rc" -eq "$want"
	for text in "$@"; do
		check "qemu: $name: serial shows '$text'" grep -qF -- "$text" "$log.txt"
	done
}

tier_qemu() {
	echo "== qemu: QEMU + OVMF (TCG, no VMX)"
	qemu_boot novmx "$root/test/emu/qemu-novmx.cfg" 37 \
		"Aperture hypervisor v" \
		"VMX not available: CPUID.1:ECX.VMX[bit 5] = 0" \
		"APERTURE-EXIT: no-vmx"
	qemu_boot badconfig "$root/test/emu/qemu-badconfig.cfg" 39 \
		"Aperture hypervisor v" \
		"line 4: unknown key 'frobnicate'" \
		"APERTURE-EXIT: error"
}

# The guest suites all run in one OVMF boot.
suite_config() {
	local f
	echo "exit=bochs"
	for f in "$root"/test/emu/*-suite.cfg; do
		grep -vE '^(exit|log)=' "$f"
	done
}

tier_bochs() {
	local cfg=$out/bochs-suite.cfg img=$out/esp-bochs.img
	local log=$out/bochs-$bochs_cpu.log rc guests
	echo "== bochs: Bochs + OVMF, CPU $bochs_cpu (VMX), all guest suites in one boot"
	suite_config >"$cfg"
	if ! "$root/test/emu/mkesp.sh" "$img" "$cfg" >/dev/null; then
		fail "bochs: cannot build the ESP"
		return
	fi
	"$root/test/emu/bochs.sh" "$img" "$log" "$bochs_cpu" 1500 >/dev/null 2>&1
	rc=$?
	strip_ansi "$log" >"$log.txt"
	count_results "$log.txt"
	check "bochs: Bochs exit status 0 (got $rc)" test "$rc" -eq 0
	check "bochs: banner" grep -qF "Aperture hypervisor v" "$log.txt"
	check "bochs: IA32_FEATURE_CONTROL handled" \
		grep -qE "IA32_FEATURE_CONTROL (was unlocked|locked with VMX enabled)" "$log.txt"
	check "bochs: VMXON on the boot CPU" grep -qF "VMXON ok on the boot CPU" "$log.txt"
	check "bochs: VMXOFF before returning" grep -qF "VMXOFF ok" "$log.txt"
	check "bochs: run summary has no failure" \
		grep -qE "^SUMMARY: guests: [0-9]+ passed, 0 failed" "$log.txt"
	check "bochs: platform exit reports pass" grep -qF "APERTURE-EXIT: pass" "$log.txt"
	guests=$(grep -cE '^(PASS|FAIL): guest: ' "$log.txt")
	check "bochs: at least 10 guests ran in one boot ($guests)" test "$guests" -ge 10
	check "bochs: every configured guest reported" \
		test "$guests" -eq "$(grep -c '^guest ' "$cfg")"
	guest_summaries "$cfg" "$log.txt"
}

# A guest expected to exit 0 must also have run its own cases to the end:
# its SUMMARY line, with at least one case and none failed.  (standalone
# uses no runtime and reports its one case without a summary.)
guest_summaries() {
	local cfg=$1 log=$2 name file rest
	while read -r _ name file rest; do
		[[ $rest == *expect=* || $file == standalone.elf ]] && continue
		check "bochs: $name reported its own cases, none failed" \
			grep -qE "^\[$name\] SUMMARY: [^:]+: [1-9][0-9]* passed, 0 failed" "$log"
	done < <(grep '^guest ' "$cfg")
}

# split_runs <log> <prefix>: <prefix>.1, <prefix>.2, ... each hold one
# hv.efi run, from its banner up to the next banner.
split_runs() {
	rm -f "$2".[0-9]*
	awk -v p="$2" '/^Aperture hypervisor v/ { n++ }
		n { print > (p "." n) }' "$1"
}

# free_mib <run log>: the MiB of free memory the run found at start-up.
free_mib() {
	sed -n 's/^boot: memory: \([0-9]*\) MiB free.*/\1/p' "$1" | head -n 1
}

# memory_kept <MiB free in run 1> <MiB free in run 2>
memory_kept() {
	[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] && (($2 >= $1 - 1))
}

# return_runs <name> <log.txt> <prefix>: what every return-tier boot shows:
# two runs, the first returned to the shell (which echoes its status), and
# the second found all the memory the first gave back to the firmware.
return_runs() {
	local name=$1 txt=$2 prefix=$3 banners mib1 mib2 what
	banners=$(grep -c '^Aperture hypervisor v' "$txt")
	check "$name: hv.efi ran twice in one firmware session ($banners banners)" \
		test "$banners" -eq 2
	split_runs "$txt" "$prefix"
	touch "$prefix.1" "$prefix.2"
	check "$name: run 1 took exit=return from its load options" \
		grep -qF "boot: options: exit=return " "$prefix.1"
	mib1=$(free_mib "$prefix.1")
	mib2=$(free_mib "$prefix.2")
	# The shell may hold a few pages more by then; a leaked pool would
	# be missing by the hundred MiB.
	what="run 2 found the memory of run 1 (${mib1:-?} vs ${mib2:-?} MiB free)"
	check "$name: $what" memory_kept "$mib1" "$mib2"
}

tier_return() {
	local cfg=$out/return-qemu.cfg img=$out/esp-return-qemu.img
	local log=$out/qemu-return.log rc
	echo "== return: hv.efi run twice from the UEFI Shell (test/emu/return.nsh)"

	# QEMU TCG has no VMX: both runs end no-vmx, and the first one's
	# EFI_UNSUPPORTED reaches the shell (which drops the error bit).
	sed 's/^exit=bochs$/exit=qemu/' "$root/test/emu/return.cfg" >"$cfg"
	if ! "$root/test/emu/mkesp.sh" --shell "$root/test/emu/return.nsh" \
		"$img" "$cfg" >/dev/null; then
		fail "return: qemu: cannot build the ESP"
	else
		"$root/test/emu/qemu.sh" "$img" "$log" 120 >/dev/null 2>&1
		rc=$?
		strip_ansi "$log" >"$log.txt"
		check "return: qemu: QEMU exit status 37 (got $rc)" \
			test "$rc" -eq 37
		return_runs "return: qemu" "$log.txt" "$out/qemu-return.run"
		check "return: qemu: run 1 ended no-vmx" \
			grep -qF "APERTURE-EXIT: no-vmx" "$out/qemu-return.run.1"
		check "return: qemu: the shell got EFI_UNSUPPORTED from run 1" \
			grep -qF "RETURN-TIER: first run returned, lasterror=0x3" \
			"$out/qemu-return.run.1"
		check "return: qemu: run 2 ended no-vmx" \
			grep -qF "APERTURE-EXIT: no-vmx" "$out/qemu-return.run.2"
	fi

	img=$out/esp-return-bochs.img
	log=$out/bochs-return-$bochs_cpu.log
	if ! "$root/test/emu/mkesp.sh" --shell "$root/test/emu/return.nsh" \
		"$img" "$root/test/emu/return.cfg" >/dev/null; then
		fail "return: bochs: cannot build the ESP"
		return
	fi
	"$root/test/emu/bochs.sh" "$img" "$log" "$bochs_cpu" 900 >/dev/null 2>&1
	rc=$?
	strip_ansi "$log" >"$log.txt"
	local r1=$out/bochs-return.run.1 r2=$out/bochs-return.run.2
	check "return: bochs: Bochs exit status 0 (got $rc)" test "$rc" -eq 0
	return_runs "return: bochs" "$log.txt" "$out/bochs-return.run"
	check "return: bochs: run 1 VMXON" \
		grep -qF "VMXON ok on the boot CPU" "$r1"
	check "return: bochs: run 1 guest hello passed" \
		grep -qE "^PASS: guest: hello: " "$r1"
	check "return: bochs: run 1 VMXOFF" grep -qF "VMXOFF ok" "$r1"
	check "return: bochs: run 1 summary" \
		grep -qF "SUMMARY: guests: 1 passed, 0 failed" "$r1"
	check "return: bochs: run 1 reports pass" \
		grep -qF "APERTURE-EXIT: pass" "$r1"
	check "return: bochs: the shell got EFI_SUCCESS from run 1" \
		grep -qF "RETURN-TIER: first run returned, lasterror=0x0" "$r1"
	# Run 1 locked IA32_FEATURE_CONTROL; only a reset unlocks it again.
	check "return: bochs: run 2 found IA32_FEATURE_CONTROL locked by run 1" \
		grep -qF "IA32_FEATURE_CONTROL locked with VMX enabled" "$r2"
	check "return: bochs: run 2 VMXON again" \
		grep -qF "VMXON ok on the boot CPU" "$r2"
	check "return: bochs: run 2 guest hello passed" \
		grep -qE "^PASS: guest: hello: " "$r2"
	check "return: bochs: run 2 guest standalone passed" \
		grep -qE "^PASS: guest: standalone: " "$r2"
	check "return: bochs: run 2 VMXOFF" grep -qF "VMXOFF ok" "$r2"
	check "return: bochs: run 2 summary" \
		grep -qF "SUMMARY: guests: 2 passed, 0 failed" "$r2"
	check "return: bochs: run 2 reports pass" \
		grep -qF "APERTURE-EXIT: pass" "$r2"
}

tier_ryzen() {
	local img=$out/esp-ryzen.img log=$out/bochs-ryzen.log rc
	echo "== ryzen: Bochs + OVMF, CPU ryzen (no VMX)"
	if ! "$root/test/emu/mkesp.sh" "$img" "$root/test/emu/bochs-novmx.cfg" >/dev/null; then
		fail "ryzen: cannot build the ESP"
		return
	fi
	"$root/test/emu/bochs.sh" "$img" "$log" ryzen 600 >/dev/null 2>&1
	rc=$?
	strip_ansi "$log" >"$log.txt"
	check "ryzen: Bochs exit status 1 (got $rc)" test "$rc" -eq 1
	check "ryzen: clean no-VMX message" \
		grep -qF "VMX not available: CPUID.1:ECX.VMX[bit 5] = 0" "$log.txt"
	check "ryzen: platform exit reports no-vmx" \
		grep -qF "APERTURE-EXIT: no-vmx" "$log.txt"
}

for tier in $tiers; do
	case $tier in
	unit) tier_unit ;;
	fuzz) tier_fuzz ;;
	qemu) tier_qemu ;;
	bochs) tier_bochs ;;
	return) tier_return ;;
	ryzen) tier_ryzen ;;
	*) fail "unknown tier '$tier'" ;;
	esac
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
