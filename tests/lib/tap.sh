# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers of the shell tests: "ok N - what" or "not ok N - what";
# finish() prints the plan and fails when one check did.
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
# check WHAT COMMAND...: ok when COMMAND succeeds
check() {
	local what=$1
	shift
	"$@"
	ok $? "$what"
}
finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
