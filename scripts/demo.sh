#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo (make demo): build everything, boot Xen 4.17 with the Debian
# kernel as PV dom0 under QEMU, and in that dom0 start the toolstack,
# modprobe xen_liveupdate and ask lu-ctl status, as an operator would.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$TOP/build}
"$TOP/scripts/install-deps.sh"
eval "$("$TOP/scripts/kernel-env.sh")"
export KDIR KVER HOST_BUILD=$BUILD/xen-host

echo "demo: building the module, lu-ctl and the dom0 image (kernel $KVER)"
make -s -C "$TOP" module XEN_LU_SIMULATOR=y simulator tools selftests > "$BUILD/demo-build.log" 2>&1 ||
	{ cat "$BUILD/demo-build.log"; exit 1; }
"$TOP/tests/xen-host/build-initrd.sh"

echo "demo: booting Xen 4.17 + PV dom0 under QEMU (TCG); about 30 seconds"
echo "demo: full console in $HOST_BUILD/out/demo/serial.log"
SHOW=1 "$TOP/tests/xen-host/boot.sh" demo |
	sed -u -n '/@@DEMO-BEGIN/,/@@DEMO-END/{/@@DEMO-/d;p}'
