#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The module dropped into a kernel tree: drivers/xen/liveupdate/ and the
# headers it needs (include/uapi/xen/, include/xen/) copied into Debian's
# kernel source of the series the suite builds for, hooked into
# drivers/xen/Kconfig and drivers/xen/Makefile as a maintainer would, and
# built there with CONFIG_XEN_LIVEUPDATE=m (modules_prepare, then M=),
# without a warning under W=1.
#
# The extracted and prepared tree is cached under $BUILD/intree/, keyed by
# the source tarball and the Debian configuration it is prepared with; a
# run on a warm cache copies the module in, refreshes the configuration
# (modules_prepare then has nothing to redo) and builds the module.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
eval "$("$TOP/scripts/kernel-env.sh")"
JOBS=${JOBS:-2}

# The kernel series of the headers the suite builds against (the first two
# numbers of KVER, which kernel-env.sh derives), and Debian's source
# tarball of that series.
series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<< "$KVER")
tarball=$(ls "/usr/src/linux-source-$series.tar."* 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	echo "test-intree: no /usr/src/linux-source-$series.tar.*: run make deps" >&2
	exit 1
fi
config=$KDIR/.config
symvers=$KDIR/Module.symvers
for f in "$config" "$symvers"; do
	[ -f "$f" ] || { echo "test-intree: $f missing" >&2; exit 1; }
done

key=$( { stat -c '%n %s %Y' "$tarball"; sha256sum < "$config"; } |
	sha256sum | cut -c1-16)
cache=$BUILD/intree
tree=$cache/$key
log() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

if [ ! -f "$tree/.extracted" ]; then
	log "extracting $(basename "$tarball") into $tree"
	rm -rf "$cache"
	mkdir -p "$tree"
	# Register headers no configuration or module build reads.
	tar -xf "$tarball" -C "$tree" --strip-components=1 \
		--exclude='*/drivers/gpu/drm/amd/include/asic_reg'
	cp "$config" "$tree/.config"
	touch "$tree/.extracted"
fi

log "copying drivers/xen/liveupdate and its headers in"
rm -rf "$tree/drivers/xen/liveupdate"
mkdir -p "$tree/drivers/xen/liveupdate" "$tree/include/xen/interface"
git -C "$TOP" ls-files -z --cached --others --exclude-standard \
	drivers/xen/liveupdate include/uapi/xen include/xen |
	while IFS= read -r -d '' f; do
		[ -f "$TOP/$f" ] && cp "$TOP/$f" "$tree/$f"
	done
grep -qx 'source "drivers/xen/liveupdate/Kconfig"' "$tree/drivers/xen/Kconfig" ||
	echo 'source "drivers/xen/liveupdate/Kconfig"' >> "$tree/drivers/xen/Kconfig"
# shellcheck disable=SC2016
grep -qx 'obj-$(CONFIG_XEN_LIVEUPDATE)	+= liveupdate/' "$tree/drivers/xen/Makefile" ||
	echo 'obj-$(CONFIG_XEN_LIVEUPDATE)	+= liveupdate/' >> "$tree/drivers/xen/Makefile"

log "configuring CONFIG_XEN_LIVEUPDATE=m"
"$tree/scripts/config" --file "$tree/.config" -m XEN_LIVEUPDATE
make -s -C "$tree" olddefconfig
if ! grep -qx 'CONFIG_XEN_LIVEUPDATE=m' "$tree/.config"; then
	echo "test-intree: CONFIG_XEN_LIVEUPDATE=m did not survive olddefconfig:" >&2
	grep 'XEN_LIVEUPDATE' "$tree/.config" >&2 || true
	exit 1
fi

log "make modules_prepare"
make -s -C "$tree" -j"$JOBS" modules_prepare
cp "$symvers" "$tree/Module.symvers"

log "make M=drivers/xen/liveupdate modules W=1"
rm -f "$tree/drivers/xen/liveupdate/"*.ko
out=$(make -C "$tree" -j"$JOBS" M=drivers/xen/liveupdate W=1 modules 2>&1) || {
	printf '%s\n' "$out"
	exit 1
}
printf '%s\n' "$out"
if grep -E 'warning:|error:|WARNING:' <<< "$out"; then
	echo "test-intree: the in-tree build is not warning-free" >&2
	exit 1
fi
ko=$tree/drivers/xen/liveupdate/xen_liveupdate.ko
[ -f "$ko" ] || { echo "test-intree: no $ko" >&2; exit 1; }
modinfo -F vermagic "$ko"
log "built $(basename "$ko") in the tree"
