#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the few files the project takes from Debian's linux-source-6.1
# (the kernel's own kselftest harness and checkpatch.pl) into
# $BUILD/linux-source, once.  Prints that directory.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
DEST=$BUILD/linux-source
TARBALL=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)
FILES=(
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
)

if [ -f "$DEST/.complete" ]; then
	echo "$DEST"
	exit 0
fi
if [ -z "$TARBALL" ]; then
	echo "kernel-source: /usr/src/linux-source-6.1.tar.* missing: run make deps" >&2
	exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST"
tar -xf "$TARBALL" -C "$DEST" --strip-components=1 \
	"${FILES[@]/#/linux-source-6.1/}"
touch "$DEST/.complete"
echo "$DEST"
