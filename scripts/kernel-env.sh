#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Which Debian kernel the project builds for and boots: the newest
# installed linux-headers-*-amd64 (KDIR= and KVER= in the environment
# override).  Prints shell assignments: eval "$(scripts/kernel-env.sh)".
set -euo pipefail

if [ -z "${KDIR:-}" ]; then
	KDIR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "${KDIR:-}" ]; then
	echo "kernel-env: no /usr/src/linux-headers-*-amd64: run make deps" >&2
	exit 1
fi
KVER=${KVER:-${KDIR##*/linux-headers-}}
if [ ! -f "/boot/vmlinuz-$KVER" ]; then
	echo "kernel-env: /boot/vmlinuz-$KVER missing: install linux-image-$KVER" >&2
	exit 1
fi
printf 'KDIR=%q\nKVER=%q\n' "$KDIR" "$KVER"
