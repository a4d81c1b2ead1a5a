#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo: a real PV dom0 on real Xen 4.17 asks its hypervisor about live
# update, the way an operator would.
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
echo "@@DEMO-BEGIN"
show "xl info | grep -E '^(xen_version|xen_commandline)'"
show "modprobe xen_liveupdate"
show "ls -l /dev/xen/liveupdate"
show "lu-ctl status"
show "lu-ctl status --json"
echo "@@DEMO-END"
