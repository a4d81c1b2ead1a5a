#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lu-ctl verify / dump on dom0 records dumps (TAP): generated valid dumps
# are accepted as format lu-records, human and --json, from a file, with
# -f lu-records and from stdin; every invalid stream of gen_bad_dom0[]
# (gen-streams -b) exits 5 (LU_EXIT_INVALID) naming exactly its rule.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
luctl="$top/tools/lu-ctl/lu-ctl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/json-schema.sh"

mkdir "$tmp/ok" "$tmp/bad"
"$here/gen-streams" "$tmp/ok" && "$here/gen-streams" -b "$tmp/bad" ||
	{ echo "Bail out! gen-streams failed"; exit 1; }
dump=$tmp/ok/lu-records-default.bin

for f in "$tmp"/ok/lu-records-*.bin; do
	name=$(basename "$f" .bin)
	"$luctl" verify --json "$f" > "$tmp/v.json"
	rc=$?
	schema_keep "$tmp/v.json"
	check "verify --json accepts $name as lu-records" \
		test "$rc:$(jget "$tmp/v.json" format):$(jget "$tmp/v.json" valid)" = "0:lu-records:True"
	"$luctl" dump "$f" > "$tmp/d.txt"
	check "dump (human) of $name exits 0" test $? = 0
	"$luctl" dump --json "$f" > "$tmp/d.json"
	rc=$?
	schema_keep "$tmp/d.json"
	check "dump --json of $name exits 0, valid" \
		test "$rc:$(jget "$tmp/d.json" valid)" = "0:True"
done

"$luctl" verify --json "$dump" > "$tmp/v.json"
schema_keep "$tmp/v.json"
check "verify --json reports the dom0 counts (3 domains, 3 backends, 5 channels, 1 participant)" \
	test "$(jget "$tmp/v.json" dom0 domains) $(jget "$tmp/v.json" dom0 backends) $(jget "$tmp/v.json" dom0 evtchns) $(jget "$tmp/v.json" dom0 participants)" = "3 3 5 1"
out=$("$luctl" verify "$dump")
check "verify (human) names a dom0 records dump" \
	test "${out#*: valid dom0 records dump: }" != "$out"
"$luctl" dump "$dump" > "$tmp/d.txt"
check "dump (human) prints the backend path as a string" \
	grep -q 'backend_path="/local/domain/0/backend/vbd/1/51712"' "$tmp/d.txt"
"$luctl" dump --json "$dump" > "$tmp/d.json"
schema_keep "$tmp/d.json"
check "dump --json carries the domain name as a JSON string" \
	test "$(jget "$tmp/d.json" events 1 fields name)" = "Domain-0"
check "verify -f lu-records FILE exits 0" "$luctl" verify -q -f lu-records "$dump"
check "verify - (stdin) detects a dump" sh -c '"$1" verify -q - < "$2"' sh "$luctl" "$dump"
"$luctl" verify -q -f lu "$dump" 2>/dev/null
check "verify -f lu on a dump exits 5 (not an LU stream)" test $? = 5
"$luctl" verify --json "$tmp/ok/lu-dom0.bin" > "$tmp/v.json"
rc=$?
schema_keep "$tmp/v.json"
check "verify --json: LU stream with dom0 records, counts reported" \
	test "$rc:$(jget "$tmp/v.json" format):$(jget "$tmp/v.json" dom0 backends)" = "0:lu:3"

# records version 2: a backend of every shape (tests/stream/gen.h)
bdump=$tmp/ok/lu-records-backends.bin
"$luctl" dump --json "$bdump" > "$tmp/d.json"
schema_keep "$tmp/d.json"
check "dump --json: the 8-queue vbd has nr_queues 8, 128 ring refs, 8 channels" \
	python3 -c 'import json,sys
b=[e["fields"] for e in json.load(open(sys.argv[1]))["events"] if e["name"] == "DOM0_BACKEND"]
q=[f for f in b if f["nr_queues"] == 8]
sys.exit(not (len(q) == 1 and q[0]["nr_ring_refs"] == 128 and q[0]["nr_evtchns"] == 8 and q[0]["unrecordable"] == 0))' "$tmp/d.json"
check "dump --json: one unrecordable device per reason, flagged, nothing recorded" \
	python3 -c 'import json,sys
b=[e["fields"] for e in json.load(open(sys.argv[1]))["events"] if e["name"] == "DOM0_BACKEND"]
u=[f for f in b if f["unrecordable"]]
sys.exit(not ([f["unrecordable_reason"] for f in u] == ["queues", "ring-refs", "event-channels", "features", "size", "size"] and
    all(f["flags"] == 1 and f["nr_queues"] == f["nr_ring_refs"] == f["nr_evtchns"] == f["nr_features"] == 0 for f in u)))' "$tmp/d.json"
"$luctl" dump "$bdump" > "$tmp/d.txt"
check "dump (human): an unrecordable device's reason and its empty type" \
	sh -c 'grep -q "unrecordable=1 unrecordable_reason=\"queues\"" "$1" && grep -q "unrecordable_reason=\"size\" nr_queues=0 type=\"\"" "$1"' sh "$tmp/d.txt"
"$luctl" verify "$tmp/bad/bad-records-version-1.bin" > "$tmp/v.txt" 2>&1
check "verify of a records version 1 dump: exit 5, says this tool does not read version 1" \
	sh -c '[ "$1" = 5 ] && grep -q "records version 1 is not read by this tool" "$2"' sh $? "$tmp/v.txt"

while read -r name fmt rule; do
	f=$tmp/bad/bad-$name.bin
	"$luctl" verify --json -f "$fmt" "$f" > "$tmp/v.json" 2>/dev/null
	rc=$?
	schema_keep "$tmp/v.json"
	got=$(jget "$tmp/v.json" error rule 2>/dev/null)
	if [ $rc = 5 ] && [ "$got" = "$rule" ]; then
		pass "verify rejects bad-$name: exit 5, $rule"
	else
		fail "verify rejects bad-$name: exit 5, $rule (got exit $rc, $got)"
	fi
done < "$tmp/bad/bad.list"
"$luctl" dump "$tmp/bad/bad-order.bin" > /dev/null 2>&1
check "dump of an invalid dump exits 5" test $? = 5

schema_checks "verify and dump of records dumps and LU streams"

finish
