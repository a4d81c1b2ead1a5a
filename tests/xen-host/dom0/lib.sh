# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the dom0 scripts of the test host: stage markers, a TAP writer,
# the Xen toolstack and the test guest.

TAP_FILE=${TAP_FILE:-/out/dom0.tap}
TAP_N=0
TAP_FAILED=0

stage() {
	echo "@@STAGE $1 dom0_uptime=$(cut -d' ' -f1 /proc/uptime)"
}

# tap RC DESCRIPTION: record one result (RC 0 = pass).
tap() {
	local line
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		line="ok $TAP_N - $2"
	else
		line="not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	echo "$line" >> "$TAP_FILE"
	echo "@@TAP $line"
}

# tap_diag FILE: attach a file's lines to the last result as diagnostics.
tap_diag() {
	sed 's/^/# /' "$1" | tee -a "$TAP_FILE"
}

# check DESCRIPTION COMMAND...: pass when COMMAND exits 0.
check() {
	local desc=$1 rc
	shift
	"$@" > /tmp/check.out 2>&1
	rc=$?
	tap $rc "$desc"
	[ $rc -eq 0 ] || tap_diag /tmp/check.out
	return $rc
}

# expect_rc WANT DESCRIPTION COMMAND...: pass when COMMAND exits WANT.
# Its stdout is left in /tmp/out.txt and its stderr in /tmp/err.txt.
expect_rc() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" > /tmp/out.txt 2> /tmp/err.txt
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		tap 0 "$desc (exit $rc)"
	else
		tap 1 "$desc (exit $rc, want $want)"
		tap_diag /tmp/out.txt
		tap_diag /tmp/err.txt
	fi
	return 0
}

tap_begin() {
	: > "$TAP_FILE"
}

tap_end() {
	local body
	body=$(cat "$TAP_FILE")
	{ echo "TAP version 13"; echo "1..$TAP_N"; echo "$body"; } > "$TAP_FILE"
	echo "@@TAP-SUMMARY $TAP_FILE passed=$((TAP_N - TAP_FAILED)) failed=$TAP_FAILED"
}

# use_oxenstored [ARGS]: start_toolstack runs oxenstored (Debian's
# default xenstored) with ARGS, its quotas lifted.  oxenstored charges a
# node to its owner even when dom0 writes it, and refuses past its quotas
# (1000 nodes a domain, 2048-byte values, 1024 requests a transaction);
# C xenstored does not limit dom0's own writes.  Synthetic devices, owned
# by a domain id that does not run and written by dom0, pass all three:
# lifted, both daemons see the same test.
use_oxenstored() {
	sed -i -e 's/^quota-activate = .*/quota-activate = false/' \
	       -e 's/^quota-maxentity = .*/quota-maxentity = 65536/' \
	       -e 's/^quota-maxsize = .*/quota-maxsize = 65536/' \
	       -e 's/^quota-maxrequests = .*/quota-maxrequests = 65536/' \
	       /etc/xen/oxenstored.conf
	XENSTORED="oxenstored $*"
	export XENSTORED
}

# start_toolstack: xenstored (XENSTORED: another one and its options,
# e.g. "oxenstored --no-access-log"), xen-init-dom0, xenconsoled and the
# guests' bridge.
start_toolstack() {
	mkdir -p /var/lib/xenstored /var/log/xen/console /var/lib/xen/images \
		 /var/lib/xen/save /run/xen /run/xenstored /var/run/xen-hotplug
	# shellcheck disable=SC2086 # XENSTORED is a command line
	${XENSTORED:-xenstored} --pid-file /run/xenstored.pid
	wait_until 20 xenstore-read /local > /dev/null 2>&1
	xen-init-dom0 > /dev/null
	xenconsoled --pid-file=/run/xenconsoled.pid --log=guest \
		--log-dir=/var/log/xen/console
	ip link add name xenbr0 type bridge stp_state 0 forward_delay 0
	ip addr add 10.0.0.1/24 dev xenbr0
	ip link set xenbr0 up
	ip link set lo up
	xenstore-read /local/domain/0/name > /dev/null 2>&1
}

# wait_until SECONDS COMMAND...: run COMMAND every 0.2 s until it exits 0
# (then 0), for SECONDS at the most (then 1).  Seconds of the clock, not
# loop turns: on a loaded TCG host each turn takes far longer than its
# 0.2 s.
wait_until() {
	local deadline=$((SECONDS + $1))

	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.2
	done
}

# console_has DOMAIN PATTERN COUNT: DOMAIN's console shows PATTERN on
# COUNT lines or more.
console_has() {
	local n

	n=$(grep -c -- "$2" "/var/log/xen/console/guest-$1.log" 2>/dev/null)
	[ "${n:-0}" -ge "$3" ]
}

# wait_console DOMAIN PATTERN SECONDS [COUNT]: wait for a guest console line.
wait_console() {
	wait_until "$3" console_has "$1" "$2" "${4:-1}"
}

alive_count() {
	grep -c '@@DOMU-ALIVE' "/var/log/xen/console/guest-$1.log" 2>/dev/null
}

# guest_alive NAME [SECONDS]: NAME says @@DOMU-ALIVE once more within
# SECONDS (30): it still runs.
guest_alive() {
	local n
	n=$(alive_count "$1")
	wait_console "$1" '@@DOMU-ALIVE' "${2:-30}" $((n + 1))
}

# state_of: the device state lu-ctl status --json reports.
state_of() {
	lu-ctl status --json 2>/dev/null |
		sed -n 's/.*"state": *"\([a-z]*\)".*/\1/p' | head -n 1
}

# backend_state KIND DOMID DEVID: "<backend state> <frontend state>"
backend_state() {
	local be=/local/domain/0/backend/$1/$2/$3 fe
	fe=$(xenstore-read "$be/frontend" 2>/dev/null)
	echo "$(xenstore-read "$be/state" 2>/dev/null) $(xenstore-read "$fe/state" 2>/dev/null)"
}

# all_connected DOMID: every vbd and vif backend of DOMID and its
# frontend are Connected (4 4).
all_connected() {
	local kind dev

	for kind in vbd vif; do
		for dev in $(xenstore-list "/local/domain/0/backend/$kind/$1" 2>/dev/null); do
			[ "$(backend_state $kind "$1" "$dev")" = "4 4" ] || return 1
		done
	done
}

# wait_connected DOMID [SECONDS]: all_connected DOMID within SECONDS (10;
# a turn costs six xenstore round trips, 1 s and more on the debug dom0),
# else each device's states.
wait_connected() {
	local kind dev

	wait_until "${2:-10}" all_connected "$1" && return 0
	echo "wait_connected: domain $1: $(for kind in vbd vif; do
		for dev in $(xenstore-list "/local/domain/0/backend/$kind/$1" 2>/dev/null); do
			echo -n "$kind/$dev=$(backend_state $kind "$1" "$dev" | tr ' ' /) "
		done; done)"
	return 1
}

# xl_create NAME CFG: xl create CFG, once more after destroying NAME
# if it fails (libxl gives the hotplug scripts 10 s, which they do not
# always make in TCG on a loaded host).
xl_create() {
	xl create "$2" && return 0
	xl destroy "$1" 2>/dev/null
	sleep 5
	xl create "$2"
}

# create_guest NAME CFG: give NAME a fresh 16 MiB disk image
# (/var/lib/xen/images/NAME.img; for a CFG whose disk is phy, one that
# names NAME.disk, also a loop device behind the link NAME.disk: the
# block script's file case is the slow one), then xl_create NAME CFG.
create_guest() {
	local name=$1 cfg=$2 img=/var/lib/xen/images/$1
	dd if=/dev/zero of="$img.img" bs=1M count=16 2>/dev/null || return 1
	if grep -q "/$name\.disk" "$cfg"; then
		ln -sf "$(losetup -f --show "$img.img")" "$img.disk" || return 1
	fi
	xl_create "$name" "$cfg"
}

# disk_guest NAME INDEX [WORDS [SCRIPT]]: the disk and configuration of
# a guest kept on dom0's disk (/disk, which survives the exec): a
# 16 MiB image /disk/images/NAME.img, made once, behind the fixed loop
# device /dev/loopINDEX and linked from /disk/images/NAME.disk, and
# /disk/images/NAME.cfg: 128 MiB, one vCPU, that disk, a vif on xenbr0
# (MAC 00:16:3e:00:01:0INDEX), luip=1INDEX and WORDS on its command line,
# SCRIPT as the disk's and the vif's hotplug script (Xen's when none).
# GUEST_TYPE=pvh makes it a PVH guest (boot.sh HVM_GUESTS=1).  A guest
# that crashes or reboots is kept as it stopped (preserve): xl would
# otherwise build a new one under the same name, and a test would see a
# guest that was rebooted only by its lost counter.
disk_guest() {
	local name=$1 i=$2 img=/disk/images/$1
	mkdir -p /disk/images
	[ -f "$img.img" ] ||
		dd if=/dev/zero of="$img.img" bs=1M count=16 2>/dev/null
	losetup "/dev/loop$i" "$img.img" 2>/dev/null ||
		losetup "/dev/loop$i" | grep -q "$name.img" || return 1
	ln -sfn "/dev/loop$i" "$img.disk"
	cat > "$img.cfg" <<EOF
name    = "$name"
type    = "${GUEST_TYPE:-pv}"
kernel  = "/guest/vmlinuz"
ramdisk = "/guest/domu-initrd.gz"
extra   = "console=hvc0 quiet luip=1$i${3:+ $3}"
memory  = 128
vcpus   = 1
disk    = [ "format=raw, vdev=xvda, access=rw, ${4:+script=$4, }target=$img.disk" ]
vif     = [ "mac=00:16:3e:00:01:0$i,bridge=xenbr0${4:+,script=$4}" ]
on_crash = "preserve"
on_reboot = "preserve"
EOF
}

# guest_ready NAME [READY [SECONDS]]: NAME's domid in GUEST_DOMID, then
# wait up to SECONDS (120) for READY (@@DOMU-ALIVE) on its console.
guest_ready() {
	local name=$1 ready=${2:-@@DOMU-ALIVE} secs=${3:-120}
	GUEST_DOMID=$(xl domid "$name" 2>/dev/null)
	if wait_console "$name" "$ready" "$secs"; then
		[ -n "$GUEST_DOMID" ]
		return
	fi
	echo "guest_ready: $name: no '$ready' on its console in ${secs}s"
	tail -5 "/var/log/xen/console/guest-$name.log"
	return 1
}

# start_guest NAME CFG [READY [SECONDS]]: create_guest and guest_ready.
# A guest that says @@DOMU-ALIVE has brought its devices up: then wait
# for every vbd and vif of it to be Connected at both ends.
start_guest() {
	local ready=${3:-@@DOMU-ALIVE}
	create_guest "$1" "$2" && guest_ready "$1" "$ready" "${4:-120}" || return 1
	[ "$ready" != @@DOMU-ALIVE ] || wait_connected "$GUEST_DOMID"
}

# start_test_guest [SECONDS]: the test guest guest1 (/guest/guest.cfg:
# PV, blkback disk, netback vif), its creation and its @@DOMU-ALIVE
# within SECONDS (120) each a TAP result, then up to 10 s for its vbd
# and vif to be Connected (the caller checks their states).  Its domid
# is left in DOMID.
start_test_guest() {
	check "xl create guest1 (PV, blkback disk, netback vif)" \
		create_guest guest1 /guest/guest.cfg
	check "guest1 boots and is alive" guest_ready guest1 @@DOMU-ALIVE "${1:-120}"
	DOMID=$GUEST_DOMID
	wait_connected "$DOMID" > /dev/null
}

# lu_trace_start NAME: a tracefs instance NAME recording xen_liveupdate's
# tracepoints (the times of prepare, the freeze, the exec and finish:
# drivers/xen/liveupdate/trace.h), emptied; its directory in LU_TRACE.
# An instance of its own leaves the main buffer to function_graph.
lu_trace_start() {
	local t=/sys/kernel/tracing
	LU_TRACE=
	mountpoint -q $t || mount -t tracefs nodev $t 2>/dev/null ||
		t=/sys/kernel/debug/tracing
	[ -d $t/instances ] || return 1
	mkdir -p "$t/instances/$1" 2>/dev/null || return 1
	echo 1 > "$t/instances/$1/events/xen_liveupdate/enable" || return 1
	: > "$t/instances/$1/trace"
	LU_TRACE=$t/instances/$1
}

# lu_trace_value EVENT KEY: KEY's number in the last EVENT LU_TRACE holds
# ("xen_lu_freeze: rc=0 freeze_ns=48211"), empty when there is none.
lu_trace_value() {
	awk -v ev="$1:" -v key="$2=" '
		{
			hit = 0
			for (i = 1; i <= NF; i++) {
				if ($i == ev)
					hit = 1
				else if (hit && index($i, key) == 1)
					v = substr($i, length(key) + 1)
			}
		}
		END { print v }' "$LU_TRACE/trace"
}

# start_sshd: QEMU's e1000 NIC (boot.sh HOSTFWD) up as 10.0.2.15/24 and
# dropbear on port 22 (build-fleet.sh), each a check.
start_sshd() {
	local nic= d
	check "insmod e1000 (QEMU's NIC)" \
		insmod "/usr/lib/modules/$(uname -r)/fleet/e1000.ko"
	for _ in $(seq 1 50); do
		for d in /sys/class/net/*; do
			[ "$(basename "$(readlink -f "$d/device/driver" 2>/dev/null)")" = e1000 ] &&
				nic=$(basename "$d")
		done
		[ -n "$nic" ] && break
		sleep 0.2
	done
	check "the NIC ($nic) up as 10.0.2.15/24" \
		bash -c "ip link set '$nic' up && ip addr add 10.0.2.15/24 dev '$nic' && ip route add default via 10.0.2.2"
	check "dropbear listens on port 22" dropbear -R -s -p 22
}
