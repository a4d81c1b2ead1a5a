#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Real and hostile guests through a live update (lutest=guests), run by
# the SIMULATED live-update hypervisor (tests/simulator, test only):
#
#   large    an honest PV guest with 8 vCPUs, a vif with 8 queues and
#            split event channels, a vbd with 16-page rings on every
#            queue; its devices must be recorded whole.
#   hostile  a PV guest configured like any other whose init (xs-flood,
#            tests/xen-host/domu/) fills its own frontend directories
#            beyond every documented cap and rewrites them, state
#            included, without pause: through PREPARE, COMMIT and the
#            frozen window.  Its devices must be named unrecordable, the
#            update must go on for everybody else, and dom0's slab must
#            not grow while the flood beats on a frozen dom0.
#
# Results: /out/guests.tap, /out/guests-*.{json,txt}.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/guests.tap
SIMDBG=/sys/kernel/debug/xen_lu_sim
LU_STAGE=(lu-ctl stage /boot/xen.gz --append "console=com1")
REASONS='queues|ring-refs|event-channels|features|size'
# The frozen window is held this long while the hostile guest writes
# (longer while its writes could not yet have passed BOUND, up to HOLD_MAX).
HOLD=10
HOLD_MAX=90
# How much dom0's slab may grow in that window.  What dom0 legitimately
# allocates while frozen is a few records' worth (KiB); the SLUB per-CPU
# caches of 2 CPUs move by far less than 1 MiB between two readings
# after drop_caches.  A dom0 that kept one xenbus watch event per guest
# write (at least 128 bytes each: struct xs_watch_event and the path)
# passes 1 MiB after 8192 writes: the test checks the flood it measured
# reached that many, so that it can fail.
BOUND=$((1 << 20))
EVENT_BYTES=128

# flood_writes: the hostile guest's last reported write count.
flood_writes() {
	sed -n 's/.*@@DOMU-FLOOD writes=\([0-9]*\).*/\1/p' \
		/var/log/xen/console/guest-hostile.log | tail -n 1
}

# flood_goes_on: the count grows within 5 seconds.
flood_goes_on() {
	local w0 w1 t
	w0=$(flood_writes)
	for t in $(seq 1 25); do
		sleep 0.2
		w1=$(flood_writes)
		[ "${w1:-0}" -gt "${w0:-0}" ] && return 0
	done
	echo "hostile guest: writes=${w0:-none} then ${w1:-none}"
	return 1
}

# json_flat FILE: the JSON without white space.
json_flat() {
	tr -d ' \t\n' < "$1"
}

# backends_of FILE DOMID: DOMID's backend objects of a lu-ctl records
# --json output, one a line.
backends_of() {
	json_flat "$1" | sed 's/.*"backends":\[//; s/}\],"evtchns":\[.*/}/' |
		sed 's/},{/}\n{/g' | grep "\"frontend_domid\":$2,"
}

# finish_guests FILE DESC: lu-ctl finish, its JSON in FILE.  The hostile
# guest flips its own states all along: its devices may differ (exit 8);
# nobody else's may.
finish_guests() {
	local rc

	lu-ctl finish --json > "$1" 2> /tmp/err.txt
	rc=$?
	tap "$([ $rc -eq 0 ] || [ $rc -eq 8 ]; echo $?)" \
		"$2: finished (exit $rc: 0, or 8 for differences)"
	json_flat "$1" | sed 's/},{/}\n{/g' |
		grep -E '"kind":"(backend|domain)"' > /tmp/finish-diffs.txt
	check "$2: no backend or domain difference of another guest than hostile" \
		bash -c "! grep -vE '\"domid\":$HOSTILE[,}]' /tmp/finish-diffs.txt"
}

# field LINE KEY: a number, null or string value of a flat JSON object.
field() {
	sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" <<< "$1" | tr -d '"'
}

# count LINE KEY: the number of elements of an array of numbers.
count() {
	local a
	a=$(sed -n "s/.*\"$2\":\[\([^]]*\)\].*/\1/p" <<< "$1")
	if [ -z "$a" ]; then echo 0; else tr ',' '\n' <<< "$a" | wc -l; fi
}

# slab: "Slab SUnreclaim" of /proc/meminfo in bytes, then the bytes of
# every active kmalloc-* object of /proc/slabinfo.
slab() {
	sync
	echo 2 > /proc/sys/vm/drop_caches
	echo "$(awk '/^Slab:/ { print $2 * 1024 }' /proc/meminfo)" \
	     "$(awk '/^SUnreclaim:/ { print $2 * 1024 }' /proc/meminfo)" \
	     "$(awk '/^kmalloc-/ { s += $2 * $4 } END { print s }' /proc/slabinfo)"
}

tap_begin
T0=$(cut -d' ' -f1 /proc/uptime)
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

stage guests-backends
# What an operator sets for big guests; the hostile guest gets the same.
check "xen-netback reloaded with max_queues=8" \
	bash -c 'rmmod xen_netback && modprobe xen-netback max_queues=8 &&
		 [ "$(cat /sys/module/xen_netback/parameters/max_queues)" = 8 ]'
check "xen-blkback reloaded with max_ring_page_order=4 max_queues=8" \
	bash -c 'rmmod xen_blkback &&
		 modprobe xen-blkback max_ring_page_order=4 max_queues=8 &&
		 [ "$(cat /sys/module/xen_blkback/parameters/max_ring_page_order)" = 4 ]'
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
# The hostile guest's backends log every refused connect: kernel log only.
dmesg -n 1
# The guests' consoles on dom0's, for a run that fails.
for g in large hostile; do
	: > /var/log/xen/console/guest-$g.log
	tail -n +1 -F /var/log/xen/console/guest-$g.log 2>/dev/null |
		sed -u "s/^/@@CONSOLE-$g /" &
done
# Every 30 s: the domains, their backends' states (backend/frontend).
(
	while sleep 30; do
		echo "@@GUESTS-MONITOR $(xl list | tail -n +2 | awk '{ printf "%s:%s:%s ", $1, $2, $5 }')" \
			"$(xenstore-ls -f /local/domain/0/backend 2>/dev/null |
			   sed -n 's|^/local/domain/0/backend/\([a-z]*/[0-9]*/[0-9]*\)/state = "\([0-9]\)"|\1=\2|p' | tr '\n' ' ')"
		dmesg | grep -E 'blkback|netback|vbd|vif' | grep -v unrecordable |
			tail -n 3 | sed 's/^/@@GUESTS-MONITOR dom0: /'
	done
) &

stage guests-large
t=$(cut -d' ' -f1 /proc/uptime)
check "xl create large (8 vCPUs, 8-queue vif, multi-page vbd): alive, Connected" \
	start_guest large /guest/large.cfg @@DOMU-ALIVE 400
LARGE=$GUEST_DOMID
echo "@@GUESTS large domid=$LARGE boot=$(awk -v a="$t" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }')s"
check "large sees 8 vCPUs" wait_console large '@@DOMU-UP .* cpus 8' 1
VIF=/local/domain/$LARGE/device/vif/0
VBD=/local/domain/$LARGE/device/vbd/51712
xenstore-ls -f "/local/domain/$LARGE/device" > /out/guests-large-frontends.txt 2>&1
check "vif backend offers 8 queues and split event channels" \
	bash -c "be=\$(xenstore-read $VIF/backend) &&
		 [ \"\$(xenstore-read \$be/multi-queue-max-queues)\" = 8 ] &&
		 [ \"\$(xenstore-read \$be/feature-split-event-channels)\" = 1 ]"
check "netfront: multi-queue-num-queues=8" \
	test "$(xenstore-read $VIF/multi-queue-num-queues 2>&1)" = 8
check "netfront: queue-0..7 each with tx/rx ring refs and event-channel-tx/-rx" \
	bash -c "for q in 0 1 2 3 4 5 6 7; do
			for k in tx-ring-ref rx-ring-ref event-channel-tx event-channel-rx; do
				xenstore-read $VIF/queue-\$q/\$k > /dev/null || exit 1
			done
		 done"
BLKQ_KEY=$(xenstore-read $VBD/multi-queue-num-queues 2>/dev/null || echo 0)
BLKQ=$((BLKQ_KEY > 1 ? BLKQ_KEY : 1))
check "blkfront: ring-page-order=4" \
	test "$(xenstore-read $VBD/ring-page-order 2>&1)" = 4
check "blkfront: $BLKQ queues (blkback offers $(xenstore-read "$(xenstore-read $VBD/backend)/multi-queue-max-queues" 2>&1))" \
	test "$BLKQ" -gt 1
check "blkfront: ring-ref0..15 in each of its $BLKQ queues" \
	bash -c "for q in \$(seq 0 $((BLKQ - 1))); do
			d=$VBD; [ $BLKQ -gt 1 ] && d=$VBD/queue-\$q
			for i in \$(seq 0 15); do
				xenstore-read \$d/ring-ref\$i > /dev/null || exit 1
			done
			! xenstore-read \$d/ring-ref16 > /dev/null 2>&1 || exit 1
		 done"

stage guests-hostile
t=$(cut -d' ' -f1 /proc/uptime)
check "xl create hostile: its flood is ready" \
	start_guest hostile /guest/hostile.cfg '@@DOMU-FLOOD ready' 120
HOSTILE=$GUEST_DOMID
echo "@@GUESTS hostile domid=$HOSTILE boot=$(awk -v a="$t" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }')s"
grep '@@DOMU-' /var/log/xen/console/guest-hostile.log | head -n 3
check "the hostile guest keeps rewriting its frontend directories" flood_goes_on
xenstore-ls -f "/local/domain/$HOSTILE/device" > /out/guests-hostile-frontends.txt 2>&1
echo "@@GUESTS hostile frontend nodes: $(wc -l < /out/guests-hostile-frontends.txt)"

stage guests-update
check "modprobe xen_lu_sim (SIMULATED live-update hypervisor)" modprobe xen_lu_sim
check "modprobe xen_liveupdate attaches to it" modprobe xen_liveupdate
expect_rc 0 "lu-ctl status: live update supported (simulated)" lu-ctl status
expect_rc 0 "lu-ctl stage" "${LU_STAGE[@]}"
expect_rc 0 "lu-ctl prepare with the hostile guest flooding" lu-ctl prepare
cat /tmp/out.txt /tmp/err.txt > /out/guests-prepare.txt
check "... a line 'unrecordable:' names domain $HOSTILE" \
	bash -c "grep '^unrecordable:' /out/guests-prepare.txt |
		 grep -Eq 'domain $HOSTILE (vif|vbd)/[0-9]+'"
expect_rc 0 "lu-ctl cancel" lu-ctl cancel
expect_rc 0 "lu-ctl prepare --json" lu-ctl prepare --json
cp /tmp/out.txt /out/guests-prepare.json
P=$(json_flat /out/guests-prepare.json)
check "... nr_unrecordable >= 1 ($(field "$P" nr_unrecordable))" \
	test "$(field "$P" nr_unrecordable)" -ge 1
U=$(sed -n 's/.*"unrecordable":\({[^}]*}\).*/\1/p' <<< "$P")
check "... unrecordable: the hostile guest's device ($U)" \
	bash -c "[ '$(field "$U" domid)' = '$HOSTILE' ] &&
		 grep -Eqx 'vif|vbd' <<< '$(field "$U" type)' &&
		 grep -Eqx '$REASONS' <<< '$(field "$U" reason)'"
dmesg | grep -E 'domain [0-9]+ [a-z]+/[0-9]+ unrecordable:' \
	> /out/guests-unrecordable-log.txt
check "kernel log: domain $HOSTILE's devices named unrecordable" \
	grep -Eq "xen:xen_liveupdate: domain $HOSTILE (vif|vbd)/[0-9]+ unrecordable: ($REASONS)" \
		/out/guests-unrecordable-log.txt
check "kernel log: no device of another domain unrecordable" \
	bash -c "! grep -v 'domain $HOSTILE ' /out/guests-unrecordable-log.txt"

expect_rc 0 "lu-ctl records --json" lu-ctl records --json
cp /tmp/out.txt /out/guests-records.json
vif=$(backends_of /out/guests-records.json "$LARGE" | grep '"type":"vif"')
vbd=$(backends_of /out/guests-records.json "$LARGE" | grep '"type":"vbd"')
check "records: large's vif whole: 8 queues, 16 ring refs, 16 event channels" \
	bash -c "[ '$(field "$vif" unrecordable)' = null ] &&
		 [ '$(field "$vif" nr_queues)' = 8 ] &&
		 [ $(count "$vif" ring_refs) = 16 ] && [ $(count "$vif" evtchns) = 16 ]"
check "records: large's vbd whole: $BLKQ queues, $((BLKQ * 16)) ring refs, $BLKQ event channels" \
	bash -c "[ '$(field "$vbd" unrecordable)' = null ] &&
		 [ '$(field "$vbd" nr_queues)' = $BLKQ_KEY ] &&
		 [ $(count "$vbd" ring_refs) = $((BLKQ * 16)) ] &&
		 [ $(count "$vbd" evtchns) = $BLKQ ]"
backends_of /out/guests-records.json "$HOSTILE" > /tmp/hostile-be.txt
# The flood writes the vbd's and the vif's directories; the console's it
# leaves alone.
check "records: hostile's vbd and vif unrecordable, with a reason" \
	bash -c "for t in vbd vif; do
			 grep '\"type\":\"'\$t'\"' /tmp/hostile-be.txt |
				 grep -qE '\"unrecordable\":\"($REASONS)\"' || exit 1
		 done"

check "status: prepared" test "$(state_of)" = prepared
expect_rc 0 "lu-ctl commit (updated) with the hostile guest flooding" \
	lu-ctl commit --json
cp /tmp/out.txt /out/guests-commit.json
check "... updated" grep -qE '"result": *"updated"' /out/guests-commit.json
check "large alive while dom0 is frozen" guest_alive large
check "the hostile guest writes while dom0 is frozen" flood_goes_on
finish_guests /out/guests-finish.json "lu-ctl finish"
check "status: idle" test "$(state_of)" = idle
check "large's vbd and vif Connected after the update" wait_connected "$LARGE"
check "large alive after the update" guest_alive large
check "large's vif still has 8 queues" \
	test "$(xenstore-read $VIF/multi-queue-num-queues 2>&1)" = 8

stage guests-freeze
# A held freeze: COMMIT is scheduled, dom0 stays frozen until xen#2 runs.
expect_rc 0 "stage and prepare for a deferred update" \
	bash -c "${LU_STAGE[*]} && lu-ctl prepare"
echo 1 > $SIMDBG/defer
read -r slab0 sun0 km0 <<< "$(slab)"
w0=$(flood_writes); w0=${w0:-0}
expect_rc 7 "lu-ctl commit: scheduled (the hypervisor defers)" lu-ctl commit
check "status: committed and frozen" \
	bash -c 'lu-ctl status > /tmp/s.txt; grep -qi committed /tmp/s.txt && grep -qi frozen /tmp/s.txt'
# At least HOLD s, then until the flood could have passed the bound (at
# most HOLD_MAX s): a slow host writes less.
t=0
while :; do
	sleep 1
	t=$((t + 1))
	w1=$(flood_writes); w1=${w1:-0}
	[ $t -ge $HOLD ] && [ $(((w1 - w0) * EVENT_BYTES)) -gt $BOUND ] && break
	[ $t -ge $HOLD_MAX ] && break
done
read -r slab1 sun1 km1 <<< "$(slab)"
check "still frozen after ${t}s" \
	bash -c 'lu-ctl status | grep -qi frozen'
echo 1 > $SIMDBG/run_deferred
echo 0 > $SIMDBG/defer
finish_guests /out/guests-finish-deferred.json \
	"lu-ctl finish once the deferred update ran"
check "status: idle" test "$(state_of)" = idle
W=$((w1 - w0))
echo "# frozen ${t}s, hostile writes $W: Slab $slab0 -> $slab1 ($((slab1 - slab0))), SUnreclaim $sun0 -> $sun1 ($((sun1 - sun0))), kmalloc $km0 -> $km1 ($((km1 - km0))) bytes" |
	tee -a "$TAP_FILE"
tap "$([ $((W * EVENT_BYTES)) -gt $BOUND ]; echo $?)" \
	"the flood could fail the bound: $W writes in ${t}s x $EVENT_BYTES bytes = $((W * EVENT_BYTES)) > $BOUND"
tap "$([ $((slab1 - slab0)) -le $BOUND ]; echo $?)" \
	"Slab grew $((slab1 - slab0)) bytes in the frozen window (bound $BOUND; $slab0 -> $slab1)"
tap "$([ $((sun1 - sun0)) -le $BOUND ]; echo $?)" \
	"SUnreclaim grew $((sun1 - sun0)) bytes (bound $BOUND; $sun0 -> $sun1)"
tap "$([ $((km1 - km0)) -le $BOUND ]; echo $?)" \
	"kmalloc-* grew $((km1 - km0)) bytes (bound $BOUND; $km0 -> $km1)"
check "large's vbd and vif Connected after the held freeze" wait_connected "$LARGE"
check "large alive after the held freeze" guest_alive large
check "the hostile guest still writes" flood_goes_on

stage guests-end
xl destroy hostile
check "hostile destroyed: dom0 still answers (xl list)" xl list
check "large alive at the end" guest_alive large
dmesg > /out/guests-dmesg.txt
check "no WARNING, BUG or Oops in dom0's kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/guests-dmesg.txt'
echo "@@GUESTS total $(awk -v a="$T0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }')s in dom0"
tap_end
stage done
