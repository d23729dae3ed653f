/*
 * check.h - `huizong check` as a library call: read + validate one file.
 *
 * check_file() reads a workbook into an hz_submission, runs every check of
 * DESIGN §5 that one file can show (validate.h), and returns the findings
 * with their counts. A file is valid when it was readable and has no
 * errors (warnings, explained or not, and notices do not block).
 * check_report_json() builds the JSON report of DESIGN §5.
 */
#ifndef HZ_CHECK_H
#define HZ_CHECK_H

#include <stdbool.h>
#include "config.h"
#include "issue.h"
#include "submission.h"

struct json_object;

typedef struct hz_check_options {
    const hz_round *round;   /* expected round (--round, or the folder's);
                                NULL: the workbook's own round word is used */
} hz_check_options;

typedef struct hz_check_result {
    hz_submission sub;
    hz_issue_list issues;
    hz_issue_counts counts;
    bool valid;
} hz_check_result;

/* Returns HZ_OK when the file was examined (valid or not); HZ_ERR_NOMEM or
 * HZ_ERR_INTERNAL only for failures of the program itself. An unreadable
 * file is examined too: result->sub.readable is false and one issue says
 * why (rule "file.unreadable", "file.not_xlsx", ...). */
hz_status check_file(const hz_config *config, const char *path, const hz_check_options *opt,
                     hz_check_result *result, hz_error *err);
void check_result_free(hz_check_result *result);

/* {"valid": bool, "tasks": [{"file", "sha256", "size", "valid", "unit", "round",
 *  "counts": {...}, "issues": [{"sheet","cell","field","rule","severity",
 *  "explained","found","expected","message"}]}]} with messages in lang. */
struct json_object *check_report_json(const hz_check_result *results, size_t count,
                                      hz_lang lang);

#endif
