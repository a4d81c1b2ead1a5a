#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The bash completion against lu-ctl's option tables (TAP).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
tables=$(mktemp)
trap 'rm -f "$tables"' EXIT
python3 "$HERE/option-tables.py" "$TOP/tools/lu-ctl" > "$tables" &&
python3 "$HERE/check-completion.py" "$tables" \
	"$TOP/tools/lu-ctl/completion/lu-ctl" "$TOP/tools/lu-ctl/lu-ctl"
