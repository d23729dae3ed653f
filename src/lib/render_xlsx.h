/*
 * render_xlsx.h - the city workbook of a consolidation (DESIGN §7), written
 * with libxlsxwriter.
 *
 * Sheets, in this order: 汇总 (receipt rates, case figures, indicator totals
 * with units of measure), 分单位 (a row per unit, a column per figure, a
 * totals row; bar charts of cases and amounts by unit), 分类别 (cases by
 * category, commodity and channel), 分阶段 (cases by campaign phase),
 * 案件明细 (every case of every accepted file, with its unit and the unit it
 * is counted for; autofilter), 典型案例, 报送情况 (one row per expected unit,
 * then one per other file: superseded, rejected, ignored, with the reason),
 * 校验问题 (every issue of every file and of the consolidation); with a
 * stage consolidation or last year's archive (analysis.h), 分轮次 after 分阶段
 * (per unit and indicator: stage, this round, increment, last year, year on
 * year); with an assessment, 考核 last (rank order, every input and part of
 * the score; the formula in the rows above the header and in notes on the
 * header cells).
 *
 * Which rows a table sheet has, their order and the ranks come from
 * report_context_rows (report_context.h), the rows the PDF's context is
 * built from, so the workbook and the report cannot disagree; the sheets
 * only choose their columns and write the cells typed.
 *
 * Numbers are numbers (counts "#,##0", 万元 "#,##0.00" with the configured
 * decimals, rates "0.0%"), dates are dates, totals are values (no formulas).
 * Header rows are frozen and repeated on every printed A4 page. The
 * document's created time is as_of at 00:00 UTC, so the same consolidation
 * and as_of give a byte-identical file. The file is written beside path
 * under a temporary name and renamed into place.
 *
 * The long sheets (案件明细 always, 校验问题 beyond issues_fast_rows rows)
 * are written by the fast writer of issue 19: libxlsxwriter writes the
 * workbook with their header rows only (styles, header, frozen pane,
 * autofilter, widths and print set-up come from it), then the rows are
 * streamed as worksheet XML (xlsx_stream.h), deflated in chunks on several
 * threads (deflate_chunks.h) straight into the final zip (zip_writer.h),
 * which copies libxlsxwriter's other parts unchanged. A list longer than a
 * sheet (sheet_rows, Excel's 1,048,576 by default, header included)
 * continues on 案件明细(2), 案件明细(3), … with the same header and set-up.
 * The bytes depend only on the consolidation, as_of and the options'
 * sheet_rows, issues_fast_rows and level, never on threads.
 */
#ifndef HZ_RENDER_XLSX_H
#define HZ_RENDER_XLSX_H

#include "config.h"
#include "consolidate.h"
#include "hz_date.h"
#include "hz_status.h"

#define RENDER_XLSX_EXCEL_ROWS 1048576u /* rows of an Excel sheet */

typedef struct render_xlsx_options {
    size_t sheet_rows;        /* rows per sheet, header included; 0 or more
                                 than Excel's: RENDER_XLSX_EXCEL_ROWS */
    size_t issues_fast_rows;  /* 校验问题 goes to the fast writer when it has
                                 more issues than this */
    unsigned threads;         /* deflate threads; 0: the online CPUs */
    int level;                /* deflate level 1..9 of the fast sheets */
} render_xlsx_options;

/* The defaults render_xlsx_write uses: Excel's row limit, the fast issue
 * sheet beyond 10,000 issues, all CPUs, level 1. Level 1 because the case
 * sheet's deflate was the largest single cost of a consolidation (issue
 * 19): at province scale level 6 took 1.1 CPU s more than level 1 for a
 * workbook 25 % smaller (21.7 MB, against 28.8 MB), and the other parts,
 * written by libxlsxwriter, keep its level 6. */
void render_xlsx_options_default(render_xlsx_options *opt);

/* render_xlsx_write with explicit options (tests: a small sheet_rows). */
hz_status render_xlsx_write_opt(const hz_consolidation *cons, const hz_config *config,
                                hz_date as_of, const render_xlsx_options *opt, const char *path,
                                hz_error *err);

hz_status render_xlsx_write(const hz_consolidation *cons, const hz_config *config,
                            hz_date as_of, const char *path, hz_error *err);

#endif
