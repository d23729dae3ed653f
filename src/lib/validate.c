/* validate.c - header, cell, row, table and rules.ini checks on one file. */
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"
#include "rule_expr.h"
#include "xlsx_reader.h"

/* A fill-in date later than this many days after the period's end is a
 * typing error (a wrong year), not a late file. */
#define FILL_DATE_GRACE_DAYS 180

typedef struct checker {
    const hz_config *config;
    hz_submission *sub;
    hz_issue_list *issues;
    hz_error *err;
    hz_status status;
} checker;

static hz_issue *add(checker *k, const char *sheet, const char *cell, const char *field,
                     const char *rule, hz_severity severity, hz_msg_id msg, const char *found,
                     const char *expected, const char *extra)
{
    hz_issue_spec spec = {
        .file = k->sub->file_name, .sheet = sheet, .cell = cell, .field = field, .rule = rule,
        .severity = severity, .found = found, .expected = expected, .extra = extra, .msg = msg,
    };
    hz_issue *issue = issue_list_add(k->issues, &spec);
    if (!issue && k->status == HZ_OK)
        k->status = hz_error_set(k->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return issue;
}

static const char *header_cell(const hz_submission *sub, hz_header_field f, char *buf)
{
    if (!sub->header.row[f]) {
        buf[0] = '\0';
        return buf;
    }
    return xlsx_ref_format(sub->header.row[f] - 1, 1, buf, 16);
}

static const char *period_text(hz_date first, hz_date last, char *buf, size_t size)
{
    char a[16], b[16];
    snprintf(buf, size, "%s ~ %s", hz_date_format(first, a, sizeof a),
             hz_date_format(last, b, sizeof b));
    return buf;
}

/* ---- 基本信息 ---------------------------------------------------------- */

/* Returns false when the file belongs to another round: nothing else is
 * worth saying about it then. */
static bool check_header(checker *k, const hz_round *expected_round)
{
    const hz_config *config = k->config;
    hz_submission *sub = k->sub;
    hz_header *h = &sub->header;
    const char *sheet = HZ_SHEET_HEADER;
    char at[16];

    const char *code = h->text[HZ_H_UNIT_CODE];
    sub->unit = code[0] ? config_find_unit(config, code) : NULL;
    if (code[0] && !sub->unit)
        add(k, sheet, header_cell(sub, HZ_H_UNIT_CODE, at),
            submission_header_label(HZ_H_UNIT_CODE), "header.unknown_unit", HZ_SEV_ERROR,
            HZ_M_VALIDATE_UNKNOWN_UNIT, code, NULL, NULL);
    const char *name = h->text[HZ_H_UNIT_NAME];
    if (sub->unit && name[0] && strcmp(name, sub->unit->name) &&
        strcmp(name, sub->unit->short_name))
        add(k, sheet, header_cell(sub, HZ_H_UNIT_NAME, at),
            submission_header_label(HZ_H_UNIT_NAME), "header.name_mismatch", HZ_SEV_ERROR,
            HZ_M_VALIDATE_NAME_MISMATCH, name, sub->unit->name, NULL);

    const char *word = h->text[HZ_H_ROUND];
    sub->round = word[0] ? config_find_round_by_word(config, word) : NULL;
    if (word[0] && !sub->round) {
        char names[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < config->round_count && used + 64 < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? "、" : "",
                                     config->rounds[i].name);
        add(k, sheet, header_cell(sub, HZ_H_ROUND, at), submission_header_label(HZ_H_ROUND),
            "header.round_word", HZ_SEV_ERROR, HZ_M_VALIDATE_ROUND_WORD, word, names, NULL);
    }
    if (expected_round && sub->round && sub->round != expected_round) {
        add(k, sheet, header_cell(sub, HZ_H_ROUND, at), submission_header_label(HZ_H_ROUND),
            "header.round_mismatch", HZ_SEV_ERROR, HZ_M_VALIDATE_WRONG_ROUND, sub->round->name,
            expected_round->name, NULL);
        return false;
    }
    if (!sub->round)
        sub->round = expected_round;
    const hz_round *round = sub->round;

    char a[16], b[64];
    if (round && h->period_end != HZ_DATE_NONE && h->period_end != round->period_end)
        add(k, sheet, header_cell(sub, HZ_H_PERIOD_END, at),
            submission_header_label(HZ_H_PERIOD_END), "header.period_end", HZ_SEV_WARNING,
            HZ_M_VALIDATE_PERIOD_END, hz_date_format(h->period_end, a, sizeof a),
            hz_date_format(round->period_end, b, sizeof b), NULL);
    if (round && h->fill_date != HZ_DATE_NONE &&
        (h->fill_date < round->period_start ||
         h->fill_date > round->period_end + FILL_DATE_GRACE_DAYS)) {
        /* a wrong year would make every case date "after the fill date" */
        hz_date wrong = h->fill_date;
        h->fill_date = HZ_DATE_NONE;
        add(k, sheet, header_cell(sub, HZ_H_FILL_DATE, at),
            submission_header_label(HZ_H_FILL_DATE), "header.fill_date", HZ_SEV_ERROR,
            HZ_M_VALIDATE_FILL_DATE, hz_date_format(wrong, a, sizeof a),
            period_text(round->period_start, round->period_end + FILL_DATE_GRACE_DAYS, b,
                        sizeof b),
            NULL);
    }
    if (h->version == 0)
        add(k, sheet, header_cell(sub, HZ_H_VERSION, at), submission_header_label(HZ_H_VERSION),
            "header.version", HZ_SEV_ERROR, HZ_M_VALIDATE_VERSION, h->text[HZ_H_VERSION], NULL,
            NULL);
    const char *tv = h->text[HZ_H_TEMPLATE_VERSION];
    if (tv[0]) {
        char *end;
        long v = strtol(tv, &end, 10);
        if (*end || v != config->template_version) {
            snprintf(b, sizeof b, "%d", config->template_version);
            add(k, sheet, header_cell(sub, HZ_H_TEMPLATE_VERSION, at),
                submission_header_label(HZ_H_TEMPLATE_VERSION), "header.template_version",
                HZ_SEV_WARNING, HZ_M_VALIDATE_TEMPLATE_VERSION, tv, b, NULL);
        }
    }
    return true;
}

/* ---- 案件明细 ----------------------------------------------------------- */

static bool case_explained(const hz_case *c)
{
    return c->note && c->note[0];
}

static void mark_explained(hz_issue *issue, bool explained)
{
    if (issue && issue->severity == HZ_SEV_WARNING)
        issue->explained = explained;
}

/* Splits 协查单位代码 on commas, 、, ； and blanks. */
static size_t split_codes(const char *text, char codes[][32], size_t max)
{
    size_t n = 0, len = 0;
    char cur[32];
    for (const char *p = text;; ) {
        size_t sep = 0;
        if (!*p || *p == ',' || *p == ';' || *p == ' ' || *p == '/')
            sep = *p ? 1 : 0;
        else if (!strncmp(p, "，", 3) || !strncmp(p, "、", 3) || !strncmp(p, "；", 3))
            sep = 3;
        if (!*p || sep) {
            if (len && n < max) {
                cur[len] = '\0';
                memcpy(codes[n++], cur, len + 1);
            }
            len = 0;
            if (!*p)
                break;
            p += sep;
            continue;
        }
        if (len + 1 < sizeof cur)
            cur[len++] = *p;
        p++;
    }
    return n;
}

static void check_case_dates(checker *k, const hz_case *c, const hz_round *round)
{
    const hz_submission *sub = k->sub;
    const char *sheet = HZ_SHEET_CASES;
    char at[16], a[16], b[64];
    hz_date fill = sub->header.fill_date;
    static const hz_case_field fields[] = {HZ_C_FILED, HZ_C_CLOSED};
    for (size_t i = 0; i < 2; i++) {
        hz_case_field f = fields[i];
        hz_date d = f == HZ_C_FILED ? c->filed : c->closed;
        if (d == HZ_DATE_NONE)
            continue;
        submission_case_cell(sub, c, f, at, sizeof at);
        const char *field = submission_case_column(f);
        if (round && (d < round->period_start || d > round->period_end)) {
            add(k, sheet, at, field, "cell.date_out_of_period", HZ_SEV_ERROR,
                HZ_M_VALIDATE_DATE_OUT_OF_PERIOD, hz_date_format(d, a, sizeof a),
                period_text(round->period_start, round->period_end, b, sizeof b), NULL);
        } else if (fill != HZ_DATE_NONE && d > fill) {
            add(k, sheet, at, field, "cell.date_after_fill", HZ_SEV_ERROR,
                HZ_M_VALIDATE_DATE_AFTER_FILL, hz_date_format(d, a, sizeof a),
                hz_date_format(fill, b, sizeof b), NULL);
        }
    }
}

static void check_case_row(checker *k, const hz_case *c, const hz_round *round)
{
    const hz_submission *sub = k->sub;
    const char *sheet = HZ_SHEET_CASES;
    char at[16], a[16], b[16];
    check_case_dates(k, c, round);

    bool closed_known = !(c->invalid & (1u << HZ_C_STATUS)) && c->status && c->status[0];
    bool close_valid = !(c->invalid & (1u << HZ_C_CLOSED));
    submission_case_cell(sub, c, HZ_C_CLOSED, at, sizeof at);
    const char *closed_field = submission_case_column(HZ_C_CLOSED);
    if (c->filed != HZ_DATE_NONE && c->closed != HZ_DATE_NONE && c->closed < c->filed)
        add(k, sheet, at, closed_field, "row.close_before_open", HZ_SEV_ERROR,
            HZ_M_VALIDATE_CLOSE_BEFORE_OPEN, hz_date_format(c->closed, a, sizeof a),
            hz_date_format(c->filed, b, sizeof b), NULL);
    if (closed_known && c->is_closed && c->closed == HZ_DATE_NONE && close_valid &&
        sub->case_col[HZ_C_CLOSED] != UINT32_MAX)
        add(k, sheet, at, closed_field, "row.closed_without_date", HZ_SEV_ERROR,
            HZ_M_VALIDATE_CLOSED_WITHOUT_DATE, NULL, NULL, NULL);
    if (closed_known && !c->is_closed && c->closed != HZ_DATE_NONE)
        mark_explained(add(k, sheet, at, closed_field, "row.open_with_close_date",
                           HZ_SEV_WARNING, HZ_M_VALIDATE_OPEN_WITH_DATE, closed_field,
                           hz_date_format(c->closed, a, sizeof a), NULL),
                       case_explained(c));
    /* the summary column missing altogether was reported as a structure problem */
    if (c->typical == HZ_YES && (!c->typical_summary || !c->typical_summary[0]) &&
        sub->case_col[HZ_C_TYPICAL_SUMMARY] != UINT32_MAX) {
        submission_case_cell(sub, c, HZ_C_TYPICAL_SUMMARY, at, sizeof at);
        add(k, sheet, at, submission_case_column(HZ_C_TYPICAL_SUMMARY),
            "row.typical_without_summary", HZ_SEV_ERROR, HZ_M_VALIDATE_TYPICAL_WITHOUT_SUMMARY,
            NULL, NULL, NULL);
    }

    if (c->assist_units && c->assist_units[0] && !(c->invalid & (1u << HZ_C_ASSIST_UNITS))) {
        char codes[16][32];
        size_t n = split_codes(c->assist_units, codes, 16);
        submission_case_cell(sub, c, HZ_C_ASSIST_UNITS, at, sizeof at);
        const char *field = submission_case_column(HZ_C_ASSIST_UNITS);
        for (size_t i = 0; i < n; i++) {
            if (!config_find_unit(k->config, codes[i]))
                add(k, sheet, at, field, "cell.unknown_unit", HZ_SEV_ERROR,
                    HZ_M_VALIDATE_UNKNOWN_ASSIST_UNIT, codes[i], NULL, NULL);
            else if (sub->unit && !strcmp(codes[i], sub->unit->code))
                add(k, sheet, at, field, "cell.assist_self", HZ_SEV_ERROR,
                    HZ_M_VALIDATE_ASSIST_SELF, codes[i], NULL, NULL);
        }
    }
}

typedef struct case_key {
    const char *case_no;
    size_t index;
} case_key;

static int case_key_compare(const void *a, const void *b)
{
    const case_key *x = a, *y = b;
    int c = strcmp(x->case_no, y->case_no);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* 案件编号 unique within the file; reported on each later row. */
static void check_duplicate_cases(checker *k)
{
    const hz_submission *sub = k->sub;
    size_t n = 0;
    case_key *keys = malloc((sub->case_count ? sub->case_count : 1) * sizeof *keys);
    if (!keys) {
        k->status = hz_error_set(k->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return;
    }
    for (size_t i = 0; i < sub->case_count; i++)
        if (sub->cases[i].case_no && sub->cases[i].case_no[0])
            keys[n++] = (case_key){sub->cases[i].case_no, i};
    qsort(keys, n, sizeof *keys, case_key_compare);
    for (size_t i = 1; i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && !strcmp(keys[first - 1].case_no, keys[i].case_no))
            first--;
        if (strcmp(keys[first].case_no, keys[i].case_no))
            continue;
        const hz_case *c = &sub->cases[keys[i].index];
        char at[16], row[16];
        submission_case_cell(sub, c, HZ_C_CASE_NO, at, sizeof at);
        snprintf(row, sizeof row, "%u", sub->cases[keys[first].index].row);
        add(k, HZ_SHEET_CASES, at, submission_case_column(HZ_C_CASE_NO), "table.duplicate_case",
            HZ_SEV_ERROR, HZ_M_VALIDATE_DUPLICATE_CASE, c->case_no, NULL, row);
    }
    free(keys);
}

/* ---- rules.ini ---------------------------------------------------------- */

typedef struct rule_context {
    const hz_submission *sub;
    const hz_config *config;
    hz_case_totals totals;
    bool cases_valid;   /* every case cell could be read */
} rule_context;

static bool resolve(void *ctx, const char *name, double *value, bool *missing)
{
    const rule_context *rc = ctx;
    const hz_indicator *ind = config_find_indicator(rc->config, name);
    if (ind) {
        const hz_value *v = &rc->sub->values[ind - rc->config->indicators];
        /* an unreadable value was already reported; treat as missing so a
         * rule does not add a second, confusing message */
        *missing = !v->present || !v->valid;
        if (!*missing)
            *value = hz_amount_to_double(v->value);
        return true;
    }
    int fig = rule_expr_case_figure_find(name);
    if (fig < 0)
        return false;
    const hz_case_totals *t = &rc->totals;
    *missing = false;
    switch ((rule_case_figure)fig) {
    case RULE_FIG_CASE_FILED: *value = (double)t->filed; break;
    case RULE_FIG_CASE_CLOSED: *value = (double)t->closed; break;
    case RULE_FIG_CASE_OPEN: *value = (double)t->open; break;
    case RULE_FIG_CASE_AMOUNT: *value = hz_amount_to_double(t->amount); break;
    case RULE_FIG_CASE_FINE: *value = hz_amount_to_double(t->fine); break;
    case RULE_FIG_CASE_TRANSFERRED: *value = (double)t->transferred; break;
    case RULE_FIG_CASE_TYPICAL: *value = (double)t->typical; break;
    case RULE_FIG_CASE_KEY_MARKET: *value = (double)t->key_market; break;
    case RULE_FIG_CASE_RURAL: *value = (double)t->rural; break;
    case RULE_FIG_CASE_ONLINE: *value = (double)t->online; break;
    case RULE_FIG_CASE_PHYSICAL: *value = (double)t->physical; break;
    case RULE_FIG_CASE_CROSS_REGION: *value = (double)t->cross_region; break;
    default: return false;
    }
    return true;
}

static void format_number(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.4f", v);
}

static void check_rules(checker *k)
{
    const hz_config *config = k->config;
    const hz_submission *sub = k->sub;
    rule_context rc = {.sub = sub, .config = config, .cases_valid = true};
    submission_case_totals(sub, &rc.totals);
    for (size_t i = 0; i < sub->case_count; i++)
        if (sub->cases[i].invalid)
            rc.cases_valid = false;
    for (size_t r = 0; r < config->rule_count && k->status == HZ_OK; r++) {
        const hz_rule *rule = &config->rules[r];
        rule_expr *expr = NULL;
        hz_error e;
        if (rule_expr_parse(rule->expr, &expr, &e) != HZ_OK)
            continue; /* config_load refuses such rules; nothing to add */
        const char *const *names = NULL;
        size_t name_count = rule_expr_identifiers(expr, &names);
        /* where to point: the first indicator of the rule; explained when
         * any indicator it reads carries a 说明 */
        const hz_value *anchor = NULL;
        bool explained = false, uses_cases = false;
        for (size_t n = 0; n < name_count; n++) {
            const hz_indicator *ind = config_find_indicator(config, names[n]);
            if (!ind) {
                uses_cases = true;
                continue;
            }
            const hz_value *v = &sub->values[ind - config->indicators];
            if (!anchor && v->row)
                anchor = v;
            explained = explained || (v->note && v->note[0]);
        }
        if (uses_cases && !rc.cases_valid) {
            rule_expr_free(expr);
            continue; /* figures of a half-read case list prove nothing */
        }
        rule_result res;
        hz_status s = rule_expr_eval(expr, resolve, &rc, rule->missing, &res, &e);
        bool pair = rule_expr_op(expr) == RULE_OP_COMPULSORY_PAIR ||
                    rule_expr_op(expr) == RULE_OP_EXCLUSIVE_PAIR;
        rule_expr_free(expr);
        if (s != HZ_OK || res.outcome == RULE_PASS || res.outcome == RULE_SKIPPED)
            continue;
        char rule_id[80], at[16] = "", left[64], right[64], expected[128];
        snprintf(rule_id, sizeof rule_id, "rule.%s", rule->id);
        const char *sheet = HZ_SHEET_VALUES;
        if (anchor && sub->value_col != UINT32_MAX)
            xlsx_ref_format(anchor->row - 1, sub->value_col, at, sizeof at);
        else if (uses_cases)
            sheet = HZ_SHEET_CASES;
        if (res.outcome == RULE_UNDEFINED) {
            add(k, sheet, at, rule->id, rule_id, HZ_SEV_NOTICE, HZ_M_VALIDATE_RULE_UNDEFINED,
                rule->expr, NULL, NULL);
            continue;
        }
        format_number(res.left, left, sizeof left);
        format_number(res.right, right, sizeof right);
        snprintf(expected, sizeof expected, "%s", rule->expr);
        char detail_zh[200], detail_en[200], zh[1200], en[1200];
        hz_msg_formatv(HZ_LANG_ZH, HZ_M_VALIDATE_RULE_DETAIL, detail_zh, sizeof detail_zh, left,
                       right, NULL);
        hz_msg_formatv(HZ_LANG_EN, HZ_M_VALIDATE_RULE_DETAIL, detail_en, sizeof detail_en, left,
                       right, NULL);
        snprintf(zh, sizeof zh, "%s%s", rule->message, pair ? "" : detail_zh);
        snprintf(en, sizeof en, "%s%s", rule->message_en[0] ? rule->message_en : rule->message,
                 pair ? "" : detail_en);
        hz_issue_spec spec = {
            .file = sub->file_name, .sheet = sheet, .cell = at, .field = rule->id,
            .rule = rule_id, .severity = rule->severity, .found = left, .expected = expected,
            .msg = HZ_M_NONE, .text_zh = zh, .text_en = en,
        };
        hz_issue *issue = issue_list_add(k->issues, &spec);
        if (!issue) {
            k->status = hz_error_set(k->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            return;
        }
        mark_explained(issue, explained);
    }
}

hz_status validate_submission(const hz_config *config, hz_submission *sub,
                              const hz_round *round, hz_issue_list *issues, hz_error *err)
{
    if (!config || !sub || !issues)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "validate_submission", NULL);
    checker k = {.config = config, .sub = sub, .issues = issues, .err = err};
    if (!sub->readable)
        return HZ_OK;
    if (!check_header(&k, round))
        return k.status;
    for (size_t i = 0; i < sub->case_count && k.status == HZ_OK; i++)
        check_case_row(&k, &sub->cases[i], sub->round);
    if (k.status == HZ_OK)
        check_duplicate_cases(&k);
    /* explained warnings from reading: a 统计表 row's 说明 confirms it */
    for (size_t i = 0; i < issues->count; i++) {
        hz_issue *issue = &issues->items[i];
        if (issue->severity != HZ_SEV_WARNING || strcmp(issue->file, sub->file_name))
            continue;
        uint32_t row, col;
        if (!xlsx_ref_parse(issue->cell, &row, &col))
            continue;
        if (!strcmp(issue->sheet, HZ_SHEET_VALUES)) {
            for (size_t v = 0; v < sub->value_count; v++)
                if (sub->values[v].row == row + 1 && sub->values[v].note[0])
                    issue->explained = true;
        }
    }
    if (k.status == HZ_OK && sub->values)
        check_rules(&k);
    return k.status;
}
