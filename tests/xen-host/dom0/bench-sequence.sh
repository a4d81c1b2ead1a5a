#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark (not a test): the live-update sequence stage -> prepare ->
# commit -> finish through the SIMULATED live-update hypervisor
# (tests/simulator/xen_lu_sim.ko), with 1, 10, 100 and 1000 SYNTHETIC
# backend devices written into xenstore beside the real guest's real ones.
#
# A synthetic device is a backend directory
#   /local/domain/0/backend/synthetic/<FE>/<devid>/{frontend,frontend-id,state=4,online=1}
# and its frontend directory
#   /local/domain/<FE>/device/synthetic/<devid>/{backend,backend-id=0,state=4,ring-ref,event-channel}
# with FE a domid no domain uses: no driver in dom0 or any guest knows the
# type "synthetic", so nothing reacts to them; xen_liveupdate collects,
# tracks and verifies them like any other backend.
#
# Prints, per run:
#   @@BENCH kind=synthetic n=<N> run=<r> key=value...
# DELTA_RUNS runs per variant at N=1000 with K (DELTA_COUNTS: 1 and 10)
# devices changed between prepare and commit:
#   @@BENCH-DELTA kind=synthetic delta=<feature|state-flap>:<K> n=<N> run=<r> ...
# (every run also says what COMMIT's precopy did, from its kernel log
# line: rounds=, precopy_reread=, window_reread=, reloads=)
# the real guest's backends and dom0's event channels, from a records dump
# taken before any synthetic device exists:
#   @@BENCH-REAL backends=<n> backend_bytes=<sum> evtchns=<n> evtchn_bytes=<sum>
# the cost of a xenstore round trip from user space before anything runs:
#   @@BENCH-CALIB n=0 xenstore_read_us=<us>
# and, after everything timed, one traced run at N=1 and N=1000 (and a
# traced "feature" delta at N=1000), not in the figures:
#   @@BENCH-TRACED ... (as @@BENCH) and, per function of the ioctl,
#   @@BENCH-TRACE n=<N> phase=<prepare|commit> fn=<name> calls=<n> us=<total>
# bench/sequence/bench.sh turns the lines into a table and ratios.
# The ioctls' own times (collect_ns, load_ns, freeze_ns, frozen_ns,
# exec_ns, verify_ns) come from xen_liveupdate's tracepoints, recorded in
# a tracefs instance of their own (lu_trace_start in lib.sh); the
# *_us figures are lu-ctl's wall time.
# Booted as lutest=bench-sequence (dom0/init runs host/<mode>.sh).
. /usr/lib/xen-liveupdate/host/lib.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
# bench.VAR=VALUE words on dom0's command line (bench.sh's BENCH_ARGS)
# set the variables below; a list takes colons (QEMU splits its
# multiboot modules at commas): bench.SIZES=1:100:1000.
for w in $(cat /proc/cmdline); do
	case $w in
	bench.RUNS=*|bench.DELTA_RUNS=*|bench.DELTA_COUNTS=*|bench.SIZES=*|\
	bench.DELTA_N=*|bench.XENSTORED=*|bench.TRACE_SIZES=*|bench.QUIET_US=*|bench.QUIET_WAIT=*)
		w=${w#bench.}
		export "${w%%=*}=${w#*=}"
		;;
	esac
done
RUNS=${RUNS:-5}
DELTA_RUNS=${DELTA_RUNS:-3}
DELTA_COUNTS=${DELTA_COUNTS:-"1 10"}
SIZES=${SIZES:-"1 10 100 500 1000"}
SIZES=${SIZES//:/ }
DELTA_COUNTS=${DELTA_COUNTS//:/ }
DELTA_N=${DELTA_N:-1000}
TRACE_SIZES=${TRACE_SIZES:-"1 1000"}
TRACE_SIZES=${TRACE_SIZES//:/ }
FE=30000
GUEST=guest1
XEN_GZ=$(ls /boot/xen-*.gz 2>/dev/null | head -n 1)
XEN_GZ=${XEN_GZ:-/boot/xen.gz}
BE_DIR=/local/domain/0/backend/synthetic/$FE
FE_DIR=/local/domain/$FE/device/synthetic

fail() {
	echo "@@BENCH-FAILED $*"
}

# now_us: microseconds since the epoch (bash's EPOCHREALTIME).
now_us() {
	echo "${EPOCHREALTIME/./}"
}

# The clock ticks of /proc's CPU times (USER_HZ).
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# busy_ticks: "<xenstored's> <dom0's busy>" CPU time so far, in clock
# ticks (USER_HZ): xenstored's user + system time from its stat, and
# every dom0 vCPU's time outside idle and iowait from /proc/stat.  The
# difference across a prepare says who was busy: a xenstored near the
# prepare's wall time serves one request at a time and is the bound.
busy_ticks() {
	local xsd busy
	xsd=$(cpu_ticks "$(cat /run/xenstored.pid)")
	xsd=${xsd% }
	busy=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	echo "${xsd:-0} ${busy:-0}"
}

# jnum KEY FILE: the number (or true/false) of "KEY" in lu-ctl's JSON.
jnum() {
	sed -n "s/.*\"$1\": *\([0-9a-z]*\).*/\1/p" "$2" | head -n 1
}

# The dom0 xenwatch thread handles one event per synthetic write (the
# backend bus watches backend/), each with xenstore reads of its own: wait
# until xenwatch and xenstored have both stopped using CPU for a second, so
# that PREPARE neither queues behind thousands of events nor shares
# xenstored with them.
cpu_ticks() {
	local pid
	for pid in "$@"; do
		awk '{ printf "%s ", $14 + $15 }' "/proc/$pid/stat" 2> /dev/null
	done
}

wait_xenwatch_idle() {
	local pids a b i quiet=0
	pids="$(pgrep -x xenwatch | head -n 1) $(cat /run/xenstored.pid 2> /dev/null)"
	b=$(cpu_ticks $pids)
	for i in $(seq 1 240); do
		sleep 0.5
		a=$b
		b=$(cpu_ticks $pids)
		if [ "$a" = "$b" ]; then
			quiet=$((quiet + 1))
			[ $quiet -ge 2 ] && return 0
		else
			quiet=0
		fi
	done
	echo "@@WARN xenwatch or xenstored still busy after 120 s"
}

# write_synthetic N: N synthetic devices, WRITE_BATCH devices (9 nodes
# each) per xenstore-write, one transaction each.  One transaction for all
# of them would be the fewest calls, but xenstored's cost per write grows
# with the nodes its transaction already touched: 1000 devices in one
# transaction took 204 s under TCG, 100 took 2.9 s.
WRITE_BATCH=${WRITE_BATCH:-100}
write_synthetic() {
	local n=$1 d args=() t0 calls=0 step=$((WRITE_BATCH * 18))
	for ((d = 0; d < n; d++)); do
		args+=("$BE_DIR/$d/frontend" "$FE_DIR/$d"
		       "$BE_DIR/$d/frontend-id" "$FE"
		       "$BE_DIR/$d/state" 4
		       "$BE_DIR/$d/online" 1
		       "$FE_DIR/$d/backend" "$BE_DIR/$d"
		       "$FE_DIR/$d/backend-id" 0
		       "$FE_DIR/$d/state" 4
		       "$FE_DIR/$d/ring-ref" $((8 + d))
		       "$FE_DIR/$d/event-channel" $((16 + d % 4000)))
	done
	t0=$(now_us)
	for ((d = 0; d < ${#args[@]}; d += step)); do
		xenstore-write "${args[@]:d:step}" || return 1
		calls=$((calls + 1))
	done
	echo "@@BENCH-WRITE kind=synthetic n=$n us=$(($(now_us) - t0)) invocations=$calls"
	wait_xenwatch_idle
	[ "$(xenstore-list "$BE_DIR" 2>/dev/null | wc -l)" -eq "$n" ]
}

remove_synthetic() {
	xenstore-rm /local/domain/0/backend/synthetic 2> /dev/null
	xenstore-rm /local/domain/$FE 2> /dev/null
	wait_xenwatch_idle
}

# recover: whatever state a failed step left, back to IDLE.
recover() {
	lu-ctl finish > /dev/null 2>&1
	lu-ctl cancel > /dev/null 2>&1
	lu-ctl unstage > /dev/null 2>&1
}

# record_sizes FILE: "<backends> <bytes> <evtchns> <bytes>" of a records
# dump: each record is an 8-byte header and its body padded to 8.
record_sizes() {
	od -An -v -tu4 -w4 "$1" | awk '
		{ w[n++] = $1 }
		END {
			i = 0
			while (i + 1 < n) {
				type = w[i]; len = w[i + 1]
				size = 8 + int((len + 7) / 8) * 8
				if (type == 3221225474) { nb++; bb += size }
				if (type == 3221225475) { ne++; eb += size }
				if (type == 0) break
				i += size / 4
			}
			printf "%d %d %d %d\n", nb, bb, ne, eb
		}'
}

# Tracing (one extra run per size in TRACE_SIZES, not in the figures):
# function_graph over every function of xen_liveupdate and xen_lu_sim and
# the xenbus calls that make a xenstore round trip, to say what the time
# of prepare and of the frozen window goes to.
TRACING=
TRACEFS=/sys/kernel/tracing
trace_setup() {
	local f
	mountpoint -q $TRACEFS || mount -t tracefs nodev $TRACEFS 2> /dev/null ||
		TRACEFS=/sys/kernel/debug/tracing
	[ -w $TRACEFS/current_tracer ] || return 1
	echo 0 > $TRACEFS/tracing_on
	echo 16384 > $TRACEFS/buffer_size_kb
	: > $TRACEFS/set_ftrace_filter
	for f in ':mod:xen_liveupdate' ':mod:xen_lu_sim' xs_talkv \
		 xenbus_read xenbus_scanf xenbus_directory xenbus_write \
		 xenbus_exists register_xenbus_watch unregister_xenbus_watch; do
		echo "$f" >> $TRACEFS/set_ftrace_filter 2> /dev/null
	done
	echo function_graph > $TRACEFS/current_tracer || return 1
	echo funcgraph-tail > $TRACEFS/trace_options 2> /dev/null
	echo nofuncgraph-irqs > $TRACEFS/trace_options 2> /dev/null
	return 0
}

trace_off() {
	echo 0 > $TRACEFS/tracing_on
	echo nop > $TRACEFS/current_tracer
	echo > $TRACEFS/set_ftrace_filter
	echo 1408 > $TRACEFS/buffer_size_kb
}

# traced PHASE CMD...: run CMD, tracing it when TRACING is set; prints
# "@@BENCH-TRACE n=<N> phase=<PHASE> fn=<name> calls=<n> us=<total>"
# per function, deepest time included, and keeps the raw trace on /out.
traced() {
	local phase=$1 rc
	shift
	if [ -z "$TRACING" ]; then
		"$@"
		return
	fi
	echo > $TRACEFS/trace
	echo 1 > $TRACEFS/tracing_on
	"$@"
	rc=$?
	echo 0 > $TRACEFS/tracing_on
	cp $TRACEFS/trace "/out/trace-n$TRACING-$phase.txt" 2> /dev/null
	awk -v tag="n=$TRACING phase=$phase" '
		/^#/ || !/\|/ { next }
		{
			dur = ""
			if (match($0, /[0-9]+(\.[0-9]+)? us/))
				dur = substr($0, RSTART, RLENGTH - 3)
			if (dur == "")
				next
			body = substr($0, index($0, "|") + 1)
			if (match(body, /\/\* .* \*\//))
				name = substr(body, RSTART + 3, RLENGTH - 6)
			else
				name = body
			sub(/^ */, "", name); sub(/\(\);.*$/, "", name)
			sub(/ \[.*$/, "", name); sub(/ *$/, "", name)
			calls[name]++; total[name] += dur
		}
		END {
			for (f in calls)
				printf "@@BENCH-TRACE %s fn=%s calls=%d us=%.1f\n", tag, f, calls[f], total[f]
		}' $TRACEFS/trace | sort -t= -k6 -g -r | head -n 40 >&3
	return $rc
}

# delta_devs N K: the K devices a delta changes, from N/2 on.
delta_devs() {
	local n=$1 k=$2 j
	for ((j = 0; j < k; j++)); do
		echo $(((n / 2 + j) % n))
	done
}

# change KIND N K VALUE: K devices change between prepare and commit.
change() {
	local kind=$1 n=$2 k=$3 v=$4 d args3=() args4=()
	for d in $(delta_devs "$n" "$k"); do
		case $kind in
		feature)
			# A backend publishes a new feature: its record changes.
			args3+=("$BE_DIR/$d/feature-bench-delta" "$v") ;;
		state-flap)
			# The frontend leaves Connected and comes back: the
			# device is re-read, its record is the same.
			args3+=("$FE_DIR/$d/state" 3)
			args4+=("$FE_DIR/$d/state" 4) ;;
		esac
	done
	xenstore-write "${args3[@]}"
	[ ${#args4[@]} -eq 0 ] || xenstore-write "${args4[@]}"
}

unchange() {
	local kind=$1 n=$2 k=$3 d
	[ "$kind" = feature ] || return 0
	for d in $(delta_devs "$n" "$k"); do
		xenstore-rm "$BE_DIR/$d/feature-bench-delta"
	done
}

# precopy_line: what the last COMMIT's precopy did, from its kernel log
# line (not ABI): "rounds=R precopy_reread=P window_reread=W reloads=L".
precopy_line() {
	dmesg | grep -o 'commit: [0-9]* precopy round.*' | tail -n 1 | sed -n \
		's/commit: \([0-9]*\) precopy round(s) re-read \([0-9]*\) record(s) before the freeze, \([0-9]*\) in the frozen window; \([0-9]*\) reload.*/rounds=\1 precopy_reread=\2 window_reread=\3 reloads=\4/p'
}

# one_run TAG N RUN [KIND:K]: stage, prepare, [K devices changed],
# commit, finish; prints "@@<TAG> ... key=value ..." or @@BENCH-FAILED.
one_run() {
	local tag=$1 n=$2 run=$3 delta=${4:-} t0 t1 stage_us prep_us commit_us \
	      finish_us line rc kind= k=0 ticks xsd0 xsd1 busy0 busy1
	if [ -n "$delta" ]; then
		kind=${delta%%:*}
		k=${delta##*:}
	fi
	quiet_gate
	: > "$LU_TRACE/trace"
	t0=$(now_us)
	lu-ctl stage "$XEN_GZ" --append "console=com1" > /tmp/stage.out 2>&1
	rc=$?
	stage_us=$(($(now_us) - t0))
	if [ $rc -ne 0 ]; then
		fail "$tag n=$n run=$run stage exit $rc"; cat /tmp/stage.out
		recover; return 1
	fi

	ticks=$(busy_ticks)
	xsd0=${ticks% *} busy0=${ticks#* }
	t0=$(now_us)
	traced prepare lu-ctl prepare --json > /tmp/prepare.json 2>&1
	rc=$?
	t1=$(now_us)
	prep_us=$((t1 - t0))
	ticks=$(busy_ticks)
	xsd1=${ticks% *} busy1=${ticks#* }
	if [ $rc -ne 0 ]; then
		fail "$tag n=$n run=$run prepare exit $rc"; cat /tmp/prepare.json
		recover; return 1
	fi

	[ -z "$kind" ] || change "$kind" "$n" "$k" "$run"

	t0=$(now_us)
	traced commit lu-ctl commit --json > /tmp/commit.json 2>&1
	rc=$?
	commit_us=$(($(now_us) - t0))
	if [ $rc -ne 0 ]; then
		fail "$tag n=$n run=$run commit exit $rc"; cat /tmp/commit.json
		recover; return 1
	fi

	t0=$(now_us)
	lu-ctl finish --json > /tmp/finish.json 2>&1
	rc=$?
	finish_us=$(($(now_us) - t0))
	if [ $rc -ne 0 ]; then
		fail "$tag n=$n run=$run finish exit $rc"; cat /tmp/finish.json
		recover; return 1
	fi
	[ -z "$kind" ] || unchange "$kind" "$n" "$k"

	line="n=$n run=$run xs_rt_us=$XS_RT backends=$(jnum nr_backends /tmp/prepare.json)"
	line+=" evtchns=$(jnum nr_evtchns /tmp/prepare.json)"
	line+=" domains=$(jnum nr_domains /tmp/prepare.json)"
	line+=" stage_us=$stage_us prepare_us=$prep_us"
	line+=" prepare_xenstored_ms=$(((xsd1 - xsd0) * 1000 / HZ))"
	line+=" prepare_dom0_busy_ms=$(((busy1 - busy0) * 1000 / HZ))"
	line+=" collect_ns=$(lu_trace_value xen_lu_prepare collect_ns)"
	line+=" load_ns=$(lu_trace_value xen_lu_prepare load_ns)"
	line+=" records_len=$(jnum records_len /tmp/prepare.json)"
	line+=" commit_us=$commit_us"
	line+=" freeze_ns=$(lu_trace_value xen_lu_freeze freeze_ns)"
	line+=" frozen_ns=$(lu_trace_value xen_lu_exec frozen_ns)"
	line+=" exec_ns=$(lu_trace_value xen_lu_exec exec_ns)"
	line+=" commit_records_len=$(jnum records_len /tmp/commit.json)"
	line+=" changed_domains=$(jnum changed_domains /tmp/commit.json)"
	line+=" changed_backends=$(jnum changed_backends /tmp/commit.json)"
	line+=" nr_changes=$(jnum nr_changes /tmp/commit.json)"
	line+=" reloaded=$(jnum reloaded /tmp/commit.json)"
	line+=" $(precopy_line)"
	line+=" result=$(sed -n 's/.*"result": *"\([a-z]*\)".*/\1/p' /tmp/commit.json | head -n 1)"
	line+=" finish_us=$finish_us"
	line+=" verify_ns=$(lu_trace_value xen_lu_finish verify_ns)"
	line+=" differences=$(jnum nr_differences /tmp/finish.json)"
	echo "@@$tag $line"
}

# The @@ lines of functions whose stdout goes to a file.
exec 3>&1

stage bench-sequence
# bench.XENSTORED=oxenstored[:ARG...]: Debian's default daemon instead of
# C xenstored (the test host's), with its arguments.
XENSTORED=${XENSTORED:-xenstored}
if [ "${XENSTORED%%:*}" = oxenstored ]; then
	# shellcheck disable=SC2046 # the arguments, one word each
	use_oxenstored $(echo "${XENSTORED#oxenstored}" | tr ':' ' ')
fi
start_toolstack || { fail "toolstack"; exit 1; }
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if ! modprobe xen_lu_sim; then
	fail "modprobe xen_lu_sim: no SIMULATED live-update hypervisor in this initramfs"
	exit 1
fi
modprobe xen_liveupdate || { fail "modprobe xen_liveupdate"; exit 1; }
if ! lu-ctl status > /tmp/status.txt 2>&1 || ! grep -q SIMULATED /tmp/status.txt; then
	fail "lu-ctl status: no simulated live update (module built without XEN_LU_SIMULATOR=y?)"
	cat /tmp/status.txt
	exit 1
fi
if ! lu_trace_start lu_bench; then
	fail "no tracefs instance for xen_liveupdate's tracepoints: no ioctl times"
	exit 1
fi

# The real guest, for real backends beside the synthetic ones.
if [ "${BENCH_GUEST:-1}" = 1 ]; then
	if create_guest $GUEST /guest/guest.cfg > /tmp/xl.out 2>&1 &&
	   guest_ready $GUEST > /dev/null; then
		DOMID=$GUEST_DOMID
		wait_connected "$DOMID" > /dev/null
		echo "@@BENCH-INFO guest=$GUEST domid=$DOMID vbd=$(backend_state vbd "$DOMID" 51712 | tr ' ' /) vif=$(backend_state vif "$DOMID" 0 | tr ' ' /)"
	else
		echo "@@BENCH-INFO guest=none (xl create failed)"
		cat /tmp/xl.out
	fi
else
	echo "@@BENCH-INFO guest=none"
fi
wait_xenwatch_idle

# Record sizes of what is real here: the guest's backends, dom0's ports.
if lu-ctl records -o /tmp/real.bin > /dev/null 2>&1; then
	set -- $(record_sizes /tmp/real.bin)
	echo "@@BENCH-REAL backends=$1 backend_bytes=$2 evtchns=$3 evtchn_bytes=$4 dump_bytes=$(stat -c %s /tmp/real.bin)"
fi
echo "@@BENCH-INPUT xenstored=${XENSTORED// /:} xen.gz=$(stat -c %s "$XEN_GZ") runs=$RUNS sizes=${SIZES// /,} fe_domid=$FE"

# xs_rt_us: what a xenstore round trip costs on this (emulated, shared)
# host right now, in microseconds: one xenstore-read process reading 200
# keys.
xs_rt_us() {
	local keys=() i t0
	for i in $(seq 1 200); do
		keys+=(/local/domain/0/name)
	done
	t0=$(now_us)
	xenstore-read "${keys[@]}" > /dev/null
	echo $((($(now_us) - t0) / 200))
}

# quiet_gate: wait (at most QUIET_WAIT seconds) until a xenstore round
# trip costs at most QUIET_US: other QEMUs on the build machine slow this
# one's every round trip tenfold at times.  Sets XS_RT.
QUIET_US=${QUIET_US:-4000}
QUIET_WAIT=${QUIET_WAIT:-300}
quiet_gate() {
	local waited=0
	XS_RT=$(xs_rt_us)
	while [ "$XS_RT" -gt "$QUIET_US" ] && [ $waited -lt "$QUIET_WAIT" ]; do
		sleep 10
		waited=$((waited + 10))
		XS_RT=$(xs_rt_us)
	done
	[ $waited -gt 0 ] &&
		echo "@@BENCH-INFO waited ${waited}s for the host to calm down (xenstore round trip now ${XS_RT} us)"
	return 0
}
echo "@@BENCH-CALIB n=0 xenstore_read_us=$(xs_rt_us)"

cur=
for n in $SIZES; do
	stage "bench-sequence-n$n"
	remove_synthetic
	cur=
	if ! write_synthetic "$n"; then
		fail "writing $n synthetic devices"
		continue
	fi
	cur=$n
	for run in $(seq 1 "$RUNS"); do
		one_run "BENCH kind=synthetic" "$n" "$run"
	done
	if [ "$n" = "$DELTA_N" ]; then
		for k in $DELTA_COUNTS; do
			for run in $(seq 1 "$DELTA_RUNS"); do
				one_run "BENCH-DELTA kind=synthetic delta=feature:$k" "$n" "$run" "feature:$k"
				one_run "BENCH-DELTA kind=synthetic delta=state-flap:$k" "$n" "$run" "state-flap:$k"
			done
		done
	fi
done

# The traced runs come last, so that no timed run follows a tracer (one
# early version traced between sizes, and every later run was tens of
# times slower; the host was busy too, so the tracer is only suspected).
# The largest size first, while its trees are there.
for n in $(echo $TRACE_SIZES | tr ' ' '\n' | sort -n -r); do
	stage "bench-sequence-trace-n$n"
	if [ "$n" != "$cur" ]; then
		remove_synthetic
		cur=
		write_synthetic "$n" || { fail "writing $n synthetic devices"; continue; }
		cur=$n
	fi
	if ! trace_setup; then
		echo "@@WARN no function_graph tracer: no traced run"
		break
	fi
	TRACING=$n
	one_run "BENCH-TRACED kind=synthetic" "$n" 1
	if [ "$n" = "$DELTA_N" ]; then
		TRACING=$n-feature
		one_run "BENCH-TRACED kind=synthetic delta=feature:1" "$n" 1 feature:1
	fi
	TRACING=
	trace_off
	echo "@@BENCH-INFO after tracing: tracer=$(cat $TRACEFS/current_tracer) enabled_functions=$(wc -l < $TRACEFS/enabled_functions)"
done
remove_synthetic
echo "@@BENCH-DONE"
