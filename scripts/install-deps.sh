#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian 12 package the build, the test suite and the demo
# need, by package name.  Idempotent: packages already present are not
# touched and apt is not consulted at all when nothing is missing.
set -euo pipefail

PKGS=(
	# build: module, tool, selftests
	build-essential make gcc pkg-config bc flex bison kmod file
	libelf-dev libssl-dev zlib1g-dev libkmod-dev libjson-c-dev
	linux-headers-amd64 linux-source-6.1
	# stream tools: fuzzing and Xen's reference Python tools
	clang libclang-rt-14-dev python3 xen-utils-4.17
	# the QEMU Xen test host
	qemu-system-x86 linux-image-amd64 xen-hypervisor-4.17-amd64
	xenstore-utils busybox-static cpio kexec-tools e2fsprogs iproute2
	util-linux mount procps coreutils bash grep sed mawk libxen-dev
	xz-utils time man-db groff-base bsdextrautils
	# the save-restore method: Xen's C save/restore (libxen-dev above),
	# SHA-256 (libssl-dev above), and its systemd unit's check
	systemd
	# lu-ctl's --json output checked against its JSON schemas
	python3-jsonschema
	# the fleet playbook (contrib/ansible): its checks (ansible-core and
	# ansible-lint, about 30 MB with their Python dependencies), and the
	# ssh server of make check-fleet's dom0
	ansible-core ansible-lint dropbear-bin
	# packaging (make install, debian/, lintian) and the man page
	debhelper dh-dkms dkms dpkg-dev fakeroot lintian python3-docutils
	bash-completion
)

missing=()
for p in "${PKGS[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "install-deps: installing: ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
