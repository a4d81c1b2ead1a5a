#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 of xen#2, after cold-exec.sh had the first Xen execute the image
# lu-ctl staged: prove this is a working dom0 on a Xen that booted with the
# brokered command line.  Results: /out/xen2.tap, /out/xen2-xl-info.txt.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/xen2.tap

tap_begin
stage xen2
check "dom0 of xen#2 runs on Xen" grep -qx xen /sys/hypervisor/type
check "its kernel command line is the module's (lutest=xen2)" \
	grep -q 'lutest=xen2' /proc/cmdline
check "toolstack of xen#2 up: xenstored, xen-init-dom0, xenconsoled" \
	start_toolstack
xl info > /out/xen2-xl-info.txt 2>&1
want=$(cut -d' ' -f2- /out/xen2-cmdline.txt)
got=$(sed -n 's/^xen_commandline *: //p' /out/xen2-xl-info.txt)
tap "$([ -n "$want" ] && [ "$got" = "$want" ]; echo $?)" \
	"xen#2 booted with the brokered command line ($got)"
check "xen#2 has dom0 only: the cold exec preserved no domain" \
	bash -c '[ "$(xl list | tail -n +2 | wc -l)" -eq 1 ]'
check "xen#2 is Xen $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)" \
	grep -q '^xen_major *: 4' /out/xen2-xl-info.txt
check "lu-ctl status works under xen#2" \
	bash -c 'lu-ctl status; [ $? -eq 3 ]'
dmesg > /out/xen2-dmesg.txt
check "no WARNING, BUG or Oops in dom0#2's kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/xen2-dmesg.txt'
tap_end
