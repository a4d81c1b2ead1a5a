#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the debug dom0 kernel of "make check-debug" from Debian's
# linux-source-6.1: x86_64_defconfig, the kernel's xen.config fragments,
# then debug.config (this directory) over them.  Cached by the hash of
# debug.config, the source package's version and the compiler, under
#   $BUILD/debug-kernel/<hash>/obj/        the kbuild tree (KDIR for the
#                                          module, the simulator, ...)
#   $BUILD/debug-kernel/<hash>/root/       modules_install output
#   $BUILD/debug-kernel/<hash>/bzImage
# so a second run reuses it.  Prints shell assignments:
#   eval "$(tests/xen-host/debug-kernel/build.sh)"
# sets DEBUG_KDIR, DEBUG_KVER, DOM0_KERNEL, DOM0_MODROOT and
# DEBUG_BUILD_SECS (the build's wall time, cached with it).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-$TOP/build}
FRAGMENT=$HERE/debug.config
JOBS=${JOBS:-$(nproc)}
TARBALL=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)

if [ -z "$TARBALL" ]; then
	echo "debug-kernel: /usr/src/linux-source-6.1.tar.* missing: run make deps" >&2
	exit 1
fi
SRCVER=$(dpkg-query -W -f='${Version}' linux-source-6.1)
HASH=$( { echo "$SRCVER"; gcc --version | head -n 1; cat "$FRAGMENT"; } |
	sha256sum | cut -c1-16)
D=$BUILD/debug-kernel/$HASH
SRC=$BUILD/debug-kernel/src-$SRCVER
OBJ=$D/obj

log() { echo "debug-kernel: $*" >&2; }

emit() {
	printf 'DEBUG_KDIR=%q\nDEBUG_KVER=%q\nDOM0_KERNEL=%q\nDOM0_MODROOT=%q\nDEBUG_BUILD_SECS=%q\n' \
		"$OBJ" "$(cat "$D/kernelrelease")" "$D/bzImage" "$D/root" \
		"$(cat "$D/build-secs")"
}

if [ -f "$D/.complete" ] && [ -f "$SRC/.complete" ]; then
	log "cached build $D"
	# kbuild's O= tree names its source by absolute path: a build tree
	# that moved (another checkout's build/) points at the source here.
	if [ "$(readlink -f "$OBJ/source")" != "$(readlink -f "$SRC")" ]; then
		ln -sfn "$SRC" "$OBJ/source"
		sed -i "s|^include .*/Makefile\$|include $SRC/Makefile|" "$OBJ/Makefile"
	fi
	emit
	exit 0
fi

if [ ! -f "$SRC/.complete" ]; then
	log "extracting $TARBALL"
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -xf "$TARBALL" -C "$SRC.tmp" --strip-components=1
	touch "$SRC.tmp/.complete"
	mv "$SRC.tmp" "$SRC"
fi

rm -rf "$D"
mkdir -p "$OBJ"
start=$EPOCHREALTIME
kmake() { make -C "$SRC" O="$OBJ" "$@" >> "$D/build.log" 2>&1; }

log "configuring in $OBJ (log: $D/build.log)"
kmake x86_64_defconfig
kmake xen.config
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$FRAGMENT" \
	>> "$D/build.log" 2>&1
kmake olddefconfig

# Every line of the fragment must have survived olddefconfig: a symbol
# that a dependency switched off (or a typo) fails here, not at run time.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$OBJ/.config" || { log "not applied: $line"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$OBJ/.config"; then
			log "not applied: $line"
			bad=1
		fi ;;
	esac
done < "$FRAGMENT"
if [ "$bad" -ne 0 ]; then
	exit 1
fi

log "building with $JOBS jobs"
if ! kmake -j"$JOBS" bzImage modules; then
	log "build failed, see $D/build.log"
	tail -n 20 "$D/build.log" >&2
	exit 1
fi
kmake INSTALL_MOD_PATH="$D/root" modules_install
cp "$OBJ/arch/x86/boot/bzImage" "$D/bzImage"
make -s -C "$SRC" O="$OBJ" kernelrelease > "$D/kernelrelease"
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f\n", b - a }' \
	> "$D/build-secs"
touch "$D/.complete"
log "built $(cat "$D/kernelrelease") in $(cat "$D/build-secs")s"
emit
