#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo: a real PV dom0 on real Xen 4.17, with a PV guest running, asks
# its hypervisor about live update, stages a new Xen and shows what dom0
# would hand over, the way an operator would.  Stock Xen 4.17 has no
# live-update hypercalls, so the update itself (prepare, commit, finish)
# then runs against the test suite's SIMULATED live-update hypervisor,
# which says so in every line it prints.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin

# show 'COMMAND LINE': print it as typed at a dom0 prompt, run it, and
# print its exit status.
show() {
	echo
	echo "dom0# $1"
	eval "$1"
	echo "[exit $?]"
}

start_toolstack
dd if=/dev/zero of=/var/lib/xen/images/guest1.img bs=1M count=16 2>/dev/null
xl create /guest/guest.cfg > /dev/null 2>&1
wait_console guest1 '@@DOMU-ALIVE' 120 > /dev/null
echo "@@DEMO-BEGIN"
show "xl info | grep -E '^(xen_version|xen_commandline)'"
show "xl list"
show "modprobe xen_liveupdate"
show "ls -l /dev/xen/liveupdate"
show "lu-ctl status"
show "lu-ctl stage /boot/xen.gz --append 'console=com1 dom0_mem=1G'"
show "lu-ctl stage --cold /boot/xen.gz --append 'console=com1 dom0_mem=1G' --module '/boot/vmlinuz console=hvc0' --module /guest/domu-initrd.gz"
show "lu-ctl status"
show "lu-ctl records"
show "lu-ctl unstage"
echo
echo "=== the update itself, through the SIMULATED live-update hypervisor (test suite) ==="
show "rmmod xen_liveupdate && modprobe xen_lu_sim && modprobe xen_liveupdate"
show "lu-ctl status | head -n 3"
show "lu-ctl stage /boot/xen.gz --append 'console=com1'"
show "lu-ctl prepare"
show "lu-ctl records --handed-over | head -n 12"
show "lu-ctl commit"
show "xl list"
show "lu-ctl finish"
show "lu-ctl status --json"
echo "@@DEMO-END"
