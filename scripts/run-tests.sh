#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The whole test suite (make check, .ci/run): build with W=1, checkpatch,
# the module built inside Debian's kernel source (scripts/test-intree.sh),
# the real Xen host under QEMU (module, lu-ctl, kselftests, a PV guest with
# blkback and netback), the same kernel without Xen, the host unit and
# agreement tests, and bounded fuzz runs.
#
# Every step's TAP output lands in $BUILD/results/; the last line is
# "N passed, N failed, N skipped" over every TAP result and every step
# that has none of its own.  Exit status 0 only when nothing failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$TOP/build}
RESULTS=$BUILD/results
export FUZZ_SECONDS=${FUZZ_SECONDS:-10}
# Run time of the ioctl stress in its own test-host boot.
export STRESS_SECONDS=${STRESS_SECONDS:-60}

"$TOP/scripts/install-deps.sh" || exit 1
eval "$("$TOP/scripts/kernel-env.sh")" || exit 1
export KDIR KVER
export HOST_BUILD=$BUILD/xen-host

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
: > "$RESULTS/steps.txt"

# step NAME COMMAND...: run one step, log it, record its result and time.
step() {
	local name=$1 start rc wall
	shift
	start=${EPOCHREALTIME/./}
	"$@" > "$RESULTS/$name.log" 2>&1
	rc=$?
	wall=$(( (${EPOCHREALTIME/./} - start) / 100000 ))
	wall="$((wall / 10)).$((wall % 10))"
	if [ $rc -eq 0 ]; then
		printf '%-22s ok      %7ss\n' "$name" "$wall" | tee -a "$RESULTS/steps.txt"
	else
		printf '%-22s FAILED  %7ss  (rc %d, log: %s)\n' "$name" "$wall" \
			$rc "$RESULTS/$name.log" | tee -a "$RESULTS/steps.txt"
		tail -n 25 "$RESULTS/$name.log" | sed 's/^/    | /'
	fi
	return $rc
}

# The module must build without a single warning under W=1, as shipped
# and as the test host runs it: the test build routes the live-update
# hypercalls to the SIMULATED hypervisor when that module is loaded
# (tests/simulator/).  The test build is built last and is what boots.
build_all() {
	local out rc variant
	for variant in XEN_LU_SIMULATOR= XEN_LU_SIMULATOR=y; do
		echo "== make module W=1 $variant"
		out=$(make -C "$TOP" module W=1 "$variant" 2>&1)
		rc=$?
		printf '%s\n' "$out"
		[ $rc -eq 0 ] && ! grep -E 'warning:|error:' <<< "$out" ||
			return 1
	done
	make -C "$TOP" simulator tools selftests stress
}

packages() {
	"$TOP/tests/debian/check-debs.sh" > "$RESULTS/packages.tap"
	local rc=$?
	cat "$RESULTS/packages.tap"
	return $rc
}

# The packages the "packages" step built, not built again.
host_build() {
	DEBS=$BUILD/deb "$TOP/tests/xen-host/build-initrd.sh"
}

# Boot MODE and copy its TAP files into the results.  A boot without the
# 9p share (the PVH dom0) reports on the console only: its @@TAP lines are
# the TAP.
host_boot() {
	local mode=$1 rc f n=0
	"$TOP/tests/xen-host/boot.sh" "$mode"
	rc=$?
	for f in "$HOST_BUILD/out/$mode/share"/*.tap; do
		[ -f "$f" ] || continue
		cp "$f" "$RESULTS/$mode-$(basename "$f")"
		n=$((n + 1))
	done
	if [ $n -eq 0 ]; then
		f=$RESULTS/$mode-console.tap
		sed -n 's/^\[ *[0-9.]*\] @@TAP \(\(not \)\?ok .*\)/\1/p' \
			"$HOST_BUILD/out/$mode/serial.log" > "$f.body"
		{ echo "TAP version 13"; echo "1..$(wc -l < "$f.body")"; cat "$f.body"; } > "$f"
		rm -f "$f.body"
		[ -s "$f" ] && grep -q '^ok' "$f" || rc=1
	fi
	cp "$HOST_BUILD/out/$mode/timings.txt" "$RESULTS/$mode-timings.txt" 2>/dev/null
	# A boot that ran to its end fails the step if any of its tests did.
	if grep -H '^not ok' "$RESULTS/$mode"-*.tap | grep -v '# *TODO'; then
		rc=1
	fi
	return $rc
}

# Every JSON file a boot wrote to its share is lu-ctl --json output, which
# names its schema; check each against tools/lu-ctl/schema/.
host_json() {
	local files=("$HOST_BUILD"/out/*/share/*.json)

	[ -f "${files[0]}" ] &&
	"$TOP/scripts/check-json.py" "${files[@]}" > "$RESULTS/host-json.txt" 2>&1
}

# Host-side checks of what the Xen boot brought back.
host_results() {
	local share=$HOST_BUILD/out/test/share rc
	local cold=$HOST_BUILD/out/cold-exec
	(
		. "$TOP/tests/lib/tap.sh"
		# quiet COMMAND...: COMMAND without its output, which is not TAP
		quiet() { "$@" > /dev/null 2>&1; }
		echo "TAP version 13"
		check "lu-ctl status --json output is valid JSON" \
			quiet python3 -m json.tool "$share/status.json"
		check "status JSON: live update unsupported, EINVAL" \
			quiet python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["live_update"]["supported"] is False and d["live_update"]["errno"] == 22))' "$share/status.json"
		check "no dom0 oops or WARNING on the serial console" \
			quiet bash -c "! grep -v '@@' '$HOST_BUILD/out/test/serial.log' | grep -E 'WARNING: CPU|BUG: |Oops|Kernel panic'"
		check "a real xl save stream came back" quiet test -s "$share/guest1.save"
		check "cold exec: the serial log shows two Xen boots" \
			quiet test "$(grep -c '(XEN) Command line:' "$cold/serial.log")" -eq 2
		check "cold exec: xen#2's boot log shows the brokered command line" \
			quiet bash -c "want=\$(cut -d' ' -f2- '$cold/share/xen2-cmdline.txt') && [ -n \"\$want\" ] && [ \"\$(grep '(XEN) Command line:' '$cold/serial.log' | tail -1 | sed 's/.*(XEN) Command line: //')\" = \"\$want\" ]"
		check "cold exec: dom0 of xen#2 reported (xen2.tap)" \
			quiet grep -q '^1\.\.[1-9]' "$cold/share/xen2.tap"
		check "every lu-ctl --json output the boots brought back is valid against its schema (host-json.txt)" \
			quiet host_json
		finish
	) > "$RESULTS/host-results.tap"
	rc=$?
	cat "$RESULTS/host-results.tap"
	return $rc
}

# dom0's records against xenstore-ls and lsevtchn of the same moment.
host_records() {
	local rc
	"$TOP/tests/xen-host/check-records.py" "$HOST_BUILD/out/test/share" \
		> "$RESULTS/host-records.tap"
	rc=$?
	cat "$RESULTS/host-records.tap"
	return $rc
}

unit_tests() {
	local d name rc=0
	export XEN_SAVE_DIR=$HOST_BUILD/out/test/share
	for d in "$TOP"/tests/*/; do
		name=$(basename "$d")
		case $name in
		xen-host|fuzz|lib|simulator|stress) continue ;;	# booted, not unit-tested
		esac
		[ -f "$d/Makefile" ] || continue
		make -s -C "$d" check > "$RESULTS/unit-$name.tap" 2>&1 || rc=1
		cat "$RESULTS/unit-$name.tap"
	done
	return $rc
}

# Every benchmark that compiles a program must build from a clean clone;
# running them is "make bench", not a test.
bench_build() {
	local mk
	for mk in "$TOP"/bench/*/Makefile; do
		grep -q '^build:' "$mk" || continue
		echo "== $(dirname "$mk")"
		make -C "$(dirname "$mk")" build || return 1
	done
}

fuzz_tests() {
	[ -f "$TOP/tests/fuzz/Makefile" ] || return 0
	make -s -C "$TOP/tests/fuzz" check > "$RESULTS/fuzz-replay.tap" 2>&1 &&
	make -s -C "$TOP/tests/fuzz" fuzz FUZZ_SECONDS="$FUZZ_SECONDS"
}

failed_steps=0
run() {
	step "$@" || failed_steps=$((failed_steps + 1))
}

echo "xen-liveupdate test suite: kernel $KVER, results in $RESULTS"
run build build_all
run checkpatch "$TOP/scripts/checkpatch.sh"
run intree "$TOP/scripts/test-intree.sh"
# The Debian packages and lintian; the test host installs them.
run packages packages
run host-build host_build
run xen-host-test host_boot test
TIMEOUT=900 run xen-host-guests host_boot guests
SHARE_INITRD=1 run xen-host-cold-exec host_boot cold-exec
# The save-restore method, real Xen and guests: three boots on one disk.
DOM0_DISK=2G SHARE_INITRD=1 TIMEOUT=1500 run xen-host-save-restore host_boot save-restore
DOM0_EXTRA="lustress=$STRESS_SECONDS" run xen-host-stress host_boot stress
HOST_KIND=linux run linux-host-nonxen host_boot nonxen
HOST_KIND=xen-pvh run xen-host-pvh host_boot pvh
run host-results host_results
run host-records host_records
run unit unit_tests
run bench-build bench_build
run fuzz fuzz_tests

# Count every TAP result; a failed step counts once more on its own, so a
# step that failed before printing TAP is never lost.
read -r pass fail skip < <(cat "$RESULTS"/*.tap 2>/dev/null | awk '
	/^ok [0-9]+/ { if ($0 ~ /# *SKIP/) s++; else p++ }
	/^not ok [0-9]+/ { if ($0 ~ /# *TODO/) p++; else f++ }
	END { printf "%d %d %d\n", p, f, s }')
echo
echo "steps:"
cat "$RESULTS/steps.txt"
echo
if [ "$fail" -gt 0 ]; then
	echo "failed tests:"
	grep -H '^not ok' "$RESULTS"/*.tap | grep -v '# *TODO' |
		sed "s|^$RESULTS/||"
	echo
fi
echo "$((pass)) passed, $((fail + failed_steps)) failed, $((skip)) skipped"
[ $((fail + failed_steps)) -eq 0 ]
