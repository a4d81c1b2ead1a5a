#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The systemd units lu-ctl ships pass "systemd-analyze verify" with no
# complaint.  verify checks that ExecStart= is executable, so each unit is
# checked as a copy whose /usr/sbin/lu-ctl is this tree's build.  A unit
# with a misspelt key is checked too: verify must complain about it, or
# this test could not fail.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
LUCTL=$TOP/tools/lu-ctl/lu-ctl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$TOP/tests/lib/tap.sh"

units=("$TOP"/tools/lu-ctl/systemd/*.service)
for u in "${units[@]}"; do
	name=$(basename "$u")
	sed "s|/usr/sbin/lu-ctl|$LUCTL|g" "$u" > "$tmp/$name"
	out=$(systemd-analyze verify --man=no "$tmp/$name" 2>&1)
	rc=$?
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	ok $((rc != 0 || ${#out} != 0)) "$name: systemd-analyze verify is clean"
done
sed "s|/usr/sbin/lu-ctl|$LUCTL|g; s|^After=|Afterr=|" "${units[0]}" > "$tmp/broken.service"
out=$(systemd-analyze verify --man=no "$tmp/broken.service" 2>&1)
ok $((${#out} == 0)) "a unit with a misspelt key is not clean ($(echo "$out" | head -1))"

# The finish unit against the Xen packaging of this Debian: its init
# scripts (systemd's SysV generator makes NAME.service of each) are the
# toolstack ("xen") to start after and "xendomains" to start before.
finish_unit=$TOP/tools/lu-ctl/systemd/lu-ctl-finish.service
values() { sed -n "s/^$1=//p" "$finish_unit" | tr ' ' '\n'; }
scripts=$(dpkg -L xen-utils-common 2>/dev/null | sed -n 's|^/etc/init.d/||p' | tr '\n' ' ')
echo "# xen-utils-common's init scripts: $scripts"
toolstack=$(tr ' ' '\n' <<< "$scripts" | grep -vx -e xendomains -e '')
rc=0
[ -n "$toolstack" ] || rc=1
for s in $toolstack; do values After | grep -qx "$s.service" || rc=1; done
values After | grep -qx xenstored.service || rc=1
ok $rc "lu-ctl-finish.service starts after the toolstack ($toolstack; xenstored.service)"
rc=0
grep -qw xendomains <<< "$scripts" && values Before | grep -qx xendomains.service || rc=1
ok $rc "lu-ctl-finish.service starts before xendomains.service"
grep -q '^ExecStart=/usr/sbin/lu-ctl finish --save-dir /var/lib/xen-liveupdate/save$' "$finish_unit" &&
	grep -q '^ConditionPathExists=/var/lib/xen-liveupdate/save/journal$' "$finish_unit"
ok $? "lu-ctl-finish.service restores (lu-ctl finish) when a save-restore journal is there"
finish
