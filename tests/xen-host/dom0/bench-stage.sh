#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark (not a test): lu-ctl stage --cold against kexec-tools'
# kexec -l --type=multiboot2-x86 of the same Xen, dom0 kernel and initrd,
# in this dom0 on the real Xen.  Each run prints
#   @@BENCH <tool> <run> <wall seconds> <peak RSS KiB>
# and bench/stage/bench.sh turns the lines into figures and ratios.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
RUNS=${RUNS:-5}
APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G loglvl=all"
KERNEL_ARGS="console=hvc0 earlyprintk=xen loglevel=5"

# Both tools read the same files from RAM, not from the 9p share.
cp /out/dom0-initrd.cpio.gz /tmp/initrd.gz
modprobe xen_liveupdate
echo "@@BENCH-INPUT xen.gz=$(stat -c %s /boot/xen.gz) xen=$(stat -c %s /boot/xen) vmlinuz=$(stat -c %s /boot/vmlinuz) initrd=$(stat -c %s /tmp/initrd.gz)"

measure() {
	local tool=$1 run=$2
	shift 2
	if /usr/bin/time -f '%e %M' -o /tmp/time.txt "$@" > /tmp/bench.out 2>&1; then
		echo "@@BENCH $tool $run $(cat /tmp/time.txt)"
	else
		echo "@@BENCH-FAILED $tool $run"
		cat /tmp/bench.out
	fi
}

for run in $(seq 1 "$RUNS"); do
	measure lu-ctl-gz "$run" lu-ctl stage --cold /boot/xen.gz \
		--append "$APPEND" --module "/boot/vmlinuz $KERNEL_ARGS" \
		--module /tmp/initrd.gz
	lu-ctl unstage > /dev/null
	measure lu-ctl-elf "$run" lu-ctl stage --cold /boot/xen \
		--append "$APPEND" --module "/boot/vmlinuz $KERNEL_ARGS" \
		--module /tmp/initrd.gz
	lu-ctl unstage > /dev/null
	measure lu-ctl-build "$run" lu-ctl stage --cold --dry-run /boot/xen.gz \
		--append "$APPEND" --module "/boot/vmlinuz $KERNEL_ARGS" \
		--module /tmp/initrd.gz
	measure kexec "$run" kexec -l --type=multiboot2-x86 /boot/xen \
		--command-line="$APPEND" --module="/boot/vmlinuz $KERNEL_ARGS" \
		--module=/tmp/initrd.gz
	kexec -u
done
echo "@@BENCH-DONE"
