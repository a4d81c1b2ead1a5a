#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare dom0's live-update records (lu-ctl records --json) with what
xenstore-ls and lsevtchn showed in the same dom0 at the same moment.

usage: check-records.py SHARE_DIR     (prints TAP on stdout)
"""
import json
import re
import sys

share = sys.argv[1]
results = []


def check(desc, ok, diag=""):
    results.append((bool(ok), desc, diag))


rec = json.load(open(f"{share}/records.json"))
xs = {}
for line in open(f"{share}/xenstore-domains.txt"):
    m = re.match(r'^(\S+) = "(.*)"', line.rstrip("\n"))
    if m:
        xs[m.group(1)] = m.group(2)

# Domains: every /local/domain/<id> with its name.
xs_doms = sorted({int(k.split("/")[3]) for k in xs
                  if re.match(r"^/local/domain/\d+/", k)})
rec_doms = [d["domid"] for d in rec["domains"]]
check("domain records = the domains in xenstore", rec_doms == xs_doms,
      f"records {rec_doms}, xenstore {xs_doms}")
for d in rec["domains"]:
    want = xs.get(f"/local/domain/{d['domid']}/name", "")
    check(f"domain {d['domid']}: name {d['name']!r} as in xenstore",
          d["name"] == want, f"xenstore {want!r}")

# Backends: every device under /local/domain/0/backend/<type>/<dom>/<dev>,
# read as the UAPI says (records version 2: "Ring keys", "Unrecordable
# devices"), caps included.
MAX_QUEUES, MAX_RING_PAGES, MAX_QUEUE_EVTCHNS = 256, 16, 2
MAX_FEATURES, MAX_FEATURE_BYTES, TYPE_LEN, PATH_MAX = 256, 16384, 16, 256
xs_dirs = {}
for k in xs:
    parts = k.split("/")
    for i in range(2, len(parts) + 1):
        xs_dirs.setdefault("/".join(parts[:i - 1]) or "/", set()).add(parts[i - 1])


class Unrecordable(Exception):
    pass


def keys(d):
    return xs_dirs.get(d, set())


def u32(d, k):
    """A key's value as xenbus_scanf("%u") reads it, None when it cannot."""
    m = re.match(r"^\s*\+?(\d+)", xs.get(f"{d}/{k}", ""))
    return int(m.group(1)) & 0xFFFFFFFF if m else None


def rings(d, refs, evts):
    """The ring keys of one directory, in the UAPI's order."""
    ks = keys(d)
    ports = len(evts)

    def add(lst, k):
        if k in ks and u32(d, k) is not None:
            lst.append(u32(d, k))
    add(refs, "ring-ref")
    n = 0
    while f"ring-ref{n}" in ks:
        if n == MAX_RING_PAGES:
            raise Unrecordable("ring-refs")
        add(refs, f"ring-ref{n}")
        n += 1
    for k in ("tx-ring-ref", "rx-ring-ref"):
        add(refs, k)
    for k in ("event-channel", "event-channel-tx", "event-channel-rx"):
        add(evts, k)
    if len(evts) - ports > MAX_QUEUE_EVTCHNS:
        raise Unrecordable("event-channels")


def features(d, end, feats):
    for k in sorted(keys(d)):
        if not re.match(r"(feature|request)-", k) or f"{d}/{k}" not in xs:
            continue
        if len(feats) == MAX_FEATURES:
            raise Unrecordable("features")
        feats.append(f"{end}:{k}={xs[f'{d}/{k}']}")
        if sum(len(f) + 1 for f in feats) > MAX_FEATURE_BYTES:
            raise Unrecordable("features")


def expected(typ, be, fe):
    """The record the module writes for one device: a dict of its fields."""
    r = {"type": typ, "unrecordable": None, "nr_queues": 0, "ring_refs": [],
         "evtchns": [], "features": [], "frontend_state": 0, "protocol": ""}
    feats = []
    try:
        if len(typ) >= TYPE_LEN:
            r["type"] = ""
            raise Unrecordable("size")
        if len(fe) >= PATH_MAX:
            raise Unrecordable("size")
        features(be, "be", feats)
        if fe in xs_dirs or fe in xs:
            if "state" in keys(fe) and u32(fe, "state") is not None:
                r["frontend_state"] = u32(fe, "state")
            r["protocol"] = xs.get(f"{fe}/protocol", "")
            rings(fe, r["ring_refs"], r["evtchns"])
            if "multi-queue-num-queues" in keys(fe) and \
               u32(fe, "multi-queue-num-queues") is not None:
                q = u32(fe, "multi-queue-num-queues")
                if q > MAX_QUEUES:
                    raise Unrecordable("queues")
                r["nr_queues"] = q
                for n in range(q):
                    qd = f"{fe}/queue-{n}"
                    if qd in xs or qd in xs_dirs:
                        rings(qd, r["ring_refs"], r["evtchns"])
            features(fe, "fe", feats)
        r["features"] = sorted(feats)
    except Unrecordable as why:
        r.update(unrecordable=str(why), nr_queues=0, ring_refs=[], evtchns=[],
                 features=[])
    return r


xs_devs = sorted({tuple(k.split("/")[5:8]) for k in xs
                  if re.match(r"^/local/domain/0/backend/[^/]+/\d+/\d+/", k)})
rec_devs = sorted((b["type"] or b["backend_path"].split("/")[-3],
                   str(b["frontend_domid"]), str(b["devid"]))
                  for b in rec["backends"])
check("backend records = the backend devices in xenstore",
      rec_devs == xs_devs, f"records {rec_devs}, xenstore {xs_devs}")
for b in rec["backends"]:
    be, fe = b["backend_path"], b["frontend_path"]
    typ = b["type"] or be.split("/")[-3]
    name = f"{typ} {b['frontend_domid']}/{b['devid']}"
    want = expected(typ, be, xs.get(f"{be}/frontend", ""))
    check(f"{name}: backend path and frontend path as in xenstore",
          xs.get(f"{be}/frontend") == fe or
          (fe == "" and want["unrecordable"] == "size"),
          f"{be}/frontend = {xs.get(be + '/frontend')}")
    check(f"{name}: unrecordable {b['unrecordable'] or 'none'} as the caps say",
          b["unrecordable"] == want["unrecordable"],
          f"expected {want['unrecordable'] or 'none'}")
    check(f"{name}: states {b['backend_state']}/{b['frontend_state']} as in xenstore",
          str(b["backend_state"]) == xs.get(f"{be}/state") and
          b["frontend_state"] == want["frontend_state"],
          f"frontend state {want['frontend_state']}")
    check(f"{name}: {b['nr_queues']} queues as in xenstore",
          b["nr_queues"] == want["nr_queues"], f"xenstore {want['nr_queues']}")
    check(f"{name}: ring refs {b['ring_refs']} as in xenstore",
          b["ring_refs"] == want["ring_refs"], f"xenstore {want['ring_refs']}")
    check(f"{name}: event channels {b['evtchns']} as in xenstore",
          b["evtchns"] == want["evtchns"], f"xenstore {want['evtchns']}")
    check(f"{name}: protocol {b['protocol']!r} as in xenstore",
          b["protocol"] == want["protocol"], f"xenstore {want['protocol']!r}")
    check(f"{name}: {len(b['features'])} feature keys as in xenstore",
          b["features"] == want["features"],
          f"records {b['features']}, xenstore {want['features']}")

# Event channels: lsevtchn prints every open port of dom0.
kinds = {"Interdomain (Waiting connection)": "unbound",
         "Interdomain (Connected)": "interdomain", "Physical IRQ": "pirq",
         "Virtual IRQ": "virq", "IPI": "ipi"}
ls = {}
for line in open(f"{share}/lsevtchn.txt"):
    m = re.match(r"^\s*(\d+): VCPU (\d+): (.*)$", line.rstrip())
    if m:
        ls[int(m.group(1))] = (int(m.group(2)), m.group(3))
rec_ev = {e["port"]: e for e in rec["evtchns"]}
check(f"event-channel records = lsevtchn's {len(ls)} open ports",
      sorted(rec_ev) == sorted(ls), f"records {sorted(rec_ev)}, lsevtchn {sorted(ls)}")
bad = []
for port, (vcpu, text) in ls.items():
    e = rec_ev.get(port)
    if not e:
        continue
    kind = next((v for k, v in kinds.items() if text.startswith(k)), "?")
    ok = e["vcpu"] == vcpu and e["kind"] == kind
    if kind == "interdomain":
        m = re.search(r"Remote Domain (\d+), Port (\d+)", text)
        ok = ok and m and (e["remote_domid"], e["remote_port"]) == (int(m.group(1)), int(m.group(2)))
    elif kind == "unbound":
        m = re.search(r"Remote Domain (\d+)", text)
        ok = ok and m and e["remote_domid"] == int(m.group(1))
    elif kind in ("pirq", "virq"):
        m = re.search(r"IRQ (\d+)", text)
        ok = ok and m and e["irq"] == int(m.group(1))
    if not ok:
        bad.append(f"{port}: lsevtchn {vcpu} {text!r}, record {e}")
check("every event-channel record has lsevtchn's vcpu, kind and binding",
      not bad, "; ".join(bad[:5]))

print("TAP version 13")
for n, (ok, desc, diag) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {n} - {desc}")
    if not ok and diag:
        print(f"# {diag}")
print(f"1..{len(results)}")
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
