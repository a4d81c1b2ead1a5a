#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the dom0 initramfs: the cached package archive (build-base.sh) with
# the project's files appended as a second cpio archive, which the kernel
# unpacks over the first.  The project's Debian packages (built by
# scripts/build-debs.sh, or taken from DEBS=DIR) are installed into it as
# an operator installs them:
#   lu-ctl                                       dpkg --unpack: /usr/sbin/lu-ctl,
#                                                lu-ctl(8), completion, unit,
#                                                schemas
#   xen-liveupdate-dkms                          dpkg --unpack, then DKMS
#                                                builds the module against
#                                                KDIR, as the package's
#                                                postinst would, into
#   /lib/modules/$KVER/updates/dkms/xen_liveupdate.ko   (+ depmod output)
# The test host runs the module's test build: DKMS's build is given
# XEN_LU_SIMULATOR=y (the package's own source, with the simulator hook
# the suite needs; tests/simulator).  Test-only files are copied as they
# are, never packaged:
#   /lib/modules/$KVER/extra/test/*.ko           the test-only simulator
#                                                modules, when built
#                                                (tests/simulator)
#   /usr/lib/xen-liveupdate/selftests/*          kselftest binaries, built
#                                                here (make selftests)
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

if [ -z "${KDIR:-}" ]; then
	eval "$("$TOP/scripts/kernel-env.sh")"
fi

"$HERE/build-base.sh"

if [ -z "${DEBS:-}" ]; then
	"$TOP/scripts/build-debs.sh"
	DEBS=${BUILD:-$TOP/build}/deb
fi
V=$(cat "$TOP/VERSION")
DEB_TOOL=$(ls "$DEBS"/lu-ctl_"$V"_*.deb)
DEB_DKMS=$(ls "$DEBS"/xen-liveupdate-dkms_"$V"_all.deb)

O=$HOST_BUILD/overlay
M=usr/lib/modules/$KVER
rm -rf "$O" "$HOST_BUILD/depmod"
mkdir -p "$O/usr/lib/xen-liveupdate/selftests" \
	 "$O/usr/lib/xen-liveupdate/host" "$O/guest"

# dpkg into the overlay, with the base root's merged /usr and a dpkg
# database of its own: the packages are unpacked (their files, and
# "dpkg -s" in dom0), not configured: the postinsts would run
# deb-systemd-helper and DKMS inside dom0, which has neither perl nor a
# compiler.  The base root's libraries are copied files, not packages,
# hence --force-depends; the maintainer scripts (lu-ctl's preinst) run
# on the build host with DPKG_ROOT set, as debhelper's snippets expect,
# there being no shell in the overlay to chroot into.
for d in bin sbin lib lib64; do
	mkdir -p "$O/usr/$d"
	ln -s "usr/$d" "$O/$d"
done
mkdir -p "$O/var/lib/dpkg/info" "$O/var/lib/dpkg/updates" "$O/var/lib/dpkg/triggers"
: > "$O/var/lib/dpkg/status"
dpkg --root="$O" --force-depends --force-script-chrootless \
	--unpack "$DEB_TOOL" "$DEB_DKMS"

# DKMS builds the module from the unpacked package's source, with its own
# tree (nothing of the build host's /var/lib/dkms), cached by the source,
# the kernel configuration and the build's flags.
src=$O/usr/src/xen-liveupdate-$V
key=$( { find "$src" -type f -print0 | sort -z | xargs -0 sha256sum |
	 sed "s|$src||"; sha256sum < "$KDIR/.config"; echo "$KVER"; } |
	sha256sum | cut -c1-16)
dkms_tree=$HOST_BUILD/dkms/$key
dkms_ko=$dkms_tree/xen-liveupdate/$V/$KVER/$(uname -m)/module/xen_liveupdate.ko
if [ ! -f "$dkms_ko" ]; then
	rm -rf "$HOST_BUILD/dkms"
	mkdir -p "$dkms_tree"
	dkms add -m xen-liveupdate -v "$V" --sourcetree "$O/usr/src" \
		--dkmstree "$dkms_tree"
	XEN_LU_SIMULATOR=y dkms build -m xen-liveupdate -v "$V" -k "$KVER" \
		--sourcetree "$O/usr/src" --dkmstree "$dkms_tree" \
		--kernelsourcedir "$KDIR" -j "${JOBS:-2}" ||
		{ cat "$dkms_tree/xen-liveupdate/$V/build/make.log" >&2; exit 1; }
fi
# dom0 has no compiler: the source stays on the build host.
rm -rf "$O/usr/src"
install -D -m 644 "$dkms_ko" "$O/$M/updates/dkms/xen_liveupdate.ko"
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
mkdir -p "$D/$M/updates/dkms"
cp "$dkms_ko" "$D/$M/updates/dkms/"
if [ ${#TEST_KOS[@]} -gt 0 ]; then
	mkdir -p "$D/$M/extra/test"
	cp "${TEST_KOS[@]}" "$D/$M/extra/test/"
fi
depmod -b "$D" "$KVER"
cp "$D/$M"/modules.* "$O/$M/"

make -s -C "$TOP" selftests > /dev/null
for t in $(make -s -C "$TOP/selftests/xen-liveupdate" print-progs); do
	install -m 755 "$TOP/selftests/xen-liveupdate/$t" \
		"$O/usr/lib/xen-liveupdate/selftests/"
done
if [ -x "$TOP/tests/stress/xen-lu-stress" ]; then
	install -D -m 755 "$TOP/tests/stress/xen-lu-stress" \
		"$O/usr/lib/xen-liveupdate/stress/xen-lu-stress"
fi
install -m 755 "$HERE"/dom0/*.sh "$O/usr/lib/xen-liveupdate/host/"
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
