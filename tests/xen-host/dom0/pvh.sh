#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A PVH dom0 on real Xen: Xen wires kexec_op up for PV guests only, so the
# module must refuse to load and say that kexec_op is PV-only.
. /usr/lib/xen-liveupdate/host/lib.sh
TAP_FILE=/out/pvh.tap

tap_begin
stage pvh
check "running on Xen" bash -c '[ "$(cat /sys/hypervisor/type)" = xen ]'
check "as a PVH domain (kernel log)" bash -c 'dmesg | grep -q "Booting kernel on Xen PVH"'
expect_rc 1 "modprobe xen_liveupdate fails" modprobe xen_liveupdate
check "... with ENODEV (No such device)" grep -q 'No such device' /tmp/err.txt
check "kernel log: kexec_op is PV-only" \
	bash -c 'dmesg | grep -x ".*xen:xen_liveupdate: kexec_op is PV-only; this is a PVH domain"'
expect_rc 4 "lu-ctl status: no device" lu-ctl status
dmesg > /out/pvh-dmesg.txt
tap_end
