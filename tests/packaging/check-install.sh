#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make install, make uninstall and make install-dkms into a temporary
# DESTDIR (TAP): the files installed for the default prefix and for the
# packaging's prefix=/usr, the units pointing at the installed lu-ctl, the
# JSON schemas (with a stand-in schema when the tree has none yet), and
# nothing left after uninstall.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
V=$(cat "$TOP/VERSION")

mk() { make -s -C "$TOP" "$@" > "$tmp/make.log" 2>&1 || { sed 's/^/# /' "$tmp/make.log"; return 1; }; }
files() { (cd "$1" && find . ! -type d | sed 's|^\./||' | sort); }

schemas=("$TOP"/tools/lu-ctl/schema/*)
[ -e "${schemas[0]}" ] || schemas=()
# A stand-in when the tree has no schema yet, so the glob is exercised.
if [ ${#schemas[@]} -eq 0 ]; then
	mkdir -p "$tmp/schema"
	echo '{}' > "$tmp/schema/stand-in.schema.json"
	schemas=("$tmp/schema/stand-in.schema.json")
	extra=(SCHEMAS="${schemas[*]}")
else
	extra=()
fi
units=("$TOP"/tools/lu-ctl/systemd/*.service)

# expect PREFIX UNITDIR: the file list make install must give
expect() {
	local p=${1#/} u=${2#/} f
	echo "$p/sbin/lu-ctl"
	echo "$p/share/man/man8/lu-ctl.8"
	echo "$p/share/bash-completion/completions/lu-ctl"
	for f in "${units[@]}"; do echo "$u/$(basename "$f")"; done
	for f in "${schemas[@]}"; do echo "$p/share/xen-liveupdate/schema/$(basename "$f")"; done
}

for prefix in /usr/local /usr; do
	d=$tmp/root$(tr / _ <<< "$prefix")
	unitdir=$prefix/lib/systemd/system
	[ "$prefix" = /usr ] && unitdir=/lib/systemd/system
	check "make install prefix=$prefix DESTDIR=... succeeds" \
		mk install prefix="$prefix" DESTDIR="$d" "${extra[@]}"
	diff <(expect "$prefix" "$unitdir" | sort) <(files "$d") > "$tmp/diff"
	rc=$?
	sed 's/^/# /' "$tmp/diff"
	ok $rc "prefix=$prefix: lu-ctl, lu-ctl.8, completion, units, schemas where GNU and pkg-config say"
	check "prefix=$prefix: lu-ctl is executable, the rest is not" \
		bash -c "[ -x '$d$prefix/sbin/lu-ctl' ] && [ -z \"\$(find '$d' -type f -perm /111 ! -path '*/sbin/lu-ctl')\" ]"
	check "prefix=$prefix: the units run $prefix/sbin/lu-ctl" \
		bash -c "grep -q '^ExecStart=$prefix/sbin/lu-ctl ' '$d$unitdir/${units[0]##*/}' &&
			 ! grep -h '^Exec' '$d$unitdir'/*.service | grep -v '=$prefix/sbin/lu-ctl '"
	check "make uninstall prefix=$prefix DESTDIR=... succeeds" \
		mk uninstall prefix="$prefix" DESTDIR="$d" "${extra[@]}"
	left=$(files "$d")
	[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
	ok $((${#left} != 0)) "prefix=$prefix: make uninstall leaves no file"
	check "prefix=$prefix: make uninstall removes xen-liveupdate's directory" \
		test ! -e "$d$prefix/share/xen-liveupdate"
done

d=$tmp/dkms
check "make install-dkms DESTDIR=... succeeds" mk install-dkms DESTDIR="$d"
src=$d/usr/src/xen-liveupdate-$V
check "install-dkms: dkms.conf in /usr/src/xen-liveupdate-$V says PACKAGE_VERSION=\"$V\"" \
	grep -qx "PACKAGE_VERSION=\"$V\"" "$src/dkms.conf"
objs=$(make -s -f - print-objs <<< 'include '"$TOP"'/drivers/xen/liveupdate/Makefile
print-objs: ; @echo $(xen_liveupdate-y) $(xen_liveupdate-)')
missing=
for f in Kbuild VERSION drivers/xen/liveupdate/Makefile drivers/xen/liveupdate/Kconfig \
	 $(sed 's|\([^ ]*\)\.o|drivers/xen/liveupdate/\1.c|g' <<< "$objs") \
	 include/uapi/xen/liveupdate.h; do
	[ -f "$src/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || echo "# missing:$missing"
ok $((${#missing} != 0)) "install-dkms: Kbuild, VERSION and every source file of the module"
check "install-dkms: no object file" \
	test -z "$(find "$d" -name '*.o' -o -name '*.ko' -o -name '.*.cmd')"
finish
