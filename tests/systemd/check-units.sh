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
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

units=("$TOP"/tools/lu-ctl/systemd/*.service)
echo "1..$((${#units[@]} + 1))"
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
[ "$failed" -eq 0 ]
