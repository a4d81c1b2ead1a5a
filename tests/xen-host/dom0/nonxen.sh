#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The same kernel and initramfs booted without Xen: the module must refuse
# to load with ENODEV and one line saying why, and lu-ctl must say so.
. /usr/lib/xen-liveupdate/host/lib.sh
TAP_FILE=/out/nonxen.tap

tap_begin
stage nonxen
check "no hypervisor: /sys/hypervisor/type is not xen" \
	bash -c '[ "$(cat /sys/hypervisor/type 2>/dev/null)" != xen ]'
expect_rc 1 "modprobe xen_liveupdate fails" modprobe xen_liveupdate
check "... with ENODEV (No such device)" grep -q 'No such device' /tmp/err.txt
check "kernel log: one line saying why" \
	bash -c 'dmesg | grep -x ".*xen:xen_liveupdate: not running on Xen"'
check "no /dev/xen/liveupdate" bash -c '[ ! -e /dev/xen/liveupdate ]'
expect_rc 4 "lu-ctl status: no device" lu-ctl status
check "... saying the module refused to load" \
	grep -q 'refused to load: not a Xen PV control domain' /tmp/err.txt
/usr/lib/xen-liveupdate/selftests/liveupdate_info > /out/kselftest-nonxen.tap 2>&1
rc=$?
tap "$([ $rc -eq 0 ] || [ $rc -eq 4 ]; echo $?)" "kselftests skip, not fail, off Xen (exit $rc)"
check "... every test skipped" \
	bash -c '! grep -q "^ok [0-9]* [^#]*$" /out/kselftest-nonxen.tap && ! grep -q "^not ok" /out/kselftest-nonxen.tap'
dmesg > /out/nonxen-dmesg.txt
tap_end
