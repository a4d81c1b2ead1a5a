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
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
# the value of a top-level or nested "key":value in lu-ctl's JSON
jget() { python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d=d[int(k)] if isinstance(d, list) else d[k]
print(d)' "$@"; }

mkdir "$tmp/ok" "$tmp/bad"
"$here/gen-streams" "$tmp/ok" && "$here/gen-streams" -b "$tmp/bad" ||
	{ echo "Bail out! gen-streams failed"; exit 1; }
dump=$tmp/ok/lu-records-default.bin

for f in "$tmp"/ok/lu-records-*.bin; do
	name=$(basename "$f" .bin)
	"$luctl" verify --json "$f" > "$tmp/v.json"
	rc=$?
	check "verify --json accepts $name as lu-records" \
		test "$rc:$(jget "$tmp/v.json" format):$(jget "$tmp/v.json" valid)" = "0:lu-records:True"
	"$luctl" dump "$f" > "$tmp/d.txt"
	check "dump (human) of $name exits 0" test $? = 0
	"$luctl" dump --json "$f" > "$tmp/d.json"
	check "dump --json of $name exits 0, valid" \
		test "$?:$(jget "$tmp/d.json" valid)" = "0:True"
done

"$luctl" verify --json "$dump" > "$tmp/v.json"
check "verify --json reports the dom0 counts (3 domains, 3 backends, 5 channels, 1 participant)" \
	test "$(jget "$tmp/v.json" dom0 domains) $(jget "$tmp/v.json" dom0 backends) $(jget "$tmp/v.json" dom0 evtchns) $(jget "$tmp/v.json" dom0 participants)" = "3 3 5 1"
out=$("$luctl" verify "$dump")
check "verify (human) names a dom0 records dump" \
	test "${out#*: valid dom0 records dump: }" != "$out"
"$luctl" dump "$dump" > "$tmp/d.txt"
check "dump (human) prints the backend path as a string" \
	grep -q 'backend_path="/local/domain/0/backend/vbd/1/51712"' "$tmp/d.txt"
"$luctl" dump --json "$dump" > "$tmp/d.json"
check "dump --json carries the domain name as a JSON string" \
	test "$(jget "$tmp/d.json" events 1 fields name)" = "Domain-0"
check "verify -f lu-records FILE exits 0" "$luctl" verify -q -f lu-records "$dump"
check "verify - (stdin) detects a dump" sh -c '"$1" verify -q - < "$2"' sh "$luctl" "$dump"
"$luctl" verify -q -f lu "$dump" 2>/dev/null
check "verify -f lu on a dump exits 5 (not an LU stream)" test $? = 5
"$luctl" verify --json "$tmp/ok/lu-dom0.bin" > "$tmp/v.json"
check "verify --json: LU stream with dom0 records, counts reported" \
	test "$?:$(jget "$tmp/v.json" format):$(jget "$tmp/v.json" dom0 backends)" = "0:lu:3"

while read -r name fmt rule; do
	f=$tmp/bad/bad-$name.bin
	"$luctl" verify --json -f "$fmt" "$f" > "$tmp/v.json" 2>/dev/null
	rc=$?
	got=$(jget "$tmp/v.json" error rule 2>/dev/null)
	if [ $rc = 5 ] && [ "$got" = "$rule" ]; then
		ok "verify rejects bad-$name: exit 5, $rule"
	else
		notok "verify rejects bad-$name: exit 5, $rule (got exit $rc, $got)"
	fi
done < "$tmp/bad/bad.list"
"$luctl" dump "$tmp/bad/bad-order.bin" > /dev/null 2>&1
check "dump of an invalid dump exits 5" test $? = 5

echo "1..$n"
[ $fail = 0 ]
