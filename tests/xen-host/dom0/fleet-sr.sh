#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-fleet-sr's dom0 (boot.sh DOM0_DISK, SHARE_INITRD, HOSTFWD;
# build-fleet.sh): the fleet playbook over ssh against stock Xen 4.17,
# which has no live-update hypercalls, so lu-ctl takes the save-restore
# method.  Two boots on dom0's disk (/disk, IDE: it survives the exec):
#
#   1  old Xen.  A real PV guest runs (its disk on /disk), the save
#      directory is the disk's, sshd comes up, "@@FLEET-READY".  The
#      host's playbook stages xen#2 (with this initramfs and lutest=
#      fleet-sr), prepares and commits: the guest is saved, xen#2
#      executed.  Still here after FLEET_WAIT seconds: a failure.
#   2  xen#2 (marker=xen2 on its command line).  The toolstack, the
#      guest's storage and sshd as in boot 1, "@@FLEET-READY2"; the
#      playbook reconnects, runs lu-ctl finish (the guest restored) and
#      status, and the host creates fleet-done on the share.  Then the
#      guest must run on: its counter and uptime went on from boot 1.
#
# Results: /out/fleet-sr-<boot>.tap, /out/fleet-sr-status-after.json.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:$PATH

STATE=/disk/fleet-sr
SAVE=/disk/lu-save
GUEST=fleet1
WAIT=${FLEET_WAIT:-1500}

mkdir -p "$STATE"
PHASE=$(cat "$STATE/phase" 2>/dev/null || echo 1)
TAP_FILE=/out/fleet-sr-$PHASE.tap

# last_alive: "i up" of the guest's last alive line, if any.
last_alive() {
	sed -n 's/.*@@DOMU-ALIVE i=\([0-9]*\) up=\([0-9.]*\).*/\1 \2/p' \
		"/var/log/xen/console/guest-$GUEST.log" 2>/dev/null | tail -n 1
}

# Each boot as an operator's: storage, toolstack, the save directory
# (the default one, made the disk's: this root is an initramfs), sshd.
boot_host() {
	mkdir -p /disk/images
	[ -f /disk/images/$GUEST.img ] ||
		dd if=/dev/zero of=/disk/images/$GUEST.img bs=1M count=16 2>/dev/null
	check "the guest's disk behind /dev/loop1" losetup /dev/loop1 /disk/images/$GUEST.img
	check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
	mkdir -p "$SAVE" /var/lib/xen-liveupdate
	ln -sfn "$SAVE" /var/lib/xen-liveupdate/save
	check "modprobe xen_liveupdate" modprobe xen_liveupdate
}

tap_begin
if [ "$PHASE" = 1 ]; then
	stage fleet-sr-boot1
	boot_host
	cat > /disk/images/$GUEST.cfg <<CFG
name    = "$GUEST"
type    = "pv"
kernel  = "/guest/vmlinuz"
ramdisk = "/guest/domu-initrd.gz"
extra   = "console=hvc0 quiet luip=11"
memory  = 128
disk    = [ "format=raw, vdev=xvda, access=rw, target=/dev/loop1" ]
vif     = [ "mac=00:16:3e:00:01:01,bridge=xenbr0" ]
CFG
	check "$GUEST (PV, its disk on /disk) boots and counts" \
		bash -c "xl create /disk/images/$GUEST.cfg > /dev/null 2>&1 ||
			 { xl destroy $GUEST; sleep 5; xl create /disk/images/$GUEST.cfg; }"
	check "... two alive lines on its console" wait_console $GUEST '@@DOMU-ALIVE' 180 2
	check "lu-ctl status: save-restore usable, live update not" \
		bash -c 'lu-ctl status --json > /tmp/s.json; grep -q "\"save-restore\"" /tmp/s.json'
	stage network
	start_sshd
	echo 2 > "$STATE/phase"
	sync
	echo "@@FLEET-READY"
	stage playbook
	# The playbook's commit executes xen#2: this boot ends there.
	end=$((SECONDS + WAIT))
	while [ ! -e /out/fleet-done ] && [ $SECONDS -lt $end ]; do
		last_alive > "$STATE/before.tmp" && [ -s "$STATE/before.tmp" ] &&
			mv "$STATE/before.tmp" "$STATE/before"
		sleep 1
	done
	check "the playbook's commit executed xen#2 (within ${WAIT}s)" false
	tap_end
	exit 1
fi

stage fleet-sr-boot2
check "xen#2 runs (marker=xen2 on its command line)" \
	bash -c 'xl info | grep "^xen_commandline" | grep -qw marker=xen2'
boot_host
stage network
start_sshd
echo "@@FLEET-READY2"
stage playbook
check "the host said the playbook is done (within ${WAIT}s)" \
	wait_until "$WAIT" test -e /out/fleet-done
read -r i0 up0 < "$STATE/before"
check "$GUEST restored (xl domid)" xl domid $GUEST
wait_console $GUEST '@@DOMU-ALIVE' 60 1
read -r i1 up1 <<< "$(last_alive)"
tap_diag <(echo "before the commit: i=$i0 up=$up0; after finish: i=${i1:-none} up=${up1:-none}")
check "$GUEST was not rebooted: its counter and uptime went on" \
	awk -v a="$i0" -v b="${i1:-0}" -v u="$up0" -v v="${up1:-0}" \
	'BEGIN { exit !(b > a && v > u) }'
check "nothing left in the save directory but the playbook's commit record" \
	bash -c "[ -z \"\$(ls '$SAVE' | grep -v '^fleet-commit\.json')\" ]"
lu-ctl status --json > /out/fleet-sr-status-after.json
check "lu-ctl status exits 0 after the update" test $? = 0
tap_end
