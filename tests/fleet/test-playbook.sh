#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# contrib/ansible/xen-liveupdate.yml without Xen (TAP): it passes
# ansible-playbook --syntax-check and ansible-lint (production profile);
# run against two hosts of a local inventory, their lu-ctl going to the
# mock device (tests/lu-ctl), it updates both, one after the other, and
# reports the JSON of each step, valid against lu-ctl's schemas; when a
# step exits non-zero on the first host, the rollout stops there: the
# second host is never touched.  The method comes from stage's JSON: one
# said to be save-restore takes the save-restore path, whose commit (the
# reboot module) a local connection refuses, so the rollout stops at
# commit; one said to be cold stops before it.  The real runs over ssh
# against the test host are make check-fleet and check-fleet-sr.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
play=$top/contrib/ansible/xen-liveupdate.yml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/json-schema.sh"

export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP="$tmp/ansible-local" \
	ANSIBLE_REMOTE_TEMP="$tmp/ansible-remote" HOME="$tmp"
xen=$(ls /boot/xen-*.gz 2>/dev/null | head -n 1)

# lu-ctl for the playbook: the mock device; LU_FAIL_STEP=<command> makes
# that command's ioctl fail with EBUSY (out_check backend-state);
# LU_FAKE_METHOD=<method> makes stage's JSON name that method.
cat > "$tmp/lu-ctl" <<SH
#!/bin/sh
[ "\$1" = "\${LU_FAIL_STEP:-}" ] && export LU_MOCK_ERRNO=16 LU_MOCK_CHECK=4
echo "\$1" >> "$tmp/calls"
export LD_PRELOAD="$top/tests/lu-ctl/mock-device.so"
if [ "\$1" = stage ] && [ -n "\${LU_FAKE_METHOD:-}" ]; then
	"$top/tools/lu-ctl/lu-ctl" "\$@" | sed "s/\\"method\\": *\\"live-update\\"/\\"method\\":\\"\$LU_FAKE_METHOD\\"/"
	exit
fi
exec "$top/tools/lu-ctl/lu-ctl" "\$@"
SH
chmod +x "$tmp/lu-ctl"
cat > "$tmp/hosts" <<INV
[xen_hosts]
host1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3
host2 ansible_connection=local ansible_python_interpreter=/usr/bin/python3
INV

ansible-playbook -i "$tmp/hosts" --syntax-check "$play" > "$tmp/syntax.log" 2>&1
check "ansible-playbook --syntax-check" test $? = 0
(cd "$top/contrib/ansible" && ansible-lint --nocolor --profile production \
	xen-liveupdate.yml lu-ctl-step.yml lu-ctl-report.yml lu-ctl-save-restore.yml) \
	> "$tmp/lint.log" 2>&1
check "ansible-lint --profile production: no violation" \
	sh -c '[ "$1" = 0 ] && grep -q "^Passed" "$2"' sh $? "$tmp/lint.log"

# play DIR [ENV...]: run the playbook, its reports in DIR, exit in $rc
play() {
	local dir=$1
	shift
	mkdir -p "$dir"
	env "$@" ansible-playbook -i "$tmp/hosts" "$play" \
		-e lu_ctl="$tmp/lu-ctl" -e lu_xen="$xen" \
		-e '{"lu_modules": ["'"$xen"' console=hvc0"]}' \
		-e lu_report_dir="$dir" -e lu_save_dir="$tmp/save" > "$dir/play.log" 2>&1
	rc=$?
}

# steps: the lu-ctl commands the hosts ran, in order
steps() { [ -f "$tmp/calls" ] && tr '\n' ' ' < "$tmp/calls"; }
# lu-ctl's JSON in a report, one file per step, kept for the schema check
keep_report() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
for step, v in r.items():
    if v["json"] is not None:
        json.dump(v["json"], open("%s-%s.json" % (sys.argv[1], step), "w"))' "$1" &&
	for f in "$1"-*.json; do schema_keep "$f"; done
}

if [ -z "$xen" ]; then
	skip "the rollouts" "no /boot/xen-*.gz to stage"
	finish
	exit
fi

play "$tmp/ok"
check "a rollout on two hosts: exit 0" test "$rc" = 0
check "... every step on both hosts, one host after the other" \
	test "$(steps)" = "status stage prepare commit finish status status stage prepare commit finish status "
check "... one report per host with the JSON of each step" \
	python3 -c 'import json, sys
for h in ("host1", "host2"):
    r = json.load(open("%s/%s.json" % (sys.argv[1], h)))
    assert set(r) == {"status", "stage", "prepare", "commit", "finish", "status_after"}, r.keys()
    assert all(v["rc"] == 0 for v in r.values())
    assert r["stage"]["json"]["method"] == "live-update"
    assert r["commit"]["json"]["result"] == "updated"
    assert r["finish"]["json"]["differences"] == []' "$tmp/ok"
check "... the JSON of each step is in the playbook's output" \
	sh -c '[ "$(grep -c "\"schema\": \"lu-ctl-" "$1")" -ge 10 ]' sh "$tmp/ok/play.log"
keep_report "$tmp/ok/host1.json"
keep_report "$tmp/ok/host2.json"

rm -f "$tmp/calls"
play "$tmp/stop" LU_FAIL_STEP=prepare
check "prepare refused on the first host: the playbook fails" test "$rc" != 0
check "... the rollout stops at that step: no commit, the second host untouched" \
	test "$(steps)" = "status stage prepare "
check "... the report has prepare's JSON: exit 1, errno EBUSY, check backend-state" \
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
p = r["prepare"]
sys.exit(not (set(r) == {"status", "stage", "prepare"} and p["rc"] == 1 and
              p["json"]["errno"] == "EBUSY" and p["json"]["check"] == "backend-state"))' "$tmp/stop/host1.json"
check "... and no report of the second host" test ! -e "$tmp/stop/host2.json"
keep_report "$tmp/stop/host1.json"

rm -f "$tmp/calls"
play "$tmp/sr" LU_FAKE_METHOD=save-restore
check "stage says save-restore: the playbook fails at commit over a local connection" \
	test "$rc" != 0
check "... the save-restore path: commit never ran through lu-ctl, the second host untouched" \
	test "$(steps)" = "status stage prepare "
check "... the report has commit: no exit status (it did not return), the reboot module's refusal" \
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
c = r["commit"]
sys.exit(not (set(r) == {"status", "stage", "prepare", "commit"} and c["rc"] is None and
              c["json"] is None and "local connection" in c["stderr"]))' "$tmp/sr/host1.json"
check "... and no report of the second host" test ! -e "$tmp/sr/host2.json"

rm -f "$tmp/calls"
play "$tmp/cold" LU_FAKE_METHOD=cold
check "stage says cold (every domain lost): the rollout stops before commit" \
	sh -c '[ "$1" != 0 ] && [ "$2" = "status stage prepare " ] && [ ! -e "$3" ] &&
	       grep -q "which loses every domain; the rollout stops here" "$4"' \
	sh "$rc" "$(steps)" "$tmp/cold/host2.json" "$tmp/cold/play.log"

schema_checks "the playbook's reports"

finish
