/*
 * issue.h - validation findings (DESIGN §5).
 *
 * One hz_issue per problem: file, sheet, cell, field, rule id, severity, the
 * value found, what was expected, and a catalogue message. Catalogue texts
 * of validation messages take the same arguments: {1} location
 * ("案件明细!F12", or the sheet, or the file), {2} field, {3} found,
 * {4} expected, {5} extra detail. Rules from rules.ini carry their own texts
 * (text_zh / text_en) instead of a catalogue id.
 * Rule ids are stable strings that tests and the JSON report rely on,
 * e.g. "cell.date", "row.close_before_open", "rule.R03".
 */
#ifndef HZ_ISSUE_H
#define HZ_ISSUE_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "hz_msg.h"

typedef struct hz_issue {
    char *file;        /* file name as given (never NULL) */
    char *sheet;       /* "" when the issue concerns the whole file */
    char *cell;        /* "F12", "" when none */
    char *field;       /* 立案日期, "" when none */
    char *rule;        /* stable rule id */
    hz_severity severity;
    bool explained;    /* a warning confirmed by the row's 说明 */
    char *found;       /* "" when none */
    char *expected;    /* "" when none */
    char *extra;       /* "" when none */
    hz_msg_id msg;     /* HZ_M_NONE when text_zh is used */
    char *text_zh;     /* rules.ini message, or NULL */
    char *text_en;
    size_t more;       /* a summary (HZ_M_ISSUE_MORE): the number of further
                          issues of this rule it stands for; else 0 */
} hz_issue;

/* Issues of one rule in one file beyond the list's cap: counted, with the
 * first and last location, until issue_list_flush_summaries. */
typedef struct hz_issue_tally {
    char *file, *rule, *sheet;
    hz_severity severity;
    size_t kept, more;
    char *first, *last;   /* cells ("F12"); last as "sheet!F12" */
} hz_issue_tally;

typedef struct hz_issue_list {
    hz_issue *items;
    size_t count;
    size_t cap;
    /* Memory bound (DESIGN §9): with max_per_rule > 0, issues of a rule in
     * a file past that number are not stored but tallied, and
     * issue_list_flush_summaries turns each tally into one summary issue
     * ("另有 N 处同类问题", first and last cell). 0: no cap. */
    size_t max_per_rule;
    hz_issue_tally *tallies;
    size_t tally_count, tally_cap;
    hz_issue overflow;    /* what issue_list_add returns for a tallied issue */
} hz_issue_list;

/* Field values of a new issue; NULL strings become "". */
typedef struct hz_issue_spec {
    const char *file, *sheet, *cell, *field, *rule;
    hz_severity severity;
    const char *found, *expected, *extra;
    hz_msg_id msg;
    const char *text_zh, *text_en;
} hz_issue_spec;

/* Appends a copy of spec; returns NULL on out-of-memory. Past the list's
 * max_per_rule the issue is only tallied and the result is a scratch issue
 * that callers may mark (explained) without effect. */
hz_issue *issue_list_add(hz_issue_list *list, const hz_issue_spec *spec);
/* Appends one summary issue per tally with suppressed issues, then forgets
 * the tallies; false on out-of-memory. */
bool issue_list_flush_summaries(hz_issue_list *list);
/* Appends copies of every issue of other. */
bool issue_list_append(hz_issue_list *list, const hz_issue_list *other);
/* Drops the issues after the first count (a reader that failed part way
 * takes back what it found before the failure). */
void issue_list_truncate(hz_issue_list *list, size_t count);
/* Removes the issue at index, keeping the order of the others. */
void issue_list_remove(hz_issue_list *list, size_t index);
void issue_list_free(hz_issue_list *list);

/* Counts: errors; warnings not explained; explained warnings; notices (a
 * summary counts for the issues it stands for as well). */
typedef struct hz_issue_counts {
    size_t errors, warnings, explained, notices;
} hz_issue_counts;
hz_issue_counts issue_list_count(const hz_issue_list *list);

/* Sorts errors first, then warnings, notices; then by sheet, row, column. */
void issue_list_sort(hz_issue_list *list);

/* "案件明细!F12", "案件明细" or "" into buf. */
const char *issue_location(const hz_issue *issue, char *buf, size_t size);
/* The whole message in lang. */
const char *issue_render(const hz_issue *issue, hz_lang lang, char *buf, size_t size);
/* "error" / "warning" / "notice". */
const char *issue_severity_name(hz_severity severity);

#endif
