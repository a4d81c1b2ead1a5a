#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real exec: stage a cold image of xen#2 with lu-ctl, then have the
# real Xen 4.17 execute it through the module: "lu-ctl commit --cold"
# (XEN_LU_COMMIT_COLD, the module's own KEXEC_CMD_kexec with a
# KEXEC_TYPE_DEFAULT xen_kexec_exec_t).  xen#2 boots this same initramfs as
# its dom0, which runs xen2.sh (lutest=xen2 on the module's command line)
# and checks it runs under the brokered command line.
# Results: /out/cold-exec.tap, /out/stage-cold.txt, /out/xen2-cmdline.txt.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/cold-exec.tap
XEN2_APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 loglvl=all guest_loglvl=all"
INITRD=/out/dom0-initrd.cpio.gz

tap_begin
stage cold-stage
check "modprobe xen_liveupdate" modprobe xen_liveupdate
check "the dom0 initramfs for xen#2 is on the share" test -s "$INITRD"
expect_rc 0 "lu-ctl stage --cold xen.gz, dom0 kernel, dom0 initramfs" \
	lu-ctl stage --cold /boot/xen.gz --append "$XEN2_APPEND" \
	--module "/boot/vmlinuz console=hvc0 earlyprintk=xen loglevel=5 lutest=xen2" \
	--module "$INITRD"
cp /tmp/out.txt /out/stage-cold.txt
cat /tmp/out.txt
sed -n 's/^cmdline: *//p' /tmp/out.txt > /out/xen2-cmdline.txt
check "the staged command line is the one asked for" \
	grep -qx "/boot/xen.gz $XEN2_APPEND" /out/xen2-cmdline.txt
tap_end
sync

stage cold-exec
echo "@@KEXEC-EXEC"
lu-ctl commit --cold
echo "@@KEXEC-RETURNED rc=$?"
exit 1
