#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the test host once in bench-stage mode and print, per tool, the
# median wall time and peak RSS of staging the same xen, dom0 kernel and
# initrd, and lu-ctl's ratios against kexec-tools (lu-ctl-build is
# lu-ctl stage --dry-run: building the image without the ioctl).  Needs KVER and
# HOST_BUILD (scripts/run-bench.sh sets them).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${KVER:?}" "${HOST_BUILD:?}"
make -s -C "$TOP" module tools > /dev/null || exit 1
"$TOP/tests/xen-host/build-initrd.sh" || exit 1
SHARE_INITRD=1 TIMEOUT=${TIMEOUT:-900} \
	"$TOP/tests/xen-host/boot.sh" bench-stage > /dev/null || exit 1
log=$HOST_BUILD/out/bench-stage/serial.log

grep -o '@@BENCH-INPUT.*' "$log" | sed 's/@@BENCH-INPUT/inputs (bytes):/'
if grep -q '@@BENCH-FAILED' "$log"; then
	grep -A5 '@@BENCH-FAILED' "$log"
	exit 1
fi
grep -o '@@BENCH [^ ]* .*' "$log" | awk '
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ n[$2]++; wall[$2, n[$2]] = $4; rss[$2, n[$2]] = $5 }
	END {
		split("lu-ctl-gz lu-ctl-elf lu-ctl-build kexec", tools, " ")
		for (k = 1; k <= 4; k++) {
			t = tools[k]
			for (i = 1; i <= n[t]; i++) { w[i] = wall[t, i]; r[i] = rss[t, i] }
			mw[t] = median(w, n[t]); mr[t] = median(r, n[t])
			runs = ""
			for (i = 1; i <= n[t]; i++) runs = runs " " wall[t, i]
			printf "%-11s median %.2f s, peak RSS %d KiB (runs:%s)\n", t, mw[t], mr[t], runs
		}
		printf "ratio lu-ctl stage --cold xen.gz / kexec -l: wall %.2f, RSS %.2f\n", mw["lu-ctl-gz"] / mw["kexec"], mr["lu-ctl-gz"] / mr["kexec"]
		printf "ratio lu-ctl stage --cold xen (ELF) / kexec -l: wall %.2f, RSS %.2f\n", mw["lu-ctl-elf"] / mw["kexec"], mr["lu-ctl-elf"] / mr["kexec"]
		printf "of which building the image in lu-ctl (--dry-run): %.2f s; STAGE ioctl (copy, checks, SHA-256, hypercall): %.2f s\n", mw["lu-ctl-build"], mw["lu-ctl-gz"] - mw["lu-ctl-build"]
	}'
