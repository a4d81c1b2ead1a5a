#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ioctl stress of /dev/xen/liveupdate in a real PV dom0 on real Xen 4.17,
# through the SIMULATED live-update hypervisor (tests/simulator): the
# xen-lu-stress tool (tests/stress) runs read-only and would-be controller
# processes issuing random ioctls, a stage/prepare/commit/finish/cancel
# loop whose exec fails at random, and module unloads, while xenstore
# churns: synthetic backend devices come, go and change under dom0's
# backend directory, and (with lustress_guest=1) the real guest's frontend
# directory changes.
#
# Kernel command line: lustress=<seconds> (default 60), lustress_seed=<n>
# to replay a run's seed, lustress_guest=1 to run the PV guest too (its
# real blkback and netback are frozen by each commit; about 150 s more
# under TCG).  Booted as lutest=stress.
# Results: /out/stress.tap, /out/stress.txt (the tool's report, with the
# seed and the counts per ioctl and errno), /out/stress-dmesg.txt.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/stress.tap
GUEST=guest1
T=/usr/lib/modules/$(uname -r)/extra/test
STRESS=/usr/lib/xen-liveupdate/stress/xen-lu-stress
SECS=$(sed -n 's/.*lustress=\([0-9]*\).*/\1/p' /proc/cmdline)
SECS=${SECS:-60}
SEED=$(sed -n 's/.*lustress_seed=\([0-9]*\).*/\1/p' /proc/cmdline)
WITH_GUEST=$(sed -n 's/.*lustress_guest=\([01]\).*/\1/p' /proc/cmdline)
# Synthetic devices of a domain that does not exist (bench-sequence.sh).
FE=30000
NSYN=8
BE_DIR=/local/domain/0/backend/synthetic/$FE
FE_DIR=/local/domain/$FE/device/synthetic
# What the kernel must never report.
KLOG_BAD='WARNING:|BUG:|Oops|KASAN|lockdep|INFO: task .* blocked for more than|possible circular locking|unable to handle|general protection fault|kernel BUG|Kernel panic|Call Trace'

# synthetic_args D: the xenstore-write arguments of synthetic device D.
synthetic_args() {
	echo "$BE_DIR/$1/frontend $FE_DIR/$1 $BE_DIR/$1/frontend-id $FE" \
	     "$BE_DIR/$1/state 4 $BE_DIR/$1/online 1" \
	     "$FE_DIR/$1/backend $BE_DIR/$1 $FE_DIR/$1/backend-id 0" \
	     "$FE_DIR/$1/state 4 $FE_DIR/$1/ring-ref $((8 + $1))" \
	     "$FE_DIR/$1/event-channel $((16 + $1))"
}

# churn END: change xenstore until END (seconds since the epoch).
churn() {
	local end=$1 n=0 d fe_vif=/local/domain/$DOMID/device/vif/0
	while [ "$(date +%s)" -lt "$end" ]; do
		d=$((RANDOM % NSYN))
		case $((RANDOM % 7)) in
		0 | 1)	xenstore-write "$BE_DIR/$d/feature-stress" "$n" ;;
		2)	xenstore-write "$FE_DIR/$d/state" 3 "$FE_DIR/$d/state" 4 ;;
		3)	# shellcheck disable=SC2046
			xenstore-write $(synthetic_args $((NSYN + RANDOM % 8))) ;;
		4)	d=$((NSYN + RANDOM % 8))
			xenstore-rm "$BE_DIR/$d" 2>/dev/null
			xenstore-rm "$FE_DIR/$d" 2>/dev/null ;;
		5)	[ -n "$DOMID" ] && xenstore-write "$fe_vif/feature-stress" "$n" ;;
		6)	xenstore-write "$FE_DIR/$d/request-stress" "$n" ;;
		esac
		n=$((n + 1))
	done
	echo "$n" > /tmp/churn.count
}

# result NAME: the tool's "RESULT NAME <count>".
result() {
	sed -n "s/^RESULT $1 \([0-9]*\)$/\1/p" /out/stress.txt
}

tap_begin
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

stage stress-toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
if [ "$WITH_GUEST" = 1 ]; then
	start_test_guest
fi
# shellcheck disable=SC2046
check "$NSYN synthetic backend devices under dom0's backend directory" \
	bash -c "$(for ((d = 0; d < NSYN; d += 20)); do
		     args=; for ((i = d; i < d + 20 && i < NSYN; i++)); do
			     args+=" $(synthetic_args $i)"; done
		     echo "xenstore-write$args || exit 1;"; done)
		 [ \$(xenstore-list $BE_DIR | wc -l) -eq $NSYN ]"

stage stress-modules
check "insmod xen_lu_sim.ko (SIMULATED live-update hypervisor)" \
	insmod "$T/xen_lu_sim.ko"
check "modprobe xen_liveupdate attaches to it" modprobe xen_liveupdate
# Its record changes before every commit: commits reload the records.
check "modprobe xen_lu_test_participant" modprobe xen_lu_test_participant
expect_rc 0 "lu-ctl status: live update supported (simulated)" lu-ctl status
# Report a task blocked for 30 s, well within the run.
echo 30 > /proc/sys/kernel/hung_task_timeout_secs
KLOG_START=$(dmesg | wc -l)

stage stress-run
echo "@@STRESS seconds=$SECS seed=${SEED:-random}"
churn $(($(date +%s) + SECS)) &
CHURN=$!
t0=$(cut -d' ' -f1 /proc/uptime)
# Below xenstored and xenwatch, whose speed every collection depends on.
timeout -k 10 $((SECS + 90)) nice -n 10 "$STRESS" -t "$SECS" ${SEED:+-s "$SEED"} \
	> /out/stress.txt 2>&1
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
wait $CHURN
cat /out/stress.txt
seed=$(sed -n 's/^xen-lu-stress: seed \([0-9]*\) .*/\1/p' /out/stress.txt | head -n 1)
calls=$(result calls)
tap "$([ $rc -le 1 ] && [ "${calls:-0}" -gt 0 ]; echo $?)" \
	"xen-lu-stress ran ${SECS} s (wall $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s, seed $seed, ${calls:-0} ioctls, exit $rc)"
for what in undocumented-errno inconsistent-info corrupt-dump write-past-size \
	    handed-over-missing rmmod hung-worker size-above-max-accepted \
	    state-change-without-cap-sys-boot setup; do
	n=$(result $what)
	tap "$([ "${n:-x}" = 0 ]; echo $?)" "stress: no $what (${n:-no result})"
	if [ "${n:-x}" != 0 ]; then
		grep -F "$what: " /out/stress.txt | sort -u | head -n 20 > /tmp/fails.txt
		tap_diag /tmp/fails.txt
	fi
done
check "stress: every ioctl number was issued and answered" \
	bash -c "for k in GET_INFO GET_MEMORY_MAP STAGE UNSTAGE COLLECT PREPARE COMMIT FINISH CANCEL invalid-number; do
		 grep -Eq \"^\$k +[1-9]\" /out/stress.txt || exit 1; done"
check "stress: commits ran, and repeated after a failed exec" \
	grep -Eq '^lifecycle: [1-9][0-9]* commits ok .* [1-9][0-9]* failed in the exec' /out/stress.txt
check "stress: COLLECT(HANDED_OVER) returned records and was checked" \
	grep -Eq '^handed over: [1-9][0-9]* returned, [1-9][0-9]* checked' /out/stress.txt
if [ "$SECS" -ge 20 ]; then
	check "stress: unload refused while an fd was open, done with none open" \
		grep -Eq '^module unload: [1-9][0-9]* cycles, [1-9][0-9]* refused in use, [1-9][0-9]* unloaded' /out/stress.txt
fi
check "stress: the controller without CAP_SYS_BOOT was refused" \
	grep -Eq '^state changes without CAP_SYS_BOOT: .*/[1-9]' /out/stress.txt
cat /tmp/churn.count > /tmp/n.txt 2>/dev/null
tap "$([ "$(cat /tmp/n.txt 2>/dev/null || echo 0)" -gt 0 ]; echo $?)" \
	"xenstore churned meanwhile ($(cat /tmp/n.txt 2>/dev/null || echo 0) changes)"
check "no xen-lu-stress process left" bash -c '! pgrep -x xen-lu-stress'

stage stress-after
check "the module is loaded and GET_INFO answers consistently" \
	"$STRESS" --check
cat /tmp/check.out
expect_rc 0 "lu-ctl status after the stress" lu-ctl status
lu-ctl finish > /dev/null 2>&1
lu-ctl cancel > /dev/null 2>&1
lu-ctl unstage > /dev/null 2>&1
check "lu-ctl brings the device back to idle" \
	bash -c 'lu-ctl status --json | grep -q "\"state\": *\"idle\""'
if [ -n "$DOMID" ]; then
	check "$GUEST still alive" guest_alive $GUEST
fi
check "rmmod xen_lu_test_participant" rmmod xen_lu_test_participant
check "rmmod xen_liveupdate: nothing holds it" rmmod xen_liveupdate
check "rmmod xen_lu_sim" rmmod xen_lu_sim
dmesg > /out/stress-dmesg.txt
tail -n +$((KLOG_START + 1)) /out/stress-dmesg.txt | grep -E "$KLOG_BAD" > /tmp/klog.txt
tap "$([ ! -s /tmp/klog.txt ]; echo $?)" \
	"kernel log: no WARNING, BUG, Oops, KASAN, lockdep or blocked task during the stress"
[ -s /tmp/klog.txt ] && tap_diag /tmp/klog.txt
tap_end
