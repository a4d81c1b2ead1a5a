#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validate lu-ctl's --json output against its JSON Schema.

    check-json.py [--schema-dir DIR] [--expect OUTPUT] FILE...

Each FILE holds one or more JSON documents, one after the other (a file
may gather the answers of several runs).  Each document names its schema
in its "schema" field, "lu-ctl-<output>/<version>", and is validated
against DIR/<output>.schema.json (DIR: tools/lu-ctl/schema of this tree),
whose "schema" field pins that version.  --expect OUTPUT also requires
every document to be OUTPUT's.  Prints one line per document; exit 0 when
every document of every FILE is valid, 1 otherwise, 2 on a usage error.

Runs under Debian's python3 with python3-jsonschema (draft 2020-12).
"""
import argparse
import json
import os
import re
import sys
import warnings

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "..", "tools", "lu-ctl", "schema")
SCHEMA_NAME = re.compile(r"^lu-ctl-([a-z-]+)/([1-9][0-9]*)$")


def load_schemas(schema_dir):
    """Every *.schema.json of @schema_dir, by file name."""
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name)) as f:
                schemas[name[:-len(".schema.json")]] = json.load(f)
    return schemas


def make_validator(schema, schemas):
    """A draft 2020-12 validator that resolves $ref between the files."""
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    store = {s["$id"]: s for s in schemas.values() if "$id" in s}
    with warnings.catch_warnings():
        # Newer jsonschema deprecates RefResolver for "referencing";
        # Debian 12's (4.10) has only RefResolver.
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return cls(schema, resolver=resolver)


def documents(text):
    """The JSON documents of @text, one after another."""
    dec = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return
        doc, pos = dec.raw_decode(text, pos)
        yield doc


def check_doc(doc, schemas, validators, expect):
    """None when @doc is valid, else why not."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    name = doc.get("schema")
    m = SCHEMA_NAME.match(name) if isinstance(name, str) else None
    if not m:
        return "no \"schema\": \"lu-ctl-<output>/<version>\" field"
    output = m.group(1)
    if expect and output != expect:
        return "is %s, expected lu-ctl-%s" % (name, expect)
    if output not in schemas:
        return "no schema for %s" % name
    if output not in validators:
        validators[output] = make_validator(schemas[output], schemas)
    errors = sorted(validators[output].iter_errors(doc),
                    key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    return "%s: %s: %s" % (name, where, e.message[:300])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schema-dir", default=SCHEMA_DIR)
    ap.add_argument("--expect", metavar="OUTPUT")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args()

    schemas = load_schemas(args.schema_dir)
    validators = {}
    bad = 0
    for path in args.files:
        try:
            with open(path) as f:
                docs = list(documents(f.read()))
        except (OSError, ValueError) as e:
            print("%s: not valid JSON: %s" % (path, e))
            bad += 1
            continue
        if not docs:
            print("%s: no JSON document" % path)
            bad += 1
        for i, doc in enumerate(docs):
            where = path if len(docs) == 1 else "%s[%d]" % (path, i)
            why = check_doc(doc, schemas, validators, args.expect)
            if why:
                print("%s: invalid: %s" % (where, why))
                bad += 1
            else:
                print("%s: valid %s" % (where, doc["schema"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
