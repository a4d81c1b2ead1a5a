#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the Debian packages (xen-liveupdate-dkms, lu-ctl) with
# "dpkg-buildpackage -us -uc -b" from a copy of the tree's tracked and
# new files, so that the build starts clean and leaves the tree alone,
# then run lintian over them.  Results in $BUILD/deb/:
#   *.deb, *.changes, *.buildinfo   dpkg-buildpackage's
#   build.log                       its log
#   lintian.txt                     lintian's tags, one a line
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
OUT=$BUILD/deb
SRC=$OUT/xen-liveupdate

rm -rf "$OUT"
mkdir -p "$SRC"
# Tracked and new files, not those deleted from the work tree.
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		[ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
	done | xargs -0 cp --parents -d -t "$SRC")

start=$SECONDS
if ! (cd "$SRC" && dpkg-buildpackage -us -uc -b -j"${JOBS:-2}") > "$OUT/build.log" 2>&1; then
	tail -n 30 "$OUT/build.log" >&2
	echo "build-debs: dpkg-buildpackage failed (log: $OUT/build.log)" >&2
	exit 1
fi
echo "build-debs: built in $((SECONDS - start)) s:" "$(cd "$OUT" && echo ./*.deb)"
start=$SECONDS
lintian --tag-display-limit 0 "$OUT"/*.changes > "$OUT/lintian.txt" 2>&1 || true
echo "build-debs: lintian in $((SECONDS - start)) s"
