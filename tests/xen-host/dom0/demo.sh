#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo: a real PV dom0 on real Xen 4.17 replaces its hypervisor while
# a PV guest keeps running, the way an operator would do it, with no
# simulator.  Stock Xen 4.17 has no live-update hypercalls, so lu-ctl
# picks the save-restore method: the guest is saved by Xen's own save,
# xen#2 boots cold from the image the module staged, and the guest is
# restored, its counter and uptime going on.  Two boots on dom0's disk
# (boot.sh DOM0_DISK, SHARE_INITRD).
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin

SAVE=/disk/lu-save
XEN2_APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 marker=xen2"
DOM0_APPEND="console=hvc0 earlyprintk=xen loglevel=5 lutest=demo ludisk=1"

# show 'COMMAND LINE': print it as typed at a dom0 prompt, run it, and
# print its exit status.
show() {
	echo
	echo "dom0# $1"
	eval "$1"
	echo "[exit $?]"
}

# The guest's disk lives on dom0's disk, behind a fixed loop device.
disk_guest demo1 1
start_toolstack
# This dom0's root is an initramfs, so its /var lives in memory: the
# default save directory is made the disk's, as on a host whose /var is
# on disk.
mkdir -p "$SAVE" /var/lib/xen-liveupdate
ln -sfn "$SAVE" /var/lib/xen-liveupdate/save

if [ ! -e "$SAVE/journal" ]; then
	xl_create demo1 /disk/images/demo1.cfg > /dev/null 2>&1
	guest_ready demo1 disk=ok 120 > /dev/null
	sleep 6
	echo "@@DEMO-BEGIN"
	show "xl info | grep -E '^(xen_version|xen_commandline)'"
	show "xl list"
	show "grep @@DOMU-ALIVE /var/log/xen/console/guest-demo1.log | tail -n 2"
	show "modprobe xen_liveupdate"
	show "lu-ctl status | grep -A2 '^methods'"
	show "lu-ctl stage /boot/xen.gz --append '$XEN2_APPEND' --module '/boot/vmlinuz $DOM0_APPEND' --module /out/dom0-initrd.cpio.gz"
	show "lu-ctl prepare"
	echo
	echo "dom0# lu-ctl commit"
	lu-ctl commit
	echo "[exit $?]"
	echo "@@DEMO-END"
	exit 1
fi

modprobe xen_liveupdate
echo "@@DEMO-RESUME"
show "xl info | grep -E '^(xen_version|xen_commandline)'"
show "lu-ctl finish"
show "xl list"
sleep 5
show "grep @@DOMU-ALIVE /var/log/xen/console/guest-demo1.log | tail -n 2"
show "ping -c 2 -W 2 10.0.0.11 | tail -n 2"
echo "@@DEMO-END"
