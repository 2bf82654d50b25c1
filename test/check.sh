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
#   7. matrix the VMX suite (test/emu/vmx-suite.cfg plus test/emu/matrix.cfg)
#             under more Bochs CPU models, one boot each, two at a time;
#             and Bochs' generic CPU with VMX but without the EFER/PAT
#             controls: the clean, named capability error
#   8. platform a platform that left CR4.OSXSAVE set (test/efi/osxsave.efi)
#             and the firmware's CPU state before and after an exit=return
#             run of attackers (test/efi/fwstate.efi, test/emu/platform.nsh)
#
# Each tier prints PASS:/FAIL: lines; this script counts them.  A tier
# that cannot run at all (a missing binary, an emulator killed by its
# timeout) counts as a failure, never as a skip.
#
# Environment: CHECK_TIERS="unit fuzz qemu bochs return ryzen matrix platform"
# selects tiers, BOCHS_CPU picks the VMX model (default corei7_skylake_x),
# MATRIX_CPUS the matrix tier's models, MATRIX_JOBS how many Bochs boots it
# runs at once (default 2), FUZZ_CHECK_RUNS the runs per fuzz target
# (default 200000).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
out=$build/check
tiers=${CHECK_TIERS:-unit fuzz qemu bochs return ryzen matrix platform}
bochs_cpu=${BOCHS_CPU:-corei7_skylake_x}
# Bochs models whose VMX capability MSRs differ from the main boot's (and
# from each other's: docs/emulators.md).  With corei7_skylake_x in the bochs
# tier that makes four.
matrix_cpus=${MATRIX_CPUS:-corei7_sandy_bridge_2600k corei7_icelake_u tigerlake}
# Bochs' generic CPU with VMX level 1: no IA32_EFER or IA32_PAT load/save
# controls (its IA32_VMX_EXIT_CTLS allowed-1 bits are 0x3efff).
matrix_nocaps=bx_generic:vmx=1
matrix_jobs=${MATRIX_JOBS:-2}
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

# vmx_boot_checks <tier> <config> <log.txt> <Bochs status>: what every
# boot of guest suites under a VMX CPU shows.
vmx_boot_checks() {
	local tier=$1 cfg=$2 txt=$3 rc=$4 guests
	count_results "$txt"
	check "$tier: Bochs exit status 0 (got $rc)" test "$rc" -eq 0
	check "$tier: banner" grep -qF "Aperture hypervisor v" "$txt"
	check "$tier: IA32_FEATURE_CONTROL handled" \
		grep -qE "IA32_FEATURE_CONTROL (was unlocked|locked with VMX enabled)" "$txt"
	check "$tier: VMXON on the boot CPU" grep -qF "VMXON ok on the boot CPU" "$txt"
	check "$tier: VMXOFF before returning" grep -qF "VMXOFF ok" "$txt"
	check "$tier: run summary has no failure" \
		grep -qE "^SUMMARY: guests: [0-9]+ passed, 0 failed" "$txt"
	check "$tier: platform exit reports pass" grep -qF "APERTURE-EXIT: pass" "$txt"
	guests=$(grep -cE '^(PASS|FAIL): guest: ' "$txt")
	check "$tier: at least 10 guests ran in one boot ($guests)" test "$guests" -ge 10
	check "$tier: every configured guest reported" \
		test "$guests" -eq "$(grep -c '^guest ' "$cfg")"
	guest_summaries "$tier" "$cfg" "$txt"
}

tier_bochs() {
	local cfg=$out/bochs-suite.cfg img=$out/esp-bochs.img
	local log=$out/bochs-$bochs_cpu.log rc
	echo "== bochs: Bochs + OVMF, CPU $bochs_cpu (VMX), all guest suites in one boot"
	suite_config >"$cfg"
	if ! "$root/test/emu/mkesp.sh" "$img" "$cfg" >/dev/null; then
		fail "bochs: cannot build the ESP"
		return
	fi
	"$root/test/emu/bochs.sh" "$img" "$log" "$bochs_cpu" 1500 >/dev/null 2>&1
	rc=$?
	strip_ansi "$log" >"$log.txt"
	vmx_boot_checks bochs "$cfg" "$log.txt" "$rc"
}

# A guest expected to exit 0 must also have run its own cases to the end:
# its SUMMARY line, with at least one case and none failed.  (standalone
# uses no runtime and reports its one case without a summary.)
guest_summaries() {
	local tier=$1 cfg=$2 log=$3 name file rest
	while read -r _ name file rest; do
		[[ $rest == *expect=* || $file == standalone.elf ]] && continue
		check "$tier: $name reported its own cases, none failed" \
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

# matrix_config: the VMX suite and those of test/emu/matrix.cfg's guests
# that it does not already have (a guest name may appear only once).
matrix_config() {
	echo "exit=bochs"
	grep -vE '^(exit|log)=' "$root/test/emu/vmx-suite.cfg"
	awk 'FNR == NR { if ($1 == "guest") have[$2] = 1; next }
		$1 == "guest" && !($2 in have)' \
		"$root/test/emu/vmx-suite.cfg" "$root/test/emu/matrix.cfg"
}

# matrix_boot <esp> <log> <cpu> <timeout_s> &: one boot; its status goes
# to <log>.rc, its wall-clock and CPU seconds (Bochs' own, whatever else
# the machine runs) to <log>.time.
matrix_boot() {
	local rc=0 start=$SECONDS cpu
	"$root/test/emu/bochs.sh" "$1" "$2" "$3" "$4" >/dev/null 2>&1 || rc=$?
	echo "$rc" >"$2.rc"
	# times' second line: the children's user and system time ("1m2.3s").
	times >"$2.times"
	cpu=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { sub(/s$/, "", $i);
		split($i, t, "m"); c += t[1] * 60 + t[2] } printf "%d", c }' \
		"$2.times")
	echo "wall $((SECONDS - start)) s, CPU ${cpu:-?} s" >"$2.time"
}

# The VMX suite under each model in matrix_cpus, and the generic CPU that
# lacks controls hv.efi needs.  Each model is one OVMF boot; matrix_jobs
# of them run at once (Bochs uses one core).
tier_matrix() {
	local cfg=$out/matrix-suite.cfg img=$out/esp-matrix.img
	local nocfg=$out/matrix-nocaps.cfg noimg=$out/esp-matrix-nocaps.img
	local cpu log txt rc secs
	local -a cpus
	read -ra cpus <<<"$matrix_cpus"
	echo "== matrix: the VMX suite under ${cpus[*]}; $matrix_nocaps must refuse cleanly"
	matrix_config >"$cfg"
	printf 'exit=bochs\nlog=info\nguest hello hello.elf\n' >"$nocfg"
	if ! "$root/test/emu/mkesp.sh" "$img" "$cfg" >/dev/null ||
		! "$root/test/emu/mkesp.sh" "$noimg" "$nocfg" >/dev/null; then
		fail "matrix: cannot build the ESPs"
		return
	fi
	for cpu in "${cpus[@]}" "$matrix_nocaps"; do
		while (($(jobs -rp | wc -l) >= matrix_jobs)); do
			wait -n
		done
		if [[ $cpu == "$matrix_nocaps" ]]; then
			matrix_boot "$noimg" "$out/matrix-nocaps.log" "$cpu" 600 &
		else
			matrix_boot "$img" "$out/matrix-$cpu.log" "$cpu" 1500 &
		fi
	done
	wait

	for cpu in "${cpus[@]}"; do
		log=$out/matrix-$cpu.log
		rc=$(cat "$log.rc" 2>/dev/null || echo none)
		secs=$(cat "$log.time" 2>/dev/null || echo "time unknown")
		echo "-- matrix: $cpu ($secs)"
		touch "$log"
		strip_ansi "$log" >"$log.txt"
		vmx_boot_checks "matrix: $cpu" "$cfg" "$log.txt" "$rc"
	done

	# Without "load IA32_EFER" hv.efi must stop before the first guest and
	# name the missing control (hv/vmx/controls.c), not fail per guest.
	log=$out/matrix-nocaps.log
	rc=$(cat "$log.rc" 2>/dev/null || echo none)
	secs=$(cat "$log.time" 2>/dev/null || echo "time unknown")
	echo "-- matrix: $matrix_nocaps ($secs)"
	touch "$log"
	txt=$log.txt
	strip_ansi "$log" >"$txt"
	check "matrix: nocaps: Bochs exit status 1 (got $rc)" test "$rc" = 1
	check "matrix: nocaps: banner" grep -qF "Aperture hypervisor v" "$txt"
	check "matrix: nocaps: the missing control is named" \
		grep -qE "VMX not available: .*control '[^']+' \(bit [0-9]+\) not supported" "$txt"
	check "matrix: nocaps: no guest was started" \
		bash -c '! grep -qE "^(== guest |(PASS|FAIL): guest: )" "$1"' _ "$txt"
	check "matrix: nocaps: platform exit reports an error" \
		grep -qF "APERTURE-EXIT: error" "$txt"
}

# fwstate_blocks <log.txt> <prefix>: <prefix>.1, .2, ... each hold one
# fwstate.efi report as sorted key=value lines.
fwstate_blocks() {
	rm -f "$2".[0-9]*
	awk -v p="$2" '
		/^FWSTATE: begin/ { n++; f = p "." n; printf "" > f; next }
		/^FWSTATE: end/ { close(f); f = ""; next }
		f != "" && /^FWSTATE: / {
			for (i = 2; i <= NF; i++) print $i >> f
		}' "$1"
	local f
	for f in "$2".[0-9]*; do
		[[ -f $f ]] && sort -o "$f" "$f"
	done
}

# fwstate_same <tier> <what> <before> <after>: one check per register.
fwstate_same() {
	local tier=$1 what=$2 before=$3 after=$4 kv key now
	while IFS= read -r kv; do
		key=${kv%%=*}
		now=$(grep -m1 "^$key=" "$after")
		# A null TR cannot be loaded back (LTR #GP, SDM 3A 7.2.4):
		# it stays on Aperture's TSS, kept for the firmware's life.
		if [[ $kv == "tr=0x0" ]]; then
			check "$tier: $what: TR was null, now Aperture's kept TSS (${now#*=})" \
				test -n "$now" -a "$now" != "tr=0x0"
			continue
		fi
		check "$tier: $what: $key unchanged (${kv#*=} -> ${now#*=})" \
			test "$kv" = "$now"
	done <"$before"
	check "$tier: $what: the same registers reported" \
		test "$(cut -d= -f1 "$before")" = "$(cut -d= -f1 "$after")"
}

# A platform whose firmware left CR4.OSXSAVE set (test/efi/osxsave.efi),
# and the firmware's CPU state around an exit=return run of attackers
# (test/emu/platform.nsh):
#   osxsave.efi, fwstate.efi twice (the second is the control: the state
#   must not move between two plain app runs), hv.efi exit=return with
#   xsetbv_platform, the cpuid_consistency guests (here with XSAVE offered,
#   and under the bochs tier's CPU model), fwstate_attacker and a canary,
#   fwstate.efi again, and a last hv.efi run that ends the emulator.
tier_platform() {
	local cfg=$root/test/emu/platform.cfg img=$out/esp-platform.img
	local log=$out/bochs-platform-$bochs_cpu.log rc txt r1 blk=$out/fwstate
	local apps=$build/efi-tests
	echo "== platform: OSXSAVE left on by the firmware; firmware state across exit=return"
	if [[ ! -f $apps/osxsave.efi || ! -f $apps/fwstate.efi ]]; then
		fail "platform: test/efi applications were not built (make efi-tests)"
		return
	fi
	if ! "$root/test/emu/mkesp.sh" --shell "$root/test/emu/platform.nsh" \
		--efi "$apps/osxsave.efi" --efi "$apps/fwstate.efi" \
		"$img" "$cfg" >/dev/null; then
		fail "platform: cannot build the ESP"
		return
	fi
	"$root/test/emu/bochs.sh" "$img" "$log" "$bochs_cpu" 900 >/dev/null 2>&1
	rc=$?
	txt=$log.txt
	strip_ansi "$log" >"$txt"
	count_results "$txt"
	check "platform: Bochs exit status 0 (got $rc)" test "$rc" -eq 0
	check "platform: osxsave.efi set CR4.OSXSAVE" grep -qF "OSXSAVE: set" "$txt"

	split_runs "$txt" "$out/platform.run"
	r1=$out/platform.run.1
	touch "$r1"
	check "platform: run 1 took exit=return" \
		grep -qF "boot: options: exit=return " "$r1"
	# hv.efi offered XSAVE and survived every refused XCR0 value.
	check "platform: xsetbv_platform ran its attacks (XSAVE offered)" \
		grep -qF "PASS: xsetbv_platform: avx512_opmask_only_gp" "$r1"
	check "platform: xsetbv_platform passed" \
		grep -qE "^PASS: guest: xsetbv_platform: " "$r1"
	check "platform: cpuid_consistency passed with XSAVE offered" \
		grep -qE "^PASS: guest: cpuid_consistency: " "$r1"
	check "platform: cpuid_consistency64 passed with XSAVE offered" \
		grep -qE "^PASS: guest: cpuid_consistency64: " "$r1"
	check "platform: cpuid_consistency ran XSAVE (not skipped)" \
		grep -qF "PASS: cpuid_consistency: xsave_xrstor" "$r1"
	check "platform: fwstate_attacker passed" \
		grep -qE "^PASS: guest: fwstate_attacker: " "$r1"
	check "platform: the canary after the attackers passed" \
		grep -qE "^PASS: guest: canary: " "$r1"
	# Whatever the guests' verdicts, hv.efi itself must live to the end.
	check "platform: run 1 reached its summary and platform exit" \
		grep -qE "^APERTURE-EXIT: (pass|fail)" "$r1"
	check "platform: run 1 summary" \
		grep -qF "SUMMARY: guests: 5 passed, 0 failed" "$r1"
	check "platform: run 1 reports pass" grep -qF "APERTURE-EXIT: pass" "$r1"
	check "platform: the shell got EFI_SUCCESS from run 1" \
		grep -qF "PLATFORM-TIER: hv.efi returned, lasterror=0x0" "$txt"

	fwstate_blocks "$txt" "$blk"
	check "platform: fwstate.efi reported three times" \
		test -s "$blk.1" -a -s "$blk.2" -a -s "$blk.3" -a ! -e "$blk.4"
	touch "$blk.1" "$blk.2" "$blk.3"
	check "platform: control: two plain app runs see the same state" \
		cmp -s "$blk.1" "$blk.2"
	fwstate_same platform "after exit=return" "$blk.1" "$blk.3"
	check "platform: the last run ends the emulator with pass" \
		grep -qF "APERTURE-EXIT: pass" "$out/platform.run.2"
}

for tier in $tiers; do
	case $tier in
	unit) tier_unit ;;
	fuzz) tier_fuzz ;;
	qemu) tier_qemu ;;
	bochs) tier_bochs ;;
	return) tier_return ;;
	ryzen) tier_ryzen ;;
	matrix) tier_matrix ;;
	platform) tier_platform ;;
	*) fail "unknown tier '$tier'" ;;
	esac
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
