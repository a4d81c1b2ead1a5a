#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the dom0 initramfs: the cached package archive (build-base.sh) with
# the project's files appended as a second cpio archive, which the kernel
# unpacks over the first:
#   /lib/modules/$KVER/extra/xen_liveupdate.ko   (+ depmod output)
#   /lib/modules/$KVER/extra/test/*.ko           the test-only simulator
#                                                modules, when built
#                                                (tests/simulator)
#   /usr/sbin/lu-ctl
#   /usr/lib/xen-liveupdate/selftests/*          kselftest binaries
#   /usr/lib/xen-liveupdate/stress/xen-lu-stress the ioctl stress tool, when
#                                                built (tests/stress)
#   /usr/lib/xen-liveupdate/host/*               the dom0 scripts and the
#                                                systemd units they run
#   /usr/lib/xen-liveupdate/faults/sr-fault.so   test-only faults for the
#                                                save-restore method
#   /init
# and, for make check-debug, the tree in OVERLAY_EXTRA when set.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
: "${KVER:?KVER must be set}"
: "${HOST_BUILD:?HOST_BUILD must be set}"

"$HERE/build-base.sh"

O=$HOST_BUILD/overlay
M=usr/lib/modules/$KVER
rm -rf "$O" "$HOST_BUILD/depmod"
mkdir -p "$O/$M/extra" "$O/usr/sbin" "$O/usr/lib/xen-liveupdate/selftests" \
	 "$O/usr/lib/xen-liveupdate/host" "$O/guest"

install -m 644 "$TOP/xen_liveupdate.ko" "$O/$M/extra/"
# Test-only modules (tests/simulator), when built: never in production.
TEST_KOS=()
for ko in xen_lu_sim.ko xen_lu_sim_selftest.ko xen_lu_test_participant.ko; do
	if [ -f "$TOP/tests/simulator/$ko" ]; then
		TEST_KOS+=("$TOP/tests/simulator/$ko")
	fi
done
if [ ${#TEST_KOS[@]} -gt 0 ]; then
	mkdir -p "$O/$M/extra/test"
	install -m 644 "${TEST_KOS[@]}" "$O/$M/extra/test/"
fi

# depmod needs the whole module tree: hard-link the base one beside ours.
D=$HOST_BUILD/depmod
mkdir -p "$D/usr/lib/modules"
ln -s usr/lib "$D/lib"
cp -al "$HOST_BUILD/base-root/$M" "$D/$M"
mkdir -p "$D/$M/extra"
cp "$TOP/xen_liveupdate.ko" "$D/$M/extra/"
if [ ${#TEST_KOS[@]} -gt 0 ]; then
	mkdir -p "$D/$M/extra/test"
	cp "${TEST_KOS[@]}" "$D/$M/extra/test/"
fi
depmod -b "$D" "$KVER"
cp "$D/$M"/modules.* "$O/$M/"

install -m 755 "$TOP/tools/lu-ctl/lu-ctl" "$O/usr/sbin/"
for t in $(make -s -C "$TOP/selftests/xen-liveupdate" print-progs); do
	install -m 755 "$TOP/selftests/xen-liveupdate/$t" \
		"$O/usr/lib/xen-liveupdate/selftests/"
done
if [ -x "$TOP/tests/stress/xen-lu-stress" ]; then
	install -D -m 755 "$TOP/tests/stress/xen-lu-stress" \
		"$O/usr/lib/xen-liveupdate/stress/xen-lu-stress"
fi
install -m 755 "$HERE"/dom0/*.sh "$O/usr/lib/xen-liveupdate/host/"
install -m 644 "$TOP"/tools/lu-ctl/systemd/*.service "$O/usr/lib/xen-liveupdate/host/"
# Test-only fault injection for the save-restore method (LD_PRELOAD).
mkdir -p "$O/usr/lib/xen-liveupdate/faults"
${CC:-cc} -shared -fPIC -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$TOP/include/uapi" \
	-o "$O/usr/lib/xen-liveupdate/faults/sr-fault.so" "$HERE/faults/sr-fault.c" -ldl
install -m 644 "$HERE"/domu/*.cfg "$O/guest/"
install -m 755 "$HERE/dom0/init" "$O/init"
if [ -n "${OVERLAY_EXTRA:-}" ]; then
	cp -a "$OVERLAY_EXTRA"/. "$O/"
fi

(cd "$O" && find . | cpio -o -H newc --quiet) > "$HOST_BUILD/overlay.cpio"
cat "$HOST_BUILD/base.cpio" "$HOST_BUILD/overlay.cpio" > "$HOST_BUILD/dom0-initrd.cpio"
