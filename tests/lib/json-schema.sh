# SPDX-License-Identifier: GPL-2.0-only
#
# lu-ctl's --json output in the host tests' shell scripts: its values,
# and its check against its schemas (tools/lu-ctl/schema/).  Source it
# after tap.sh, with $top (the tree) and $tmp (a scratch directory) set.
#
# jget FILE KEY...: the value of a top-level or nested "key": value (a
#	number KEY indexes an array) of the JSON in FILE.
# schema_keep FILE: keep a copy of FILE, when it holds JSON, for
#	schema_checks.
# schema_checks WHAT: one test that every kept output is valid against the
#	schema it names, and three that the same check refuses a wrong output
#	(its version bumped, a field added, a field of the wrong type).

check_json=$top/scripts/check-json.py
mkdir -p "$tmp/schema-kept"
schema_kept=0

jget() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d = d[int(k)] if isinstance(d, list) else d[k]
print(d)' "$@"
}

schema_keep() {
	[ "$(head -c 1 "$1")" = "{" ] || return 0
	schema_kept=$((schema_kept + 1))
	cp "$1" "$tmp/schema-kept/$schema_kept.json"
}

# schema_mutant HOW IN OUT: IN's document changed as HOW says
schema_mutant() {
	python3 - "$@" <<'PY'
import json, sys
how, src, dst = sys.argv[1:]
d = json.load(open(src))
if how == "version":
    d["schema"] = d["schema"].rsplit("/", 1)[0] + "/999"
elif how == "added":
    d["not_in_the_schema"] = 1
else:
    last = list(d)[-1]
    d[last] = 12345 if isinstance(d[last], str) else "wrong type"
json.dump(d, open(dst, "w"))
PY
}

# refused FILE: check-json.py says FILE is invalid
schema_refused() {
	"$check_json" "$1" > "$1.out" 2>&1
	[ $? = 1 ] && grep -q ": invalid: " "$1.out"
}

schema_checks() {
	local first=$tmp/schema-kept/1.json how what

	check "$1: every --json output ($schema_kept) is valid against its schema" \
		sh -c '[ "$1" -gt 0 ] && "$2" "$3"/*.json > "$3.log" || { cat "$3.log" >&2; false; }' \
		sh "$schema_kept" "$check_json" "$tmp/schema-kept"
	for how in version added type; do
		schema_mutant "$how" "$first" "$tmp/mutant-$how.json"
		case $how in
		version) what="its schema version bumped" ;;
		added) what="a field the schema does not know" ;;
		type) what="a field of the wrong type" ;;
		esac
		check "$1: the check refuses an output with $what" \
			schema_refused "$tmp/mutant-$how.json"
	done
}
