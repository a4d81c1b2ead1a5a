#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build what make check-fleet adds to the dom0 initramfs, in
# $HOST_BUILD/fleet/root, which build-initrd.sh lays over the rest
# (OVERLAY_EXTRA): an ssh server (dropbear) with root's authorized key
# $HOST_BUILD/fleet/id.pub, Python 3 for Ansible's modules, and the e1000
# driver of QEMU's NIC (boot.sh HOSTFWD).  Files already in the base root
# (build-base.sh) are not copied again; /bin, /sbin and /lib are resolved
# to /usr, as there.
set -euo pipefail

: "${KVER:?KVER must be set}"
: "${HOST_BUILD:?HOST_BUILD must be set}"
F=$HOST_BUILD/fleet
R=$F/root
BASE=$HOST_BUILD/base-root
PY=/usr/bin/python3

rm -rf "$R"
mkdir -p "$R/usr" "$R/root/.ssh" "$R/etc/dropbear"

# put PATH...: copy each file (and a symlink's target) to its /usr path
# under $R, unless the base root has it.
put() {
	local src dst
	for src in "$@"; do
		src=$(readlink -f "$(dirname "$src")")/$(basename "$src")
		dst=/usr${src#/usr}
		[ -e "$BASE$dst" ] || [ -L "$BASE$dst" ] || [ -e "$R$dst" ] &&
			continue
		mkdir -p "$(dirname "$R$dst")"
		cp -a "$src" "$R$dst"
		[ -L "$src" ] && put "$(readlink -f "$src")"
	done
	return 0
}

# libs FILE...: the shared libraries the ELF files among FILE need
libs() {
	file -N "$@" | awk -F: '/ELF.*dynamic/ {print $1}' | xargs -r ldd 2>/dev/null |
		awk '/=> \// {print $3}' | sort -u
}

# dropbear, and the key make check-fleet logs in with
put /usr/sbin/dropbear /usr/bin/dropbearkey
put $(libs /usr/sbin/dropbear /usr/bin/dropbearkey)
install -m 600 "$F/id.pub" "$R/root/.ssh/authorized_keys"
chmod 700 "$R/root" "$R/root/.ssh"
# dropbear lets a user in only with a shell listed here.
printf '/bin/sh\n/bin/bash\n/usr/bin/bash\n' > "$R/etc/shells"

# Python 3: the interpreter and its standard library without its tests,
# its GUI, its own tools and what building against it needs (config-*).
put "$PY"
stdlib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
mkdir -p "$R$stdlib"
(cd "$stdlib" && tar -c --exclude=__pycache__ --exclude=./test \
	--exclude=./idlelib --exclude=./tkinter --exclude=./turtledemo \
	--exclude=./ensurepip --exclude=./lib2to3 --exclude=./pydoc_data \
	--exclude="./config-*" . ) |
	tar -x -C "$R$stdlib"
put $(libs "$(readlink -f "$PY")" "$stdlib"/lib-dynload/*.so)

# QEMU's e1000 NIC; the dom0 script loads it by path.
ko=$(modinfo -k "$KVER" -n e1000)
mkdir -p "$R/usr/lib/modules/$KVER/fleet"
cp "$ko" "$R/usr/lib/modules/$KVER/fleet/"
