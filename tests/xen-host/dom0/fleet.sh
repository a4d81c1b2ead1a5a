#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-fleet's dom0 (boot.sh HOSTFWD, build-fleet.sh): a real PV
# guest, the SIMULATED live-update hypervisor of the test suite under the
# module (stock Xen has no live update: tests/simulator), the network and
# an ssh server, then "@@FLEET-READY".  The host runs the fleet playbook
# (contrib/ansible) over ssh against this dom0 and, when it is done,
# creates fleet-done on the share; then the guest must still be alive and
# the module idle again.
# Results: /out/fleet.tap.
TAP_FILE=/out/fleet.tap
. /usr/lib/xen-liveupdate/host/lib.sh
GUEST=guest1
WAIT=${FLEET_WAIT:-1500}

tap_begin

stage toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
stage guest
check "$GUEST (PV, blkback disk, netback vif) boots, its devices Connected" \
	start_guest $GUEST /guest/guest.cfg

stage simulator
check "modprobe xen_lu_sim (SIMULATED live-update hypervisor)" modprobe xen_lu_sim
check "modprobe xen_liveupdate attaches to it" modprobe xen_liveupdate
check "lu-ctl status: live update supported (simulated)" lu-ctl status

stage network
start_sshd
echo "@@FLEET-READY"

stage playbook
check "the host said the playbook is done (within ${WAIT}s)" \
	wait_until "$WAIT" test -e /out/fleet-done
check "$GUEST alive after the update" \
	wait_console $GUEST '@@DOMU-ALIVE' 60 $(($(alive_count $GUEST) + 1))
check "lu-ctl status: the module idle again, one update finished" \
	bash -c 'lu-ctl status --json > /tmp/s.json && grep -q "\"state\": *\"idle\"" /tmp/s.json && grep -q "\"updates\": *1," /tmp/s.json'
cp /tmp/s.json /out/fleet-status-after.json
tap_end
