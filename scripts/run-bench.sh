#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmarks (make bench): every bench/<name>/Makefile's "bench"
# target, in one run, each printing its figures and its ratio against the
# peer named in its issue.  Benchmarks print; they do not pass or fail.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$TOP/build}
"$TOP/scripts/install-deps.sh" || exit 1
eval "$("$TOP/scripts/kernel-env.sh")" || exit 1
export KDIR KVER HOST_BUILD=$BUILD/xen-host
# Benchmarks that need a real xl save stream take the test host's.
export XEN_SAVE_DIR=${XEN_SAVE_DIR:-$HOST_BUILD/out/test/share}

make -s -C "$TOP" tools > /dev/null || exit 1
rc=0
for mk in "$TOP"/bench/*/Makefile; do
	[ -f "$mk" ] || continue
	echo "== bench/$(basename "$(dirname "$mk")")"
	make -s -C "$(dirname "$mk")" bench || rc=1
	echo
done
exit $rc
