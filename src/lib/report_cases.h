/*
 * report_cases.h - the typical cases of the province report (DESIGN §7.2).
 *
 * Selection rule (README "典型案例的选取"): only closed cases that are counted
 * for their unit; first the cases the units marked typical (是否典型案例 = 是),
 * then, when fewer than `count` of them exist, other closed cases. Within
 * each group: transferred to the judiciary first, then by 罚没金额
 * descending, then 涉案金额 descending, then unit order and 案件编号. Open
 * cases never appear.
 *
 * Each case becomes one sentence built only from the fields it has: date,
 * unit, lead source, case name, amount, and either the transfer to the
 * judiciary or the penalty; "没收侵权商品" only where the commodity category
 * involves goods (a category starting with 不涉及 does not).
 */
#ifndef HZ_REPORT_CASES_H
#define HZ_REPORT_CASES_H

#include <stddef.h>
#include "consolidate.h"
#include "hz_text.h"

/* Fills idx[0..n) with indexes into cons->cases, in report order; returns n
 * (<= count). idx must hold count entries. */
size_t report_cases_typical_select(const hz_consolidation *cons, size_t count, size_t *idx);

/* Appends the sentence of cons->cases[i] (with its closing 。) to out;
 * false on out-of-memory. decimals: amounts in 万元. */
bool report_cases_typical_sentence(const hz_consolidation *cons, size_t i, int decimals,
                                   hz_buf *out);

/* The case's title for a heading: its 案件名称, or one composed from the
 * unit and category when the name is empty. */
bool report_cases_typical_title(const hz_consolidation *cons, size_t i, hz_buf *out);

#endif
