#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One run of each stream benchmark; prints figures and ratios.  Not a test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
luctl="$top/tools/lu-ctl/lu-ctl"
pydir=/usr/lib/xen-4.17/lib/python
vs2=/usr/lib/xen-4.17/bin/verify-stream-v2

"$here/bench-lu" 256

f=""
if [ -n "${XEN_SAVE_DIR:-}" ]; then
	# the largest real save (the 256 MiB guest)
	f=$(ls -S "$XEN_SAVE_DIR"/*.save 2>/dev/null | head -n 1)
fi
if [ -z "$f" ]; then
	echo "real xl save: ABSENT (set XEN_SAVE_DIR to a directory of xl save files); verify ratio and RSS not measured"
	exit 0
fi
size=$(stat -c %s "$f")
cat "$f" > /dev/null	# both runs start from a warm page cache
# wall time in ns from date (time(1) rounds to 10 ms), RSS from time(1)
t() {
	s0=$(date +%s%N)
	rss=$(/usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1)
	s1=$(date +%s%N)
	echo "$(awk -v d=$((s1 - s0)) 'BEGIN { printf "%.4f", d / 1e9 }') $rss"
}
c=$(t "$luctl" verify -q "$f")
p=$(t env PYTHONPATH=$pydir /usr/bin/python3 "$vs2" -q -f xl -i "$f")
cs=${c% *}; crss=${c#* }; ps=${p% *}; prss=${p#* }
echo "real xl save: $f ($size bytes)"
echo "lu-ctl verify:         ${cs} s wall, peak RSS ${crss} KiB (target < 16384)"
echo "verify-stream-v2 -f xl: ${ps} s wall, peak RSS ${prss} KiB"
awk -v a="$cs" -v b="$ps" 'BEGIN { if (b > 0) printf "wall-time ratio lu-ctl/python: %.3f (target <= 1.0)\n", a / b; else print "wall-time ratio: python time below timer resolution" }'
