#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the test host once in bench-sequence mode (dom0/bench-sequence.sh)
# and print, for 1, 10, 100, 500 and 1000 SYNTHETIC backend devices in
# xenstore: the median time of lu-ctl prepare (and its collect and load
# parts), of the frozen window of lu-ctl commit (frozen -> exec issued)
# with no device changed and with 1 and 10 changed (COMMIT's precopy
# rounds and what they re-read, from the kernel log),
# of the freeze itself (xenwatch parked) and of the exec (the SIMULATED
# hypervisor's handover; the ioctl's parts as xen_liveupdate's
# tracepoints record them), and the bytes of the records handed over; then
# bytes per backend device and per event channel, and the ratios the
# issue asks for: frozen window at 1000 against 1 (flat?), prepare at
# 1000 against 100 (linear?), frozen window at 1000 under 1 ms?
#
# The live-update hypercalls are answered by the test suite's simulator
# (tests/simulator/xen_lu_sim.ko), so xen_liveupdate is built with
# XEN_LU_SIMULATOR=y.  Needs KVER and HOST_BUILD (scripts/run-bench.sh
# sets them).  LOG=<serial.log> only parses an earlier boot's log.
# BENCH_ARGS="bench.RUNS=3 bench.SIZES=1:100:1000 ..." passes settings of
# dom0/bench-sequence.sh (RUNS, DELTA_RUNS, DELTA_COUNTS, SIZES, DELTA_N,
# TRACE_SIZES, QUIET_US, QUIET_WAIT) on dom0's command line.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${LOG:-}" ]; then
	: "${KVER:?}" "${HOST_BUILD:?}"
	make -s -C "$TOP" module XEN_LU_SIMULATOR=y > /dev/null || exit 1
	make -s -C "$TOP" simulator tools > /dev/null || exit 1
	"$TOP/tests/xen-host/build-initrd.sh" || exit 1
	TIMEOUT=${TIMEOUT:-3600} DOM0_EXTRA=${BENCH_ARGS:-} \
		"$TOP/tests/xen-host/boot.sh" bench-sequence > /dev/null || exit 1
	LOG=$HOST_BUILD/out/bench-sequence/serial.log
fi

# Record sizes from the UAPI: an event channel's record is the 8-byte
# header and its body padded to 8; a backend's fixed part (records
# version 2) is followed by its ring references and event channels.
sizes=$(mktemp -d) || exit 1
trap 'rm -rf "$sizes"' EXIT
cat > "$sizes/sizes.c" <<'EOF'
#include <stdio.h>
#include <xen/liveupdate-records.h>
#define PAD(x) (((x) + XEN_LU_REC_ALIGN - 1) / XEN_LU_REC_ALIGN * XEN_LU_REC_ALIGN)
int main(void)
{
	printf("%zu %zu %zu\n", sizeof(struct xen_lu_rec_hdr),
	       sizeof(struct xen_lu_rec_hdr) +
	       PAD(sizeof(struct xen_lu_rec_dom0_evtchn)),
	       sizeof(struct xen_lu_rec_dom0_backend));
	return 0;
}
EOF
${CC:-cc} -I"$TOP/include/uapi" -o "$sizes/sizes" "$sizes/sizes.c" || exit 1
read -r HDR EVTCHN_REC BACKEND_FIXED < <("$sizes/sizes")

grep -o '@@BENCH-INFO.*' "$LOG" | tr -d '\r' | sed 's/@@BENCH-INFO /host: /' | uniq
grep -o '@@BENCH-INPUT.*' "$LOG" | tr -d '\r' | sed 's/@@BENCH-INPUT /inputs: /'
grep -o '@@BENCH-WRITE.*' "$LOG" | tr -d '\r' | sed 's/@@BENCH-WRITE kind=/xenstore: wrote /'
failed=0
if grep -q '@@BENCH-FAILED' "$LOG"; then
	grep -A8 '@@BENCH-FAILED' "$LOG" | sed 's/^\[[ 0-9.]*\] //'
	failed=1
fi
if ! grep -q '@@BENCH-DONE' "$LOG"; then
	echo "bench-sequence did not finish: see $LOG" >&2
	exit 1
fi

grep -oE '@@BENCH(-DELTA|-REAL|-CALIB|-TRACE)? .*' "$LOG" | tr -d '\r' | awk \
	-v hdr="$HDR" -v evrec="$EVTCHN_REC" -v befixed="$BACKEND_FIXED" '
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	# med(KEY, GROUP): median of KEY over the runs of GROUP.
	function med(key, g,   i, a) {
		for (i = 1; i <= runs[g]; i++)
			a[i] = v[g, i, key]
		return median(a, runs[g])
	}
	function ms(ns) { return ns / 1e6 }
	function us(ns) { return ns / 1e3 }
	{
		delete kv
		for (i = 2; i <= NF; i++) {
			split($i, p, "=")
			kv[p[1]] = p[2]
		}
		if ($1 == "@@BENCH-REAL") {
			for (k in kv) real[k] = kv[k]
			next
		}
		if ($1 == "@@BENCH-CALIB") {
			calib[kv["n"]] = kv["xenstore_read_us"]
			next
		}
		if ($1 == "@@BENCH-TRACE") {
			tg = kv["n"] " " kv["phase"]
			if (!(tg in tcnt))
				torder[++ntg] = tg
			if (++tcnt[tg] <= 14)
				tline[tg, tcnt[tg]] = sprintf("    %-30s %6d calls %12.1f us", kv["fn"], kv["calls"], kv["us"])
			tcalls[tg, kv["fn"]] = kv["calls"]
			tus[tg, kv["fn"]] = kv["us"]
			next
		}
		g = ($1 == "@@BENCH-DELTA" ? kv["delta"] : "n") SUBSEP kv["n"]
		if (!(g in runs)) {
			order[++ngroups] = g
			runs[g] = 0
		}
		r = ++runs[g]
		for (k in kv) v[g, r, k] = kv[k]
		v[g, r, "prepare_ns"] = kv["prepare_us"] * 1000
	}
	END {
		printf "\nlive update through the SIMULATED hypervisor, SYNTHETIC backend trees (median of %d runs; QEMU TCG: emulated CPU)\n", runs["n" SUBSEP 1]
		printf "%-6s %-8s %-31s %-13s %-10s %-14s %-8s %-6s\n", "N", "backends", "prepare ms (collect + load)", "frozen window", "freeze", "exec", "records", "xs RT"
		printf "%-6s %-8s %-31s %-13s %-10s %-14s %-8s %-6s\n", "synth.", "in all", "(lu-ctl wall; ioctl parts)", "us (dom0)", "us (park)", "us (simulated)", "bytes", "us"
		for (o = 1; o <= ngroups; o++) {
			g = order[o]
			split(g, gp, SUBSEP)
			if (gp[1] != "n")
				continue
			n = gp[2]
			P[n] = med("prepare_ns", g); C[n] = med("collect_ns", g)
			F[n] = med("frozen_ns", g); B[n] = med("records_len", g)
			NB[n] = med("backends", g)
			printf "%-6s %-8s %-31s %-13.1f %-10.1f %-14.1f %-8d %-6d\n", n, NB[n],
				sprintf("%.1f (%.1f + %.1f)", ms(P[n]), ms(C[n]), ms(med("load_ns", g))),
				us(F[n]), us(med("freeze_ns", g)), us(med("exec_ns", g)), B[n],
				med("xs_rt_us", g)
			nevt = med("evtchns", g)
			fr = ""
			for (i = 1; i <= runs[g]; i++)
				fr = fr sprintf(" %.0f", us(v[g, i, "frozen_ns"]))
			frozen_runs[n] = fr
		}
		printf "(frozen window: backends frozen -> exec issued, dom0 kernel time; freeze: freeze requested -> xenwatch parked; exec: the simulated hypervisor'"'"'s handover;\n xs RT: one xenstore round trip from dom0 user space before each run, 200 reads in one xenstore-read: the host'"'"'s speed at the time;\n a run waits for it to be under QUIET_US, 4000 us by default)\n"
		printf "frozen window of every run, us:"
		for (o = 1; o <= ngroups; o++) {
			split(order[o], gp, SUBSEP)
			if (gp[1] == "n")
				printf " N=%s:%s;", gp[2], frozen_runs[gp[2]]
		}
		printf "\n"

		for (o = 1; o <= ngroups; o++) {
			g = order[o]
			split(g, gp, SUBSEP)
			if (gp[1] == "n")
				continue
			if (!shown++) {
				printf "\ndevices changed between prepare and commit, N=%s SYNTHETIC (median of %d runs; KIND:K = K devices changed;\n rounds: precopy rounds before the freeze, from the kernel log; re-read: records re-read before the freeze / in the frozen window)\n", gp[2], runs[g]
				if (("n" SUBSEP gp[2]) in runs) {
					g0 = "n" SUBSEP gp[2]
					printf "  %-13s frozen window %8.1f us: rounds %d, re-read %d / %d, reloads %d\n", "none",
						us(med("frozen_ns", g0)), med("rounds", g0),
						med("precopy_reread", g0), med("window_reread", g0),
						med("reloads", g0)
				}
			}
			DF[gp[1]] = med("frozen_ns", g)
			printf "  %-13s frozen window %8.1f us: rounds %d, re-read %d / %d, reloads %d; %d backend(s) changed, domains changed: %s, image reloaded: %s; freeze %.1f us, exec %.1f us, records %d bytes\n",
				gp[1], us(DF[gp[1]]), med("rounds", g),
				med("precopy_reread", g), med("window_reread", g),
				med("reloads", g), med("changed_backends", g),
				v[g, 1, "changed_domains"] == "true" ? "yes" : "no",
				v[g, 1, "reloaded"] == "true" ? "yes" : "no",
				us(med("freeze_ns", g)), us(med("exec_ns", g)),
				med("commit_records_len", g)
			fr = ""
			for (i = 1; i <= runs[g]; i++)
				fr = fr sprintf(" %.0f", us(v[g, i, "frozen_ns"]))
			printf "  %-13s every run, us:%s\n", "", fr
		}

		printf "\nrecords\n"
		if ((1 in B) && (1000 in B))
			printf "  per backend device: %.1f bytes ((bytes(1000) - bytes(1)) / 999; SYNTHETIC devices: %d-byte header + %d-byte fixed record + one ring reference and one event channel, 4 bytes each + both paths, no feature keys, padded to 8)\n",
				(B[1000] - B[1]) / 999, hdr, befixed
		printf "  per event channel:  %d bytes (%d-byte header + struct xen_lu_rec_dom0_evtchn, UAPI sizeof); dom0 had %d ports: %d bytes\n",
			evrec, hdr, nevt, nevt * evrec
		if (real["backends"] > 0)
			printf "  real backends of the test host (its guest; before any synthetic device): %d, %.1f bytes each on average; dom0'"'"'s event channels: %d records, %.1f bytes each\n",
				real["backends"], real["backend_bytes"] / real["backends"],
				real["evtchns"], real["evtchns"] ? real["evtchn_bytes"] / real["evtchns"] : 0

		printf "\nratios\n"
		if ((1 in F) && (1000 in F) && F[1] > 0)
			printf "  frozen window N=1000 / N=1: %.2f (flat is 1)\n", F[1000] / F[1]
		if ((100 in P) && (1000 in P) && P[100] > 0)
			printf "  prepare N=1000 / N=100: %.2f (linear is about 10; collect alone %.2f; per added device: %.2f ms from 1 to 100, %.2f ms from 100 to 1000)\n",
				P[1000] / P[100], C[1000] / C[100],
				(1 in P) ? ms(P[100] - P[1]) / (NB[100] - NB[1]) : 0,
				ms(P[1000] - P[100]) / (NB[1000] - NB[100])
		if ((1000 in P) && v["n" SUBSEP 1000, 1, "prepare_xenstored_ms"] != "")
			printf "  who was busy during PREPARE at N=1000: xenstored %.0f ms, dom0 (all vCPUs) %.0f ms, of %.0f ms wall (xenstored near the wall: it is the bound)\n",
				med("prepare_xenstored_ms", "n" SUBSEP 1000),
				med("prepare_dom0_busy_ms", "n" SUBSEP 1000), ms(P[1000])
		if ((1000 in P) && v["n" SUBSEP 1000, 1, "prepare_xenstored_ms"] != "" && ("1000 prepare", "xs_talkv") in tcalls)
			printf "  xenstored CPU per request of PREPARE at N=1000: %.0f us (%d round trips, traced run): a floor of %.0f ms for %d requests whatever dom0 does\n",
				med("prepare_xenstored_ms", "n" SUBSEP 1000) * 1000 / tcalls["1000 prepare", "xs_talkv"],
				tcalls["1000 prepare", "xs_talkv"],
				med("prepare_xenstored_ms", "n" SUBSEP 1000),
				tcalls["1000 prepare", "xs_talkv"]
		if (("1 prepare", "xs_talkv") in tcalls && ("1000 prepare", "xs_talkv") in tcalls && (1000 in NB) && (1 in NB))
			printf "  xenstore round trips of PREPARE (traced): %d at N=1, %d at N=1000: %.2f per added backend device\n",
				tcalls["1 prepare", "xs_talkv"], tcalls["1000 prepare", "xs_talkv"],
				(tcalls["1000 prepare", "xs_talkv"] - tcalls["1 prepare", "xs_talkv"]) / (NB[1000] - NB[1])
		if (1000 in F)
			printf "  frozen window at N=1000 under 1 ms of dom0 time: %s (%.1f us)\n", F[1000] < 1e6 ? "yes" : "NO", us(F[1000])
		for (d in DF)
			printf "  frozen window with %s changed under 1 ms: %s (%.1f us)\n", d, DF[d] < 1e6 ? "yes" : "NO", us(DF[d])
		for (tg in tcnt) {
			split(tg, tp, " ")
			if (tp[2] == "commit" && ((tg, "xen_lu_dom0_home") in tus))
				printf "  of the frozen window, traced N=%s: xen_lu_delta_build %.1f us, of which xen_lu_dom0_home (a xenstore round trip) %.1f us\n",
					tp[1], tus[tg, "xen_lu_delta_build"], tus[tg, "xen_lu_dom0_home"]
		}

		if (ntg)
			printf "\ntraced runs (function_graph over xen_liveupdate, xen_lu_sim and the xenbus calls; slower than the runs above, time includes callees)\n"
		for (o = 1; o <= ntg; o++) {
			split(torder[o], tp, " ")
			printf "  N=%s SYNTHETIC, %s:\n", tp[1], tp[2]
			for (i = 1; i <= tcnt[torder[o]] && i <= 14; i++)
				print tline[torder[o], i]
		}
	}'
exit $failed
