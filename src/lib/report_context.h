/* report_context.h - the report's content model (DESIGN §7.1): every
 * figure, table, chart and sentence-level fact of the city report, built
 * once from a consolidation as a json-c object (saved as context.json) that
 * the PDF templates and later formats draw from. The exact shape is
 * documented in report_template.h (CONTEXT SHAPE); the computed sentences
 * (content, narrative) are added by report_content_add (report_content.h).
 * A unit without an accepted file is 未报 in the tables and a null chart
 * value, never 0. Also the consolidation's
 * own findings for validation.json, and saving/loading a context. */
#ifndef HZ_REPORT_CONTEXT_H
#define HZ_REPORT_CONTEXT_H

#include <stdbool.h>
#include "consolidate.h"
#include "hz_date.h"
#include "hz_msg.h"
#include "hz_status.h"

struct json_object;

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
