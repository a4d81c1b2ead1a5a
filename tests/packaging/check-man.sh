#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lu-ctl(8), built from the admin guide, against lu-ctl's option tables,
# which are first checked against what lu-ctl --help prints (TAP).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! python3 "$HERE/option-tables.py" "$TOP/tools/lu-ctl" \
	--check "$TOP/tools/lu-ctl/lu-ctl" 2> "$tmp/err"; then
	sed 's/^/# /' "$tmp/err"
	echo "not ok 1 - option-tables.py reads the tables lu-ctl --help prints"
	echo "1..1"
	exit 1
fi
python3 "$HERE/option-tables.py" "$TOP/tools/lu-ctl" > "$tmp/tables.json" &&
python3 "$HERE/check-man.py" "$tmp/tables.json" \
	"$TOP/Documentation/admin-guide/xen-liveupdate.rst" \
	"$BUILD/man/lu-ctl.8" "$TOP/tools/lu-ctl/exit-codes.h"
