#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The save-restore method on real Xen 4.17 with real guests, no simulator
# (lutest=save-restore, boot.sh DOM0_DISK and SHARE_INITRD).  Three boots,
# the phase kept on dom0's disk (/disk, IDE: it survives the exec):
#
#   1  old Xen.  Two guests run a workload (a counter, their uptime, a
#      disk check, a vif).  Refused before anything happens: a save
#      directory too small, one on tmpfs.  Faults during commit, each of
#      which must leave every guest running where it stopped and nothing
#      in the save directory: a full disk, a stream damaged before the
#      exec, a killed save process (tests/xen-host/faults/sr-fault.so).
#      Then a commit whose exec becomes a firmware reset.
#   2  the old Xen again, as firmware boots it.  A truncated journal is
#      refused and the streams kept; the unit's finish restores one guest
#      and names the other, whose disk is missing, keeping its stream;
#      "finish --retry" with its stream damaged since the save names it
#      and does not run it; "finish --retry" with the stream put back
#      restores it.  Then the real update: stage xen#2
#      (marker=xen2 on its command line), prepare, commit: the exec.
#   3  xen#2.  The unit's finish restores both guests.
#
# After each restore: the guest was not rebooted (its counter and uptime
# went on, no new boot on its console), its disk and network work, dom0's
# records compare equal (finish exits 0), nothing is left behind.
# Results: /out/save-restore-<boot>.tap, /out/sr-*.{json,txt}.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin

STATE=/disk/sr-test
SAVE=/disk/lu-save
# The unit's save directory is the default one: make it this disk's.
UNIT_SAVE=/var/lib/xen-liveupdate/save
# The unit as the lu-ctl package installs it.
UNIT=/usr/lib/systemd/system/lu-ctl-finish.service
FAULT=/usr/lib/xen-liveupdate/faults/sr-fault.so
GUESTS="sr1 sr2"
XEN2_APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 loglvl=all guest_loglvl=all marker=xen2"
DOM0_APPEND="console=hvc0 earlyprintk=xen loglevel=5 lutest=save-restore ludisk=1"
INITRD=/out/dom0-initrd.cpio.gz

mkdir -p "$STATE"
PHASE=$(cat "$STATE/phase" 2>/dev/null || echo 1)
TAP_FILE=/out/save-restore-$PHASE.tap

# guest_index NAME: 1 for sr1, 2 for sr2.
guest_index() { echo "${1#sr}"; }

# storage: the guests' disks and configurations on /disk (disk_guest);
# an operator's boot sets up its storage before the toolstack, and so
# does each boot here.
storage() {
	local g
	for g in $GUESTS; do
		disk_guest "$g" "$(guest_index "$g")" || return 1
	done
}

boot_host() {
	start_toolstack
	storage || echo "@@WARN storage"
	mkdir -p "$(dirname "$UNIT_SAVE")" "$SAVE"
	ln -sfn "$SAVE" "$UNIT_SAVE"
	modprobe xen_liveupdate
}

# last_alive NAME: "i up disk" of the guest's last alive line.
last_alive() {
	sed -n 's/.*@@DOMU-ALIVE i=\([0-9]*\) up=\([0-9.]*\) disk=\([a-z]*\).*/\1 \2 \3/p' \
		"/var/log/xen/console/guest-$1.log" 2>/dev/null | tail -n 1
}

# goes_on NAME: a new alive line within 20 s, its disk check ok.
goes_on() {
	local before after t
	before=$(last_alive "$1")
	for t in $(seq 1 100); do
		after=$(last_alive "$1")
		if [ -n "$after" ] && [ "$after" != "$before" ]; then
			[ "${after##* }" = ok ] && return 0
			echo "$1: $after (disk not ok)"
			return 1
		fi
		sleep 0.2
	done
	echo "$1: no new alive line in 20 s (last: ${before:-none})"
	return 1
}

# all_go_on: every guest runs on.
all_go_on() {
	local g rc=0
	for g in $GUESTS; do
		goes_on "$g" || rc=1
	done
	return $rc
}

# nothing_left: no stream, partial stream or journal in the save directory.
nothing_left() {
	local left
	left=$(ls "$SAVE" 2>/dev/null | grep -E '\.lxs|journal')
	[ -z "$left" ] || { echo "left in $SAVE: $left"; return 1; }
}

# remember: each guest's last alive line, before an update.
remember() {
	local g
	for g in $GUESTS; do
		last_alive "$g" > "$STATE/$g.before"
	done
	sync
}

# not_rebooted NAME: after the restore, the counter and uptime go on from
# where they were and the console shows no new boot.
not_rebooted() {
	local g=$1 i0 u0 i1 u1 d1 t
	read -r i0 u0 _ < "$STATE/$g.before"
	for t in $(seq 1 150); do
		read -r i1 u1 d1 <<< "$(last_alive "$g")"
		[ -n "${i1:-}" ] && break
		sleep 0.2
	done
	echo "$g: before i=$i0 up=$u0; after i=${i1:-none} up=${u1:-none} disk=${d1:-none}"
	[ -n "${i1:-}" ] || return 1
	grep -q '@@DOMU-UP' "/var/log/xen/console/guest-$g.log" && {
		echo "$g booted again"
		return 1
	}
	[ "$i1" -gt "$i0" ] && awk -v a="$u0" -v b="$u1" 'BEGIN { exit !(b > a) }' &&
		[ "$d1" = ok ]
}

# reaches NAME: dom0 pings the guest over its vif.
reaches() {
	ping -c 3 -W 2 "10.0.0.1$(guest_index "$1")" > /dev/null
}

# after_restore: what must hold for every guest once finish said it was back.
after_restore() {
	local g
	for g in $GUESTS; do
		check "$g was not rebooted: its counter and uptime went on, disk ok" \
			not_rebooted "$g"
		check "$g answers on its vif" reaches "$g"
	done
	check "the streams and the journal are deleted" nothing_left
}

# unit_finish: run the unit's ExecStart= as systemd would.
unit_finish() {
	local cmd
	cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
	test -e "$UNIT_SAVE/journal" || { echo "ConditionPathExists fails"; return 9; }
	$cmd
}

stage_xen2() {
	lu-ctl stage /boot/xen.gz --replace --method save-restore --save-dir "$1" \
		--append "$XEN2_APPEND" --module "/boot/vmlinuz $DOM0_APPEND" \
		--module "$INITRD"
}

# damage_streams: 8 bytes in the middle of every stream (page data, which
# libxl restores without a complaint) overwritten; their bytes kept for
# undamage_streams.
damage_streams() {
	local f off n=0
	: > /tmp/damaged
	for f in "$SAVE"/*.lxs; do
		off=$(( $(stat -c %s "$f") / 2 ))
		dd if="$f" of="/tmp/undamaged.$n" bs=1 skip="$off" count=8 2>/dev/null
		printf 'DAMAGED!' | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
		echo "$n $off $f" >> /tmp/damaged
		n=$((n + 1))
	done
}

undamage_streams() {
	local n off f
	while read -r n off f; do
		dd if="/tmp/undamaged.$n" of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
	done < /tmp/damaged
}

commit_with_fault() {
	SR_FAULT=$1 LD_PRELOAD=$FAULT lu-ctl commit
}

# kill_a_save: commit, and SIGKILL one save process once streams are
# being written.
kill_a_save() {
	local pid kid t
	lu-ctl commit > /tmp/kill.out 2>&1 &
	pid=$!
	for t in $(seq 1 300); do
		ls "$SAVE"/*.lxs.part > /dev/null 2>&1 && break
		sleep 0.1
	done
	kid=$(pgrep -P "$pid" | head -n 1)
	[ -n "$kid" ] && kill -9 "$kid"
	wait "$pid"
	local rc=$?
	cat /tmp/kill.out
	[ -n "$kid" ] || { echo "no save process to kill"; return 99; }
	return $rc
}

case $PHASE in
1)
	tap_begin
	stage sr-boot1
	boot_host
	for g in $GUESTS; do
		check "xl create $g (PV, disk on dom0's IDE disk, vif)" \
			xl_create "$g" "/disk/images/$g.cfg"
	done
	for g in $GUESTS; do
		check "$g is alive" guest_ready "$g" disk=ok 120
		check "$g's devices are connected" wait_connected "$GUEST_DOMID" 30
	done

	stage sr-status
	# Exit 0: no live update here, but save-restore can be used.
	expect_rc 0 "lu-ctl status --json: an update method is available" lu-ctl status --json
	cp /tmp/out.txt /out/sr-status.json
	expect_rc 0 "lu-ctl status" lu-ctl status
	cp /tmp/out.txt /out/sr-status.txt
	check "status: save-restore is available" \
		grep -Eq '^ *save-restore +available' /out/sr-status.txt
	check "status: live update is not, and it says why" \
		grep -Eq '^ *live-update +unavailable: .+' /out/sr-status.txt

	stage sr-refusals
	dd if=/dev/zero of=/disk/small.img bs=1M count=64 2>/dev/null
	mkfs.ext4 -q -F /disk/small.img
	mkdir -p /mnt/small
	mount -o loop /disk/small.img /mnt/small
	expect_rc 0 "stage for a save directory of 64 MiB" stage_xen2 /mnt/small/save
	expect_rc 10 "prepare refuses: no room for the guests" lu-ctl prepare
	check "... and says so" grep -q "MiB free" /tmp/err.txt
	expect_rc 0 "stage for a save directory on tmpfs" stage_xen2 /run/lu-save
	expect_rc 10 "prepare refuses: tmpfs does not survive the exec" lu-ctl prepare
	check "... and says so" grep -q tmpfs /tmp/err.txt
	check "every guest runs on" all_go_on
	umount /mnt/small

	stage sr-faults
	expect_rc 0 "stage xen#2 for save-restore (--save-dir on dom0's disk)" stage_xen2 "$SAVE"
	expect_rc 0 "prepare" lu-ctl prepare
	cp /tmp/out.txt /out/sr-prepare.txt
	expect_rc 1 "commit with a full disk fails" commit_with_fault enospc
	check "... naming the failed save" grep -q "No space left" /tmp/err.txt
	check "... every guest resumed" all_go_on
	check "... nothing left in the save directory" nothing_left
	expect_rc 1 "commit with a stream damaged before the exec fails" commit_with_fault corrupt
	check "... verification caught it" grep -q "verify" /tmp/err.txt
	check "... every guest resumed" all_go_on
	check "... nothing left in the save directory" nothing_left
	expect_rc 1 "commit with a save process killed fails" kill_a_save
	check "... naming the dead save" grep -q "save process died" /tmp/out.txt
	check "... every guest resumed" all_go_on
	check "... nothing left in the save directory" nothing_left

	stage sr-reset
	remember
	echo 2 > "$STATE/phase"
	sync
	tap_end
	commit_with_fault reset
	echo "@@WARN the reset did not happen"
	;;
2)
	tap_begin
	stage sr-boot2
	check "the old Xen booted again (no marker=xen2)" \
		bash -c '! xl info xen_commandline | grep -q marker=xen2'
	boot_host
	check "the journal survived the reset" test -s "$SAVE/journal"
	cp "$SAVE/journal" /tmp/journal.good
	truncate -s 200 "$SAVE/journal"
	expect_rc 5 "finish refuses a truncated journal" lu-ctl finish --save-dir "$SAVE"
	check "... saying it is truncated" grep -q journal-truncated /tmp/err.txt
	check "... and keeps the streams" bash -c "ls $SAVE/*.lxs"
	cp /tmp/journal.good "$SAVE/journal"

	# sr2's disk is missing: its restore fails, sr1's does not.
	rm "/disk/images/sr2.disk"
	expect_rc 1 "the unit's finish: one guest cannot be restored" unit_finish
	cp /tmp/out.txt /out/sr-finish-fail.txt
	check "... it is named, its stream kept" \
		bash -c "grep -q 'FAILED *sr2' /tmp/out.txt && ls $SAVE/*.lxs"
	check "... the other guest is back" not_rebooted sr1
	ln -sfn /dev/loop2 /disk/images/sr2.disk
	# Its stream damaged since the save: restored from, but never run.
	# (sr1's, restored, is not read again.)
	damage_streams
	expect_rc 1 "finish --retry with its stream damaged since the save" \
		lu-ctl finish --save-dir "$SAVE" --retry
	check "... names it, the stream damaged, does not run it, keeps the stream" \
		bash -c "grep -q 'FAILED *sr2 .*damaged' /tmp/out.txt && ! xl domid sr2 && ls $SAVE/*.lxs"
	undamage_streams
	expect_rc 0 "finish --retry restores it" lu-ctl finish --save-dir "$SAVE" --retry --json
	cp /tmp/out.txt /out/sr-finish-retry.json
	after_restore

	stage sr-update
	remember
	expect_rc 0 "stage xen#2" stage_xen2 "$SAVE"
	expect_rc 0 "prepare" lu-ctl prepare
	echo 3 > "$STATE/phase"
	sync
	tap_end
	lu-ctl commit
	echo "@@WARN lu-ctl commit returned $?"
	;;
3)
	tap_begin
	stage sr-boot3
	check "xen#2 runs (marker=xen2 on its command line)" \
		bash -c 'xl info xen_commandline | grep -q marker=xen2'
	boot_host
	expect_rc 0 "the unit's finish restores every guest, records equal" unit_finish
	cp /tmp/out.txt /out/sr-finish.txt
	after_restore
	echo done > "$STATE/phase"
	tap_end
	;;
*)
	echo "@@WARN save-restore: phase '$PHASE'"
	;;
esac
