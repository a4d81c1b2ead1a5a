#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the test host under QEMU (TCG) and run one dom0 script in it.
#
#   boot.sh MODE        MODE is a script in dom0/ (test, demo, nonxen, ...)
#   env HOST_KIND=xen   Xen 4.17 with the Debian kernel as PV dom0 (default)
#       HOST_KIND=xen-pvh  the same, with dom0 in PVH mode (QEMU's TCG
#                       emulates AMD SVM with nested paging, which Xen's
#                       PVH dom0 needs)
#       HOST_KIND=linux the same kernel and initramfs without Xen
#       HVM_GUESTS=1    a CPU with AMD SVM and nested paging for a PV
#                       dom0 too: PVH and HVM guests, tracked with HAP
#       TIMEOUT=secs    hard limit for the whole boot (default 600)
#       SHOW=1          copy the console to stdout as it comes
#       SHARE_INITRD=1  put the dom0 initramfs (gzip) on the share, for a
#                       dom0 that stages it as the next Xen's dom0
#       DOM0_EXTRA=...  more words for dom0's kernel command line
#       DOM0_KERNEL=f   boot this dom0 kernel instead of /boot/vmlinuz-$KVER
#                       (KVER then names its release: make check-debug)
#       DOM0_DISK=SIZE  give dom0 an ext4 disk of SIZE (truncate's units)
#                       on IDE, $OUT/disk.img, mounted on /disk: storage
#                       that survives a kexec and a reboot.  (With a
#                       virtio-blk disk xen#2 hangs after "Executing kexec
#                       image" under QEMU; with IDE it boots.)
#       HOSTFWD=PORT    give dom0 an e1000 NIC on QEMU's user network
#                       (10.0.2.15/24) with 127.0.0.1:PORT on this host
#                       forwarded to its port 22 (make check-fleet)
#
# A dom0 script that prints @@FIRMWARE-REBOOT before rebooting gets the
# machine booted again, as firmware would, with the same disk (at most
# MAX_REBOOTS times, default 2); the console of every boot goes to the
# same serial.log.
#
# Results: $HOST_BUILD/out/MODE/{serial.log,timings.txt,share/}.  QEMU is
# always stopped by its own PID.  Exit 0 when the dom0 script ran to its
# end and QEMU powered off, 1 otherwise (timeout, crash, no result).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
: "${KVER:?KVER must be set}"
: "${HOST_BUILD:?HOST_BUILD must be set}"
MODE=${1:?usage: boot.sh MODE}
HOST_KIND=${HOST_KIND:-xen}
TIMEOUT=${TIMEOUT:-600}
OUT=$HOST_BUILD/out/$MODE
SHARE=$OUT/share
PIDFILE=$OUT/qemu.pid

rm -rf "$OUT"
mkdir -p "$SHARE"
if [ "${SHARE_INITRD:-0}" = 1 ]; then
	gzip -1 < "$HOST_BUILD/dom0-initrd.cpio" > "$SHARE/dom0-initrd.cpio.gz"
fi

XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 loglvl=all guest_loglvl=all"
DOM0_KERNEL=${DOM0_KERNEL:-/boot/vmlinuz-$KVER}
DOM0_CMDLINE="console=hvc0 earlyprintk=xen loglevel=5 lutest=$MODE${DOM0_EXTRA:+ $DOM0_EXTRA}"
DISK=()
if [ -n "${DOM0_DISK:-}" ]; then
	truncate -s "$DOM0_DISK" "$OUT/disk.img"
	mkfs.ext4 -q -F -L lu-disk "$OUT/disk.img"
	DISK=(-drive "file=$OUT/disk.img,if=ide,format=raw")
	DOM0_CMDLINE+=" ludisk=1"
fi

CPU=qemu64
VIRTFS=(-virtfs "local,path=$SHARE,mount_tag=out,security_model=none,id=out")
NET=(-net none)
if [ -n "${HOSTFWD:-}" ]; then
	NET=(-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$HOSTFWD-:22"
	     -device e1000,netdev=n0)
fi
QEMU=(qemu-system-x86_64 -accel tcg -m 2G -smp 2
      "${NET[@]}" -nographic -no-reboot -pidfile "$PIDFILE")
# HAP's log-dirty mode is what a PVH or HVM guest's live save needs.
[ -z "${HVM_GUESTS:-}" ] || CPU=qemu64,+svm,+npt
case $HOST_KIND in
xen-pvh)
	CPU=qemu64,+svm,+npt
	# Xen 4.17 requires an IOMMU for a PVH hardware domain.
	QEMU+=(-machine q35 -device amd-iommu)
	# virtio-9p behind the emulated IOMMU hangs the PVH dom0: results
	# come back on the console only.
	VIRTFS=()
	XEN_CMDLINE+=" dom0=pvh"
	;&
xen)
	# QEMU's multiboot loader takes modules comma-separated, each with
	# its command line after the path.
	QEMU+=(-kernel "$HOST_BUILD/xen" -append "$XEN_CMDLINE"
	       -initrd "$DOM0_KERNEL $DOM0_CMDLINE,$HOST_BUILD/dom0-initrd.cpio")
	;;
linux)
	QEMU+=(-kernel "$DOM0_KERNEL"
	       -append "console=ttyS0 loglevel=5 lutest=$MODE"
	       -initrd "$HOST_BUILD/dom0-initrd.cpio")
	;;
*)
	echo "boot.sh: unknown HOST_KIND '$HOST_KIND'" >&2
	exit 1
	;;
esac

QEMU+=(-cpu "$CPU" "${VIRTFS[@]}")
QEMU+=("${DISK[@]}")

stop_qemu() {
	local pid
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 0
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		sleep 1
		kill -9 "$pid" 2>/dev/null
	fi
	return 0
}
trap stop_qemu EXIT

# Prefix each console line with seconds since QEMU started (host clock),
# and note when each @@STAGE marker arrives.
timestamp() {
	local t0=${EPOCHREALTIME/./} line us t
	while IFS= read -r line; do
		line=${line%$'\r'}
		us=$((${EPOCHREALTIME/./} - t0))
		printf -v t '%5d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
		printf '[%s] %s\n' "$t" "$line" >> "$OUT/serial.log"
		case $line in
		*@@STAGE*|*@@TAP*|*@@POWEROFF*|*@@MODE-EXIT*)
			printf '%s %s\n' "$t" "${line#*@@}" >> "$OUT/timings.txt" ;;
		esac
		if [ "${SHOW:-0}" = 1 ]; then
			printf '%s\n' "$line"
		fi
	done
}

# wants_reboot: the last boot ended with the dom0 script asking for one.
wants_reboot() {
	[ "$(grep -o '@@FIRMWARE-REBOOT\|@@POWEROFF' "$OUT/serial.log" | tail -n 1)" = \
	  @@FIRMWARE-REBOOT ]
}

start=$EPOCHREALTIME
deadline=$((${start%.*} + TIMEOUT))
reboots=0
while :; do
	left=$((deadline - ${EPOCHREALTIME%.*}))
	[ "$left" -gt 0 ] || { rc=124; break; }
	timeout --kill-after=10 "$left" "${QEMU[@]}" < /dev/null 2>&1 | timestamp
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] && wants_reboot && [ "$reboots" -lt "${MAX_REBOOTS:-2}" ] || break
	reboots=$((reboots + 1))
	echo "boot.sh: $MODE: firmware reboot $reboots" >> "$OUT/timings.txt"
done
wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
echo "$wall qemu-exit rc=$rc" >> "$OUT/timings.txt"

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "boot.sh: $MODE ($HOST_KIND): timed out after ${TIMEOUT}s" >&2
	exit 1
fi
if ! grep -q '@@POWEROFF' "$OUT/serial.log"; then
	echo "boot.sh: $MODE ($HOST_KIND): dom0 did not finish (QEMU rc $rc), see $OUT/serial.log" >&2
	exit 1
fi
echo "boot.sh: $MODE ($HOST_KIND): finished in ${wall}s"
exit 0
