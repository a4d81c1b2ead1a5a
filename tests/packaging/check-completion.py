#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The bash completion against lu-ctl's option tables (TAP).

For every command of the tables: "lu-ctl <TAB>" offers it; "lu-ctl CMD
-<TAB>" offers exactly its options, long and short; after each option that
takes an argument the completion offers files (FILE), directories (DIR)
or the option's words (a|b|c); and the operands XEN and FILE complete
files.  Each case runs the completion in bash, in a directory holding one
file and one directory.

    check-completion.py TABLES.json COMPLETION LU-CTL
"""
import json
import os
import subprocess
import sys
import tempfile

tables = json.load(open(sys.argv[1]))
completion, luctl = sys.argv[2], os.path.abspath(sys.argv[3])
n = failed = 0


def complete(words):
    """COMPREPLY of the completion for the command line WORDS (the last
    is the word being completed)."""
    script = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
_lu_ctl
printf '%s\\n' "${COMPREPLY[@]}"
"""
    r = subprocess.run(["bash", "-c", script, "bash", completion, luctl] + words,
                       capture_output=True, text=True)
    return sorted(w for w in r.stdout.split("\n") if w)


def case(words, want, what):
    global n, failed
    n += 1
    got = complete(words)
    want = sorted(want)
    if got == want:
        print("ok %d - %s" % (n, what))
    else:
        failed += 1
        print("not ok %d - %s" % (n, what))
        print("# lu-ctl %s<TAB>: %s, want %s" % (" ".join(words), got, want))


with tempfile.TemporaryDirectory() as d:
    os.chdir(d)
    open("xen.gz", "w").close()
    os.mkdir("save")
    files = ["save", "xen.gz"]

    case([""], list(tables) + ["--help", "--version"],
         "lu-ctl <TAB>: every command")
    for cmd, opts in tables.items():
        want = ["--" + o["long"] for o in opts] + \
            ["-" + o["short"] for o in opts if o["short"]]
        case([cmd, "-"], want, "lu-ctl %s -<TAB>: its options" % cmd)
        for o in opts:
            arg = o["arg"]
            if arg is None:
                continue
            if "FILE" in arg:
                want = files
            elif arg == "DIR":
                want = ["save"]
            elif o["choices"]:
                want = o["choices"]
            else:
                want = []
            case([cmd, "--" + o["long"], ""], want,
                 "lu-ctl %s --%s <TAB>: %s" % (cmd, o["long"], want or "nothing"))
    for cmd in ("stage", "verify", "dump"):
        case([cmd, ""], files, "lu-ctl %s <TAB>: files (its operand)" % cmd)
    case(["status", ""], [], "lu-ctl status <TAB>: nothing (no operand)")

print("1..%d" % n)
sys.exit(1 if failed else 0)
