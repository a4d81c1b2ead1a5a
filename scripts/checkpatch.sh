#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch.pl --strict over every kernel source file (the module and the
# test-only simulator modules) and the UAPI header.
# Exit status is non-zero on any error, warning or check.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KSRC=$("$TOP/scripts/kernel-source.sh")

cd "$TOP"
files=$(git ls-files --cached --others --exclude-standard 'drivers/*.c' 'drivers/*.h' 'include/uapi/*.h' 'include/xen/*.h' 'tests/simulator/*.c' 'tests/simulator/*.h' 2>/dev/null ||
	find drivers include tests/simulator -name '*.[ch]' ! -name '*.mod.c')
# shellcheck disable=SC2086
perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES \
	-f $files
