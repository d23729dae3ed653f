#!/usr/bin/python3
"""peer.py - the benchmark's peer: what a city IT officer would otherwise write.

Reads every return of a round folder with openpyxl (Debian's python3-openpyxl,
read-only mode, cached values only) and prints the case totals per unit that
huizong derives from the case list: cases filed (立案), closed (结案), amount
involved (涉案金额, 万元), fines and confiscations (罚没金额, 万元) and cases
transferred to the judiciary (移送司法机关), plus the city totals.

It finds sheets by name and columns by header text, like huizong, but does no
validation, versions, receipts or reports: it is the fast lower bound of a
Python script, not a straw man.

usage: /usr/bin/python3 bench/peer.py FOLDER
"""
import os
import sys
from collections import defaultdict
from decimal import Decimal

import openpyxl

CASES = "案件明细"
INFO = "基本信息"
COLUMNS = ("办理状态", "涉案金额（万元）", "罚没金额（万元）", "是否移送司法机关")


def money(v):
    """Cell value to Decimal (amounts are 万元 with up to 4 decimals)."""
    if v is None or v == "":
        return Decimal(0)
    return Decimal(str(v).strip().replace(",", ""))


def read_return(path):
    """(unit code, [filed, closed, amount, fine, transferred]) of one workbook."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        code = None
        for label, value, *_ in wb[INFO].iter_rows(max_col=2, values_only=True):
            if label == "单位代码":
                code = str(value).strip()
                break
        rows = wb[CASES].iter_rows(values_only=True)
        header = next(rows)
        i_status, i_amount, i_fine, i_transfer = (header.index(c) for c in COLUMNS)
        filed = closed = transferred = 0
        amount = fine = Decimal(0)
        for row in rows:
            if not row or row[0] is None:
                continue
            filed += 1
            closed += row[i_status] == "已结案"
            transferred += row[i_transfer] == "是"
            amount += money(row[i_amount])
            fine += money(row[i_fine])
        return code, [filed, closed, amount, fine, transferred]
    finally:
        wb.close()


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    folder = argv[1]
    totals = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), 0])
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".xlsx") or name.startswith(("~$", ".")):
            continue
        code, figures = read_return(os.path.join(folder, name))
        unit = totals[code]
        for i, v in enumerate(figures):
            unit[i] += v
    city = [0, 0, Decimal(0), Decimal(0), 0]
    print("unit\tfiled\tclosed\tamount\tfine\ttransferred")
    for code in sorted(totals):
        t = totals[code]
        print(f"{code}\t{t[0]}\t{t[1]}\t{t[2]}\t{t[3]}\t{t[4]}")
        for i, v in enumerate(t):
            city[i] += v
    print(f"city\t{city[0]}\t{city[1]}\t{city[2]}\t{city[3]}\t{city[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
