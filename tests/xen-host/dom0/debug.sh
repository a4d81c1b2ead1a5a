#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The dom0 run of "make check-debug" on the debug dom0 kernel
# (tests/xen-host/debug-kernel/, Documentation/dev-tools/xen-liveupdate-testing.rst):
#   - the guest with real backends, the kselftests, and the whole
#     live-update sequence through the SIMULATED live-update hypervisor
#     (sequence.sh);
#   - failslab fault injection into every lu-ctl command and into module
#     load: systematic (the n-th allocation of the command's own system
#     calls fails, n = 1, 2, ... until a run reaches no fault point) and a
#     short random window; each run must end with one of lu-ctl's exit
#     codes, and the device must still work afterwards;
#   - module unload and a kmemleak scan;
#   - lockdep still on at the end (debug_locks 1): the whole run, guest
#     included, was checked.
# The toolstack maps the guest's rings without xen_gntdev: oxenstored and
# xenconsoled map them as foreign memory (privcmd).  xen_gntdev's own
# lock-order report (Documentation/dev-tools/xen-liveupdate-testing.rst)
# would otherwise switch lockdep off when the guest is created.
# Results: /out/dom0.tap, /out/dom0-dmesg.txt, /out/kmemleak-*.txt,
# /out/failslab.txt, /out/lockdep-*.txt.  scripts/check-debug.sh counts
# the kernel-log reports.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
SELFTESTS=/usr/lib/xen-liveupdate/selftests
GUEST=guest1
DBG=/sys/kernel/debug
FS=$DBG/failslab
KMEMLEAK=$DBG/kmemleak
PRELOAD=/usr/lib/xen-liveupdate/debug/fail-nth.so
LU_STAGE=(lu-ctl stage /boot/xen.gz --append "console=com1")

tap_begin
mountpoint -q $DBG || mount -t debugfs none $DBG

stage kmemleak-baseline
# Whatever boot left unreferenced is not the module's: forget it.
check "kmemleak is running" test -w $KMEMLEAK
echo scan > $KMEMLEAK
echo clear > $KMEMLEAK

# On dom0's command line (DOM0_EXTRA), for a quicker run:
#   ludebug=nosequence   the guest, but not the kselftests and the sequence
#   ludebug_cap=N        no fault-injection run with n above N (0: none,
#                        and no random window)
#   ludebug=lockorder    once the guest is up, the test participant takes
#                        a lock in both orders around xen_liveupdate's
#                        participant lock (wrong_lock_order=1): lockdep
#                        must report it, and check-debug must fail
SEQUENCE=1
grep -q 'ludebug=nosequence' /proc/cmdline && SEQUENCE=0
LOCKORDER=0
grep -q 'ludebug=lockorder' /proc/cmdline && LOCKORDER=1
FAULT_CAP=$(sed -n 's/.*ludebug_cap=\([0-9]*\).*/\1/p' /proc/cmdline)
FAULT_CAP=${FAULT_CAP:-600}

stage toolstack
check "lockdep is on (debug_locks 1)" grep -q 'debug_locks: *1$' /proc/lockdep_stats
check "xen_gntdev unloaded: no gntdev mapping of the guest's rings" \
	bash -c '! lsmod | grep -q "^xen_gntdev " || rmmod xen_gntdev'
# The guard's synthetic devices are written by dom0 in one transaction
# for a domain id that does not run: use_oxenstored lifts the quotas.
use_oxenstored --no-access-log
check "toolstack: oxenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack

stage module
check "modprobe xen_liveupdate" modprobe xen_liveupdate

stage guest
# secs CMD...: ten runs of CMD, in seconds of dom0's uptime.
secs() {
	local t0
	t0=$(cut -d' ' -f1 /proc/uptime)
	for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" > /dev/null; done
	awk -v a="$t0" '{ printf "%.2f s", $1 - a }' /proc/uptime
}
echo "@@EXEC x10: true $(secs true), xenstore-read $(secs xenstore-read /local/domain/0/name)"
# The debug kernel under a loaded machine is slow enough for Xen's block
# and vif-bridge scripts, dozens of programs each, to overrun the 40 s
# libxl gives a hotplug script.  The same devices, attached by the light
# script the large and hostile guests use, as theirs are: the image on a
# loop device behind $GUEST.disk (create_guest), the vif put on the
# bridge.  (A script of its own here acted on "add" only; libxl runs a
# vif's script with "online", so the vif's hotplug-status was never
# written and netback stayed in InitWait.)
HOTPLUG=/usr/lib/xen-liveupdate/host/hotplug-light.sh
sed -e "s|target=[^\"]*|script=$HOTPLUG, target=/var/lib/xen/images/$GUEST.disk|" \
    -e "s|bridge=xenbr0|bridge=xenbr0,script=$HOTPLUG|" \
    /guest/guest.cfg > /tmp/guest.cfg
if ! check "xl create $GUEST (PV, blkback disk, netback vif)" \
	create_guest $GUEST /tmp/guest.cfg; then
	tap_diag /tmp/guest.cfg
	for f in /var/log/xen/xen-hotplug.log /var/log/xen/xl-$GUEST.log \
		 /var/log/xen/xenstored.log; do
		[ -f "$f" ] && tail -n 30 "$f" > /tmp/diag.txt && tap_diag /tmp/diag.txt
	done
fi
check "$GUEST boots and is alive" guest_ready $GUEST @@DOMU-ALIVE 300
DOMID=$GUEST_DOMID
if ! check "$GUEST's vbd and vif are Connected (backend and frontend)" \
	wait_connected "$DOMID" 120; then
	xenstore-ls -f /local/domain/0/backend > /tmp/diag.txt 2>&1
	tap_diag /tmp/diag.txt
	tail -n 30 /var/log/xen/xl-$GUEST.log > /tmp/diag.txt 2>&1 && tap_diag /tmp/diag.txt
fi
check "lockdep still on with the guest running (debug_locks 1)" \
	grep -q 'debug_locks: *1$' /proc/lockdep_stats

if [ $LOCKORDER = 1 ]; then
	stage lockorder
	# The participant lock inside the order lock, then the order lock
	# inside the participant lock (collect() of lu-ctl records).
	check "lockorder: test participant, wrong_lock_order=1, lu-ctl records" \
		bash -c 'modprobe xen_lu_test_participant &&
			 echo 1 > /sys/module/xen_lu_test_participant/parameters/wrong_lock_order &&
			 lu-ctl records -o /tmp/records.bin'
	check "lockorder: lockdep reported it" \
		bash -c 'dmesg | grep -q "possible circular locking dependency" &&
			 dmesg | grep -q test_order_lock'
	check "lockorder: test participant unloads" rmmod xen_lu_test_participant
fi

if [ $SEQUENCE = 1 ]; then
	stage kselftest
	for t in "$SELFTESTS"/*; do
		name=${t##*/}
		timeout 600 "$t" > "/out/kselftest-$name.tap" 2>&1
		tap $? "kselftest $name (TAP in kselftest-$name.tap)"
		tail -3 "/out/kselftest-$name.tap"
	done
	# The live update through the simulator; leaves the real module
	# loaded.
	. /usr/lib/xen-liveupdate/host/sequence.sh
	dmesg > /out/dom0-dmesg.txt
fi

stage failslab
check "modules: simulator, then xen_liveupdate attached to it" \
	bash -c 'rmmod xen_liveupdate && modprobe xen_lu_sim && modprobe xen_liveupdate'

# to_idle: bring the device back to idle without faults; fails when
# lu-ctl cannot say what state the device is in.
to_idle() {
	local i s
	lsmod | grep -q '^xen_liveupdate ' || modprobe xen_liveupdate || return 1
	for i in 1 2 3 4; do
		s=$(state_of)
		case $s in
		idle) return 0 ;;
		staged) lu-ctl unstage ;;
		prepared) lu-ctl cancel ;;
		committed|committing) lu-ctl finish ;;
		*) echo "to_idle: unknown state '$s'"; lu-ctl status; return 1 ;;
		esac > /dev/null 2>&1
	done
	echo "to_idle: still '$(state_of)'"
	return 1
}

# State the command under test needs, reached without faults.
pre_staged() { "${LU_STAGE[@]}"; }
pre_prepared() { pre_staged && lu-ctl prepare; }
pre_committed() { pre_prepared && lu-ctl commit; }
pre_unloaded() { rmmod xen_liveupdate; }

injected() { cat $FS/times; }

# fault_op NAME PRE CMD...: run CMD with FAIL_NTH=n for n = 1, 2, ... 8,
# then steps of half of n, until a run reaches no fault point; PRE (a function, or
# "true") first brings the device to the state CMD needs.  A run passes
# when it exits with one of lu-ctl's exit codes (modprobe: 0 or 1) and
# the device can be brought back to idle.
fault_op() {
	local name=$1 pre=$2 n=1 rc before hits=0 runs=0 bad=0 enomem=0 done=0
	shift 2
	: > /tmp/fault-op.txt
	while [ $n -le "$FAULT_CAP" ]; do
		if ! to_idle > /tmp/pre.txt 2>&1 || ! $pre >> /tmp/pre.txt 2>&1; then
			echo "n=$n: could not reach the state '$pre' needs" >> /tmp/fault-op.txt
			cat /tmp/pre.txt >> /tmp/fault-op.txt
			bad=$((bad + 1))
			break
		fi
		before=$(injected)
		FAIL_NTH=$n LD_PRELOAD=$PRELOAD "$@" > /tmp/fo.out 2> /tmp/fo.err
		rc=$?
		runs=$((runs + 1))
		if [ "$(injected)" = "$before" ]; then
			done=1
		else
			hits=$((hits + 1))
		fi
		grep -qi 'ENOMEM\|Cannot allocate memory' /tmp/fo.err && enomem=$((enomem + 1))
		if [ $rc -gt 9 ] || { [ "$1" = modprobe ] && [ $rc -gt 1 ]; }; then
			{ echo "n=$n: exit $rc"; cat /tmp/fo.err; } >> /tmp/fault-op.txt
			bad=$((bad + 1))
		fi
		if ! to_idle >> /tmp/fault-op.txt 2>&1; then
			echo "n=$n: device not usable after the fault" >> /tmp/fault-op.txt
			bad=$((bad + 1))
			break
		fi
		[ $done = 1 ] && break
		if [ $n -lt 8 ]; then
			n=$((n + 1))
		else
			n=$((n + n / 2))
		fi
	done
	echo "$name: runs=$runs faults=$hits enomem=$enomem bad=$bad complete=$done" |
		tee -a /out/failslab.txt
	tap $bad "failslab: $name: $runs runs, $hits faults injected, $enomem ENOMEM, all clean"
	[ $bad -eq 0 ] || tap_diag /tmp/fault-op.txt
}

check "failslab and fail-nth present" test -w $FS/times -a -e /proc/self/fail-nth
# Systematic: only fail-nth decides (probability 0), sleeping allocations
# included, each injected fault counted down in "times" and noted in the
# kernel log (at KERN_NOTICE: not on the console, which keeps every
# warning in case the run never ends).
echo N > $FS/ignore-gfp-wait
echo 0 > $FS/probability
echo 1000000 > $FS/times
echo 1 > $FS/verbose
echo 1000000 > $FS/verbose_ratelimit_burst
: > /out/failslab.txt
fault_op "lu-ctl status" true lu-ctl status
fault_op "lu-ctl records -o" true lu-ctl records -o /tmp/records.bin
fault_op "lu-ctl stage" true "${LU_STAGE[@]}"
fault_op "lu-ctl unstage" pre_staged lu-ctl unstage
fault_op "lu-ctl prepare" pre_staged lu-ctl prepare
fault_op "lu-ctl cancel" pre_prepared lu-ctl cancel
fault_op "lu-ctl commit" pre_prepared lu-ctl commit
fault_op "lu-ctl finish" pre_committed lu-ctl finish
fault_op "modprobe xen_liveupdate" pre_unloaded modprobe xen_liveupdate

# A short random window: 20% of the allocations of the marked tasks fail
# (none with ludebug_cap=0).
if [ "$FAULT_CAP" -gt 0 ]; then
	stage failslab-random
	echo 1 > $FS/verbose
	echo Y > $FS/task-filter
	echo 20 > $FS/probability
	bad=0
	before=$(injected)
	for _ in 1 2 3; do
		for cmd in "lu-ctl status" "lu-ctl records -o /tmp/records.bin" \
			   "${LU_STAGE[*]}" "lu-ctl prepare" "lu-ctl cancel" "lu-ctl unstage"; do
			MAKE_IT_FAIL=1 LD_PRELOAD=$PRELOAD $cmd > /dev/null 2> /tmp/fo.err
			rc=$?
			if [ $rc -gt 9 ]; then
				echo "random: $cmd: exit $rc: $(cat /tmp/fo.err)" >> /out/failslab.txt
				bad=$((bad + 1))
			fi
		done
		to_idle > /dev/null 2>&1 || bad=$((bad + 1))
	done
	echo 0 > $FS/probability
	echo N > $FS/task-filter
	echo "random: injected=$((before - $(injected))) bad=$bad" | tee -a /out/failslab.txt
	tap $bad "failslab: random window (20%): every command ended with an lu-ctl exit code"
fi

check "after the faults: idle, status answers, a full stage/prepare/cancel/unstage works" \
	bash -c "lu-ctl status > /dev/null && ${LU_STAGE[*]} && lu-ctl prepare && lu-ctl cancel && lu-ctl unstage && lu-ctl status > /dev/null"

stage kmemleak
check "$GUEST still alive" guest_alive $GUEST 60
# What lockdep checked of the project's locks, while the modules (and so
# their lock classes) are still there.
cat /proc/lockdep_stats > /out/lockdep-stats.txt
grep -E ' (xen_lu|&xen_lu|sim\.lock|test_order_lock|&t->lock|&fz->lock)' /proc/lockdep \
	> /out/lockdep-classes.txt
check "lockdep on after the sequence and the faults (debug_locks 1)" \
	grep -q 'debug_locks: *1$' /out/lockdep-stats.txt
echo "@@LOCKDEP classes=$(grep -c . /out/lockdep-classes.txt) $(grep -E 'debug_locks|dependency chains|direct dependencies' /out/lockdep-stats.txt | tr -s ' ' | tr '\n' ' ')"
# kmemleak reports an object unreferenced for 5 seconds at a scan.  The
# first scan runs with the modules loaded, so their frames have names;
# the second after rmmod, when what they never freed is unreferenced.
sleep 6
echo scan > $KMEMLEAK
cat $KMEMLEAK > /out/kmemleak-loaded.txt
check "rmmod xen_liveupdate xen_lu_sim" rmmod xen_liveupdate xen_lu_sim
sleep 6
echo scan > $KMEMLEAK
cat $KMEMLEAK > /out/kmemleak.txt
echo "@@KMEMLEAK loaded=$(grep -c '^unreferenced object' /out/kmemleak-loaded.txt) unloaded=$(grep -c '^unreferenced object' /out/kmemleak.txt)"

stage dmesg
check "lockdep on at the end (debug_locks 1)" \
	grep -q 'debug_locks: *1$' /proc/lockdep_stats
dmesg > /out/dom0-dmesg.txt
tap_end
stage done
