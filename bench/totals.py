#!/usr/bin/python3
"""totals.py - do the benchmark's peers find the same totals as huizong?

Compares, for the round folders a peer read (bench/peer.py or
bench/peer-sheetjs.mjs output, tab-separated: folder unit filed closed
amount fine transferred):
  - the annual folder, per unit and for the city, with huizong's
    consolidation (context.json: units[] and city): cases filed, closed and
    transferred exactly; amount and fine (万元) after rounding the peer's
    exact sum half away from zero to the 2 decimals context.json carries;
  - the stage folder, when the peer read it, for the city, with
    context.json's stage totals;
  - with --check, the cases per unit of `huizong check --format json` of
    the annual files with the peer's cases filed.
Prints one line per peer, "same" or what differs, and exits 1 when anything
differs or a peer's output lacks a unit or a folder.

usage: /usr/bin/python3 bench/totals.py --context CONTEXT.json [--check CHECK.json]
           --annual LABEL [--stage LABEL] NAME=PEER.tsv...
"""
import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

FIELDS = ("filed", "closed", "amount", "fine", "transferred")
CONTEXT_KEYS = ("cases_filed", "cases_closed", "amount", "fine", "transferred")


def hz_figures(d):
    """The five figures of a context.json unit, city or stage object."""
    return [int(d[CONTEXT_KEYS[0]] or 0), int(d[CONTEXT_KEYS[1]] or 0),
            Decimal(str(d[CONTEXT_KEYS[2]] or 0)), Decimal(str(d[CONTEXT_KEYS[3]] or 0)),
            int(d[CONTEXT_KEYS[4]] or 0)]


def peer_figures(cols, cents):
    """The five figures of a peer line; amounts rounded like huizong's output."""
    filed, closed, amount, fine, transferred = cols
    money = [Decimal(amount), Decimal(fine)]
    if cents:
        money = [m.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for m in money]
    return [int(filed), int(closed), money[0], money[1], int(transferred)]


def differences(what, hz, peer):
    return [f"{what} {FIELDS[i]}: huizong {hz[i]}, peer {peer[i]}"
            for i in range(5) if hz[i] != peer[i]]


def compare(name, path, context, check, annual, stage):
    rows = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            rows[(cols[0], cols[1])] = cols[2:]
    diffs = []
    units = 0
    for u in context["units"]:
        if not u.get("reported"):
            continue
        units += 1
        got = rows.get((annual, u["code"]))
        if got is None:
            diffs.append(f"{annual} {u['code']}: missing in the peer's output")
            continue
        diffs += differences(f"{annual} {u['code']}", hz_figures(u), peer_figures(got, True))
        if check is not None and check.get(u["code"]) != int(got[0]):
            diffs.append(f"{annual} {u['code']} cases: huizong check {check.get(u['code'])}, "
                         f"peer {got[0]}")
    extra = {k[1] for k in rows if k[0] == annual} - {u["code"] for u in context["units"]} - {"city"}
    if extra:
        diffs.append(f"{annual}: units only the peer found: {sorted(extra)}")
    city = rows.get((annual, "city"))
    if city is None:
        diffs.append(f"{annual}: no city line")
    else:
        diffs += differences(f"{annual} city", hz_figures(context["city"]), peer_figures(city, True))
    checked = f"{units} units and the city of {annual}"
    if stage:
        got = rows.get((stage, "city"))
        if got is None:
            diffs.append(f"{stage}: no city line")
        else:
            diffs += differences(f"{stage} city", hz_figures(context["stage"]), peer_figures(got, True))
        checked += f", the city of {stage}"
    if check is not None:
        checked += ", cases per unit of huizong check"
    if diffs:
        print(f"{name}: DIFFERENT from huizong ({len(diffs)}): " + "; ".join(diffs[:8]))
        return False
    print(f"{name}: same totals as huizong ({checked})")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--context", required=True)
    ap.add_argument("--check")
    ap.add_argument("--annual", required=True)
    ap.add_argument("--stage")
    ap.add_argument("peers", nargs="+", metavar="NAME=PEER.tsv")
    a = ap.parse_args()
    with open(a.context, encoding="utf-8") as f:
        context = json.load(f)
    check = None
    if a.check:
        with open(a.check, encoding="utf-8") as f:
            check = {t["unit"]: t["cases"] for t in json.load(f)["tasks"]}
    ok = True
    for spec in a.peers:
        name, _, path = spec.partition("=")
        ok &= compare(name, path, context, check, a.annual, a.stage)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
