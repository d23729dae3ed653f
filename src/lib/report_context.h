/* report_context.h - the report's content model (DESIGN §7.1): every
 * figure, table, chart and sentence-level fact of the city report, built
 * once from a consolidation as a json-c object (saved as context.json) that
 * the PDF templates and later formats draw from. The exact shape is
 * documented in report_template.h (CONTEXT SHAPE); the computed sentences
 * (content, narrative) are added by report_content_add (report_content.h).
 * A unit without an accepted file is 未报 in the tables and a null chart
 * value, never 0. The rows of every table (which, in which order, ranks)
 * are decided by report_context_rows, which the XLSX writer uses too. Also
 * the consolidation's own findings for validation.json, and saving/loading
 * a context. */
#ifndef HZ_REPORT_CONTEXT_H
#define HZ_REPORT_CONTEXT_H

#include <stdbool.h>
#include "consolidate.h"
#include "hz_date.h"
#include "hz_msg.h"
#include "hz_status.h"

struct json_object;

/* ---- The rows of the report's tables ----
 * Which rows a table has, in which order and under which rank is decided
 * here once, for the context below (which the PDF draws from) and for the
 * city workbook (render_xlsx.h), which take their rows from the same list
 * and differ only in the cells they show: the two outputs cannot disagree
 * on a table's rows. */

typedef enum report_row_kind {
    REPORT_ROW_ITEM,  /* index: the unit, label, phase, score, case or indicator */
    REPORT_ROW_OTHER, /* index: the bucket of what no label names (其他, 阶段外:
                         labels->count, phase_count), or in the receipts a
                         file that was not accepted (into cons->files) */
    REPORT_ROW_TOTAL, /* 合计 (index 0) */
} report_row_kind;

typedef struct report_row {
    report_row_kind kind;
    size_t index;
    bool reported;       /* unit rows: the unit has an accepted file this
                            round (else 未报, never 0); total rows: true */
    bool stage_reported; /* unit rows: the unit reported in the stage
                            consolidation; total rows: there is one */
} report_row;

typedef enum report_table {
    REPORT_TABLE_UNITS,      /* every unit in configuration order, the total */
    REPORT_TABLE_CATEGORY,   /* each label, 其他 when a case fell outside */
    REPORT_TABLE_COMMODITY,  /*   the labels, the total (by_category, */
    REPORT_TABLE_CHANNEL,    /*   by_commodity, by_channel) */
    REPORT_TABLE_PHASE,      /* each phase, 阶段外 likewise, the total */
    REPORT_TABLE_INDICATORS, /* every indicator in configuration order */
    REPORT_TABLE_RECEIPTS,   /* every unit, then each file not accepted */
    REPORT_TABLE_ASSESSMENT, /* the scored units in rank order, ties in
                                configuration order (index: analysis scores) */
    REPORT_TABLE_TYPICAL,    /* the counted cases marked typical, in case order */
} report_table;

typedef struct report_rows {
    report_row *items;
    size_t count, cap;
} report_rows;

/* The rows of table (*out is reset first; free with report_context_rows_free).
 * HZ_ERR_NOMEM only. */
hz_status report_context_rows(const hz_consolidation *cons, report_table table,
                              report_rows *out, hz_error *err);
void report_context_rows_free(report_rows *rows);

/* The report context of report_template.h (exact shape documented there).
 * as_of gives report.date; final sets report.final and round.id "final".
 * Returns NULL on out-of-memory. */
struct json_object *report_context_json(const hz_consolidation *cons, hz_lang lang,
                                        hz_date as_of, bool final);

/* The consolidation's own findings (cons->issues: cross-unit cases,
 * receipts, continuity, outliers) for validation.json:
 * {"valid": no errors, "counts": {errors, warnings, explained, notices},
 *  "issues": [{file, sheet, cell, field, rule, severity, explained, found,
 *              expected, message}]}. NULL on out-of-memory. */
struct json_object *report_context_issues_json(const hz_consolidation *cons, hz_lang lang);

/* Saves the context (report_context_json) atomically as pretty JSON; loads
 * it back (*out: a new json object the caller puts). */
hz_status report_context_save(struct json_object *context, const char *path, hz_error *err);
hz_status report_context_load(const char *path, struct json_object **out, hz_error *err);

#endif
