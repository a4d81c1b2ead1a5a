#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages (TAP): dpkg-buildpackage -us -uc -b of the tree
# (scripts/build-debs.sh), lintian without an error or a warning, what each
# package holds and depends on, their version (VERSION), and DKMS refusing
# to build the module for a kernel without Xen dom0 support.  run-tests.sh
# runs it as its "packages" step; the test host then installs these
# packages (tests/xen-host/build-initrd.sh).  Needs root for dkms only in
# that dkms writes its signing key under /var/lib/dkms.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
OUT=$BUILD/deb
. "$TOP/tests/lib/tap.sh"
V=$(cat "$TOP/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
eval "$("$TOP/scripts/kernel-env.sh")" || exit 1

start=$SECONDS
"$TOP/scripts/build-debs.sh" > "$tmp/build.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/build.out"
ok $rc "dpkg-buildpackage -us -uc -b builds the packages ($((SECONDS - start)) s)"
[ $rc -eq 0 ] || { finish; exit 1; }
tool=$(ls "$OUT"/lu-ctl_*_amd64.deb)
dkms=$(ls "$OUT"/xen-liveupdate-dkms_*_all.deb)

grep -v '^running with root privileges' "$OUT/lintian.txt" | sed 's/^/# lintian: /'
check "lintian: no error" bash -c "! grep -q '^E: ' '$OUT/lintian.txt'"
check "lintian: no warning" bash -c "! grep -q '^W: ' '$OUT/lintian.txt'"

for deb in "$tool" "$dkms"; do
	check "$(basename "$deb"): version $V (VERSION)" \
		test "$(dpkg-deb -f "$deb" Version)" = "$V"
done

dpkg-deb -c "$tool" | awk '!/\/$/ {print $6}' | sed 's|^\./||' | sort > "$tmp/tool.list"
{
	echo lib/systemd/system/lu-ctl-finish.service
	echo usr/sbin/lu-ctl
	echo usr/share/bash-completion/completions/lu-ctl
	echo usr/share/doc/lu-ctl/changelog.gz
	echo usr/share/doc/lu-ctl/copyright
	echo usr/share/man/man8/lu-ctl.8.gz
	for f in "$TOP"/tools/lu-ctl/schema/*; do
		[ -f "$f" ] && echo "usr/share/xen-liveupdate/schema/$(basename "$f")"
	done
	for f in $(cd "$TOP" && git ls-files contrib/ansible 2>/dev/null); do
		echo "usr/share/doc/lu-ctl/examples/ansible/${f#contrib/ansible/}"
	done
} | sort > "$tmp/tool.want"
diff "$tmp/tool.want" "$tmp/tool.list" > "$tmp/diff"
rc=$?
sed 's/^/# /' "$tmp/diff"
ok $rc "lu-ctl holds the tool, lu-ctl(8), completion, unit, schemas and nothing else"

deps=$(dpkg-deb -f "$tool" Depends)
echo "# lu-ctl Depends: $deps"
check "lu-ctl depends on libxenlight's package, from dpkg-shlibdeps" \
	grep -q 'libxenmisc' <<< "$deps"
check "lu-ctl does not depend on dkms" bash -c "! grep -q dkms <<< '$deps'"
check "xen-liveupdate-dkms depends on dkms (BUILD_EXCLUSIVE_CONFIG needs >= 3.0.3)" \
	grep -q 'dkms (>= 3' <<< "$(dpkg-deb -f "$dkms" Depends)"

dpkg-deb -x "$dkms" "$tmp/root"
conf=$tmp/root/usr/src/xen-liveupdate-$V/dkms.conf
check "xen-liveupdate-dkms: /usr/src/xen-liveupdate-$V/dkms.conf says version $V" \
	grep -qx "PACKAGE_VERSION=\"$V\"" "$conf"
check "xen-liveupdate-dkms: built only for kernels with CONFIG_XEN_DOM0" \
	grep -q '^BUILD_EXCLUSIVE_CONFIG=".*CONFIG_XEN_DOM0' "$conf"
check "xen-liveupdate-dkms: its postinst builds the module by DKMS" \
	bash -c "dpkg-deb --ctrl-tarfile '$dkms' | tar -xO ./postinst | grep -q 'dkms'"

# DKMS itself refuses a kernel whose configuration lacks CONFIG_XEN_DOM0,
# without compiling anything (exit 77: BUILD_EXCLUSIVE).
mkdir -p "$tmp/tree" "$tmp/nodom0"
grep -v '^CONFIG_XEN_DOM0=' "$KDIR/.config" > "$tmp/nodom0/.config"
dkms add -m xen-liveupdate -v "$V" --sourcetree "$tmp/root/usr/src" \
	--dkmstree "$tmp/tree" > "$tmp/dkms.out" 2>&1
dkms build -m xen-liveupdate -v "$V" -k "$KVER" --sourcetree "$tmp/root/usr/src" \
	--dkmstree "$tmp/tree" --kernelsourcedir "$tmp/nodom0" >> "$tmp/dkms.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/dkms.out"
ok $((rc != 77)) "dkms build for a kernel without CONFIG_XEN_DOM0: not built (BUILD_EXCLUSIVE, exit $rc)"
finish
