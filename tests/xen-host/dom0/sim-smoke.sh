#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The SIMULATED live-update hypervisor (tests/simulator, test only) in a
# real PV dom0 on real Xen 4.17: xen_lu_sim.ko answers the live-update
# hypercalls Xen 4.17 lacks, xen_liveupdate (built XEN_LU_SIMULATOR=y) uses
# it.  Checks the simulator's own contract: its window, its load rules
# through lu-ctl stage, the handover a commit runs (the stream lu-ctl
# verifies, the breadcrumb, the identity of xen#2), every fault it
# injects, the deferred exec, xen_liveupdate unloaded mid-sequence, the
# test participant, and (xen_lu_sim_selftest.ko) the rules xen_liveupdate
# never lets an image reach.  Booted with lutest=sim-smoke.
# Results: /out/sim-smoke.tap, /out/sim-*.txt, /out/sim-stream*.bin,
# /out/sim-breadcrumb.bin, /out/sim-selftest.tap.
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
TAP_FILE=/out/sim-smoke.tap
GUEST=guest1
S=/sys/kernel/debug/xen_lu_sim
T=/usr/lib/modules/$(uname -r)/extra/test
P=/sys/module/xen_lu_test_participant/parameters
XEN_GZ=/boot/xen.gz
STAGE=(lu-ctl stage "$XEN_GZ" --append "console=com1")

# status_has LINE: the simulator's status has this exact line.
status_has() {
	grep -qxF -- "$1" "$S/status"
}

# le_word FILE OFFSET BYTES: the little-endian word at OFFSET of FILE, in hex.
le_word() {
	od -An -tx"$3" -j "$2" -N"$3" "$1" | tr -d ' '
}

tap_begin
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

stage sim-toolstack
check "toolstack: xenstored, xen-init-dom0, xenconsoled, bridge" start_toolstack
start_test_guest
NR_DOMAINS=$(xl list | tail -n +2 | wc -l)

stage sim-load
check "xen_lu_sim.ko depends on no module (xen_liveupdate can go and come)" \
	bash -c "[ -z \"\$(modinfo -F depends $T/xen_lu_sim.ko)\" ]"
check "insmod xen_lu_sim.ko" insmod "$T/xen_lu_sim.ko"
cp "$S/status" /out/sim-status-loaded.txt
check "debugfs status says simulated" \
	grep -q '^simulated live-update hypervisor' "$S/status"
WIN=$(sed -n 's/^window: \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) .*/\1/p' "$S/status")
WIN_END=$(sed -n 's/^window: \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) .*/\2/p' "$S/status")
check "window $WIN-$WIN_END: 64 MiB, 2 MiB aligned, below 4 GiB" \
	bash -c "[ -n '$WIN' ] && [ \$(($WIN % 0x200000)) -eq 0 ] &&
		 [ \$(($WIN_END + 1 - $WIN)) -eq \$((64 << 20)) ] &&
		 [ \$(($WIN_END)) -lt \$((1 << 32)) ]"
check "every fault is off at load" \
	bash -c "grep -qx 'faults armed: none' $S/status &&
		 for f in fail_get_range fail_load fail_unload fail_exec inject_mandatory defer; do
			[ \"\$(cat $S/\$f)\" = 0 ] || exit 1; done"
check "modprobe xen_liveupdate" modprobe xen_liveupdate
check "kernel log: SIMULATED live-update hypervisor attached" \
	bash -c 'dmesg | grep -q "SIMULATED live-update hypervisor attached"'
expect_rc 0 "lu-ctl status: live update supported (simulated)" lu-ctl status
cp /tmp/out.txt /out/sim-status-before.txt
cat /tmp/out.txt
check "lu-ctl status: the lu range is the simulator's window" \
	grep -q "^lu range: *$WIN-$WIN_END " /tmp/out.txt
check "lu-ctl status warns SIMULATED" grep -q 'SIMULATED' /tmp/out.txt
CHANGESET0=$(sed -n 's/^changeset: *//p' /tmp/out.txt)
BUILDID0=$(sed -n 's/^build-id: *//p' /tmp/out.txt)

stage sim-stage
expect_rc 0 "lu-ctl stage $XEN_GZ: the simulated load accepts it" "${STAGE[@]}"
cp /tmp/out.txt /out/sim-stage.txt
cp "$S/status" /out/sim-status-staged.txt
check "simulator: image loaded, Xen segments in xen#1, the rest in the window" \
	bash -c "grep -qx 'image loaded: y' $S/status &&
		 grep -q -- '-> xen#1\$' $S/status && grep -q -- '-> window\$' $S/status"
check "kernel log: the simulated load, SIMULATED" \
	bash -c 'dmesg | grep -q "xen_lu_sim: SIMULATED: load: .* image loaded"'
expect_rc 0 "lu-ctl unstage" lu-ctl unstage
check "simulator: image unloaded" status_has 'image loaded: n'

stage sim-faults
echo 5 > "$S/fail_load"
expect_rc 1 "stage with fail_load=5: the load fails with EIO" "${STAGE[@]}"
check "... lu-ctl reports EIO" grep -q 'EIO' /tmp/err.txt
check "... status lists the armed fault" status_has 'faults armed: fail_load=5'
echo 0 > "$S/fail_load"
check "... nothing loaded" status_has 'image loaded: n'
echo 22 > "$S/fail_get_range"
expect_rc 3 "status with fail_get_range=22: no live update (EINVAL)" lu-ctl status
check "... saying EINVAL" grep -q 'EINVAL' /tmp/out.txt
echo 0 > "$S/fail_get_range"
echo -5 > "$S/fail_exec"
check "an errno knob takes -5 as 5" bash -c "[ \"\$(cat $S/fail_exec)\" = 5 ]"
echo 0 > "$S/fail_exec"
check "a switch knob refuses 2" bash -c "! echo 2 > $S/defer"
check "run_deferred with nothing deferred: ENOENT" \
	bash -c "! echo 1 > $S/run_deferred 2>/tmp/rd.txt && grep -q 'No such file' /tmp/rd.txt"

stage sim-commit
expect_rc 0 "stage" "${STAGE[@]}"
expect_rc 0 "lu-ctl prepare: the image is reloaded with dom0's records" lu-ctl prepare
cp /tmp/out.txt /out/sim-prepare.txt
check "simulator: one more segment (the records module) in the window" \
	bash -c "[ \$(grep -c -- '-> window\$' $S/status) -gt \$(grep -c -- '-> window\$' /out/sim-status-staged.txt) ]"
cp "$S/status" /out/sim-status-prepared.txt
expect_rc 0 "lu-ctl commit: updated (the simulated handover ran)" lu-ctl commit
cp /tmp/out.txt /out/sim-commit.txt
cat /tmp/out.txt
check "... result: updated" grep -q '^result: *updated' /tmp/out.txt
cp "$S/status" /out/sim-status-updated.txt
check "simulator: 1 update done, the image consumed" \
	bash -c "grep -qx 'updates done: 1' $S/status && grep -qx 'image loaded: n' $S/status"
check "kernel log: xen#2 accepted the stream, live update 1 done" \
	bash -c 'dmesg | grep -q "xen_lu_sim: SIMULATED: xen#2: stream of .* accepted" &&
		 dmesg | grep -q "xen_lu_sim: SIMULATED: exec: live update 1 done"'
cp "$S/stream" /out/sim-stream.bin
cp "$S/breadcrumb" /out/sim-breadcrumb.bin
expect_rc 0 "lu-ctl verify -f lu accepts the simulator's stream" \
	lu-ctl verify -f lu /out/sim-stream.bin
cp /tmp/out.txt /out/sim-verify.txt
cat /tmp/out.txt
expect_rc 0 "lu-ctl verify --json" lu-ctl verify -f lu --json /out/sim-stream.bin
cp /tmp/out.txt /out/sim-verify.json
check "... one LU_DOMAIN_INFO per domain ($NR_DOMAINS) and dom0's records" \
	bash -c "grep -q '\"domains\": *$NR_DOMAINS' /tmp/out.txt &&
		 grep -q '\"dom0\"' /tmp/out.txt"
expect_rc 0 "lu-ctl dump -f lu of the stream" lu-ctl dump -f lu /out/sim-stream.bin
cp /tmp/out.txt /out/sim-dump.txt
first="$(le_word /out/sim-stream.bin 0 4) $(le_word /out/sim-stream.bin 4 4)"
tap "$([ "$first" = "40000000 00000008" ]; echo $?)" \
	"stream starts with LU_VERSION, 8 bytes ($first)"
magic=$(le_word /out/sim-breadcrumb.bin 0 8)
shifted=$((0x$(le_word /out/sim-breadcrumb.bin 16 8)))
tap "$([ "$magic" = 4c69766555706000 ] &&
      [ $((shifted >> 12 << 12)) -eq "$(stat -c %s /out/sim-stream.bin)" ]; echo $?)" \
	"breadcrumb: magic $magic, $((shifted >> 12)) pages: the stream's"
expect_rc 0 "lu-ctl status after the update" lu-ctl status
cp /tmp/out.txt /out/sim-status-after.txt
want="[simulated live update 1]"
[ "$CHANGESET0" = "(none)" ] || want="$CHANGESET0 $want"
check "the hypervisor's changeset is simulated xen#2's ($want)" \
	grep -qxF "changeset:     $want" /tmp/out.txt
check "... and its build id changed" \
	bash -c "b=\$(sed -n 's/^build-id: *//p' /tmp/out.txt); [ -n \"\$b\" ] && [ \"\$b\" != '$BUILDID0' ]"
expect_rc 0 "lu-ctl finish: no differences" lu-ctl finish
cp /tmp/out.txt /out/sim-finish.txt

stage sim-inject
echo 1 > "$S/inject_mandatory"
expect_rc 0 "stage" "${STAGE[@]}"
expect_rc 0 "prepare" lu-ctl prepare
expect_rc 1 "commit with inject_mandatory: xen#2 refuses the stream" lu-ctl commit
check "... lu-ctl reports EINVAL" grep -q 'EINVAL' /tmp/err.txt
check "kernel log: xen#2 names the unknown mandatory record 0x40000099" \
	bash -c 'dmesg | grep -q "xen_lu_sim: SIMULATED: xen#2: .*unknown mandatory record 0x40000099"'
check "simulator: still 1 update, the image still loaded" \
	bash -c "grep -qx 'updates done: 1' $S/status && grep -qx 'image loaded: y' $S/status"
cp "$S/stream" /out/sim-stream-injected.bin
expect_rc 5 "lu-ctl verify rejects the injected stream too" \
	lu-ctl verify -f lu /out/sim-stream-injected.bin
echo 0 > "$S/inject_mandatory"
check "the hypervisor identity did not change" \
	bash -c "lu-ctl status | grep -qF '[simulated live update 1]'"

stage sim-fail-exec
echo 5 > "$S/fail_exec"
expect_rc 1 "commit with fail_exec=5 fails with EIO" lu-ctl commit
check "... lu-ctl reports EIO" grep -q 'EIO' /tmp/err.txt
echo 0 > "$S/fail_exec"

stage sim-defer
echo 1 > "$S/defer"
expect_rc 7 "commit with defer: scheduled" lu-ctl commit
check "... result: scheduled" grep -q '^result: *scheduled' /tmp/out.txt
check "simulator: deferred exec pending" status_has 'deferred exec pending: y'
expect_rc 7 "finish while deferred: xen#2 not running yet" lu-ctl finish
check "unstage while deferred is refused by the device" bash -c '! lu-ctl unstage'
check "echo 1 > run_deferred performs the handover" \
	bash -c "echo 1 > $S/run_deferred"
check "simulator: 2 updates done, nothing pending" \
	bash -c "grep -qx 'updates done: 2' $S/status && grep -qx 'deferred exec pending: n' $S/status"
expect_rc 0 "finish after the deferred update" lu-ctl finish
echo 0 > "$S/defer"

stage sim-rmmod
expect_rc 0 "stage" "${STAGE[@]}"
expect_rc 0 "prepare" lu-ctl prepare
check "rmmod xen_liveupdate mid-sequence (prepared)" rmmod xen_liveupdate
check "simulator stays, its image unloaded by the module's exit" \
	bash -c "grep -q '^xen_lu_sim ' /proc/modules && grep -qx 'image loaded: n' $S/status"
check "modprobe xen_liveupdate again" modprobe xen_liveupdate
check "the simulator kept xen#2's identity across the module reload" \
	bash -c "lu-ctl status | grep -qF '[simulated live update 2]'"

stage sim-participant
check "insmod xen_lu_test_participant.ko" insmod "$T/xen_lu_test_participant.ko"
expect_rc 0 "stage" "${STAGE[@]}"
echo 22 > "$P/fail_prepare"
expect_rc 1 "prepare with the participant refusing (EINVAL)" lu-ctl prepare
check "... names test-participant" grep -q 'test-participant' /tmp/err.txt
echo 0 > "$P/fail_prepare"
expect_rc 0 "prepare" lu-ctl prepare
echo 5 > "$P/fail_commit"
expect_rc 1 "commit with the participant refusing (EIO)" lu-ctl commit
check "... names test-participant" grep -q 'test-participant' /tmp/err.txt
echo 0 > "$P/fail_commit"
expect_rc 0 "cancel" lu-ctl cancel
check "participant: cancel() ran once" bash -c "[ \$(cat $P/cancel_calls) -eq 1 ]"
expect_rc 0 "prepare" lu-ctl prepare
echo 7 > "$P/value"
expect_rc 0 "commit: updated, with the participant's changed record" lu-ctl commit
check "... the image was reloaded with the new records" grep -q '^reloaded: *yes' /tmp/out.txt
expect_rc 0 "finish" lu-ctl finish
check "participant: prepare, commit and finish counted" \
	bash -c "[ \$(cat $P/prepare_calls) -eq 3 ] && [ \$(cat $P/commit_calls) -eq 2 ] &&
		 [ \$(cat $P/finish_calls) -eq 1 ]"
cp "$S/stream" /out/sim-stream-participant.bin
expect_rc 0 "the stream with the participant's record verifies" \
	lu-ctl verify -f lu --json /out/sim-stream-participant.bin
check "... one participant record" grep -q '"participants": *1' /tmp/out.txt
check "rmmod xen_lu_test_participant" rmmod xen_lu_test_participant

stage sim-unload
check "$GUEST still alive" guest_alive $GUEST
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd $vif" = "4 4 4 4" ]; echo $?)" "backends still Connected (vbd: $vbd, vif: $vif)"
check "rmmod xen_liveupdate" rmmod xen_liveupdate
# The simulator's own rules, which xen_liveupdate never lets an image reach.
check "xen_lu_sim_selftest.ko: every load rule and exec failure of the simulator" \
	insmod "$T/xen_lu_sim_selftest.ko"
dmesg | sed -n 's/.*xen_lu_sim_selftest: //p' > /out/sim-selftest.tap
check "... its TAP has a plan and no failure" \
	bash -c "grep -q '^1\.\.[0-9]' /out/sim-selftest.tap && ! grep -q '^not ok' /out/sim-selftest.tap"
rmmod xen_lu_sim_selftest
check "rmmod xen_lu_sim" rmmod xen_lu_sim
dmesg > /out/sim-dmesg.txt
check "every kernel log line of xen_lu_sim's own says SIMULATED" \
	bash -c '! grep "xen_lu_sim: " /out/sim-dmesg.txt |
		 grep -Ev "xen_lu_sim: (SIMULATED: |loading out-of-tree|module verification)"'
check "no WARNING, BUG or Oops in the kernel log" \
	bash -c '! grep -E "WARNING:|BUG:|Oops" /out/sim-dmesg.txt'
tap_end
