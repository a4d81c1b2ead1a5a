#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The guests' pause across a save-restore update of real Xen 4.17, for 1,
# 2 and 4 guests, live and non-live, against the floor measured in the
# same run: xl save and xl restore of the same guests alone, plus the cold
# boot alone (the floor's save ends with its streams on the disk, its
# restore reads them from the disk, as any reboot between needs).  One
# test-host run of several boots on one disk
# (tests/xen-host/dom0/bench-save-restore.sh).  Needs KVER and HOST_BUILD
# (scripts/run-bench.sh sets them).  PARALLEL=N: lu-ctl saves and restores
# at most N guests at once (default: lu-ctl's, twice dom0's CPUs).
# GUEST_TYPE=pvh: PVH guests instead of PV ones, on a CPU with AMD SVM and
# nested paging (boot.sh HVM_GUESTS=1): Xen tracks their dirty pages with
# HAP, so their live save runs; a PV guest's needs shadow paging, which
# Debian's Xen is built without.  RUNS="1:live 1:stop cold": only these
# configurations (guests:live, guests:stop or guests:xl, the update by
# hand, and "cold" for each cold boot alone), in this order; the default
# runs 4, 2 and 1 guests, live, non-live and by hand, then the cold boot
# twice.  XEN2_EXTRA="bootscrub=true": more words for every xen#2's
# command line (runs, by hand and cold alike).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${KVER:?}" "${HOST_BUILD:?}"
make -s -C "$TOP" module tools > /dev/null || exit 1
"$TOP/tests/xen-host/build-initrd.sh" > /dev/null || exit 1
HVM=
[ "${GUEST_TYPE:-pv}" = pv ] || HVM=1
DOM0_DISK=3G SHARE_INITRD=1 MAX_REBOOTS=0 TIMEOUT=${TIMEOUT:-5400} \
	HVM_GUESTS=$HVM \
	DOM0_EXTRA="${PARALLEL:+lupar=$PARALLEL }${HVM:+lutype=$GUEST_TYPE }${RUNS:+luruns=${RUNS// /+} }${XEN2_EXTRA:+luxen2=${XEN2_EXTRA// /+}}" \
	"$TOP/tests/xen-host/boot.sh" bench-save-restore > /dev/null
log=$HOST_BUILD/out/bench-save-restore/serial.log
if grep -q '@@BENCH-FAILED' "$log" || ! grep -q '@@BENCH-DONE' "$log"; then
	# The domains and the guests' consoles as the bench stopped.
	sed -n 's/^\[ *[0-9.]*\] \(# .*\)/\1/p; s/^\[ *[0-9.]*\] \(@@BENCH-FAILED.*\)/\1/p' "$log"
	echo "bench-save-restore did not finish: $log"
	exit 1
fi
grep -o '@@BENCH [a-z-]* .*' "$log" | sed 's/@@BENCH //' |
	awk -v par="${PARALLEL:-lu-ctl's default (twice dom0's CPUs)}" \
	    -v type="${GUEST_TYPE:-pv}" '
	function val(k,   i) {
		for (i = 2; i <= NF; i++)
			if (index($i, k "=") == 1) return substr($i, length(k) + 2)
		return ""
	}
	# A configuration run more than once (RUNS): every value kept, the
	# median shown.
	function add(a, k, v) { a[k, ++a[k, 0]] = v }
	function median(a, k,   i, j, n, t, x) {
		n = a[k, 0]
		for (i = 1; i <= n; i++)
			t[i] = a[k, i] + 0
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && t[j - 1] > t[j]; j--) {
				x = t[j]; t[j] = t[j - 1]; t[j - 1] = x
			}
		return n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
	}
	function all(a, k,   i, out) {
		for (i = 1; i <= a[k, 0]; i++)
			out = out sprintf(" %.2f", a[k, i])
		return out
	}
	$1 == "floor" { n = val("n"); fs[n] = val("save"); fr[n] = val("restore")
			fp[n] = val("pause"); fy[n] = val("sync_s") }
	$1 == "floor-cached" { n = val("n"); cs[n] = val("save"); cr[n] = val("restore") }
	$1 == "cold" { colds[++ncold] = val("boot_s"); boot += (val("boot_s") - boot) / ncold }
	$1 == "live-failed" { why = val("why"); gsub(/_/, " ", why) }
	$1 == "stopped" { stopped = stopped sprintf(" %s after %s (%s)", val("name"), val("after"), val("state")) }
	$1 == "run" || $1 == "byhand" {
		k = val("n") ":" ($1 == "run" ? val("save") : "xl")
		add(P, k, val("pause")); add(S, k, val("save_s"))
		add(B, k, val("boot_s")); add(R, k, val("restore_s"))
		keys[k] = 1
	}
	END {
		for (k in keys) {
			p[k] = median(P, k); s[k] = median(S, k)
			b[k] = median(B, k); r[k] = median(R, k)
			if (P[k, 0] > 1)
				many[k] = 1
			split(k, nk, ":")
			if (nk[2] == "xl") {
				n = nk[1]; hp[n] = p[k]; hs[n] = s[k]; hb[n] = b[k]; hr[n] = r[k]
			}
		}
		printf "saves and restores at once: %s\n", par
		printf "guests: %s, 128 MiB each\n", toupper(type)
		printf "cold boot alone (exec to the new dom0 ready): %.2f s", boot
		if (ncold > 1) {
			printf " (the mean of"
			for (i = 1; i <= ncold; i++)
				printf " %.2f", colds[i]
			printf ")"
		}
		printf "\n\n"
		printf "%-7s %-9s %8s %8s %8s %8s   %8s %6s   %8s %6s\n", "guests", "save",
		       "pause", "save", "boot", "restore", "floor", "ratio", "by hand", "ratio"
		split("1 2 4", ns, " ")
		for (i = 1; i <= 3; i++) {
			n = ns[i]
			if (!(n in fs) && !(n in hp))
				continue
			floor = n in fs ? fs[n] + boot + fr[n] : 0
			cached = n in cs ? cs[n] + boot + cr[n] : 0
			for (j = 1; j <= 2; j++) {
				m = j == 1 ? "live" : "stop"
				k = n ":" m
				if (!(k in p)) {
					if (m == "live" && why != "")
						printf "%-7s %-9s %8s  (skipped: live save fell back, below)\n",
						       n, "live", "-"
					continue
				}
				printf "%-7s %-9s %7.2fs %7.2fs %7.2fs %7.2fs", n,
				       m == "live" ? "live" : "non-live", p[k], s[k], b[k], r[k]
				if (floor)
					printf "   %7.2fs %6.2f", floor, p[k] / floor
				else
					printf "   %8s %6s", "-", "-"
				if (n in hp)
					printf "   %7.2fs %6.2f", hp[n], p[k] / hp[n]
				printf "\n"
				if (k in many)
					printf "        %d runs, medians above; pauses%s, saves%s, boots%s\n",
					       P[k, 0], all(P, k), all(S, k), all(B, k)
			}
			if (n in hp) {
				k = n ":xl"
				printf "%-7s %-9s %7.2fs %7.2fs %7.2fs %7.2fs\n", n, "by hand",
				       hp[n], hs[n], hb[n], hr[n]
				if (k in many)
					printf "        %d runs, medians above; pauses%s, saves%s, boots%s\n",
					       P[k, 0], all(P, k), all(S, k), all(B, k)
			}
			if (!floor)
				continue
			printf "        floor: xl save %.2f s (its sync %.2f s) + cold boot %.2f s + xl restore from the disk %.2f s\n",
			       fs[n], fy[n], boot, fr[n]
			if (cached)
				printf "        cached: xl save %.2f s (no sync) + cold boot %.2f s + xl restore from the cache %.2f s\n",
				       cs[n], boot, cr[n]
		}
		print "\nratio = pause / floor; goal: at most 1.1, and live pauses less than non-live"
		print "floor: the sum of xl save, the cold boot alone and xl restore, each measured alone"
		print "by hand: xl save, the cold exec of the same xen#2 and xl restore in one sequence"
		print "(the boot after saves varies by seconds in this emulated host, whoever saved)"
		print "(\"cached\": the floor as first measured, its streams never on the disk:"
		print "no reboot could restore them; for comparison with older figures)"
		if (stopped != "")
			printf "\nguests that stopped on their own after a measured run, made again:%s\n", stopped
		if (why != "") {
			print "\nlive save fell back to non-live on this hypervisor; the first live run"
			print "saved non-live, the other live runs were skipped.  libxl said:"
			print "  " why
		}
	}'
if grep -q '@@BENCH-LOG' "$log"; then
	echo
	echo "where the time went (lu-ctl's timings per guest, each run in order):"
	grep -o '@@BENCH-LOG .*' "$log" | sed 's/^@@BENCH-LOG /  /'
fi
