#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lu-ctl without a device (TAP): the command line of every command
# (--help, usage errors exit 2, the option layer's conventions), the
# refusal of unstage, prepare, commit, finish and cancel without the
# module (exit 4), and against mock-device.so (an LD_PRELOAD stand-in
# for /dev/xen/liveupdate) every answer of the module they put in words,
# JSON and exit codes: success, each check, the "State rules" errnos in
# each state, differences; status's new fields, records --handed-over and
# unstage's answers; save-restore's plan as prepare, commit, cancel and
# status find it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
luctl="$top/tools/lu-ctl/lu-ctl"
mock="$here/mock-device.so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# save-restore's plan goes here, not to /run (a test-only variable)
export LU_CTL_TEST_PLAN_DIR="$tmp/run"
plan="$LU_CTL_TEST_PLAN_DIR/save-restore.json"
. "$top/tests/lib/tap.sh"
# run: lu-ctl with its stdout in $tmp/out, stderr in $tmp/err, exit in $rc
run() { "$luctl" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?; schema_keep "$tmp/out"; }
# mock VAR=VALUE... -- ARGS: lu-ctl against the mock device
mock() {
	while [ "$1" != "--" ]; do export "$1"; shift; done
	shift
	LD_PRELOAD=$mock "$luctl" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	schema_keep "$tmp/out"
	unset LU_MOCK_NODEV LU_MOCK_STATE LU_MOCK_COLD LU_MOCK_SIMULATED LU_MOCK_ERRNO \
	      LU_MOCK_CHECK LU_MOCK_RESULT LU_MOCK_DIFFS LU_MOCK_UPDATES \
	      LU_MOCK_RECORDS_VERSION LU_MOCK_LU_ERRNO
}
# expect CODE WHAT: the last run exited CODE
expect() { check "$2 (exit $rc)" test "$rc" = "$1"; }
has() { grep -qF -- "$1" "$tmp/${2:-err}"; }
json() { jget "$tmp/out" "$@" 2>/dev/null; }
. "$top/tests/lib/json-schema.sh"

# errno values of x86-64 Linux, for the mock
ENOENT=2 EIO=5 EFAULT=14 EAGAIN=11 EBUSY=16 EINVAL=22 ENODATA=61
EPROTO=71 EOPNOTSUPP=95 ETIMEDOUT=110 EALREADY=114

run --version
version=$(cat "$top/VERSION")
check "lu-ctl --version says $version (VERSION)" test "$(cat "$tmp/out")" = "lu-ctl $version"
run --help
for cmd in prepare commit finish cancel; do
	check "lu-ctl --help lists $cmd" grep -q "^   $cmd " "$tmp/out"
done

# The command line, which needs no device.
for cmd in unstage prepare commit finish cancel; do
	run $cmd --help
	check "$cmd --help: exit 0, usage on stdout, nothing on stderr" \
		test "$rc:$(head -n 1 "$tmp/out" | cut -d' ' -f1-3):$(wc -c < "$tmp/err")" = "0:usage: lu-ctl $cmd:0"
	check "$cmd --help documents --json and exit 9" \
		sh -c 'grep -q -- "--json" "$1" && grep -q "9 not" "$1"' sh "$tmp/out"
	run $cmd -h
	expect 0 "$cmd -h"
	run help $cmd
	check "lu-ctl help $cmd: exit 0, its usage" \
		test "$rc:$(head -n 1 "$tmp/out" | cut -d' ' -f1-3)" = "0:usage: lu-ctl $cmd"
	run $cmd extra
	expect 2 "$cmd with a stray argument"
	check "... says so and points to --help" \
		sh -c "grep -q \"unexpected argument 'extra'\" \"\$1\" && grep -q \"lu-ctl $cmd --help\" \"\$1\"" sh "$tmp/err"
	run $cmd --frobnicate
	expect 2 "$cmd with an unknown option"
	check "... names it, prints the usage on stderr, nothing on stdout" \
		test "$(head -n 1 "$tmp/err"):$(grep -c "^usage: lu-ctl $cmd" "$tmp/err"):$(wc -c < "$tmp/out")" = "lu-ctl: $cmd: unknown option '--frobnicate':1:0"
done
run prepare --force --json extra
expect 2 "prepare --force --json with a stray argument"
run commit --force
expect 2 "commit has no --force"
run commit --cold extra
expect 2 "commit --cold with a stray argument"
run finish --unchanged extra
expect 2 "finish --unchanged with a stray argument"
run finish --cold
expect 2 "finish has no --cold"
run commit --help
check "commit --help documents --cold" has "--cold" out
run finish --help
check "finish --help documents --unchanged" has "--unchanged" out
run records --help
check "records --help documents --handed-over" has "--handed-over" out
run records --handed-over extra
expect 2 "records --handed-over with a stray argument"

# The option layer: every command's usage and command-line errors come
# from its table of options, in one format.
for cmd in status stage unstage prepare commit finish cancel records verify \
	   dump convert-legacy; do
	run $cmd --help
	check "$cmd --help: exit 0, usage, -h and exit codes on stdout, nothing on stderr" \
		test "$rc:$(head -n 1 "$tmp/out" | cut -d' ' -f1-3):$(grep -c '^   -h, --help  *this text$' "$tmp/out"):$(grep -c '^exit: ' "$tmp/out"):$(wc -c < "$tmp/err")" = "0:usage: lu-ctl $cmd:1:1:0"
	run $cmd -Z
	check "$cmd -Z: exit 2, 'lu-ctl: $cmd: unknown option', usage, where to read more" \
		test "$rc:$(head -n 1 "$tmp/err"):$(sed -n 2p "$tmp/err" | cut -d' ' -f1-3):$(tail -n 1 "$tmp/err"):$(wc -c < "$tmp/out")" = "2:lu-ctl: $cmd: unknown option '-Z':usage: lu-ctl $cmd:Try 'lu-ctl $cmd --help'.:0"
done
run records -o
check "records -o without its argument: exit 2, says so" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: records: option .-o. needs an argument" "$2"' sh "$rc" "$tmp/err"
run status --json=yes
check "status --json=yes: exit 2, --json takes no argument" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: status: option .--json. takes no argument" "$2"' sh "$rc" "$tmp/err"
run convert-legacy -g pv
check "convert-legacy without -w: exit 2, names the missing option" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: convert-legacy: missing option -w, --width 32|64" "$2"' sh "$rc" "$tmp/err"
run convert-legacy -w 48 -g pv
check "convert-legacy -w 48: exit 2, names the values it takes" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: convert-legacy: option .--width. takes 32|64, not .48." "$2"' sh "$rc" "$tmp/err"
run convert-legacy --s -w 64 -g pv
check "convert-legacy --s (--skip-qemu or --syslog): exit 2, ambiguous" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: convert-legacy: ambiguous option .--s." "$2"' sh "$rc" "$tmp/err"
run verify -f nope
check "verify -f nope: exit 2, unknown format" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: verify: unknown format .nope." "$2"' sh "$rc" "$tmp/err"
run stage -m a -m b -m c -m d -m e -m f -m g -m h -m i xen
check "stage with 9 modules: exit 2, at most 8" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: at most 8 modules" "$2"' sh "$rc" "$tmp/err"
run stage --module "" xen
check "stage --module '': exit 2, needs FILE" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: --module needs \"FILE \[ARGS\]\"" "$2"' sh "$rc" "$tmp/err"
for v in 0 65 3x -1; do
	run stage --parallel $v xen
	check "stage --parallel $v: exit 2, takes 1 to 64" \
		sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: option .--parallel. takes 1 to 64, not .$3." "$2"' sh "$rc" "$tmp/err" "$v"
	run finish --parallel $v
	check "finish --parallel $v: exit 2, takes 1 to 64, nothing on stdout" \
		sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: finish: option .--parallel. takes 1 to 64, not .$3." "$2" && [ ! -s "$4" ]' sh "$rc" "$tmp/err" "$v" "$tmp/out"
done
run stage --method nope xen
check "stage --method nope: exit 2, names the methods it takes, nothing on stdout" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: option .--method. takes auto|live-update|save-restore, not .nope." "$2" && [ ! -s "$3" ]' sh "$rc" "$tmp/err" "$tmp/out"
for m in auto live-update save-restore; do
	run stage --cold --method $m xen
	check "stage --cold --method $m: exit 2, they exclude each other" \
		sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: --cold and --method exclude each other" "$2"' sh "$rc" "$tmp/err"
done
run stage --method save-restore --cold xen
check "stage --method save-restore --cold (either order): exit 2" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: --cold and --method exclude each other" "$2"' sh "$rc" "$tmp/err"
for o in "--save-dir $tmp" --retry "--parallel 2"; do
	run finish --unchanged $o
	check "finish --unchanged ${o%% *}: exit 2, --unchanged is not for save-restore" \
		sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: finish: --unchanged is for a live update, not save-restore" "$2" && [ ! -s "$3" ]' sh "$rc" "$tmp/err" "$tmp/out"
done
# No journal left (lu-ctl-finish.service finished the update at boot):
# exit 9, and with --json the failure object says ENOENT, so that a
# caller (contrib/ansible) tells it from a damaged journal (exit 5).
mkdir -p "$tmp/no-journal"
run finish --save-dir "$tmp/no-journal" --json
check "finish --save-dir without a journal --json: exit 9, errno ENOENT in its JSON" \
	python3 -c 'import json, sys
o = json.load(open(sys.argv[2]))
sys.exit(not (sys.argv[1] == "9" and o["errno"] == "ENOENT" and o["state"] is None and
              "journal-absent" in o["error"]))' "$rc" "$tmp/out"
printf '{' > "$tmp/no-journal/journal"
run finish --save-dir "$tmp/no-journal" --json
check "... a truncated journal instead: exit 5, errno EINVAL in its JSON" \
	python3 -c 'import json, sys
o = json.load(open(sys.argv[2]))
sys.exit(not (sys.argv[1] == "5" and o["errno"] == "EINVAL"))' "$rc" "$tmp/out"
run stage
check "stage without XEN: exit 2, no Xen image given" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: stage: no Xen image given" "$2"' sh "$rc" "$tmp/err"
run verify a b
check "verify with two files: exit 2, the second is unexpected" \
	sh -c '[ "$1" = 2 ] && grep -qx "lu-ctl: verify: unexpected argument .b." "$2"' sh "$rc" "$tmp/err"

# Without the module: nothing is staged, and it is not loaded to say so.
for cmd in prepare commit finish cancel; do
	mock LU_MOCK_NODEV=1 -- $cmd
	expect 4 "$cmd without the module"
	check "... says it is not loaded and what to run" \
		has "the module is not loaded (no /dev/xen/liveupdate: ENOENT), so nothing is staged: run 'lu-ctl stage' first"
	mock LU_MOCK_NODEV=1 -- $cmd --json
	check "$cmd --json without the module: exit 4, JSON errno ENOENT" \
		test "$rc:$(json errno)" = "4:ENOENT"
done
mock LU_MOCK_NODEV=1 -- unstage
expect 4 "unstage without the module"
check "... says it is not loaded, so there is nothing to unload (it does not load it)" \
	has "lu-ctl: xen_liveupdate: unstage failed: the module is not loaded (no /dev/xen/liveupdate: ENOENT), so nothing is staged: nothing to unload"
mock LU_MOCK_NODEV=1 -- unstage --json
check "unstage --json without the module: exit 4, JSON errno ENOENT" \
	test "$rc:$(json errno)" = "4:ENOENT"
mock LU_MOCK_NODEV=1 -- records --handed-over
expect 4 "records --handed-over without the module"
if [ ! -e /sys/module/xen_liveupdate ] && [ ! -e /dev/xen/liveupdate ]; then
	run prepare
	expect 4 "prepare on this host (no module): no device"
	check "... naming the module" has "lu-ctl: xen_liveupdate: prepare failed: the module is not loaded"
else
	skip "prepare on this host (no module): no device" "xen_liveupdate is loaded here"
	skip "... naming the module" "xen_liveupdate is loaded here"
fi

# prepare
mock -- prepare
expect 0 "prepare"
check "... prints the records' counts" \
	has "prepared:      2 domains, 3 backends, 12 event channels, 1 participant records" out
check "... bytes and machine address" has "records:       2048 bytes at 0x8a400000" out
check "... no timing: the ioctl has none since ABI 6 (tracepoints)" \
	sh -c '! grep -Eq "^(collect|load):| us$" "$1"' sh "$tmp/out"
mock -- prepare --json
check "prepare --json: records_len, records_dest, nr_domains, no *_ns" \
	sh -c '[ "$1" = "0:2048:2319450112:2" ] && ! grep -q "_ns\"" "$2"' sh \
	"$rc:$(json records_len):$(json records_dest):$(json nr_domains)" "$tmp/out"
mock -- prepare --force --json
check "prepare --force passes XEN_LU_PREPARE_FORCE (nr_unstable 1)" \
	test "$rc:$(json nr_unstable)" = "0:1"
mock LU_MOCK_ERRNO=$EBUSY LU_MOCK_CHECK=4 -- prepare
expect 1 "prepare refused: backend state"
check "... names the check, the backend, both states and --force" \
	has "EBUSY: check backend-state: backend vif 1/0 is in a transitional state: backend InitWait (2), frontend Connected (4): wait for it to settle, or pass --force; nothing changed"
check "... and prints nothing on stdout" test ! -s "$tmp/out"
mock LU_MOCK_ERRNO=$EBUSY LU_MOCK_CHECK=4 -- prepare --json
check "prepare --json refused: check, errno, backend fields, state" \
	test "$rc:$(json check):$(json errno):$(json backend_type):$(json backend_frontend_domid):$(json backend_devid):$(json backend_state):$(json frontend_state):$(json state)" = "1:backend-state:EBUSY:vif:1:0:2:4:staged"
mock LU_MOCK_ERRNO=$EOPNOTSUPP LU_MOCK_CHECK=2 -- prepare
expect 3 "prepare refused: capability (EOPNOTSUPP)"
check "... names the check" has "EOPNOTSUPP: check capability: the hypervisor has no live update"
mock LU_MOCK_ERRNO=$EINVAL LU_MOCK_CHECK=6 -- prepare --json
check "prepare refused by a participant: exit 1, names it" \
	test "$rc:$(json check):$(json participant)" = "1:participant:test-participant"
check "... on stderr too" has "check participant: participant 'test-participant' failed: Invalid argument"
mock LU_MOCK_ERRNO=$EIO LU_MOCK_CHECK=5 -- prepare
check "prepare: collect failed in a participant: exit 1, names it" \
	sh -c '[ "$1" = 1 ] && grep -q "check collect: collecting participant .test-participant. failed" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_ERRNO=$EIO LU_MOCK_CHECK=8 -- prepare
check "prepare: load refused by the hypervisor: exit 1" \
	sh -c '[ "$1" = 1 ] && grep -q "EIO: check load: the hypervisor refused the image with the records" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EALREADY -- prepare
expect 9 "prepare when prepared (EALREADY)"
check "... says so and what to run" \
	has "EALREADY: already prepared (device is PREPARED): run 'lu-ctl commit', or 'lu-ctl cancel' to start again"
mock LU_MOCK_STATE=0 LU_MOCK_ERRNO=$ENOENT -- prepare --json
check "prepare with nothing staged: exit 9, JSON state idle, errno ENOENT" \
	test "$rc:$(json state):$(json errno):$(json check)" = "9:idle:ENOENT:none"
check "... stderr: nothing is staged (device is IDLE)" \
	has "ENOENT: nothing is staged (device is IDLE): run 'lu-ctl stage' first"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EBUSY -- prepare
expect 9 "prepare when committed (EBUSY, no check)"
check "... says run finish" has "EBUSY: the update is committed (device is COMMITTED): run 'lu-ctl finish' first"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EBUSY -- prepare
expect 1 "prepare EBUSY with no check in STAGED is not a state error"

# commit
mock LU_MOCK_STATE=2 -- commit
expect 0 "commit: updated"
check "... says updated, generation, changes" \
	sh -c 'grep -q "^result: *updated" "$1" && grep -q "^generation: *2$" "$1" && grep -q "^backends: *1 changed" "$1" && grep -q "^domains: *unchanged" "$1" && grep -q "^reloaded: *yes" "$1"' sh "$tmp/out"
check "... no freeze, frozen window or exec time (tracepoints since ABI 6)" \
	sh -c '! grep -Eq "^(freeze|frozen window|exec):| us$" "$1"' sh "$tmp/out"
mock LU_MOCK_STATE=2 -- commit --json
check "commit --json: result, generation, changed_*, reloaded, no *_ns" \
	sh -c '[ "$1" = "0:updated:2:False:1:True" ] && ! grep -q "_ns\"" "$2"' sh \
	"$rc:$(json result):$(json generation):$(json changed_domains):$(json changed_backends):$(json reloaded)" "$tmp/out"
mock LU_MOCK_STATE=2 LU_MOCK_RESULT=2 -- commit
expect 7 "commit: scheduled"
check "... says scheduled and xen#2 is not running yet" \
	grep -q "^result: *scheduled: .*xen#2 is not running yet" "$tmp/out"
mock LU_MOCK_STATE=2 LU_MOCK_RESULT=2 -- commit --json
check "commit --json scheduled: exit 7, result scheduled" \
	test "$rc:$(json result)" = "7:scheduled"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$ETIMEDOUT LU_MOCK_CHECK=9 -- commit
expect 1 "commit failed: freeze"
check "... names the check and errno, and that nothing is lost" \
	has "ETIMEDOUT: check freeze: dom0's backends could not be frozen within 5000 ms; nothing lost: backends unfrozen, image still staged, device PREPARED"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EIO LU_MOCK_CHECK=10 -- commit --json
check "commit --json failed exec: check, errno, state prepared" \
	test "$rc:$(json check):$(json errno):$(json state)" = "1:exec:EIO:prepared"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EIO LU_MOCK_CHECK=6 -- commit --json
check "commit failed in a participant: names it" \
	test "$rc:$(json participant)" = "1:test-participant"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$ENODATA LU_MOCK_CHECK=11 -- commit
check "commit: identity unreadable: exit 1, COMMITTED, run finish, not 'nothing lost'" \
	sh -c '[ "$1" = 1 ] && grep -q "check identity: .*the device is COMMITTED; run .lu-ctl finish." "$2" && ! grep -q "nothing lost" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EOPNOTSUPP LU_MOCK_CHECK=2 -- commit
expect 3 "commit failed: capability (EOPNOTSUPP)"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EPROTO -- commit
expect 9 "commit before prepare (EPROTO)"
check "... nothing prepared (device is STAGED): run 'lu-ctl prepare' first" \
	has "EPROTO: nothing prepared (device is STAGED): run 'lu-ctl prepare' first"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EALREADY -- commit
expect 9 "commit when committed (EALREADY)"
check "... run finish" has "EALREADY: already committed (device is COMMITTED): run 'lu-ctl finish'"
mock LU_MOCK_STATE=3 LU_MOCK_ERRNO=$EBUSY -- commit --json
check "commit during a commit (EBUSY): exit 9, state committing" \
	test "$rc:$(json state)" = "9:committing"
mock LU_MOCK_STATE=0 LU_MOCK_ERRNO=$ENOENT -- commit
expect 9 "commit with nothing staged (ENOENT)"

# finish
mock LU_MOCK_STATE=4 -- finish
expect 0 "finish without differences"
check "... update count, generation, no verify time, counts, connected" \
	sh -c 'grep -q "^finished: *update 1, generation 2$" "$1" && ! grep -q "^verify:" "$1" && grep -q "^found: *2 domains, 3 backends, 12 event channels$" "$1" && grep -q "^connected: *2 backends" "$1" && grep -q "^differences: *none$" "$1"' sh "$tmp/out"
mock LU_MOCK_STATE=4 -- finish --json
check "finish --json: \"differences\":[] on one line, updates, generation" \
	test "$rc:$(grep -c '"differences": *\[ *\]' "$tmp/out"):$(json updates):$(json generation):$(json nr_connected)" = "0:1:1:2:2"
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=9 -- finish
expect 8 "finish with differences"
for line in "domain 2: missing" \
	    "backend vif 1/0: backend state Connected -> Closed" \
	    "evtchn port 9: remote 1:3 -> 1:4" \
	    "backend vbd 1/51712: ring references changed" \
	    "backend vbd 1/51712: frontend state Connected -> Closing" \
	    "evtchn port 7: status interdomain -> unbound" \
	    "domain 1: uuid or name changed" \
	    "backend vif 1/0: event channels changed" \
	    "domain 3: new"; do
	check "... prints '$line'" grep -qx "  $line" "$tmp/out"
done
check "... and how many" grep -q "^differences: *9$" "$tmp/out"
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=11 -- finish
check "finish names an unrecordable difference: 'backend vif 1/1: unrecordable none -> queues'" \
	grep -qx "  backend vif 1/1: unrecordable none -> queues" "$tmp/out"
check "finish names an unverified one with its errno: 'records: unverified (EIO): ...'" \
	grep -qx "  records: unverified (EIO): dom0's records could not be collected, nothing was compared" "$tmp/out"
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=11 -- finish --json
check "finish --json: field unrecordable (expected 0, found 1), field unverified of kind records with errno EIO" \
	test "$rc:$(json differences 9 field):$(json differences 9 expected):$(json differences 9 found):$(json differences 10 kind):$(json differences 10 field):$(json differences 10 found):$(json differences 10 errno)" = "8:unrecordable:0:1:records:unverified:5:EIO"
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=3 -- finish --json
check "finish --json: a difference as kind, field, domid, id, type, expected, found" \
	test "$rc:$(json differences 1 kind):$(json differences 1 field):$(json differences 1 domid):$(json differences 1 id):$(json differences 1 type):$(json differences 1 expected):$(json differences 1 found)" = "8:backend:backend-state:1:0:vif:4:6"
check "... no type but for a backend; nr_differences 3" \
	test "$(json differences 0 type || echo none):$(json nr_differences)" = "none:3"
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=300 -- finish
expect 8 "finish with 300 differences, room for 256"
check "... says how many were not shown" \
	grep -q "^  \.\.\. 44 more differences not shown" "$tmp/out"
check "... shows 256" test "$(grep -c '^  [a-z]' "$tmp/out")" = 256
mock LU_MOCK_STATE=4 LU_MOCK_DIFFS=300 -- finish --json
check "finish --json with 300: 256 in the array, nr_differences 300" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (len(d["differences"]) == 256 and d["nr_differences"] == 300))' "$tmp/out"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EAGAIN -- finish
expect 7 "finish before xen#2 runs (EAGAIN)"
check "... says xen#2 is not running yet, nothing changed" \
	has "EAGAIN: xen#2 is not running yet"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EAGAIN -- finish --json
check "finish --json EAGAIN: exit 7, errno, state committed" \
	test "$rc:$(json errno):$(json state)" = "7:EAGAIN:committed"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EPROTO -- finish
expect 9 "finish before commit (EPROTO)"
check "... run commit" has "EPROTO: nothing committed (device is PREPARED): run 'lu-ctl commit' first"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EPROTO -- finish
check "finish when only staged: exit 9, run prepare and commit" \
	sh -c '[ "$1" = 9 ] && grep -q "run .lu-ctl prepare. and .lu-ctl commit. first" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EIO -- finish
check "finish: a collection fails: exit 1, nothing changed" \
	sh -c '[ "$1" = 1 ] && grep -q "EIO: .*nothing changed" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EFAULT -- finish
check "finish: EFAULT: exit 1, finished all the same" \
	sh -c '[ "$1" = 1 ] && grep -q "finished all the same" "$2"' sh "$rc" "$tmp/err"

# cancel
mock LU_MOCK_STATE=2 -- cancel
expect 0 "cancel"
check "... says the image stays staged" grep -q "^cancelled: .*device STAGED" "$tmp/out"
mock LU_MOCK_STATE=2 -- cancel --json
check "cancel --json: cancelled, state staged" \
	test "$rc:$(json cancelled):$(json state)" = "0:True:staged"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EPROTO -- cancel
expect 9 "cancel with nothing prepared (EPROTO)"
mock LU_MOCK_STATE=4 -- cancel
expect 0 "cancel after the exec (ABI 5: from COMMITTED)"
check "... says the image is unloaded and the backends unfrozen (device IDLE)" \
	grep -q "^cancelled: the committed update is dropped, the image unloaded and dom0's backends unfrozen (device IDLE)$" "$tmp/out"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EBUSY -- cancel --json
check "cancel after the exec: the hypervisor refuses the unload: exit 1, stays committed" \
	test "$rc:$(json state)" = "1:committed"
check "... names the unload" has "the hypervisor refused to unload the image"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EBUSY -- cancel --json
check "cancel: the hypervisor refuses the reload: exit 1, stays prepared" \
	test "$rc:$(json state)" = "1:prepared"

# unstage: its ENOENT and EBUSY are the state's, or the hypervisor's
mock LU_MOCK_STATE=0 LU_MOCK_ERRNO=$ENOENT -- unstage
expect 9 "unstage with nothing staged (ENOENT)"
check "... says nothing is staged" has "ENOENT: nothing is staged (device is IDLE)"
mock LU_MOCK_STATE=2 LU_MOCK_ERRNO=$EBUSY -- unstage
expect 9 "unstage while prepared (EBUSY)"
check "... run cancel" has "(device is PREPARED): run 'lu-ctl cancel' first"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EBUSY -- unstage
expect 1 "unstage refused by the hypervisor (EBUSY while STAGED)"
check "... says the image stays staged" \
	has "EBUSY: the hypervisor refused: a kexec is in progress; the image stays staged"
mock LU_MOCK_STATE=1 -- unstage
check "unstage: exit 0, says unstaged" \
	test "$rc:$(cat "$tmp/out")" = "0:unstaged"
mock LU_MOCK_STATE=1 -- unstage --json
check "unstage --json: unstaged, state idle" \
	test "$rc:$(json unstaged):$(json state)" = "0:True:idle"
mock LU_MOCK_STATE=0 LU_MOCK_ERRNO=$ENOENT -- unstage --json
check "unstage --json with nothing staged: exit 9, errno ENOENT, state idle" \
	test "$rc:$(json errno):$(json state)" = "9:ENOENT:idle"
mock LU_MOCK_STATE=4 LU_MOCK_ERRNO=$EBUSY -- unstage --json
check "unstage --json when committed: exit 9, errno EBUSY, state committed" \
	test "$rc:$(json errno):$(json state)" = "9:EBUSY:committed"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EBUSY -- unstage --json
check "unstage --json refused by the hypervisor: exit 1, errno EBUSY, state staged, error" \
	sh -c '[ "$1" = "1:EBUSY:staged" ] && grep -q "the image stays staged" "$2"' sh \
	"$rc:$(json errno):$(json state)" "$tmp/out"

# stage: an image built from a real xen.gz and a 24 MiB module, the STAGE
# ioctl taking 0.6 s as a large image's copy and hash would.  On a
# terminal (script(1)'s pty) one progress line is redrawn in place with the
# time, and erased before the result; on a pipe or with --json, none.
xen=$(ls /boot/xen-*.gz 2>/dev/null | head -n 1)
truncate -s 24M "$tmp/module"
# progress RC FILE: exit 0, and FILE shows a redrawn "stage: loading"
# line, erased before the result
progress() {
	[ "$1" = 0 ] || return 1
	shift
	python3 -c 'import re, sys
t = open(sys.argv[1], "rb").read()
times = re.findall(rb"\rlu-ctl: stage: loading [0-9.]+ MiB into the hypervisor \[([0-9.]+) s\]\x1b\[K", t)
sys.exit(not (len(set(times)) >= 2 and re.search(rb"\r\x1b\[Kstaged: ", t)))' "$1"
}
if [ -n "$xen" ]; then
	args="$xen --append console=com1 --module $tmp/module"
	LU_MOCK_STAGE_MS=600 LD_PRELOAD=$mock script -qec "$luctl stage $args" /dev/null > "$tmp/tty" 2>&1
	check "stage on a terminal: exit 0, one progress line redrawn with the time, erased before the result" \
		progress $? "$tmp/tty"
	mock LU_MOCK_STAGE_MS=600 -- stage $args
	check "stage on a pipe: exit 0, no progress on stderr" \
		sh -c '[ "$1" = 0 ] && grep -q "^staged: " "$2" && ! grep -q "stage: loading" "$3" && ! grep -q "$(printf "\r")" "$3"' sh "$rc" "$tmp/out" "$tmp/err"
	LU_MOCK_STAGE_MS=600 LD_PRELOAD=$mock script -qec "$luctl stage --json $args" /dev/null > "$tmp/tty" 2>&1
	check "stage --json on a terminal: exit 0, no progress" \
		sh -c '[ "$1" = 0 ] && grep -q "\"schema\": *\"lu-ctl-stage/" "$2" && ! grep -q "stage: loading" "$2"' sh $? "$tmp/tty"
	mock -- stage --json $args
	check "stage --json: the staged image and its method" \
		test "$rc:$(json method):$(json type)" = "0:live-update:live-update"
	mock LU_MOCK_ERRNO=$EBUSY -- stage --replace $args
	LD_PRELOAD=$mock LU_MOCK_ERRNO=$EBUSY script -qec "$luctl stage --replace $args" /dev/null > "$tmp/tty" 2>&1
	check "stage refused on a terminal: the progress line is erased before the diagnostic" \
		python3 -c 'import sys; t = open(sys.argv[1], "rb").read(); sys.exit(not (b"\r\x1b[Klu-ctl: /dev/xen/liveupdate: stage failed: " in t))' "$tmp/tty"
else
	for t in "stage on a terminal" "stage on a pipe" "stage --json on a terminal" "stage --json" "stage refused on a terminal"; do
		skip "$t" "no /boot/xen-*.gz"
	done
fi

# status
mock LU_MOCK_STATE=4 LU_MOCK_SIMULATED=1 LU_MOCK_UPDATES=3 -- status
expect 0 "status, committed, simulated"
check "... SIMULATED on the first line" \
	sh -c 'head -n 1 "$1" | grep -q "SIMULATED live-update hypervisor (test suite)"' sh "$tmp/out"
check "... state committed, frozen, records, last commit, updates" \
	sh -c 'grep -q "state committed$" "$1" && grep -q "^frozen: *yes" "$1" && grep -q "^records: *2048 bytes handed over at 0x8a400000, generation 1$" "$1" && grep -q "^last commit: *updated$" "$1" && grep -q "^updates: *3 finished" "$1"' sh "$tmp/out"
mock LU_MOCK_STATE=4 LU_MOCK_SIMULATED=1 -- status --json
check "status --json: simulated, state, frozen, generation, records, commit_result" \
	test "$rc:$(json simulated):$(json module state):$(json module frozen):$(json module generation):$(json module records_len):$(json module records_dest):$(json module commit_result)" = "0:True:committed:True:1:2048:2319450112:updated"
for s in 0:idle 1:staged 2:prepared 3:committing 4:committed; do
	mock LU_MOCK_STATE=${s%%:*} -- status --json
	check "status --json names state ${s%%:*} '${s#*:}'" \
		test "$(json module state)" = "${s#*:}"
done
# No live update, and no toolstack here for save-restore: no method.
mock LU_MOCK_STATE=0 LU_MOCK_LU_ERRNO=22 -- status
expect 3 "status: no live update, save-restore unavailable: no update method"
check "... says why for each method" \
	sh -c 'grep -Eq "^ *live-update +unavailable: .*EINVAL" "$1" && grep -Eq "^ *save-restore +unavailable: .+" "$1"' sh "$tmp/out"
mock LU_MOCK_STATE=0 LU_MOCK_LU_ERRNO=22 -- status --json
check "status --json: exit 3, both methods unavailable" \
	test "$rc:$(json methods 0 available):$(json methods 1 available)" = "3:False:False"
mock LU_MOCK_STATE=0 -- status
check "status when idle, real hypervisor: no SIMULATED, nothing handed over, not frozen" \
	sh -c '! grep -q SIMULATED "$1" && grep -q "^records: *none handed over$" "$1" && ! grep -q "^frozen:" "$1"' sh "$tmp/out"
mock LU_MOCK_STATE=0 -- status --json
check "status --json when idle: simulated false, commit_result null" \
	test "$(json simulated):$(json module commit_result)" = "False:None"

# records --handed-over
mock LU_MOCK_STATE=2 -- records --handed-over
expect 0 "records --handed-over when prepared"
check "... says handed over and the generation" \
	has "handed over to the hypervisor: generation 2" out
mock LU_MOCK_STATE=2 -- records --handed-over --json
check "records --handed-over --json: handed_over, header generation" \
	test "$rc:$(json handed_over):$(json header generation)" = "0:True:2"
mock LU_MOCK_STATE=2 -- records -H -o "$tmp/handed.bin"
check "records -H -o FILE writes a dump lu-ctl verify accepts" \
	sh -c '[ "$1" = 0 ] && "$2" verify -q "$3"' sh "$rc" "$luctl" "$tmp/handed.bin"
mock LU_MOCK_STATE=2 -- records -Hj
check "records -Hj (bundled short options): handed over, JSON" \
	test "$rc:$(json handed_over)" = "0:True"
mock LU_MOCK_STATE=2 -- records --hand --js
check "records --hand --js (unambiguous prefixes): handed over, JSON" \
	test "$rc:$(json handed_over)" = "0:True"
mock LU_MOCK_STATE=2 -- records --output="$tmp/eq.bin" --handed-over
check "records --output=FILE writes what -o FILE writes" \
	sh -c '[ "$1" = 0 ] && cmp -s "$2" "$3"' sh "$rc" "$tmp/eq.bin" "$tmp/handed.bin"
cp "$tmp/handed.bin" "$tmp/-q"
run verify "$tmp/handed.bin" --quiet
check "verify FILE --quiet (an option after the operand): exit 0, nothing printed" \
	test "$rc:$(wc -c < "$tmp/out")" = "0:0"
(cd "$tmp" && "$luctl" verify -- -q > out 2> err); rc=$?
check "verify -- -q: after --, -q is a file name" \
	sh -c '[ "$1" = 0 ] && grep -q "^-q: valid dom0 records dump" "$2"' sh "$rc" "$tmp/out"
mock LU_MOCK_STATE=1 LU_MOCK_ERRNO=$EPROTO -- records --handed-over
expect 9 "records --handed-over before prepare (EPROTO)"
check "... nothing handed over: run 'lu-ctl prepare'" \
	has "EPROTO: nothing handed over (device is STAGED): run 'lu-ctl prepare'"
mock -- records --json
check "records (collect now) is not handed over" \
	test "$rc:$(json handed_over)" = "0:False"

# records version 2: queues, guest-sized rings, unrecordable devices
mock -- records
expect 0 "records"
check "... prints the 8-queue vbd's queues and 128 ring refs, cut after 16" \
	grep -q "^backend vbd *1/51728 *state 4/4 queues 8 rings 1000,1001,.*,1015,\.\.\. (128) evtchns 30,.*,37 x86_64-abi$" "$tmp/out"
check "... marks the devices past a cap 'unrecordable (<reason>)'" \
	sh -c 'grep -q "^backend vif *1/1 *state 4/4 unrecordable (queues) /local/domain/0/backend/vif/1/1$" "$1" && grep -q "^backend ? *1/0 *state 4/4 unrecordable (size) /local/domain/0/backend/9pfs-passthrough/1/0$" "$1"' sh "$tmp/out"
mock -- records --json
check "records --json: nr_queues 8, 128 ring_refs, 8 evtchns, unrecordable null" \
	python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))["backends"]
sys.exit(not (b[1]["nr_queues"] == 8 and len(b[1]["ring_refs"]) == 128 and b[1]["ring_refs"][127] == 1127 and b[1]["evtchns"] == list(range(30, 38)) and b[1]["unrecordable"] is None and b[0]["nr_queues"] == 0))' "$tmp/out"
check "records --json: unrecordable \"queues\" and \"size\" (empty type), no rings" \
	python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))["backends"]
sys.exit(not ([x["unrecordable"] for x in b[2:]] == ["queues", "size"] and b[3]["type"] == "" and all(x["ring_refs"] == x["evtchns"] == x["features"] == [] and x["nr_queues"] == 0 for x in b[2:])))' "$tmp/out"
mock LU_MOCK_RECORDS_VERSION=1 -- records --json
check "records of a records version 1 dump: exit 5, nothing printed" \
	test "$rc:$(wc -c < "$tmp/out")" = "5:0"
check "... says this tool does not read version 1" \
	has "lu-ctl: records: check failed: the module's records dump is invalid (dom0.records-version): offset 0x8: record 0 (0xc0000000 DOM0_HEADER): records version 1 is not read by this tool (it reads version 2)"
mock LU_MOCK_RECORDS_VERSION=1 -- records -o "$tmp/v1.bin"
check "records -o writes a version 1 dump as it is (verify refuses it)" \
	sh -c '[ "$1" = 0 ] && ! "$2" verify -q "$3" 2>/dev/null' sh "$rc" "$luctl" "$tmp/v1.bin"

# save-restore's plan: the mock stages a cold image whose SHA-256 is zeros
zeros=0000000000000000000000000000000000000000000000000000000000000000
# write_plan JSON: the plan file holds JSON
write_plan() { mkdir -p "$LU_CTL_TEST_PLAN_DIR" && printf '%s\n' "$1" > "$plan"; }
# plan_json [SHA256] [PREPARED]: a plan as stage writes it
plan_json() {
	printf '{"update_id":"0123456789abcdef0123456789abcdef","save_dir":"%s",' "$tmp"
	printf '"live":true,"parallel":4,"xen2_sha256":"%s","prepared":%s}' \
		"${1:-$zeros}" "${2:-false}"
}
write_plan "$(plan_json)"
mock LU_MOCK_COLD=1 -- status --json
check "status: a cold image with its plan is a save-restore update" \
	test "$rc:$(json method)" = "0:save-restore"
mock LU_MOCK_COLD=1 -- cancel
check "cancel of a save-restore update not prepared: exit 9, says so" \
	sh -c '[ "$1" = 9 ] && grep -qx "lu-ctl: save-restore: cancel failed: not prepared (lu-ctl prepare): nothing to cancel" "$2"' sh "$rc" "$tmp/err"
mock LU_MOCK_COLD=1 -- commit
check "commit of a save-restore update not prepared: exit 9, says so" \
	sh -c '[ "$1" = 9 ] && grep -qx "lu-ctl: save-restore: commit failed: not prepared (lu-ctl prepare)" "$2"' sh "$rc" "$tmp/err"
write_plan "$(plan_json "" true)"
mock LU_MOCK_COLD=1 -- cancel --json
check "cancel of a prepared save-restore update: exit 0, still staged, the plan unmarked" \
	sh -c '[ "$1" = "0:save-restore:staged" ] && grep -q "\"prepared\": *false" "$2"' sh \
	"$rc:$(json method):$(json state)" "$plan"
write_plan "$(plan_json "1$(echo $zeros | cut -c2-)")"
mock LU_MOCK_COLD=1 -- status --json
check "status: a plan for another image is not this update's, and status keeps it" \
	test "$rc:$(json method):$(json method_note):$(test -e "$plan" && echo kept)" = "0:cold:every domain is lost on exec:kept"
mock LU_MOCK_COLD=1 LU_MOCK_STATE=2 -- cancel
check "cancel: a plan for another image is stale: removed, the device's cancel runs" \
	sh -c '[ "$1" = 0 ] && [ ! -e "$2" ]' sh "$rc" "$plan"
# A damaged plan beside its cold image: prepare, commit and cancel name
# the file and what is wrong, say what to do, and keep it.
damaged() {
	write_plan "$1"
	for cmd in prepare commit cancel; do
		mock LU_MOCK_COLD=1 LU_MOCK_STATE=1 -- $cmd
		check "$cmd with a plan that $2: exit 6, nothing on stdout, the plan kept" \
			sh -c '[ "$1" = 6 ] && [ ! -s "$2" ] && [ -e "$3" ]' sh "$rc" "$tmp/out" "$plan"
		check "... names the plan, says '$3', stage again or unstage" \
			grep -qxF "lu-ctl: $plan: read the save-restore plan failed: $3: stage xen#2 again (lu-ctl stage --replace --method save-restore ...) or drop it (lu-ctl unstage)" "$tmp/err"
	done
}
damaged '{"update_id":' "is cut short" "not JSON"
damaged '[1, 2]' "is an array" "not a JSON object"
damaged "$(plan_json | sed 's/"save_dir":"[^"]*",//')" "lacks save_dir" \
	'"save_dir": missing, or not a string'
damaged "$(plan_json | sed 's/"live":true/"live":"yes"/')" "has a live that is no boolean" \
	'"live": missing, or not true or false'
damaged "$(plan_json | sed 's/"parallel":4/"parallel":0/')" "has parallel 0" \
	'"parallel": missing, or not 1 to 64'
damaged "$(plan_json abc)" "has a short digest" \
	'"xen2_sha256": missing, or not 64 hex digits'
damaged "$(plan_json | sed 's/"prepared":false/"prepared":null/')" "has prepared null" \
	'"prepared": missing, or not true or false'
write_plan '{"update_id":'
mock LU_MOCK_STATE=1 -- prepare
check "prepare: a damaged plan beside a live-update image is stale: removed, prepare runs" \
	sh -c '[ "$1" = 0 ] && [ ! -e "$2" ]' sh "$rc" "$plan"
write_plan '{"update_id":'
mock LU_MOCK_COLD=1 -- status
check "status with a damaged plan: exit 0, says the plan is damaged and keeps it" \
	sh -c '[ "$1" = 0 ] && grep -q "^method: *save-restore (its plan is damaged: lu-ctl prepare says why)$" "$2" && [ -e "$3" ]' sh "$rc" "$tmp/out" "$plan"
rm -f "$plan"

# -f legacy: verify and dump take the legacy format (its checks are
# tests/legacy's); a legacy HVM head (p2m_size 300, a batch of 300, both
# 32-bit) has no magic, so without -f its error names the format.
printf '\054\001\000\000\054\001\000\000' > "$tmp/hvm.head"
for cmd in verify dump; do
	run $cmd --help
	check "$cmd --help lists the legacy format" has "xl or legacy" out
	run $cmd -f legacy "$tmp/hvm.head"
	expect 5 "$cmd -f legacy on a cut legacy stream: read as legacy, truncated"
	check "... says where it was cut" has "stream ends inside a pfn array"
	run $cmd "$tmp/hvm.head"
	expect 5 "$cmd without -f on a legacy HVM head"
	check "... names the likely format" has "it looks like a legacy (pre-Xen 4.6) HVM stream of a 32-bit toolstack"
	run $cmd -f nope "$tmp/hvm.head"
	expect 2 "$cmd -f nope: unknown format"
	check "... says so" has "lu-ctl: $cmd: unknown format 'nope'"
done

schema_checks "lu-ctl against the mock device"

finish
