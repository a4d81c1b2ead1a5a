#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test run in a real PV dom0 on real Xen: toolstack, a PV guest with
# real blkback and netback devices, the module, lu-ctl and the kselftests.
# Results: /out/dom0.tap, /out/kselftest-*.tap, /out/status.json,
# /out/guest1.save (a real xl save stream for the stream tools' tests).
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
SELFTESTS=/usr/lib/xen-liveupdate/selftests
GUEST=guest1

tap_begin

stage toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
xl info > /out/xl-info.txt 2>&1

stage guest
dd if=/dev/zero of=/var/lib/xen/images/$GUEST.img bs=1M count=16 2>/dev/null
check "xl create $GUEST (PV, blkback disk, netback vif)" \
	xl create /guest/guest.cfg
check "$GUEST boots and is alive" wait_console $GUEST '@@DOMU-ALIVE' 120
DOMID=$(xl domid $GUEST)
for i in $(seq 1 50); do
	[ "$(backend_state vbd "$DOMID" 51712)" = "4 4" ] &&
	[ "$(backend_state vif "$DOMID" 0)" = "4 4" ] && break
	sleep 0.2
done
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd" = "4 4" ]; echo $?)" "vbd $DOMID/51712 backend and frontend Connected (state: $vbd)"
tap "$([ "$vif" = "4 4" ]; echo $?)" "vif $DOMID/0 backend and frontend Connected (state: $vif)"
xenstore-ls -f /local/domain/0/backend > /out/xenstore-backend.txt 2>&1
echo "@@BACKENDS vbd=$vbd vif=$vif"

stage module
check "modprobe xen_liveupdate" modprobe xen_liveupdate
mode=$(stat -c '%F %a' /dev/xen/liveupdate 2>&1)
tap "$([ "$mode" = "character special file 600" ]; echo $?)" \
	"/dev/xen/liveupdate is a char device, mode 0600 ($mode)"
check "kernel log: device ready" \
	grep -q 'xen:xen_liveupdate: /dev/xen/liveupdate ready' <(dmesg)

stage lu-ctl
expect_rc 3 "lu-ctl status on stock Xen: live update not supported" lu-ctl status
cp /tmp/out.txt /out/status.txt
cat /tmp/out.txt
check "lu-ctl status says why: no KEXEC_RANGE_MA_LIVEUPDATE, EINVAL" \
	grep -q 'live update: *no: this hypervisor does not support live update.*EINVAL' /tmp/out.txt
want="Xen $(xl info | sed -n 's/^xen_major *: //p').$(xl info | sed -n 's/^xen_minor *: //p')$(xl info | sed -n 's/^xen_extra *: //p')"
check "lu-ctl status names the hypervisor as xl info does ($want)" \
	grep -qx "hypervisor:    $want" /tmp/out.txt
expect_rc 3 "lu-ctl status --json" lu-ctl status --json
cp /tmp/out.txt /out/status.json
cp /out/status.txt /tmp/status-before.txt
lu-ctl status > /tmp/status-again.txt 2>&1
check "lu-ctl status changes nothing (same answer twice)" \
	cmp /tmp/status-before.txt /tmp/status-again.txt
expect_rc 2 "lu-ctl with an unknown command" lu-ctl frobnicate
expect_rc 2 "lu-ctl status with a stray argument" lu-ctl status extra

stage kselftest
"$SELFTESTS/liveupdate_info" > /out/kselftest-liveupdate_info.tap 2>&1
tap $? "kselftest liveupdate_info (TAP in kselftest-liveupdate_info.tap)"
tail -3 /out/kselftest-liveupdate_info.tap

stage module-lifecycle
check "rmmod xen_liveupdate" rmmod xen_liveupdate
expect_rc 3 "lu-ctl status loads the module itself when absent" lu-ctl status
check "... and unloads it again: nothing left changed" \
	bash -c '! grep -q "^xen_liveupdate " /proc/modules'
echo "blacklist xen_liveupdate" > /etc/modprobe.d/lu-test.conf
expect_rc 4 "lu-ctl status honours a modprobe.d blacklist" lu-ctl status
check "... saying so" grep -q 'blacklisted' /tmp/err.txt
rm -f /etc/modprobe.d/lu-test.conf
check "modprobe xen_liveupdate again" modprobe xen_liveupdate

stage guest-alive
n=$(alive_count $GUEST)
check "$GUEST still alive after the module tests" \
	wait_console $GUEST '@@DOMU-ALIVE' 30 $((n + 1))
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd $vif" = "4 4 4 4" ]; echo $?)" "backends still Connected (vbd: $vbd, vif: $vif)"

stage xl-save
check "xl save $GUEST (a real stream for the stream tools)" \
	xl save $GUEST /var/lib/xen/save/$GUEST.save
cp /var/lib/xen/save/$GUEST.save /out/$GUEST.save 2>/dev/null
rm -f /var/lib/xen/save/$GUEST.save

stage dmesg
dmesg > /out/dom0-dmesg.txt
xl dmesg > /out/xl-dmesg.txt 2>&1
check "no WARNING, BUG or Oops in dom0's kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/dom0-dmesg.txt'

tap_end
stage done
