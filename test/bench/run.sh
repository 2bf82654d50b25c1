#!/usr/bin/env bash
# make bench: the cost of moving the VGA window, zap-all vs targeted
# invalidation, measured in one Bochs boot.
#
# The guest (guest/tests/bench_window.c) keeps a 64 MiB working set
# mapped and moves the 64 KiB window at 0xA0000 between framebuffer banks;
# the hypervisor's counters give the shadow entries dropped and the pages
# that faulted back in.  Zap-all refaults the whole working set on every
# move, about half a second of Bochs time per move: the whole run takes
# about 9 minutes here.  BENCH_MOVES_ALL=100 gives the same per-move
# figures in one.
#
# Environment: BENCH_MOVES (targeted, default 1000), BENCH_MOVES_ALL
# (zap-all, default 1000), BOCHS_CPU (default corei7_skylake_x).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$root/build/bench
moves=${BENCH_MOVES:-1000}
moves_all=${BENCH_MOVES_ALL:-1000}
cpu=${BOCHS_CPU:-corei7_skylake_x}
mkdir -p "$out"

cat >"$out/bench.cfg" <<CFG
exit=bochs
timeout=0
guest bench_targeted bench_window.elf mem=96M slot=0xe0000000,8M mmu=targeted -- moves=$moves
guest bench_all      bench_window.elf mem=96M slot=0xe0000000,8M mmu=all -- moves=$moves_all
CFG

"$root/test/emu/mkesp.sh" "$out/esp.img" "$out/bench.cfg" >/dev/null
start=$(date +%s)
rc=0
"$root/test/emu/bochs.sh" "$out/esp.img" "$out/serial.log" "$cpu" 7200 \
	>/dev/null 2>&1 || rc=$?
end=$(date +%s)
sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$out/serial.log" \
	>"$out/serial.txt"
if [[ $rc -ne 0 ]]; then
	echo "bench: Bochs exited with $rc; see $out/serial.txt" >&2
	exit 1
fi

# "[bench_targeted] BENCH: moves=N ptes_zapped=Z refaults=R ..."
field() {	# field <guest> <key>
	grep -E "^\[$1\] BENCH: " "$out/serial.txt" |
		sed -E "s/.* $2=([0-9]+).*/\1/"
}

awk -v tm="$(field bench_targeted moves)" -v tz="$(field bench_targeted ptes_zapped)" \
    -v tr="$(field bench_targeted refaults)" \
    -v am="$(field bench_all moves)" -v az="$(field bench_all ptes_zapped)" \
    -v ar="$(field bench_all refaults)" -v secs=$((end - start)) -v cpu="$cpu" '
BEGIN {
	if (tm == "" || am == "" || tm == 0 || am == 0) {
		print "bench: no BENCH lines in the serial log" > "/dev/stderr"
		exit 1
	}
	printf "VGA window moves, 64 MiB working set (Bochs %s, one boot, %d s)\n", cpu, secs
	printf "%-10s %7s %18s %18s\n", "mode", "moves", "entries zapped/move", "refaults/move"
	printf "%-10s %7d %18.2f %18.2f\n", "zap-all", am, az / am, ar / am
	printf "%-10s %7d %18.2f %18.2f\n", "targeted", tm, tz / tm, tr / tm
	if (tr == 0) { print "targeted: no refaults measured" > "/dev/stderr"; exit 1 }
	printf "ratio (zap-all / targeted): %.1fx fewer entries zapped, %.1fx fewer refaults\n",
	       (az / am) / (tz / tm), (ar / am) / (tr / tm)
}'
