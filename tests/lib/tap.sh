# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC3043 # local: in dash, bash and busybox sh
#
# TAP for the host's shell tests, bash and POSIX sh alike: "ok N - what",
# "not ok N - what"; n counts the results, failed the failures.
#
# ok RC WHAT...: one result, passed when RC is 0; returns 1 when not.
# pass WHAT..., fail WHAT...: a result passed, failed (fail returns 1).
# check WHAT COMMAND...: passed when COMMAND exits 0.
# skip WHAT WHY...: a result not run: "ok N - WHAT # SKIP WHY".
# finish: the plan ("1..N"); returns 1 when a result failed.
# counts [NOTE]: "N passed, N failed" and NOTE, the line a make target's
#	run ends with.
n=0
failed=0
pass() {
	n=$((n + 1))
	echo "ok $n - $*"
}
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
	return 1
}
ok() {
	local rc="$1"
	shift
	if [ "$rc" -eq 0 ]; then
		pass "$@"
	else
		fail "$@"
	fi
}
check() {
	local what="$1"
	shift
	"$@"
	ok $? "$what"
}
skip() {
	local what="$1"
	shift
	n=$((n + 1))
	echo "ok $n - $what # SKIP $*"
}
finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
counts() {
	echo "$((n - failed)) passed, $failed failed${1:+ $1}"
}
