#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the package part of the test host, once per set of inputs:
#   $HOST_BUILD/xen             Xen 4.17 as an ELF (QEMU cannot boot xen.gz)
#   $HOST_BUILD/base-root/      dom0 root: bash, coreutils, the Xen toolstack,
#                               kexec-tools, kernel modules, from the
#                               installed Debian packages
#   $HOST_BUILD/base.cpio       that root as an uncompressed newc archive
#   $HOST_BUILD/domu-initrd.gz  the guests' busybox initramfs (+ xs-flood,
#                               pause-watch)
#
# The project's own files go in a second archive appended to base.cpio
# (build-initrd.sh), so this slow step reruns only when its inputs change.
#
# make check-debug boots its own dom0 kernel: DOM0_KERNEL=bzImage with its
# modules_install root in DOM0_MODROOT and KVER its release; the guest
# keeps the Debian kernel GUEST_KVER (default KVER).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
: "${KVER:?KVER (Debian kernel release) must be set}"
: "${HOST_BUILD:?HOST_BUILD must be set}"
GUEST_KVER=${GUEST_KVER:-$KVER}
DOM0_KERNEL=${DOM0_KERNEL:-/boot/vmlinuz-$KVER}
DOM0_MODROOT=${DOM0_MODROOT:-/}

R=$HOST_BUILD/base-root
U=$HOST_BUILD/domu-root
STAMP=$HOST_BUILD/base.stamp

PKGS=(bash coreutils grep sed mawk iproute2 kmod procps util-linux mount
      e2fsprogs xen-utils-4.17 xen-utils-common xenstore-utils kexec-tools
      libxenmisc4.17 libxenstore4 libxencall1 libxendevicemodel1
      libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1
      libxentoolcore1 libxentoollog1 libkmod2 libjson-c5 libssl3 time
      man-db groff-base bsdextrautils)
DOM0_MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs
	      xen-blkback xen-netback bridge loop 9p 9pnet_virtio virtio_pci
	      ata_piix sd_mod ext4)

# Rebuild when a package version, the kernel or this script changes.
want=$( { dpkg-query -W "${PKGS[@]}" linux-image-"$GUEST_KVER" \
		xen-hypervisor-4.17-amd64 busybox-static;
	  sha256sum "$0" "$HERE/domu/init" "$HERE/domu/xs-flood.c" \
		"$HERE/domu/pause-watch.c" "$DOM0_KERNEL";
	  echo "$KVER $DOM0_MODROOT"; } | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] &&
   [ -f "$HOST_BUILD/base.cpio" ]; then
	exit 0
fi

rm -rf "$R" "$U" "$STAMP"
mkdir -p "$HOST_BUILD" "$R" "$U"

zcat /boot/xen-4.17-amd64.gz > "$HOST_BUILD/xen"

# copy_path PATH: copy a file or symlink (and its target) to the same place
# under $R, with /bin, /sbin and /lib resolved to /usr (merged /usr).
copy_path() {
	local src=$1 dst
	[ -e "$src" ] || [ -L "$src" ] || return 0
	dst=$R$src
	[ -e "$dst" ] || [ -L "$dst" ] && return 0
	mkdir -p "$(dirname "$dst")"
	if [ -L "$src" ]; then
		cp -a "$src" "$dst"
		copy_path "$(readlink -f "$src")"
	elif [ -d "$src" ]; then
		mkdir -p "$dst"
	else
		cp -a "$src" "$dst"
	fi
}

copy_package() {
	local f
	dpkg -L "$1" | while read -r f; do
		case $f in
		*/share/doc/*|*/share/man/*|*/share/locale/*|*/share/info/*|\
		*/share/lintian/*|*/share/bash-completion/*|*/share/zsh/*)
			continue ;;
		esac
		[ -f "$f" ] || [ -L "$f" ] || continue
		copy_path "$(readlink -f "$(dirname "$f")")/$(basename "$f")"
	done
}

copy_shared_libs() {
	local pass lib
	for pass in 1 2; do
		find "$R" -type f \( -perm -u+x -o -name '*.so*' \) -print0 |
		xargs -0 file -N | awk -F: '/ELF.*dynamic/ {print $1}' |
		xargs -r ldd 2>/dev/null |
		awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | sort -u |
		while read -r lib; do
			copy_path "$lib"
		done
	done
}

mkdir -p "$R"/usr/{bin,sbin,lib,lib64}
ln -s usr/bin "$R/bin"
ln -s usr/sbin "$R/sbin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
mkdir -p "$R"/{dev,proc,sys,run,tmp,root,etc,boot,out,guest} \
	 "$R"/var/{lib,log,tmp} "$R/usr/local/bin"
ln -s ../run "$R/var/run"
ln -s ../run/lock "$R/var/lock"
chmod 1777 "$R/tmp"

for p in "${PKGS[@]}"; do
	copy_package "$p"
done
copy_path /usr/lib64/ld-linux-x86-64.so.2
copy_path /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
copy_shared_libs
# glibc dlopen()s libgcc_s for pthread_cancel; ldd does not list it.
copy_path /usr/lib/x86_64-linux-gnu/libgcc_s.so.1

# busybox for every command no package above provides
cp /bin/busybox "$R/usr/bin/busybox"
for a in $(/bin/busybox --list-full); do
	p=$R/usr/${a#usr/}
	[ -e "$p" ] || [ -L "$p" ] && continue
	mkdir -p "$(dirname "$p")"
	ln -s /usr/bin/busybox "$p"
done
ln -sf busybox "$R/usr/bin/sh"

# The toolstack straight from its directory, past Debian's version wrapper.
for t in xl xenstored xenconsoled xen-init-dom0 xenstore-control lsevtchn; do
	ln -sf "/usr/lib/xen-4.17/bin/$t" "$R/usr/local/bin/$t"
done

cp -a /etc/xen "$R/etc/"
echo 'root:x:0:0:root:/root:/bin/bash' > "$R/etc/passwd"
echo 'root:x:0:' > "$R/etc/group"
echo dom0 > "$R/etc/hostname"
: > "$R/etc/fstab"
echo '127.0.0.1 localhost' > "$R/etc/hosts"
mkdir -p "$R/etc/modprobe.d"

for m in "${DOM0_MODULES[@]}"; do
	modprobe -d "$DOM0_MODROOT" -S "$KVER" --show-depends "$m" |
		awk '/^insmod/ {print $2}'
done | sort -u | while read -r ko; do
	ko=${ko#"${DOM0_MODROOT%/}"}
	mkdir -p "$(dirname "$R/usr$ko")"
	cp "$DOM0_MODROOT/$ko" "$R/usr$ko"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	cp "$DOM0_MODROOT/lib/modules/$KVER/$f" "$R/usr/lib/modules/$KVER/"
done
depmod -b "$R" "$KVER"

# What a second Xen boot needs: the hypervisor and the dom0 kernel.
cp "$HOST_BUILD/xen" "$R/boot/xen"
cp /boot/xen-4.17-amd64.gz "$R/boot/xen.gz"
cp "$DOM0_KERNEL" "$R/boot/vmlinuz"

# The guest: the same kernel and a busybox initramfs with blkfront/netfront.
mkdir -p "$U"/{bin,dev,proc,sys,tmp,mods}
cp /bin/busybox "$U/bin/busybox"
for a in sh ls cat echo mount sleep ip insmod cut dd sync mkdir grep sed; do
	ln -s busybox "$U/bin/$a"
done
for ko in drivers/block/xen-blkfront.ko drivers/net/xen-netfront.ko; do
	cp "/lib/modules/$GUEST_KVER/kernel/$ko" "$U/mods/"
done
install -m 755 "$HERE/domu/init" "$U/init"
# The hostile guest's xenstore writer (domu/init, lurole=hostile).
cc -static -O2 -Wall -o "$U/bin/xs-flood" "$HERE/domu/xs-flood.c"
cc -static -O2 -Wall -o "$U/bin/pause-watch" "$HERE/domu/pause-watch.c"
(cd "$U" && find . | cpio -o -H newc --quiet | gzip -9) > "$HOST_BUILD/domu-initrd.gz"
cp "/boot/vmlinuz-$GUEST_KVER" "$R/guest/vmlinuz"
cp "$HOST_BUILD/domu-initrd.gz" "$R/guest/domu-initrd.gz"

(cd "$R" && find . | cpio -o -H newc --quiet) > "$HOST_BUILD/base.cpio"
echo "$want" > "$STAMP"
