#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The save-restore path of contrib/ansible/xen-liveupdate.yml over ssh,
# without Xen (TAP): what make check-fleet-sr's connection goes through,
# in a minute.  A "host" in a mount namespace of its own: dropbear on
# 127.0.0.1 with root's key and its own boot id (a file bound over
# /proc/sys/kernel/random/boot_id), reached through user-net-fwd.py, a
# forwarded port that behaves as QEMU's user networking (boot.sh
# HOSTFWD): when the host "executes xen#2", every connection it had goes
# silent, open on the controller's side, and a new boot answers on the
# same port.  The host's lu-ctl is a stand-in: status, stage (the
# save-restore method), prepare, finish print JSON and exit 0; commit
# prints its JSON, then the host ends that boot under it, as a kexec
# does: commit never returns, and the next boot has a new boot id.
#
# The playbook must see commit executed, reconnect to the new boot, run
# finish and status there and exit 0, within TIMEOUT seconds (default
# 300): an ssh connection of the old boot reused after the exec (the
# ControlPersist master of the tasks before commit) hangs it instead.
# KEEP=1 keeps the scratch directory (the playbook's log, the report).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
play=$top/contrib/ansible/xen-liveupdate.yml
TIMEOUT=${TIMEOUT:-300}
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }

if ! command -v dropbear > /dev/null || ! command -v dropbearkey > /dev/null; then
	echo "1..0 # SKIP no dropbear"
	exit 0
fi
if ! unshare -m true 2> /dev/null; then
	echo "1..0 # SKIP no mount namespace (unshare -m) for the host"
	exit 0
fi

tmp=$(mktemp -d)
host_pid=
fwd_pid=
cleanup() {
	: > "$tmp/stop"
	[ -n "$host_pid" ] && wait "$host_pid"
	[ -n "$fwd_pid" ] && kill "$fwd_pid" 2> /dev/null && wait "$fwd_pid"
	if [ -n "${KEEP:-}" ]; then
		echo "# kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

mkdir -p "$tmp/root/.ssh" "$tmp/state" "$tmp/save" "$tmp/report" "$tmp/ctl"
chmod 700 "$tmp/root" "$tmp/root/.ssh"
ssh-keygen -q -t ed25519 -N "" -C test-reconnect -f "$tmp/id"
cp "$tmp/id.pub" "$tmp/root/.ssh/authorized_keys"
dropbearkey -t ed25519 -f "$tmp/hostkey" > /dev/null 2>&1
read -r fwd_port sshd_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s:
    x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')

# The host's lu-ctl.  commit: its JSON, then "lu-ctl commit" and the
# shell that runs it wait for the host to end the boot under them.
cat > "$tmp/lu-ctl" <<SH
#!/bin/sh
case "\$1" in
--version) echo "lu-ctl stand-in" ;;
stage) echo '{"method": "save-restore"}' ;;
commit)
	echo '{"executing": true, "guests": [{"name": "guest1"}]}'
	echo "\$\$ \$PPID" > "$tmp/commit.tmp"
	mv "$tmp/commit.tmp" "$tmp/commit"
	exec sleep 3600 ;;
finish) echo '{"finished": true, "differences": []}' ;;
*) echo '{}' ;;
esac
SH
chmod +x "$tmp/lu-ctl"

# host: boots (a new boot id, dropbear) until stop; lu-ctl commit ends a
# boot: the forwarded port goes silent ("down"), every process of that
# boot is killed, and the next boot comes up 12 seconds later: after the
# keepalives below gave up on the old one.
cat > "$tmp/host.sh" <<'SH'
#!/bin/bash
tmp=$1 port=$2
mount --bind "$tmp/root" /root &&
	mount --bind "$tmp/boot-id" /proc/sys/kernel/random/boot_id || exit 1
b=0
while [ ! -e "$tmp/stop" ]; do
	b=$((b + 1))
	cat /proc/sys/kernel/random/uuid > "$tmp/boot-id"
	dropbear -F -E -s -p "127.0.0.1:$port" -r "$tmp/hostkey" \
		2>> "$tmp/dropbear.log" &
	d=$!
	echo "$b" > "$tmp/state/boot"
	rm -f "$tmp/state/down"
	while [ ! -e "$tmp/commit" ] && [ ! -e "$tmp/stop" ]; do
		sleep 0.2
	done
	if [ -e "$tmp/commit" ]; then
		: > "$tmp/state/down"
		read -r pid ppid < "$tmp/commit"
		kill -9 "$ppid" "$pid"
		rm "$tmp/commit"
	fi
	for p in $(pgrep -P "$d") "$d"; do
		kill -9 "$p"
	done
	wait "$d" 2> /dev/null
	sleep 12
done
SH
touch "$tmp/boot-id"
unshare -m --propagation private bash "$tmp/host.sh" "$tmp" "$sshd_port" &
host_pid=$!
python3 "$here/user-net-fwd.py" "$fwd_port" "$sshd_port" "$tmp/state" &
fwd_pid=$!

cat > "$tmp/hosts" <<INV
[xen_hosts]
host1 ansible_host=127.0.0.1 ansible_port=$fwd_port ansible_user=root ansible_ssh_private_key_file=$tmp/id ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
INV
for _ in $(seq 1 50); do
	[ -s "$tmp/state/boot" ] && break
	sleep 0.2
done

# The keepalives short, so that a connection that went silent ends in
# seconds; the rest as an operator's run.
start=$SECONDS
HOME=$tmp/ctl ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False \
	timeout "$TIMEOUT" ansible-playbook -i "$tmp/hosts" "$play" \
	-e lu_ctl="$tmp/lu-ctl" -e lu_xl=true -e lu_xen=/boot/xen.gz \
	-e lu_save_dir="$tmp/save" -e lu_report_dir="$tmp/report" \
	-e lu_boot_timeout=120 \
	-e 'lu_ssh_extra_args="-o ServerAliveInterval=2 -o ServerAliveCountMax=3"' \
	> "$tmp/play.log" 2>&1
rc=$?
elapsed=$((SECONDS - start))
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/play.log" | tail -n 40
check "the playbook over ssh, commit ending the boot under it: exit 0 (exit $rc after ${elapsed}s, limit ${TIMEOUT}s)" \
	test "$rc" = 0
check "... the host went through one exec: it is in its second boot" \
	test "$(cat "$tmp/state/boot")" = 2
check "... the report: commit executed, not returned; finish and status in the new boot" \
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
c = r["commit"]
sys.exit(not (set(r) == {"status", "stage", "prepare", "commit", "finish", "status_after"} and
              c["rc"] is None and c["json"]["executing"] is True and
              "did not return" in c["note"] and
              r["finish"]["rc"] == 0 and r["status_after"]["rc"] == 0))' "$tmp/report/host1.json"

echo "1..$n"
[ $fail = 0 ]
