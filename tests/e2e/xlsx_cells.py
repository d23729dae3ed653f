"""Cell dump of a huizong workbook's long sheets, read back with openpyxl
(issue 19: the golden comparison of the fast sheet writer).

Usage: xlsx_cells.py [--values] WORKBOOK.xlsx [GOLDEN.json]
Prints, as JSON, for every sheet whose name starts with 案件明细 or 校验问题:
the value, openpyxl type (s, n, d, b ...), number format and bold flag of
every non-empty cell, the frozen pane, the autofilter range, the print
title rows and the column widths. The overflow sheets 案件明细(2), … are
joined onto 案件明细 (their header rows dropped), so a workbook split by a
small row limit compares equal to the unsplit one. With GOLDEN.json, exits
1 and prints the first differences when the dump differs from it; with
--values only the cell values and types are compared (a workbook that
LibreOffice wrote back: it respells number formats and rounds widths).
"""
import json
import sys

import openpyxl

PREFIXES = ("案件明细", "校验问题")


def dump_sheet(ws):
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if c.is_date:
                v = v.isoformat()
            cells.append([c.coordinate, c.data_type, v, c.number_format,
                          bool(c.font and c.font.b)])
        if cells:
            rows.append(cells)
    widths = {k: round(d.width, 2) for k, d in sorted(ws.column_dimensions.items())
              if d.width}
    return {
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "print_rows": ws.print_title_rows,
        "print_cols": ws.print_title_cols,
        "widths": widths,
        "rows": rows,
    }


def base_name(title):
    for p in PREFIXES:
        if title.startswith(p):
            return p
    return None


def renumber(cells, row):
    out = []
    for coord, *rest in cells:
        col = coord.rstrip("0123456789")
        out.append([f"{col}{row}"] + rest)
    return out


def dump(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        base = base_name(ws.title)
        if base is None:
            continue
        d = dump_sheet(ws)
        if base not in out:
            out[base] = d
            continue
        # an overflow sheet: same header, its rows continue the first sheet
        first = out[base]
        if d["rows"] and first["rows"] and \
                [c[1:] for c in d["rows"][0]] != [c[1:] for c in first["rows"][0]]:
            raise SystemExit(f"{ws.title}: header differs from {base}")
        for cells in d["rows"][1:]:
            first["rows"].append(renumber(cells, len(first["rows"]) + 1))
        first.setdefault("overflow", []).append(ws.title)
    for d in out.values():
        # the autofilter and widths of a split sheet cover only its own rows
        # and content; compare them per sheet in the overflow test instead
        if "overflow" in d:
            d.pop("overflow")
            d["autofilter"] = None
            d["widths"] = None
    return out


def main(argv):
    values_only = len(argv) > 1 and argv[1] == "--values"
    if values_only:
        argv = argv[:1] + argv[2:]
    got = dump(argv[1])
    if len(argv) < 3:
        # one line per row: a golden fixture that diffs readably
        sys.stdout.write("{\n")
        for k, (name, d) in enumerate(got.items()):
            rows = d.pop("rows")
            meta = json.dumps(d, ensure_ascii=False)[:-1]
            sys.stdout.write(f"{json.dumps(name, ensure_ascii=False)}: {meta}, \"rows\": [\n")
            sys.stdout.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
            sys.stdout.write("]}" + (",\n" if k + 1 < len(got) else "\n"))
        sys.stdout.write("}\n")
        return 0
    with open(argv[2], encoding="utf-8") as f:
        want = json.load(f)
    bad = 0
    for name in sorted(set(want) | set(got)):
        w, g = want.get(name), got.get(name)
        if w is None or g is None:
            print(f"{name}: sheet missing in {'golden' if w is None else 'workbook'}")
            bad += 1
            continue
        if values_only:
            for d in (w, g):
                d["rows"] = [[c[:3] for c in r] for r in d["rows"]]
        for key in () if values_only else ("freeze", "autofilter", "print_rows",
                                             "print_cols", "widths"):
            if w.get(key) is not None and g.get(key) is not None and w[key] != g[key]:
                print(f"{name}: {key} {g[key]!r}, golden {w[key]!r}")
                bad += 1
        if len(w["rows"]) != len(g["rows"]):
            print(f"{name}: {len(g['rows'])} rows, golden {len(w['rows'])}")
            bad += 1
        for i, (wr, gr) in enumerate(zip(w["rows"], g["rows"])):
            if wr != gr:
                print(f"{name}: row {i + 1}: {gr!r}\n  golden {wr!r}")
                bad += 1
                if bad > 10:
                    return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
