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
 */
#ifndef HZ_RENDER_XLSX_H
#define HZ_RENDER_XLSX_H

#include "config.h"
#include "consolidate.h"
#include "hz_date.h"
#include "hz_status.h"

hz_status render_xlsx_write(const hz_consolidation *cons, const hz_config *config,
                            hz_date as_of, const char *path, hz_error *err);

#endif
