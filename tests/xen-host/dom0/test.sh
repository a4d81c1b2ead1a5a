#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test run in a real PV dom0 on real Xen: toolstack, a PV guest with
# real blkback and netback devices, the module, lu-ctl and the kselftests.
# Results: /out/dom0.tap, /out/kselftest-*.tap, /out/status.json,
# /out/guest1.save (a real xl save stream for the stream tools' tests).
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
SELFTESTS=/usr/lib/xen-liveupdate/selftests
GUEST=guest1

tap_begin

stage toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
xl info > /out/xl-info.txt 2>&1

stage guest
start_test_guest
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd" = "4 4" ]; echo $?)" "vbd $DOMID/51712 backend and frontend Connected (state: $vbd)"
tap "$([ "$vif" = "4 4" ]; echo $?)" "vif $DOMID/0 backend and frontend Connected (state: $vif)"
xenstore-ls -f /local/domain/0/backend > /out/xenstore-backend.txt 2>&1
echo "@@BACKENDS vbd=$vbd vif=$vif"

stage packages
# What the lu-ctl and xen-liveupdate-dkms packages installed
# (build-initrd.sh: dpkg --unpack, and DKMS for the module).
installed() { sed -n "/^Package: $1\$/,/^\$/s/^Status: //p" /var/lib/dpkg/status; }
unpacked() {
	[ "$(installed lu-ctl)" = "install ok unpacked" ] &&
	[ "$(installed xen-liveupdate-dkms)" = "install ok unpacked" ]
}
check "dpkg: lu-ctl and xen-liveupdate-dkms are unpacked" unpacked
check "lu-ctl is the package's /usr/sbin/lu-ctl" \
	bash -c '[ "$(command -v lu-ctl)" = /usr/sbin/lu-ctl ] &&
		 grep -qx /usr/sbin/lu-ctl /var/lib/dpkg/info/lu-ctl.list'
check "modprobe finds the DKMS-built module (updates/dkms/)" \
	bash -c 'modinfo -n xen_liveupdate | grep -q "/updates/dkms/xen_liveupdate.ko$"'
check "the module's version is lu-ctl's" \
	bash -c '[ "lu-ctl $(modinfo -F version xen_liveupdate)" = "$(lu-ctl --version)" ]'
check "man lu-ctl shows lu-ctl(8)" \
	bash -c 'man -P cat lu-ctl 2>&1 | grep -q "lu-ctl stage XEN"'
check "bash completes lu-ctl st<TAB> to stage, status" \
	bash -c '. /usr/share/bash-completion/completions/lu-ctl &&
		 COMP_WORDS=(lu-ctl st); COMP_CWORD=1; _lu_ctl &&
		 [ "${COMPREPLY[*]}" = "status stage" ]'

stage module
check "modprobe xen_liveupdate" modprobe xen_liveupdate
mode=$(stat -c '%F %a' /dev/xen/liveupdate 2>&1)
tap "$([ "$mode" = "character special file 600" ]; echo $?)" \
	"/dev/xen/liveupdate is a char device, mode 0600 ($mode)"
check "kernel log: device ready" \
	grep -q 'xen:xen_liveupdate: /dev/xen/liveupdate ready' <(dmesg)

stage lu-ctl
# Exit 3: no live update, and no save directory that survives the exec
# (this dom0's /var is in memory): no update method.
expect_rc 3 "lu-ctl status on stock Xen: no update method (no live update, save dir in memory)" lu-ctl status
cp /tmp/out.txt /out/status.txt
cat /tmp/out.txt
check "lu-ctl status says why: no KEXEC_RANGE_MA_LIVEUPDATE, EINVAL" \
	grep -q 'live update: *no: this hypervisor does not support live update.*EINVAL' /tmp/out.txt
want="Xen $(xl info | sed -n 's/^xen_major *: //p').$(xl info | sed -n 's/^xen_minor *: //p')$(xl info | sed -n 's/^xen_extra *: //p')"
check "lu-ctl status names the hypervisor as xl info does ($want)" \
	grep -qx "hypervisor:    $want" /tmp/out.txt
expect_rc 3 "lu-ctl status --json" lu-ctl status --json
cp /tmp/out.txt /out/status.json
cp /out/status.txt /tmp/status-before.txt
lu-ctl status > /tmp/status-again.txt 2>&1
check "lu-ctl status changes nothing (same answer twice)" \
	cmp /tmp/status-before.txt /tmp/status-again.txt
expect_rc 2 "lu-ctl with an unknown command" lu-ctl frobnicate
expect_rc 2 "lu-ctl status with a stray argument" lu-ctl status extra
expect_rc 2 "lu-ctl stage without an image" lu-ctl stage
expect_rc 2 "lu-ctl stage with two images" lu-ctl stage /boot/xen.gz /boot/xen
expect_rc 2 "lu-ctl stage --module with no file" lu-ctl stage /boot/xen.gz --module ""
expect_rc 2 "lu-ctl stage with an unknown option" lu-ctl stage --frob /boot/xen.gz
expect_rc 2 "lu-ctl unstage with a stray argument" lu-ctl unstage extra
expect_rc 2 "lu-ctl records with a stray argument" lu-ctl records extra
expect_rc 6 "lu-ctl records -o into a missing directory" \
	lu-ctl records -o /nonexistent/records.bin

stage kselftest
for t in "$SELFTESTS"/*; do
	name=${t##*/}
	# Minutes under TCG: run once, by sequence.sh, under the simulator.
	[ "$name" = liveupdate_guard ] && continue
	"$t" > "/out/kselftest-$name.tap" 2>&1
	tap $? "kselftest $name (TAP in kselftest-$name.tap)"
	tail -3 "/out/kselftest-$name.tap"
done

stage records
# dom0's records against xenstore and lsevtchn, read back to back; the
# host compares them (tests/xen-host/check-records.py).
lsevtchn > /out/lsevtchn-before.txt 2>&1
expect_rc 0 "lu-ctl records --json" lu-ctl records --json
cp /tmp/out.txt /out/records.json
lsevtchn > /out/lsevtchn.txt 2>&1
xenstore-ls -f /local/domain > /out/xenstore-domains.txt 2>&1
check "event channels did not change while collecting" \
	cmp /out/lsevtchn-before.txt /out/lsevtchn.txt
expect_rc 0 "lu-ctl records -o FILE writes the raw records dump" \
	lu-ctl records -o /out/records.bin
expect_rc 0 "lu-ctl verify accepts the records dump" lu-ctl verify /out/records.bin
expect_rc 0 "lu-ctl records (table)" lu-ctl records
cp /tmp/out.txt /out/records.txt
cat /tmp/out.txt
check "records: vbd $DOMID/51712 and vif $DOMID/0, both ends Connected" \
	bash -c "grep -Eq '^backend vbd +$DOMID/51712 +state 4/4 ' /out/records.txt &&
		 grep -Eq '^backend vif +$DOMID/0 +state 4/4 ' /out/records.txt"
check "records: the guest's domain record carries its name" \
	grep -Eq "^domain +$DOMID +$GUEST " /out/records.txt

stage staging
# Live update on stock Xen: refused before anything is built or loaded.
expect_rc 3 "lu-ctl stage --method live-update on stock Xen is refused" \
	lu-ctl stage /boot/xen.gz --method live-update --append "console=com1"
check "... saying the hypervisor has no live update" \
	grep -q 'does not support live update.*EINVAL.*nothing staged' /tmp/err.txt
check "... and nothing is staged" \
	bash -c 'lu-ctl status | grep -q "^staged: *nothing"'
expect_rc 5 "lu-ctl stage of a non-multiboot2 image (the dom0 kernel)" \
	lu-ctl stage --cold /boot/vmlinuz
expect_rc 5 "lu-ctl stage --cold with liveupdate= in --append" \
	lu-ctl stage --cold /boot/xen.gz --append "liveupdate=4M@0x1000000" --module /boot/vmlinuz
# Without --module a cold xen#2 gets this dom0's kernel and initramfs, as
# Debian installs them: /boot/vmlinuz-RELEASE, /boot/initrd.img-RELEASE.
REL=$(uname -r)
expect_rc 6 "lu-ctl stage --cold without --module, no /boot/vmlinuz-$REL" \
	lu-ctl stage --cold --dry-run /boot/xen.gz
check "... names the kernel it looked for and says to give --module" \
	grep -q "/boot/vmlinuz-$REL: stage failed: a cold xen#2 boots a new dom0.*give --module" /tmp/err.txt
ln -s vmlinuz "/boot/vmlinuz-$REL"
ln -s /guest/domu-initrd.gz "/boot/initrd.img-$REL"
expect_rc 0 "lu-ctl stage --cold --dry-run without --module: this dom0's kernel and initramfs" \
	lu-ctl stage --cold --dry-run /boot/xen.gz
CMDLINE=$(tr -s ' \n' '  ' < /proc/cmdline | sed 's/ *$//')
check "... says which" \
	grep -q "no --module: staging this dom0's kernel /boot/vmlinuz-$REL (with its command line) and initramfs /boot/initrd.img-$REL" /tmp/err.txt
check "... the kernel with this dom0's command line, then the initramfs" \
	bash -c "grep -qxF 'modules:       /boot/vmlinuz-$REL $CMDLINE' /tmp/out.txt &&
		 grep -qx ' *\\/boot/initrd.img-$REL' /tmp/out.txt"
check "... two module segments planned" test "$(grep -c 'segment.* module ' /tmp/out.txt)" = 2
rm -f "/boot/vmlinuz-$REL" "/boot/initrd.img-$REL"
head -c 100000 /boot/xen.gz > /tmp/xen-truncated.gz
expect_rc 5 "lu-ctl stage of a truncated xen.gz" \
	lu-ctl stage --cold /tmp/xen-truncated.gz
check "nothing staged after the refusals" \
	bash -c 'lu-ctl status | grep -q "^staged: *nothing"'

# A cold image (KEXEC_TYPE_DEFAULT) goes through the same builder and
# ioctl: the real hypervisor validates every segment.
export XEN2_APPEND="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G loglvl=all"
COLD=(lu-ctl stage --cold /boot/xen.gz --append "$XEN2_APPEND"
      --module "/boot/vmlinuz console=hvc0 lutest=none"
      --module "/guest/domu-initrd.gz")
expect_rc 0 "lu-ctl stage --cold xen.gz + dom0 kernel + initrd on real Xen" \
	"${COLD[@]}"
cp /tmp/out.txt /out/stage-cold.txt
cat /tmp/out.txt
check "... warns loudly that domains are lost" \
	grep -q 'COLD image: executing it reboots the hypervisor and every domain is lost' /tmp/err.txt
# Xen's kexec_status toggles a position bit on every load and unload, so
# it is right only after the first load from empty: checked once, here.
check "kexec-tools agrees an image is loaded (kexec -S, via libxenctrl)" kexec -S
check "status: staged cold image, its command line, sha256 and segments" \
	bash -c 'lu-ctl status > /tmp/st.txt; grep -q "^staged: *cold image (COLD" /tmp/st.txt &&
		 grep -qx "cmdline: *\/boot\/xen.gz $XEN2_APPEND" /tmp/st.txt &&
		 grep -Eq "^sha256: *[0-9a-f]{64}$" /tmp/st.txt &&
		 grep -Eq "segment +[0-9]+ +xen " /tmp/st.txt &&
		 grep -Eq "segment +[0-9]+ +purgatory " /tmp/st.txt &&
		 [ $(grep -c "segment .* module " /tmp/st.txt) -eq 2 ]'
cp /tmp/st.txt /out/status-staged.txt
check "kernel log: staged cold image and the COLD warning" \
	bash -c 'dmesg | grep -q "xen_liveupdate: staged cold image" &&
		 dmesg | grep -q "COLD image staged"'
expect_rc 1 "a second stage without --replace is refused" "${COLD[@]}"
check "... with EEXIST and a hint" grep -q 'already staged (EEXIST).*--replace' /tmp/err.txt
sha1=$(sed -n 's/^sha256: *//p' /tmp/st.txt)
expect_rc 0 "stage --replace with another command line" \
	"${COLD[@]/lutest=none/lutest=other}" --replace
sha2=$(lu-ctl status | sed -n 's/^sha256: *//p')
tap "$([ -n "$sha2" ] && [ "$sha1" != "$sha2" ]; echo $?)" \
	"the replaced image has another sha256 ($sha1 -> $sha2)"
expect_rc 3 "lu-ctl status --json with an image staged" lu-ctl status --json
check "... JSON names the staged image" \
	grep -q '"type":"cold"' /tmp/out.txt
expect_rc 0 "lu-ctl unstage" lu-ctl unstage
check "... the hypervisor unloaded it (kernel log), status says nothing staged" \
	bash -c 'dmesg | tail -3 | grep -q "unstaged the cold image" &&
		 lu-ctl status | grep -q "^staged: *nothing"'
expect_rc 9 "lu-ctl unstage with nothing staged" lu-ctl unstage
check "... says nothing is staged" grep -q 'nothing is staged (device is IDLE)' /tmp/err.txt
expect_rc 0 "stage again, then remove the module with the image staged" \
	"${COLD[@]}"
check "rmmod xen_liveupdate with an image staged" rmmod xen_liveupdate
check "module unload unloaded the image first (kernel log)" \
	bash -c 'dmesg | tail -5 | grep -q "unstaged the cold image"'
check "modprobe xen_liveupdate" modprobe xen_liveupdate

stage module-lifecycle
check "rmmod xen_liveupdate" rmmod xen_liveupdate
expect_rc 3 "lu-ctl status loads the module itself when absent" lu-ctl status
check "... and unloads it again: nothing left changed" \
	bash -c '! grep -q "^xen_liveupdate " /proc/modules'
echo "blacklist xen_liveupdate" > /etc/modprobe.d/lu-test.conf
expect_rc 4 "lu-ctl status honours a modprobe.d blacklist" lu-ctl status
check "... saying so" grep -q 'blacklisted' /tmp/err.txt
rm -f /etc/modprobe.d/lu-test.conf
check "modprobe xen_liveupdate again" modprobe xen_liveupdate

. /usr/lib/xen-liveupdate/host/sequence.sh

stage guest-alive
check "$GUEST still alive after the module tests" guest_alive $GUEST
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd $vif" = "4 4 4 4" ]; echo $?)" "backends still Connected (vbd: $vbd, vif: $vif)"

stage xl-save
check "xl save $GUEST (a real stream for the stream tools)" \
	xl save $GUEST /var/lib/xen/save/$GUEST.save
cp /var/lib/xen/save/$GUEST.save /out/$GUEST.save 2>/dev/null
rm -f /var/lib/xen/save/$GUEST.save

stage lockdown
# Last: lockdown cannot be lifted, and no unsigned module loads after it.
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
check "raise kernel lockdown to integrity" \
	bash -c 'echo integrity > /sys/kernel/security/lockdown &&
		 grep -q "\[integrity\]" /sys/kernel/security/lockdown'
check "lu-ctl status reports the lockdown" \
	bash -c 'lu-ctl status | grep -q "^lockdown: *kexec locked down"'
expect_rc 1 "lu-ctl stage --cold under lockdown is refused" "${COLD[@]}"
check "... naming the lockdown rule (EPERM)" \
	grep -q 'EPERM: the kernel is locked down' /tmp/err.txt
head -c 512 /dev/urandom > /tmp/garbage.p7s
expect_rc 1 "... also with a signature: a cold image boots an unverified dom0" \
	"${COLD[@]}" --signature /tmp/garbage.p7s
check "nothing staged under lockdown" \
	bash -c 'lu-ctl status | grep -q "^staged: *nothing"'

stage dmesg
dmesg > /out/dom0-dmesg.txt
xl dmesg > /out/xl-dmesg.txt 2>&1
check "no WARNING, BUG or Oops in dom0's kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/dom0-dmesg.txt'

tap_end
stage done
