#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""lu-ctl(8) against lu-ctl's option tables (TAP).

The man page is the admin guide (scripts/build-man.sh), so the guide is
where each command and option must be described:
- every command has a part of its own: a section titled ``lu-ctl CMD``
  or a definition-list term starting ``lu-ctl CMD``;
- each option of the command's table appears there, long and short;
- every "lu-ctl WORD" the page names is a command, and every --option it
  names is an option of a command (or of another tool, listed below);
- every exit code of exit-codes.h is in the "Exit codes" table;
- the built page has the synopsis of every command and renders with man.

    check-man.py TABLES.json GUIDE.rst LU-CTL.8 EXIT-CODES.H
"""
import json
import re
import subprocess
import sys

# --options the page names that belong to other tools, and why.
OTHER_TOOLS = {
    "--type": "kexec -l --type=multiboot2-x86 (kexec-tools), a benchmark",
    "--version": "lu-ctl --version, no command's",
}

n = 0
failed = 0


def ok(cond, what, diag=()):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what))
    if not cond:
        failed += 1
        for d in diag:
            print("# " + d)


def command_blocks(lines, cmd):
    """The text of the guide's parts about lu-ctl CMD."""
    head = re.compile(r"^``lu-ctl %s(``| )" % re.escape(cmd))
    text = []
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = i + 1 < len(lines) and re.fullmatch(r"([-=~^])\1{3,}", lines[i + 1])
        if head.match(line) and underline:
            # a section: to the next section title
            j = i + 2
            while j < len(lines) and not (
                    j + 1 < len(lines) and lines[j]
                    and re.fullmatch(r"([-=~^])\1{3,}", lines[j + 1])):
                j += 1
            text += lines[i:j]
            i = j
        elif head.match(line):
            # a definition-list term: to the next unindented line
            j = i + 1
            while j < len(lines) and (not lines[j] or lines[j][0] == " "):
                j += 1
            text += lines[i:j]
            i = j
        else:
            i += 1
    return "\n".join(text)


def main():
    tables = json.load(open(sys.argv[1]))
    guide = open(sys.argv[2]).read()
    man = open(sys.argv[3]).read()
    exits = open(sys.argv[4]).read()
    lines = guide.splitlines()

    for cmd, opts in tables.items():
        block = command_blocks(lines, cmd)
        missing = []
        for o in opts:
            if o["long"] == "help":
                continue		# said once for all: "<command> --help"
            if not re.search(r"(?<![\w-])--%s(?![\w-])" % re.escape(o["long"]), block):
                missing.append("--" + o["long"])
            if o["short"] and not re.search(r"(?<![\w-])-%s(?![\w-])" % re.escape(o["short"]), block):
                missing.append("-" + o["short"])
        ok(block and not missing,
           "lu-ctl(8) describes lu-ctl %s and its options" % cmd,
           ["no part titled ``lu-ctl %s``" % cmd] if not block else
           ["missing from its part: " + " ".join(missing)])

    named = set(re.findall(r"``lu-ctl ([a-z][a-z-]*)", guide))
    unknown = sorted(named - set(tables))
    ok(not unknown, "every lu-ctl command lu-ctl(8) names exists",
       ["not a command: " + " ".join(unknown)])

    known = {"--" + o["long"] for opts in tables.values() for o in opts}
    said = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", guide))
    unknown = sorted(said - known - set(OTHER_TOOLS))
    ok(not unknown, "every --option lu-ctl(8) names is one of lu-ctl's",
       ["no command has: " + " ".join(unknown)])

    codes = re.findall(r"LU_EXIT_\w+\s*=\s*(\d+)", exits)
    m = re.search(r"^Exit codes\n=+\n(.*?)\n==  =+\n(.*?)\n==  =+\n", guide,
                  re.S | re.M)
    table = m.group(2) if m else ""
    listed = set(re.findall(r"^(\d+) ", table, re.M))
    ok(codes and set(codes) == listed,
       "lu-ctl(8)'s exit codes are exit-codes.h's (%s)" % " ".join(codes),
       ["exit-codes.h %s, the page %s" % (sorted(codes), sorted(listed))])

    synopsis = man.split(".SH", 3)[2] if man.count(".SH") >= 2 else ""
    missing = [c for c in tables
               if not re.search(r"lu\\-ctl %s\b" % re.escape(cmd_roff(c)), synopsis)]
    ok("SYNOPSIS" in synopsis and not missing,
       "lu-ctl(8)'s SYNOPSIS has every command",
       ["missing: " + " ".join(missing)])

    r = subprocess.run(["man", "-l", "-Tutf8", sys.argv[3]],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and "lu-ctl" in r.stdout,
       "man -l renders lu-ctl(8)", [r.stderr[:200]])

    print("1..%d" % n)
    sys.exit(1 if failed else 0)


def cmd_roff(cmd):
    return cmd.replace("-", "\\-")


if __name__ == "__main__":
    main()
