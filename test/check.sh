#!/usr/bin/env bash
# Runs every test tier and ends with one line "N passed, M failed".
#
#   1. unit   host unit tests (ASan + UBSan), one line per case
#   2. fuzz   each libFuzzer target, a short fixed-seed run
#   3. qemu   QEMU + OVMF (TCG): the boot path and the clean no-VMX error,
#             and a malformed configuration refused with a clear message
#   4. bochs  Bochs + OVMF with a VMX CPU: every guest suite in one boot
#   5. ryzen  Bochs with a CPU without VMX: the clean no-VMX error
#
# Each tier prints PASS:/FAIL: lines; this script counts them.  A tier
# that cannot run at all (a missing binary, an emulator killed by its
# timeout) counts as a failure, never as a skip.
#
# Environment: CHECK_TIERS="unit fuzz qemu bochs ryzen" selects tiers,
# BOCHS_CPU picks the VMX model (default corei7_skylake_x),
# FUZZ_CHECK_RUNS the runs per fuzz target (default 200000).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
out=$build/check
tiers=${CHECK_TIERS:-unit fuzz qemu bochs ryzen}
bochs_cpu=${BOCHS_CPU:-corei7_skylake_x}
fuzz_runs=${FUZZ_CHECK_RUNS:-200000}

passed=0
failed=0
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

tier_unit() {
	local t log
	echo "== unit: host unit tests under ASan and UBSan"
	shopt -s nullglob
	local bins=("$build"/host/unit/*_test)
	shopt -u nullglob
	if [[ ${#bins[@]} -eq 0 ]]; then
		fail "unit: no unit test binaries (run make unit-bins)"
		return
	fi
	for t in "${bins[@]}"; do
		log=$out/$(basename "$t").log
		"$t" >"$log" 2>&1
		local rc=$?
		count_results "$log"
		if [[ $rc -ne 0 ]] && ! grep -q '^FAIL: ' "$log"; then
			# A crash or sanitizer report outside any case.
			tail -n 20 "$log"
			fail "unit: $(basename "$t") exited with $rc"
		fi
	done
}

tier_fuzz() {
	local f
	echo "== fuzz: $fuzz_runs runs per target, seed 1"
	shopt -s nullglob
	local bins=("$build"/fuzz/*_fuzz)
	shopt -u nullglob
	if [[ ${#bins[@]} -eq 0 ]]; then
		fail "fuzz: no fuzz targets built"
		return
	fi
	for f in "${bins[@]}"; do
		check "fuzz: $(basename "$f") $fuzz_runs runs" \
			logged "$out/$(basename "$f").log" \
			"$f" -runs="$fuzz_runs" -seed=1
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
	ryzen) tier_ryzen ;;
	*) fail "unknown tier '$tier'" ;;
	esac
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
