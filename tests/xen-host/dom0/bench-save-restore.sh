#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/save-restore in dom0 (lutest=bench-save-restore, DOM0_DISK): the
# guests' pause across a save-restore update of real Xen 4.17, and the
# floor it is measured against, in one run of several boots.
#
# Each guest measures its own pause (pause-watch, lubench=1): the step of
# its wall clock while it did not run.  dom0 stamps the steps between
# (date +%s.%N; Xen gives dom0 and guests one wall clock).  For each
# configuration, guests N = 4, 2, 1 and a live or non-live save:
#
#   pause     the first guest paused to the last guest running again
#   save      the first guest paused to the exec (the journal written)
#   boot      the exec to xen#2's dom0 ready (toolstack up, T_READY)
#   restore   dom0 ready to the last guest running again (lu-ctl finish)
#
# The same update by hand, as an operator without lu-ctl would do it
# ("N:xl"): xl save of the N guests in parallel and a sync, a cold exec
# of the same xen#2, xl restore of the streams in the boot after; the
# same four spans, the exec stamped after the sync.  Its boot comes
# after the same saves as a run's, on the same emulated machine.
#
# The floor, in the same run: "xl save" and "xl restore" of the same N
# guests alone (in parallel, no exec), and the cold boot alone (a cold
# image without guests: the exec to the new dom0 ready, as for a run).
# The floor does what any save, reboot and restore must: its save ends
# when the streams are on the disk (a sync: a reboot loses what is only
# in memory), and its restore reads them from the disk (caches dropped:
# after a reboot nothing is cached).  The floor as first measured, the
# save without a sync and the restore from the cache, follows it
# ("floor-cached"), for comparison with older figures.
#
# Prints @@BENCH lines; bench/save-restore/bench.sh reads them.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin

STATE=/disk/bench
SAVE=/disk/lu-save
FLOOR=/disk/floor
INITRD=/out/dom0-initrd.cpio.gz
# Xen's block script overran libxl's hotplug timeout under load (a
# failed bench run): the light script, as the large and hostile guests.
HOTPLUG=/usr/lib/xen-liveupdate/host/hotplug-light.sh
XEN2_APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 loglvl=all guest_loglvl=all"
DOM0_APPEND="console=hvc0 earlyprintk=xen loglevel=5 lutest=bench-save-restore ludisk=1"
# The configurations, one exec each, then the cold boot alone, twice:
# the boots after an exec vary by seconds in this test host (Xen building
# dom0 and dom0's early boot, before any lu-ctl code runs); the floor
# takes the mean.  luruns=N:KIND+... on the first boot's command line
# (bench.sh RUNS=...; "+" as QEMU's multiboot loader splits modules at
# commas) runs those instead.
RUNS="4:live 4:stop 4:xl 2:live 2:stop 2:xl 1:live 1:stop 1:xl cold cold"

mkdir -p "$STATE"
now() { date +%s.%N; }
# lupar=N on the first boot's command line (bench.sh PARALLEL=N): at most
# N saves and restores at once, for every run; lu-ctl's default without.
if [ ! -f "$STATE/parallel" ]; then
	sed -n 's/.*\blupar=\([0-9]*\).*/--parallel \1/p' /proc/cmdline > "$STATE/parallel"
fi
PARALLEL=$(cat "$STATE/parallel")
# lutype=pvh on the first boot's command line (bench.sh GUEST_TYPE=pvh):
# PVH guests, whose live save Xen tracks with HAP.
if [ ! -f "$STATE/type" ]; then
	sed -n 's/.*\blutype=\([a-z]*\).*/\1/p' /proc/cmdline > "$STATE/type"
fi
GUEST_TYPE=$(cat "$STATE/type")
# luxen2=WORD+WORD on the first boot's command line (bench.sh XEN2_EXTRA):
# more words for every xen#2's command line, the runs' and the floor's.
if [ ! -f "$STATE/xen2" ]; then
	sed -n 's/.*\bluxen2=\([^ ]*\).*/\1/p' /proc/cmdline | tr + ' ' > "$STATE/xen2"
fi
[ -s "$STATE/xen2" ] && XEN2_APPEND+=" $(cat "$STATE/xen2")"
if [ ! -f "$STATE/runs" ]; then
	sed -n 's/.*\bluruns=\([0-9a-z:+]*\).*/\1/p' /proc/cmdline | tr + ' ' > "$STATE/runs"
fi
[ -s "$STATE/runs" ] && RUNS=$(cat "$STATE/runs")
export GUEST_TYPE
step=$(cat "$STATE/step" 2>/dev/null || echo 0)
set -- $RUNS
shift "$step"
# Once a live save has fallen back to non-live (the hypervisor cannot
# track dirty pages of these guests), the other live runs would measure
# the non-live ones again: skip them.
while [ -f "$STATE/live-failed" ] && [ "${1##*:}" = live ]; do
	shift
	step=$((step + 1))
done
run=${1:-done}
prev=$(cat "$STATE/run" 2>/dev/null)

bench() { echo "@@BENCH $*"; }

# fail WHY: the bench stops; the domains and the end of every guest's
# console in this boot go to the serial log first (the earlier ones are
# in /disk/bench/NAME.console, console_reset).
fail() {
	local f
	xl list 2>&1 | sed 's/^/# /'
	for f in /var/log/xen/console/guest-sr*.log; do
		[ -f "$f" ] || continue
		echo "# ${f##*/} (last lines):"
		tail -n 15 "$f" | sed 's/^/#   /'
	done
	echo "@@BENCH-FAILED $*"
	exit 1
}

# console_reset NAME...: empty each guest's console, so the pauses read
# are this measurement's, after appending it to /disk/bench/NAME.console.
console_reset() {
	local g log
	for g in "$@"; do
		log=/var/log/xen/console/guest-$g.log
		[ -f "$log" ] && cat "$log" >> "$STATE/$g.console"
		: > "$log"
	done
}

guests_for() { seq 1 "${1%%:*}" | sed 's/^/sr/'; }

# storage: the four guests' disks and configurations on /disk
# (disk_guest), each measuring its own pause (lubench=1), with the light
# hotplug script.
storage() {
	local i
	for i in 1 2 3 4; do
		disk_guest "sr$i" "$i" lubench=1 "$HOTPLUG" || echo "@@WARN storage sr$i"
	done
}

# pauses NAME...: "start end" of each guest's longest pause: the one the
# save and restore made (under load a guest also sees short steps of its
# clock, which the last pause may be).
pauses() {
	local g
	for g in "$@"; do
		sed -n 's/.*@@DOMU-PAUSE from=\([0-9.]*\) to=\([0-9.]*\) seconds=\([0-9.]*\).*/\3 \1 \2/p' \
			"/var/log/xen/console/guest-$g.log" | sort -n | tail -n 1 | cut -d' ' -f2,3
	done
}

# span A B: B - A seconds, to the hundredth.
span() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# measure WHO NAME...: wait for each guest to report its pause, then the
# first guest's pause start and the last guest's end in $first and $last.
measure() {
	local who=$1 g
	shift
	for g in "$@"; do
		wait_console "$g" '@@DOMU-PAUSE' 120 || fail "$who: $g reported no pause"
	done
	read -r first last <<< "$(pauses "$@" | awk 'NR == 1 || $1 < a { a = $1 } $2 > b { b = $2 } END { print a, b }')"
}

# bench_update KIND WORDS...: an update's @@BENCH line, its spans from
# $first, $t_exec, $T_READY and $last.
bench_update() {
	bench "$@" pause=$(span "$first" "$last") save_s=$(span "$first" "$t_exec") \
		boot_s=$(span "$t_exec" "$T_READY") restore_s=$(span "$T_READY" "$last")
}

# xl_all CMD LOG ARG...: run "xl CMD ARG" for every ARG in parallel, then
# once more alone for each that failed (as lu-ctl finish retries a failed
# restore alone); fail the bench if one still fails.
xl_all() {
	local cmd=$1 log=$2 a pids=() args=() i=0
	shift 2
	for a in "$@"; do
		xl $cmd $a > "$log.$i" 2>&1 &
		pids+=($!)
		args+=("$a")
		i=$((i + 1))
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" && continue
		echo "# xl $cmd ${args[$i]} failed, once more alone: $(tail -n 1 "$log.$i")"
		xl $cmd ${args[$i]} > "$log.$i" 2>&1 ||
			fail "xl $cmd ${args[$i]}: $(tail -n 2 "$log.$i" | tr '\n' ' ')"
	done
}

# floor_once N KIND: xl save, then xl restore, the N guests in parallel.
# KIND "floor": the save ends with a sync, the restore reads from the
# disk (caches dropped), as across a reboot.  KIND "floor-cached": as the
# bench measured it first, without the sync, the restore from the cache.
floor_once() {
	local n=$1 kind=$2 g t0 t1 t2 ts tr names saves=() streams=()
	names=$(guests_for "$n")
	mkdir -p "$FLOOR"
	console_reset $names
	for g in $names; do
		saves+=("$g $FLOOR/$g.xl")
		streams+=("$FLOOR/$g.xl")
	done
	t0=$(now)
	xl_all save /tmp/floor-save "${saves[@]}"
	t1=$(now)
	ts=$t1
	tr=$t1
	if [ "$kind" = floor ]; then
		sync
		ts=$(now)
		echo 3 > /proc/sys/vm/drop_caches
		tr=$(now)
	fi
	xl_all restore /tmp/floor-restore "${streams[@]}"
	t2=$(now)
	measure "$kind" $names
	bench "$kind" n=$n save=$(span "$first" "$ts") restore=$(span "$tr" "$last") \
		pause=$(span "$first" "$last") xl_save_wall=$(span "$t0" "$t1") \
		sync_s=$(span "$t1" "$ts") xl_restore_wall=$(span "$tr" "$t2")
	rm -f "$FLOOR"/*.xl
	sync
}

# floor N: the floor of N guests, then the same as first measured.
floor() {
	floor_once "$1" floor
	floor_once "$1" floor-cached
}

start_toolstack
storage
modprobe xen_liveupdate
# dom0 is ready to restore: the end of "boot" for a run and for the floor.
T_READY=$(now)

# The boot after an exec: finish what the last run committed, report it.
case $prev in
*:live|*:stop)
	# The exec: the journal is the last thing commit writes before it
	# (then a sync); lu-ctl's own output does not outlive the exec.
	t_exec=$(stat -c %.3Y "$SAVE/journal") || fail "$prev: no journal"
	# Did a live save fall back?  libxl's log of each guest says so.
	if [ "${prev##*:}" = live ]; then
		grep -h -o 'Failed to enable logdirty[^"]*' "$SAVE"/*.log 2>/dev/null |
			head -n 1 > "$STATE/live-failed"
		[ -s "$STATE/live-failed" ] || rm -f "$STATE/live-failed"
	fi
	# Where the save's time went (lu-ctl's line in each guest's log).
	grep -h '^lu-ctl: ' "$SAVE"/*.log 2>/dev/null | sed "s/^/@@BENCH-LOG $prev /"
	# shellcheck disable=SC2086 # $PARALLEL is words or nothing
	lu-ctl finish --save-dir "$SAVE" $PARALLEL --json > /tmp/finish.json 2>/tmp/finish.err ||
		fail "$prev: finish: $(tail -n 3 /tmp/finish.err)"
	grep -o '"restore_ns": *[0-9]*' /tmp/finish.json | sed "s/^/@@BENCH-LOG $prev finish /"
	measure "$prev" $(guests_for "$prev")
	[ "${prev##*:}" = live ] && [ -s "$STATE/live-failed" ] &&
		bench live-failed n=${prev%%:*} "why=$(head -n 1 "$STATE/live-failed" | tr ' ' '_')"
	bench_update run n=${prev%%:*} save=${prev##*:}
	;;
*:xl)
	# The update by hand: restore what xl saved before the exec.
	t_exec=$(cat "$STATE/t_exec")
	names=$(guests_for "$prev")
	streams=()
	for g in $names; do
		streams+=("$FLOOR/$g.xl")
	done
	xl_all restore /tmp/byhand-restore "${streams[@]}"
	measure "$prev" $names
	bench_update byhand n=${prev%%:*}
	rm -f "$FLOOR"/*.xl
	;;
cold)
	t_exec=$(cat "$STATE/t_exec")
	bench cold boot_s=$(span "$t_exec" "$T_READY")
	;;
esac

[ "$run" = done ] && { echo "@@BENCH-DONE"; exit 0; }

# start_sr NAME: create a guest and wait for it; a PVH guest on this
# emulated SVM sometimes reboots at its first boot, and is then made
# again, once (said on the console).  Nothing is measured here.
start_sr() {
	local try
	for try in 1 2; do
		[ "$try" = 1 ] || { echo "# $1 did not come up; creating it again"; xl destroy "$1"; }
		xl_create "$1" "/disk/images/$1.cfg" > /tmp/xl.out 2>&1 ||
			{ cat /tmp/xl.out; fail "xl create $1"; }
		guest_ready "$1" disk=ok 180 && return 0
	done
	fail "$1 is not alive"
}

# Bring the guests this run wants: start the missing, destroy the others.
for i in 1 2 3 4; do
	if [ "$run" != cold ] && [ "$i" -le "${run%%:*}" ]; then
		# A guest kept after a reboot or a crash is no guest to save: it
		# was measured (its pause came), then stopped on its own, as
		# restored PVH guests on this emulated SVM do after xl restore
		# too.  Said, counted, and made again.
		if xl domid "sr$i" > /dev/null 2>&1; then
			xl list "sr$i" | awk 'NR == 2 && $5 ~ /[sc]/ { exit 1 }' && continue
			bench stopped name=sr$i after=$prev state=$(xl list "sr$i" | awk 'NR == 2 { print $5 }')
			xl destroy "sr$i"
		fi
		start_sr "sr$i"
	else
		xl destroy "sr$i" 2>/dev/null
	fi
done

echo $((step + 1)) > "$STATE/step"
echo "$run" > "$STATE/run"
case $run in
cold)
	lu-ctl stage /boot/xen.gz --cold --replace --append "$XEN2_APPEND" \
		--module "/boot/vmlinuz $DOM0_APPEND" --module "$INITRD" > /dev/null ||
		fail "stage --cold"
	now > "$STATE/t_exec"
	sync
	lu-ctl commit --cold
	fail "commit --cold returned"
	;;
*:xl)
	# By hand: xen#2 staged first (as a run stages before it saves),
	# then xl save and a sync, then the exec.
	lu-ctl stage /boot/xen.gz --cold --replace --append "$XEN2_APPEND" \
		--module "/boot/vmlinuz $DOM0_APPEND" --module "$INITRD" > /dev/null ||
		fail "$run: stage --cold"
	names=$(guests_for "$run")
	console_reset $names
	mkdir -p "$FLOOR"
	saves=()
	for g in $names; do
		saves+=("$g $FLOOR/$g.xl")
	done
	xl_all save /tmp/byhand-save "${saves[@]}"
	sync
	now > "$STATE/t_exec"
	lu-ctl commit --cold
	fail "$run: commit --cold returned"
	;;
esac

n=${run%%:*}
# The floor for these guests, measured on them, in this boot, once per N.
if [ ! -f "$STATE/floor-$n" ]; then
	floor "$n"
	: > "$STATE/floor-$n"
fi
console_reset $(guests_for "$run")
opt=
[ "${run##*:}" = stop ] && opt=--no-live
# shellcheck disable=SC2086 # $opt and $PARALLEL are words or nothing
lu-ctl stage /boot/xen.gz --replace --method save-restore --save-dir "$SAVE" $opt $PARALLEL \
	--append "$XEN2_APPEND" --module "/boot/vmlinuz $DOM0_APPEND" \
	--module "$INITRD" > /dev/null || fail "$run: stage"
lu-ctl prepare > /dev/null || fail "$run: prepare"
sync
lu-ctl commit
fail "$run: commit returned"
