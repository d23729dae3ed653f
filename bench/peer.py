#!/usr/bin/python3
"""peer.py - the benchmark's Python peers: what a city IT officer would otherwise write.

Reads every return of one or more round folders and prints the case totals
per unit that huizong derives from the case list: cases filed (立案), closed
(结案), amount involved (涉案金额, 万元), fines and confiscations (罚没金额,
万元) and cases transferred to the judiciary (移送司法机关), plus the city
totals of each folder.

Two engines, both Debian packages:
  openpyxl  python3-openpyxl in read-only mode, cached values only (the
            default; the peer the targets of issue 19 are set against);
  pandas    python3-pandas, pandas.read_excel(engine="openpyxl") of the two
            sheets (informative: how a pandas user would write it).

It finds sheets by name and columns by header text, like huizong, but does no
validation, versions, receipts or reports: it is the fast lower bound of a
Python script, not a straw man. Amounts are summed exactly (Decimal).

Output (tab-separated, one header line):
  folder  unit  filed  closed  amount  fine  transferred
with one line per unit and a line whose unit is "city" per folder; folder is
the folder's base name. bench/peer-sheetjs.mjs prints the same.

usage: /usr/bin/python3 bench/peer.py [--engine openpyxl|pandas] FOLDER...
"""
import math
import os
import sys
from collections import defaultdict
from decimal import Decimal

CASES = "案件明细"
INFO = "基本信息"
COLUMNS = ("办理状态", "涉案金额（万元）", "罚没金额（万元）", "是否移送司法机关")


def money(v):
    """Cell value to Decimal (amounts are 万元 with up to 4 decimals)."""
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return Decimal(0)
    return Decimal(str(v).strip().replace(",", ""))


def totals_of_rows(rows, header):
    """[filed, closed, amount, fine, transferred] of the case rows."""
    i_status, i_amount, i_fine, i_transfer = (header.index(c) for c in COLUMNS)
    filed = closed = transferred = 0
    amount = fine = Decimal(0)
    for row in rows:
        if not row or row[0] is None or (isinstance(row[0], float) and math.isnan(row[0])):
            continue
        filed += 1
        closed += row[i_status] == "已结案"
        transferred += row[i_transfer] == "是"
        amount += money(row[i_amount])
        fine += money(row[i_fine])
    return [filed, closed, amount, fine, transferred]


def unit_code(rows):
    """The 单位代码 of the 基本信息 rows (label in column A, value in B)."""
    for label, value, *_ in rows:
        if label == "单位代码":
            return str(value).strip()
    return None


def read_openpyxl(path):
    """(unit code, totals) of one workbook with openpyxl, read-only."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        code = unit_code(wb[INFO].iter_rows(max_col=2, values_only=True))
        rows = wb[CASES].iter_rows(values_only=True)
        header = next(rows)
        return code, totals_of_rows(rows, list(header))
    finally:
        wb.close()


def read_pandas(path):
    """(unit code, totals) of one workbook with pandas.read_excel."""
    import pandas
    sheets = pandas.read_excel(path, sheet_name=[INFO, CASES], header=None,
                               engine="openpyxl", dtype=object)
    info = sheets[INFO]
    code = unit_code(info.iloc[:, :2].itertuples(index=False, name=None))
    cases = sheets[CASES]
    header = list(cases.iloc[0])
    return code, totals_of_rows(cases.iloc[1:].itertuples(index=False, name=None), header)


def main(argv):
    engine = "openpyxl"
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--engine":
        engine, args = args[1], args[2:]
    if engine not in ("openpyxl", "pandas") or not args:
        sys.stderr.write(__doc__)
        return 2
    read = read_openpyxl if engine == "openpyxl" else read_pandas
    print("folder\tunit\tfiled\tclosed\tamount\tfine\ttransferred")
    for folder in args:
        label = os.path.basename(os.path.normpath(folder))
        totals = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), 0])
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".xlsx") or name.startswith(("~$", ".")):
                continue
            code, figures = read(os.path.join(folder, name))
            unit = totals[code]
            for i, v in enumerate(figures):
                unit[i] += v
        city = [0, 0, Decimal(0), Decimal(0), 0]
        for code in sorted(totals):
            t = totals[code]
            print(f"{label}\t{code}\t{t[0]}\t{t[1]}\t{t[2]}\t{t[3]}\t{t[4]}")
            for i, v in enumerate(t):
                city[i] += v
        print(f"{label}\tcity\t{city[0]}\t{city[1]}\t{city[2]}\t{city[3]}\t{city[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
