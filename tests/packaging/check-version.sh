#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# VERSION is the project's one version place (TAP).  Every other place
# that states the version must agree with it: lu-ctl --version, the
# module's MODULE_VERSION, the man page, the Debian changelog; dkms.conf
# leaves it to the packaging; and no other tracked file writes the version
# out, nor any other version of the module or the tool, which would drift.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
V=$(cat "$TOP/VERSION")

check "VERSION is one line X.Y.Z ($V)" \
	grep -qxE '[0-9]+\.[0-9]+\.[0-9]+' "$TOP/VERSION"
check "lu-ctl --version says lu-ctl $V" \
	test "$("$TOP/tools/lu-ctl/lu-ctl" --version)" = "lu-ctl $V"
if [ -f "$TOP/xen_liveupdate.ko" ]; then
	check "xen_liveupdate.ko's MODULE_VERSION is $V" \
		test "$(modinfo -F version "$TOP/xen_liveupdate.ko")" = "$V"
else
	skip "xen_liveupdate.ko's MODULE_VERSION" "module not built"
fi
check "dkms.conf takes its version from the packaging (#MODULE_VERSION#)" \
	grep -qx 'PACKAGE_VERSION="#MODULE_VERSION#"' "$TOP/dkms.conf"
if [ -f "${BUILD:-$TOP/build}/man/lu-ctl.8" ]; then
	check "lu-ctl(8) says version $V" \
		grep -q "^\.TH \"LU-CTL\" 8 \"\" \"$V\"" "${BUILD:-$TOP/build}/man/lu-ctl.8"
else
	skip "lu-ctl(8)'s version" "man page not built"
fi
upstream=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version | sed 's/-[^-]*$//')
check "debian/changelog's upstream version is $V ($upstream)" test "$upstream" = "$V"

# Tracked files that write the version out: VERSION and the changelog only.
cd "$TOP" || exit 1
re=$(sed 's/\./\\./g' <<< "$V")
others=$(git ls-files -z | xargs -0 grep -lIE "(^|[^0-9.])$re([^0-9]|\$)" |
	grep -vx -e VERSION -e debian/changelog)
[ -z "$others" ] || echo "$others" | sed 's/^/# writes the version: /'
ok $((${#others} != 0)) "no tracked file but VERSION and debian/changelog writes $V"
stale=$(git ls-files -z | xargs -0 grep -nIE \
	'(xen_liveupdate|xen-liveupdate|lu-ctl)[ /_-][0-9]+\.[0-9]+\.[0-9]+' |
	grep -v '^debian/changelog:')
[ -z "$stale" ] || echo "$stale" | sed 's/^/# names a version: /'
ok $((${#stale} != 0)) "no tracked file names a version of the module or lu-ctl"
finish
