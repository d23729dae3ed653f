"""Print set-up of a huizong workbook, read back with openpyxl (issue 14).

Usage: xlsx_print.py WORKBOOK.xlsx
Prints one line per problem and exits 1 when there is any:
  - every sheet A4, header rows repeated (print titles), not fit-to-page;
  - a sheet wider than the A4 portrait print width is landscape, and its
    scale is at least 70 % (explicit scale or 100 %);
  - sheets with unit columns repeat them (print title columns);
  - 分单位: 序号 and 单位代码 centred, so "1" and "411002" read apart;
  - 汇总: each measure named once in its column.
"""
import sys

import openpyxl

MARGIN_MM = 2 * 0.6 * 25.4
PORTRAIT_MM = 210 - MARGIN_MM
UNIT_SHEETS = {"分单位": "$A:$C", "分轮次": "$A:$B", "案件明细": "$A:$B",
               "报送情况": "$A:$B", "考核": "$A:$C"}


def column_mm(width):
    return (width * 7 + 5) * 25.4 / 96


def main(path):
    wb = openpyxl.load_workbook(path)
    problems = []
    for ws in wb.worksheets:
        ps = ws.page_setup
        name = ws.title
        if str(ps.paperSize) != "9":
            problems.append(f"{name}: paper {ps.paperSize}, not A4")
        fit = ws.sheet_properties.pageSetUpPr
        if fit is not None and fit.fitToPage:
            problems.append(f"{name}: fit to page (shrinks wide sheets)")
        scale = int(ps.scale) if ps.scale is not None else 100
        if scale < 70:
            problems.append(f"{name}: scale {scale} % < 70 %")
        if not ws.print_title_rows:
            problems.append(f"{name}: header rows not repeated")
        total = 0.0
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            dim = ws.column_dimensions.get(letter)
            width = dim.width if dim is not None and dim.width else 8.43
            total += column_mm(width)
        if total > PORTRAIT_MM and ps.orientation != "landscape":
            problems.append(f"{name}: {total:.0f} mm wide but {ps.orientation}")
        if total <= PORTRAIT_MM and ps.orientation == "landscape":
            problems.append(f"{name}: {total:.0f} mm fits portrait but is landscape")
        if name in UNIT_SHEETS and ws.print_title_cols != UNIT_SHEETS[name]:
            problems.append(f"{name}: unit columns {ws.print_title_cols}, want {UNIT_SHEETS[name]}")
        print(f"{name}: {ps.orientation} {scale} % {total:.0f} mm rows {ws.print_title_rows} "
              f"cols {ws.print_title_cols}")
    units = wb["分单位"]
    for cell in (units["A2"], units["B2"]):
        if cell.alignment.horizontal != "center":
            problems.append(f"分单位!{cell.coordinate}: aligned {cell.alignment.horizontal}")
    summary = wb["汇总"]
    seen = {}
    for (value,) in summary.iter_rows(min_row=4, min_col=5, max_col=5, values_only=True):
        if value:
            seen[value] = seen.get(value, 0) + 1
            words = str(value).split()
            if len(words) == 2 and words[0] == words[1]:
                problems.append(f"汇总: measure written twice in one cell: {value}")
    for value, count in seen.items():
        if count > 1:
            problems.append(f"汇总: measure {value} named {count} times")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
