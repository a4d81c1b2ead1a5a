# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by test.sh: the whole live update, stage -> prepare -> commit ->
# finish, through the SIMULATED live-update hypervisor of the test suite
# (tests/simulator/, Documentation/dev-tools/xen-liveupdate-simulator.rst),
# with the real guest's real backends, every fault the simulator and the
# test participant inject, the state rules as lu-ctl reports them, two
# concurrent commits and module unload mid-sequence.  Leaves the real
# module loaded without the simulator.

SIMDBG=/sys/kernel/debug/xen_lu_sim
XEN_GZ=/boot/xen.gz
LU_STAGE=(lu-ctl stage "$XEN_GZ" --append "console=com1")

# snapshot FILE: what must not change when a step fails.
snapshot() {
	{
		lu-ctl status --json | grep -oE '"(state|generation|sha256|records_len|records_dest|frozen)": *[^,}]*'
		backend_state vbd "$DOMID" 51712
		backend_state vif "$DOMID" 0
	} > "$1" 2>&1
}

sim_set() {
	echo "$2" > "$SIMDBG/$1"
}

stage sequence
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
check "rmmod xen_liveupdate (the simulator must come first)" \
	rmmod xen_liveupdate
check "modprobe xen_lu_sim (SIMULATED live-update hypervisor)" \
	modprobe xen_lu_sim
check "modprobe xen_liveupdate attaches to it" modprobe xen_liveupdate
check "kernel log: SIMULATED live-update hypervisor attached" \
	bash -c 'dmesg | grep -q "SIMULATED live-update hypervisor attached"'
expect_rc 0 "lu-ctl status: live update supported (simulated)" lu-ctl status
check "... and it says SIMULATED" grep -q 'SIMULATED' /tmp/out.txt
check "the simulator says itself that it is attached (not GET_INFO)" \
	grep -qx Y /sys/module/xen_lu_sim/parameters/attached

if [ -x "$SELFTESTS/liveupdate_sequence" ]; then
	timeout 600 "$SELFTESTS/liveupdate_sequence" > /out/kselftest-liveupdate_sequence-simulated.tap 2>&1
	tap $? "kselftest liveupdate_sequence under the simulator (TAP in kselftest-liveupdate_sequence-simulated.tap)"
	tail -3 /out/kselftest-liveupdate_sequence-simulated.tap
fi
# PREPARE with unrecordable devices needs a live-update hypervisor.
if [ -x "$SELFTESTS/liveupdate_guard" ]; then
	timeout 600 "$SELFTESTS/liveupdate_guard" > /out/kselftest-liveupdate_guard-simulated.tap 2>&1
	tap $? "kselftest liveupdate_guard under the simulator (TAP in kselftest-liveupdate_guard-simulated.tap)"
	tail -3 /out/kselftest-liveupdate_guard-simulated.tap
fi

expect_rc 9 "lu-ctl prepare with nothing staged" lu-ctl prepare
check "... names the state" grep -qi 'nothing.*staged\|idle' /tmp/err.txt
expect_rc 0 "lu-ctl stage (live update, $XEN_GZ)" "${LU_STAGE[@]}"
expect_rc 9 "lu-ctl commit before prepare" lu-ctl commit
expect_rc 9 "lu-ctl finish before commit" lu-ctl finish
expect_rc 9 "lu-ctl cancel with nothing prepared" lu-ctl cancel

# Faults at PREPARE leave the device STAGED with the image as staged.
snapshot /tmp/before.txt
sim_set fail_load 5
expect_rc 1 "prepare with the hypervisor refusing the load (EIO)" \
	lu-ctl prepare
sim_set fail_load 0
snapshot /tmp/after.txt
check "... changed nothing" diff /tmp/before.txt /tmp/after.txt
check "participant module loads" modprobe xen_lu_test_participant
echo 22 > /sys/module/xen_lu_test_participant/parameters/fail_prepare
expect_rc 1 "prepare with a participant refusing (EINVAL)" lu-ctl prepare
check "... names the participant" grep -q 'test-participant' /tmp/err.txt
echo 0 > /sys/module/xen_lu_test_participant/parameters/fail_prepare
snapshot /tmp/after.txt
check "... changed nothing" diff /tmp/before.txt /tmp/after.txt

expect_rc 0 "lu-ctl prepare" lu-ctl prepare --json
check "... hands records over" grep -qE '"records_len": *[1-9]' /tmp/out.txt
cp /tmp/out.txt /out/prepare.json
expect_rc 9 "prepare again" lu-ctl prepare
expect_rc 9 "unstage while prepared" lu-ctl unstage
expect_rc 0 "lu-ctl records --handed-over" \
	lu-ctl records --handed-over -o /tmp/handed.bin
check "... is a valid records dump (lu-ctl verify)" \
	lu-ctl verify /tmp/handed.bin
expect_rc 0 "lu-ctl cancel" lu-ctl cancel
check "... back to staged" test "$(state_of)" = staged
snapshot /tmp/after.txt
check "... exactly as before prepare" diff /tmp/before.txt /tmp/after.txt
check "... the participant was cancelled" \
	test "$(cat /sys/module/xen_lu_test_participant/parameters/cancel_calls)" -ge 1
# The times of the steps from here on: xen_liveupdate's tracepoints.
check "tracefs: an instance records xen_liveupdate's tracepoints" \
	lu_trace_start lu_sequence
expect_rc 0 "prepare again" lu-ctl prepare
v=$(lu_trace_value xen_lu_prepare collect_ns)
check "tracepoint xen_lu_prepare: collected in ${v:-?} ns, records reloaded" \
	bash -c "[ '${v:-0}' -gt 0 ] && grep -q 'xen_lu_prepare: rc=0 ' '$LU_TRACE/trace'"

# Faults at COMMIT: thawed, PREPARED, records and image as they were.
snapshot /tmp/before.txt
for fault in "fail_exec 5" "inject_mandatory 1"; do
	sim_set $fault
	expect_rc 1 "commit with the simulator's ${fault% *}" lu-ctl commit
	sim_set ${fault% *} 0
	snapshot /tmp/after.txt
	check "... changed nothing (prepared, thawed, same records)" \
		diff /tmp/before.txt /tmp/after.txt
done
echo 5 > /sys/module/xen_lu_test_participant/parameters/fail_commit
expect_rc 1 "commit with a participant failing its commit (EIO)" lu-ctl commit
echo 0 > /sys/module/xen_lu_test_participant/parameters/fail_commit
snapshot /tmp/after.txt
check "... changed nothing" diff /tmp/before.txt /tmp/after.txt
check "$GUEST alive after the failed commits" guest_alive $GUEST

UPDATES=$(lu-ctl status --json | sed -n 's/.*"updates": *\([0-9]*\).*/\1/p' | head -n 1)

# Two lu-ctl commit at once: exactly one proceeds.
lu-ctl commit --json > /tmp/c1.out 2> /tmp/c1.err & p1=$!
lu-ctl commit --json > /tmp/c2.out 2> /tmp/c2.err & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
tap "$([ $(( (r1 == 0) + (r2 == 0) )) -eq 1 ]; echo $?)" \
	"two concurrent lu-ctl commit: exactly one succeeds (exits $r1, $r2)"
cat /tmp/c1.out /tmp/c2.out > /out/commit.json
cp "$LU_TRACE/trace" /out/lu-trace-commit.txt 2>/dev/null
v=$(lu_trace_value xen_lu_freeze freeze_ns)
check "tracepoint xen_lu_freeze: the commit froze dom0's backends in ${v:-?} ns" \
	bash -c "[ '${v:-0}' -gt 0 ] && tail -n 2 '$LU_TRACE/trace' | grep -q 'xen_lu_freeze: rc=0 '"
# The window can read 0 ns: it is microseconds long here, and Xen's PV
# clock never goes back, so a vCPU whose clock lags another's reads the
# latest value read on any vCPU twice (pvclock's last_value; under TCG the
# vCPUs' clocks drift apart by more than the window: seen once in CI).
v=$(lu_trace_value xen_lu_exec frozen_ns)
check "tracepoint xen_lu_exec: exec issued after a frozen window of ${v:-?} ns" \
	bash -c "[ -n '$v' ] && [ '$v' -ge 0 ] && tail -n 1 '$LU_TRACE/trace' | grep -q 'xen_lu_exec: rc=0 '"
check "... and not in the ioctl's answer any more" \
	bash -c '! grep -q "_ns\"" /out/commit.json'
check "... and it reports updated" grep -qE '"result": *"updated"' /out/commit.json
check "status: committed, frozen, simulated" \
	bash -c 'lu-ctl status > /tmp/s.txt; grep -qi committed /tmp/s.txt && grep -qi frozen /tmp/s.txt && grep -q SIMULATED /tmp/s.txt'
check "$GUEST alive while dom0's backends are frozen" guest_alive $GUEST
expect_rc 9 "commit again" lu-ctl commit
expect_rc 9 "prepare after the exec" lu-ctl prepare
cp $SIMDBG/stream /out/lu-stream.bin
check "the simulated xen#2 read a live update stream" test -s /out/lu-stream.bin
check "... which lu-ctl verify accepts" lu-ctl verify -f lu /out/lu-stream.bin
expect_rc 0 "lu-ctl finish" lu-ctl finish --json
cp /tmp/out.txt /out/finish.json
check "... no differences" grep -qE '"differences": *\[ *\]' /out/finish.json
v=$(lu_trace_value xen_lu_finish verify_ns)
check "tracepoint xen_lu_finish: verified in ${v:-?} ns, no differences" \
	bash -c "[ '${v:-0}' -gt 0 ] && grep -q 'xen_lu_finish: nr_differences=0 ' '$LU_TRACE/trace'"
check "... counted (updates $((UPDATES + 1)))" \
	grep -qE "\"updates\": *$((UPDATES + 1))," /out/finish.json
check "status: idle, not frozen" test "$(state_of)" = idle
vbd=$(backend_state vbd "$DOMID" 51712)
vif=$(backend_state vif "$DOMID" 0)
tap "$([ "$vbd $vif" = "4 4 4 4" ]; echo $?)" "backends Connected after the update (vbd: $vbd, vif: $vif)"
check "$GUEST alive after the update" guest_alive $GUEST
check "the participant finished" \
	test "$(cat /sys/module/xen_lu_test_participant/parameters/finish_calls)" -ge 1
expect_rc 9 "finish again" lu-ctl finish

# A deferred update: scheduled, then finished once it ran.
expect_rc 0 "stage, prepare for a deferred update" \
	bash -c "${LU_STAGE[*]} && lu-ctl prepare"
sim_set defer 1
expect_rc 7 "commit: the hypervisor defers (scheduled)" lu-ctl commit
expect_rc 7 "finish before xen#2 runs" lu-ctl finish
echo 1 > $SIMDBG/run_deferred
sim_set defer 0
expect_rc 0 "finish once the deferred update ran" lu-ctl finish

# Module unload mid-sequence: prepared, then committed and frozen.
check "participant module unloads" rmmod xen_lu_test_participant
expect_rc 0 "stage and prepare" bash -c "${LU_STAGE[*]} && lu-ctl prepare"
check "rmmod xen_liveupdate while prepared" rmmod xen_liveupdate
check "... the simulator's slot is empty" \
	grep -q '^image loaded: n' $SIMDBG/status
check "modprobe xen_liveupdate: idle" \
	bash -c 'modprobe xen_liveupdate && test "$(lu-ctl status --json | sed -n "s/.*\"state\": *\"\([a-z]*\)\".*/\1/p" | head -n 1)" = idle'
expect_rc 0 "stage, prepare, commit" \
	bash -c "${LU_STAGE[*]} && lu-ctl prepare && lu-ctl commit"
check "rmmod xen_liveupdate while committed and frozen" rmmod xen_liveupdate
check "... thawed dom0's backends (kernel log)" \
	bash -c 'dmesg | tail -20 | grep -q "backends thawed"'
check "rmmod xen_lu_sim" rmmod xen_lu_sim
check "modprobe xen_liveupdate (real hypervisor again)" modprobe xen_liveupdate
expect_rc 3 "lu-ctl status: no live update on stock Xen again" lu-ctl status
check "$GUEST alive after the sequence tests" guest_alive $GUEST
