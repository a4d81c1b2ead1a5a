#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Developer run of the sequence kselftests (lutest=seq-dev): the toolstack
# and a PV guest with real backends, then every kselftest twice, first on
# stock Xen 4.17, then with the SIMULATED live-update hypervisor
# (tests/simulator, test only) loaded before xen_liveupdate.
# Results: /out/seq-dev.tap, /out/seq-{stock,sim}-*.tap, /out/seq-dmesg.txt.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/seq-dev.tap
SELFTESTS=/usr/lib/xen-liveupdate/selftests
T=/usr/lib/modules/$(uname -r)/extra/test
GUEST=guest1

# run_selftests TAG: every kselftest, TAP in /out/seq-TAG-NAME.tap.
run_selftests() {
	local t name
	# The sequence first: the others then run after simulated updates.
	for t in "$SELFTESTS"/liveupdate_sequence "$SELFTESTS"/*; do
		[ "$t" = "$SELFTESTS/liveupdate_sequence" ] && [ -n "$done_seq" ] &&
			continue
		[ "$t" = "$SELFTESTS/liveupdate_sequence" ] && done_seq=1
		name=${t##*/}
		"$t" > "/out/seq-$1-$name.tap" 2>&1
		tap $? "$1: kselftest $name (TAP in seq-$1-$name.tap)"
		grep -E '^(not ok|ok .*# SKIP)' "/out/seq-$1-$name.tap"
		tail -2 "/out/seq-$1-$name.tap"
	done
	done_seq=
}

tap_begin
echo "@@MODULE $(md5sum "$(modinfo -n xen_liveupdate)")"
stage seq-toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
start_test_guest
echo "@@BACKENDS vbd=$(backend_state vbd "$DOMID" 51712) vif=$(backend_state vif "$DOMID" 0)"

stage seq-stock
check "modprobe xen_liveupdate (no simulator)" modprobe xen_liveupdate
run_selftests stock
check "rmmod xen_liveupdate" rmmod xen_liveupdate

stage seq-sim
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
# The module's info lines on the console, with their times.
dmesg -n 7
# A wedged kernel: blocked tasks' stacks and the log, then power off.
(
	sleep "${SEQ_WATCHDOG:-1200}"
	echo "@@HANG seq-dev: watchdog after ${SEQ_WATCHDOG:-1200}s"
	echo w > /proc/sysrq-trigger
	for p in $(pgrep -x xenwatch); do
		echo "xenwatch $p: $(cat /proc/$p/wchan) $(cat /proc/$p/stat)"
		cat "/proc/$p/stack"
	done > /out/seq-xenwatch-hang.txt 2>&1
	sleep 5
	dmesg > /out/seq-dmesg-hang.txt
	cp /sys/kernel/debug/xen_lu_sim/status /out/seq-sim-status-hang.txt
	sync
	echo o > /proc/sysrq-trigger
) &
WATCHDOG=$!
check "insmod xen_lu_sim.ko" insmod "$T/xen_lu_sim.ko"
check "modprobe xen_liveupdate (simulator attached)" modprobe xen_liveupdate
check "kernel log: SIMULATED live-update hypervisor attached" \
	bash -c 'dmesg | grep -q "SIMULATED live-update hypervisor attached"'
run_selftests sim
# A developer's reproducer, when one was added to the initramfs.
if [ -x /usr/lib/xen-liveupdate/race-thaw ]; then
	/usr/lib/xen-liveupdate/race-thaw
	tap $? "race-thaw reproducer"
fi
cp /sys/kernel/debug/xen_lu_sim/status /out/seq-sim-status.txt
check "simulator: no fault left armed" \
	grep -qx 'faults armed: none' /sys/kernel/debug/xen_lu_sim/status
check "device left IDLE" bash -c 'lu-ctl status | grep -q "^staged: *nothing"'

kill "$WATCHDOG" 2>/dev/null
dmesg -n 5

stage seq-alive
check "$GUEST still alive" guest_alive $GUEST
echo "@@BACKENDS vbd=$(backend_state vbd "$DOMID" 51712) vif=$(backend_state vif "$DOMID" 0)"

dmesg > /out/seq-dmesg.txt
check "no WARNING, BUG or Oops in dom0's kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/seq-dmesg.txt'
tap_end
stage done
