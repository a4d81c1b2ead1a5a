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

# Backends: every device under /local/domain/0/backend/<type>/<dom>/<dev>.
xs_devs = sorted({tuple(k.split("/")[5:8]) for k in xs
                  if re.match(r"^/local/domain/0/backend/[^/]+/\d+/\d+/", k)})
rec_devs = sorted((b["type"], str(b["frontend_domid"]), str(b["devid"]))
                  for b in rec["backends"])
check("backend records = the backend devices in xenstore",
      rec_devs == xs_devs, f"records {rec_devs}, xenstore {xs_devs}")
for b in rec["backends"]:
    be, fe = b["backend_path"], b["frontend_path"]
    name = f"{b['type']} {b['frontend_domid']}/{b['devid']}"
    check(f"{name}: backend path and frontend path as in xenstore",
          xs.get(f"{be}/frontend") == fe, f"{be}/frontend = {xs.get(be + '/frontend')}")
    check(f"{name}: states {b['backend_state']}/{b['frontend_state']} as in xenstore",
          str(b["backend_state"]) == xs.get(f"{be}/state") and
          str(b["frontend_state"]) == xs.get(f"{fe}/state", "0"))
    rings = [int(xs[f"{fe}/{k}"]) for k in ("ring-ref", "tx-ring-ref", "rx-ring-ref")
             if f"{fe}/{k}" in xs]
    evts = [int(xs[f"{fe}/{k}"]) for k in ("event-channel", "event-channel-tx",
                                           "event-channel-rx") if f"{fe}/{k}" in xs]
    check(f"{name}: ring refs {b['ring_refs']} as in xenstore", b["ring_refs"] == rings,
          f"xenstore {rings}")
    check(f"{name}: event channels {b['evtchns']} as in xenstore", b["evtchns"] == evts,
          f"xenstore {evts}")
    proto = xs.get(f"{fe}/protocol", "")
    check(f"{name}: protocol {b['protocol']!r} as in xenstore", b["protocol"] == proto)
    feats = sorted([f"be:{k[len(be) + 1:]}={v}" for k, v in xs.items()
                    if k.startswith(be + "/") and "/" not in k[len(be) + 1:] and
                    re.match(r"(feature|request)-", k[len(be) + 1:])] +
                   [f"fe:{k[len(fe) + 1:]}={v}" for k, v in xs.items()
                    if k.startswith(fe + "/") and "/" not in k[len(fe) + 1:] and
                    re.match(r"(feature|request)-", k[len(fe) + 1:])])
    check(f"{name}: {len(b['features'])} feature keys as in xenstore",
          b["features"] == feats, f"records {b['features']}, xenstore {feats}")

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
