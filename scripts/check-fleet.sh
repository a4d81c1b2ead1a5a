#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-fleet: the fleet playbook (contrib/ansible/xen-liveupdate.yml)
# run for real, over ssh, against the QEMU test host: real Xen, a PV dom0
# with a PV guest, the test suite's SIMULATED live-update hypervisor under
# the module (stock Xen has no live update), dropbear and Python in dom0
# (tests/xen-host/build-fleet.sh), dom0's port 22 forwarded from a free
# port on 127.0.0.1 (boot.sh HOSTFWD).  lu-ctl status, stage, prepare,
# commit and finish run through the playbook; each step's JSON is kept
# (build/check-fleet/report/) and checked against its schema.  One boot,
# taken under the boot lock when one exists (BOOT_LOCK).  Prints TAP and
# "N passed, N failed"; exit 0 when nothing failed.  Not part of make
# check: a boot of its own.
#
# check-fleet.sh sr (make check-fleet-sr): the save-restore method that
# every real Xen host uses today, no simulator: stock Xen 4.17, a PV
# guest with its disk on dom0's IDE disk (boot.sh DOM0_DISK), xen#2 and
# dom0#2 staged with the same initramfs (SHARE_INITRD) and lutest=
# fleet-sr (tests/xen-host/dom0/fleet-sr.sh).  The playbook's commit
# executes xen#2; QEMU, and the port it forwards, run on, and the
# playbook reaches dom0#2 through it, runs finish and status.  Results in
# build/check-fleet-sr/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
SR=0
MODE=fleet
if [ "${1:-}" = sr ]; then
	SR=1
	MODE=fleet-sr
fi
export BUILD=${BUILD:-$TOP/build}
RESULTS=$BUILD/check-$MODE
BOOT_LOCK=${BOOT_LOCK:-}
export TIMEOUT=${TIMEOUT:-$((1800 + SR * 1200))}

"$TOP/scripts/install-deps.sh" || exit 1
eval "$("$TOP/scripts/kernel-env.sh")" || exit 1
export KDIR KVER HOST_BUILD=$BUILD/xen-host
F=$HOST_BUILD/fleet
OUT=$HOST_BUILD/out/$MODE

rm -rf "$RESULTS" "$OUT"
mkdir -p "$RESULTS/report" "$F"
. "$TOP/tests/lib/tap.sh"
t0=$EPOCHREALTIME
secs() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }
# stop: the plan, the counts and the time; exit 0 when nothing failed.
stop() {
	local rc

	finish
	rc=$?
	counts "($(secs "$t0") s)"
	exit $rc
}

# The module as the test host runs it (the simulator's hooks built in),
# the simulator, lu-ctl.
{
	make -C "$TOP" module XEN_LU_SIMULATOR=y &&
	make -C "$TOP" simulator tools
} > "$RESULTS/build.log" 2>&1
ok $? "build: module (XEN_LU_SIMULATOR=y), simulator, lu-ctl (build.log)"
[ -f "$F/id" ] || ssh-keygen -q -t ed25519 -N "" -C check-fleet -f "$F/id"
{
	"$TOP/tests/xen-host/build-base.sh" &&
	"$TOP/tests/xen-host/build-fleet.sh" &&
	OVERLAY_EXTRA=$F/root "$TOP/tests/xen-host/build-initrd.sh"
} >> "$RESULTS/build.log" 2>&1
ok $? "dom0 image with dropbear, Python and root's key for the playbook"
[ "$failed" -eq 0 ] || stop

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
boot=("$TOP/tests/xen-host/boot.sh" "$MODE")
[ -n "$BOOT_LOCK" ] && boot=(flock "$BOOT_LOCK" "${boot[@]}")
if [ "$SR" = 1 ]; then
	boot=(env DOM0_DISK=2G SHARE_INITRD=1 "${boot[@]}")
fi
HOSTFWD=$port "${boot[@]}" > "$RESULTS/boot.log" 2>&1 &
boot_pid=$!

# Wait for dom0's "@@FLEET-READY" (boot.sh writes serial.log once it has
# the lock), or the boot's end.
tb=$EPOCHREALTIME
while kill -0 "$boot_pid" 2>/dev/null &&
      ! grep -q '@@FLEET-READY' "$OUT/serial.log" 2>/dev/null; do
	sleep 2
done
grep -q '@@FLEET-READY' "$OUT/serial.log" 2>/dev/null
ok $? "the test host's dom0 is up with sshd on 127.0.0.1:$port ($(secs "$tb") s from the boot's start, lock wait included)"

cat > "$RESULTS/hosts" <<INV
[xen_hosts]
testhost ansible_host=127.0.0.1 ansible_port=$port ansible_user=root ansible_ssh_private_key_file=$F/id ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
INV
# xen#2: the live-update method keeps dom0; save-restore boots it again,
# with this initramfs (on the share) and this dom0 script.
stage_vars=(-e lu_xen=/boot/xen.gz -e lu_append=console=com1)
if [ "$SR" = 1 ]; then
	stage_vars=(-e lu_xen=/boot/xen.gz -e "$(python3 -c 'import json, sys
print(json.dumps({
    "lu_append": "console=com1 com1=115200,8n1 dom0_mem=1G,max:1G dom0_max_vcpus=2 marker=xen2",
    "lu_modules": ["/boot/vmlinuz console=hvc0 earlyprintk=xen loglevel=5 lutest=fleet-sr ludisk=1",
                   "/out/dom0-initrd.cpio.gz"],
    "lu_boot_timeout": int(sys.argv[1])}))' "$((TIMEOUT / 2))")")
fi
tp=$EPOCHREALTIME
ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False ansible-playbook \
	-i "$RESULTS/hosts" "$TOP/contrib/ansible/xen-liveupdate.yml" \
	"${stage_vars[@]}" -e lu_report_dir="$RESULTS/report" > "$RESULTS/playbook.log" 2>&1
ok $? "ansible-playbook xen-liveupdate.yml over ssh: exit 0 ($(secs "$tp") s, playbook.log)"
: > "$OUT/share/fleet-done"
wait "$boot_pid"
ok $? "the boot ran to its end (boot.log, $OUT/serial.log)"

# The report: every step, exit 0, its JSON valid against its schema.
report=$RESULTS/report/testhost.json
python3 - "$report" "$RESULTS/report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for step, v in r.items():
    if v["json"] is not None:
        json.dump(v["json"], open("%s/%s.json" % (sys.argv[2], step), "w"))
PY
for step in status stage prepare commit finish status_after; do
	f=$RESULTS/report/$step.json
	"$TOP/scripts/check-json.py" --expect "${step%_after}" "$f" > "$f.check" 2>&1
	ok $? "lu-ctl $step ran through the playbook; its JSON reported and valid against its schema"
done
if [ "$SR" = 0 ]; then
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["status"]["json"]["simulated"] is True and
              r["stage"]["json"]["method"] == "live-update" and
              r["commit"]["json"]["result"] == "updated" and
              r["finish"]["json"]["differences"] == [] and
              r["prepare"]["json"]["nr_backends"] >= 2))' "$report" 2>/dev/null
	ok $? "the report: simulated hypervisor, the guest's backends handed over, commit updated, finish without differences"
else
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
c, f = r["commit"], r["finish"]
sys.exit(not (r["stage"]["json"]["method"] == "save-restore" and
              c["rc"] is None and c["json"]["executing"] is True and
              [g["name"] for g in c["json"]["guests"]] == ["fleet1"] and
              f["rc"] == 0 and f["json"]["finished"] is True and
              f["json"]["booted_xen2"] is True and f["json"]["differences"] == [] and
              [g["state"] for g in f["json"]["guests"]] == ["restored"] and
              r["status_after"]["rc"] == 0))' "$report" 2>/dev/null
	ok $? "the report: save-restore; commit saved fleet1 and executed xen#2; finish in xen#2 restored it, no differences"
fi
grep -q "\"schema\": \"lu-ctl-finish/" "$RESULTS/playbook.log"
ok $? "the playbook's own output shows each step's JSON"

# dom0's own checks (the guest alive after the update, the module idle).
for tap in "$OUT/share/$MODE"*.tap; do
	cp "$tap" "$RESULTS/" 2>/dev/null
	[ -s "$tap" ] && ! grep -q '^not ok' "$tap"
	ok $? "dom0's checks ($(grep -c '^ok' "$tap" 2>/dev/null) ok in $(basename "$tap"))"
done
stop
