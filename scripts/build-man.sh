#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lu-ctl(8) on stdout, as roff: the admin guide
# (Documentation/admin-guide/xen-liveupdate.rst) is the man page's text, so
# the two cannot drift.  This script adds only what a man page has and the
# guide has not: the NAME line, the version (VERSION) and a SYNOPSIS made
# of each command's usage lines, which lu-ctl prints from its option
# tables.  Sphinx's :doc: references, which docutils does not know, become
# the documents' paths.
#
#   scripts/build-man.sh tools/lu-ctl/lu-ctl > lu-ctl.8
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LUCTL=${1:?usage: build-man.sh LU-CTL}
GUIDE=$TOP/Documentation/admin-guide/xen-liveupdate.rst
VERSION=$(cat "$TOP/VERSION")

commands() {
	"$LUCTL" --help | sed -n '/^commands:/,/^$/s/^   \([a-z-]*\) .*/\1/p'
}

# The usage lines of "lu-ctl CMD --help": "usage: lu-ctl ..." and the
# "       lu-ctl ..." lines after it.
synopsis() {
	local cmd
	echo "| lu-ctl [--version] [--help] <command> [<args>]"
	for cmd in $(commands); do
		"$LUCTL" "$cmd" --help |
			sed -n 's/^usage: \(lu-ctl .*\)/| \1/p; s/^       \(lu-ctl .*\)/| \1/p'
	done
}

# The guide past its title block (everything from its first section),
# with :doc:`/path` as ``Documentation/path.rst``.
body() {
	awk 'started || /^Overview$/ { started = 1; print }' "$GUIDE" |
		sed -E 's|:doc:`/?([^`]*)`|``Documentation/\1.rst``|g'
}

rst() {
	cat <<EOF
======
lu-ctl
======

----------------------------------------------------
prepare, run and finish a Xen hypervisor live update
----------------------------------------------------

:Manual section: 8
:Manual group: System Administration
:Version: $VERSION

Synopsis
========

EOF
	synopsis | sed 's/\*/\\*/g'
	echo
	body
}

rst | rst2man --halt=warning --exit-status=warning
