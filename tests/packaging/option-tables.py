#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""lu-ctl's commands and options, read from its C tables, as JSON.

The commands are main.c's commands[]; each command's options are the
struct lu_option array of its cmd-<name>.c (LU_OPT_*() entries, with
LU_OPT_JSON() and LU_OPT_STREAM_FORMAT() expanded), plus -h, --help, which
every command has.  The man page and the bash completion are checked
against this.  So that a table this parser misreads cannot pass unseen,
--check LU-CTL compares it with what "lu-ctl <command> --help" prints
from the same tables and fails on any difference.

    option-tables.py TOOLDIR [--check LU-CTL]

Output: {"<command>": [{"short": "j" or null, "long": "json",
"arg": "FILE" or null, "choices": [...] or null}, ...], ...}
"""
import json
import re
import subprocess
import sys

# LU_OPT_<TYPE>(short, "long", value, <argh> ...): the argument's place.
ARG_AT = {"BOOL": None, "STRING": 3, "UINT": 3, "CALLBACK": 3, "CHOICE": None}
MACROS = {
    "JSON": {"short": "j", "long": "json", "arg": None, "choices": None},
    "STREAM_FORMAT": {"short": "f", "long": "format", "arg": "FORMAT",
                      "choices": None},
}
HELP = {"short": "h", "long": "help", "arg": None, "choices": None}


def split_args(text):
    """The top-level comma-separated arguments of a macro call's text."""
    args, depth, cur, quote = [], 0, "", None
    for ch in text:
        if quote:
            cur += ch
            if ch == quote and not cur.endswith("\\" + quote):
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


def call_text(src, start):
    """The text between the parenthesis at src[start] and its match."""
    depth, i, quote = 0, start, None
    while i < len(src):
        ch = src[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return src[start + 1:i]
        i += 1
    raise ValueError("unbalanced parentheses")


def c_string(arg):
    """The value of a C string literal (adjacent literals joined)."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    return "".join(parts).replace('\\"', '"')


def choices(src, name):
    m = re.search(r"lu_opt_choice\s+%s\[\]\s*=\s*\{(.*?)\n\};" % re.escape(name),
                  src, re.S)
    if not m:
        raise ValueError("no choice table " + name)
    return re.findall(r'\{\s*"([^"]+)"', m.group(1))


def command_options(src):
    m = re.search(r"struct lu_option options\[\]\s*=\s*\{", src)
    if not m:
        raise ValueError("no options[] table")
    end = src.index("LU_OPT_END()", m.end())
    table = src[m.end():end]
    opts = []
    for call in re.finditer(r"LU_OPT_([A-Z_]+)\(", table):
        kind = call.group(1)
        if kind in MACROS:
            opts.append(dict(MACROS[kind]))
            continue
        if kind not in ARG_AT:
            raise ValueError("unknown option macro LU_OPT_" + kind)
        args = split_args(call_text(table, call.end() - 1))
        short = args[0].strip("'") if args[0].startswith("'") else None
        opt = {"short": short, "long": c_string(args[1]), "arg": None,
               "choices": None}
        if ARG_AT[kind] is not None:
            opt["arg"] = c_string(args[ARG_AT[kind]])
        if kind == "CHOICE":
            opt["choices"] = choices(src, args[3])
            opt["arg"] = "|".join(opt["choices"])
        opts.append(opt)
    opts.append(dict(HELP))
    return opts


def tables(tooldir):
    main = open(tooldir + "/main.c").read()
    cmds = re.findall(r'\{\s*"([a-z-]+)",\s*cmd_\w+,', main)
    return {c: command_options(open("%s/cmd-%s.c" % (tooldir, c)).read())
            for c in cmds}


def from_help(luctl, cmd):
    """(short, long) of each option line "lu-ctl CMD --help" prints."""
    out = subprocess.run([luctl, cmd, "--help"], capture_output=True,
                         text=True, check=True).stdout
    return sorted(re.findall(r"^   (?:-(\w), |    )--([a-z][a-z-]*)", out, re.M))


def main():
    t = tables(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--check":
        bad = 0
        for cmd, opts in t.items():
            mine = sorted((o["short"] or "", o["long"]) for o in opts)
            theirs = from_help(sys.argv[3], cmd)
            if mine != theirs:
                print("%s: tables %s, --help %s" % (cmd, mine, theirs),
                      file=sys.stderr)
                bad = 1
        sys.exit(bad)
    json.dump(t, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
