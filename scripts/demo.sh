#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo (make demo): build everything, boot Xen 4.17 with the Debian
# kernel as PV dom0 under QEMU with a PV guest, and replace the hypervisor
# with lu-ctl as an operator would while the guest keeps running
# (tests/xen-host/dom0/demo.sh): real Xen, real guest, no simulator.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$TOP/build}
mkdir -p "$BUILD"
"$TOP/scripts/install-deps.sh"
eval "$("$TOP/scripts/kernel-env.sh")"
export KDIR KVER HOST_BUILD=$BUILD/xen-host

echo "demo: building the module, lu-ctl and the dom0 image (kernel $KVER)"
make -s -C "$TOP" module tools > "$BUILD/demo-build.log" 2>&1 ||
	{ cat "$BUILD/demo-build.log"; exit 1; }
"$TOP/tests/xen-host/build-initrd.sh"

echo "demo: booting Xen 4.17 + PV dom0 + a PV guest under QEMU (TCG); a few minutes"
echo "demo: full console in $HOST_BUILD/out/demo/serial.log"
DOM0_DISK=2G SHARE_INITRD=1 SHOW=1 TIMEOUT=1200 "$TOP/tests/xen-host/boot.sh" demo |
	sed -u -n -e '/@@DEMO-BEGIN/,/executing the staged cold image/{/executing the staged cold image/{s/.*/... xen#2 boots cold, dom0 comes back up .../p;d};/@@DEMO-/d;p}' \
		  -e '/@@DEMO-RESUME/,/@@DEMO-END/{/@@DEMO-/d;p}'
