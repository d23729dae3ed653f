/* analysis.c - continuity, outliers, year on year and assessment; see
 * analysis.h. */
#include "analysis.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive_format.h"
#include "consolidate.h"
#include "display_format.h"
#include "fsutil.h"
#include "hash.h"
#include "hz_text.h"
#include "xlsx_reader.h"

/* ---------------------------------------------------------------- figures */

const char *analysis_figure_id(hz_figure fig)
{
    switch (fig) {
    case HZ_FIG_FILED: return "cases_filed";
    case HZ_FIG_AMOUNT: return "amount";
    case HZ_FIG_FINE: return "fine";
    case HZ_FIG_TRANSFERRED: return "transferred";
    case HZ_FIG_TYPICAL: return "typical";
    case HZ_FIG_CLOSED: return "cases_closed";
    case HZ_FIG__COUNT: break;
    }
    return "";
}

const char *analysis_figure_word(hz_figure fig)
{
    switch (fig) {
    case HZ_FIG_FILED: return "立案";
    case HZ_FIG_AMOUNT: return "涉案金额";
    case HZ_FIG_FINE: return "罚没";
    case HZ_FIG_TRANSFERRED: return "移送";
    case HZ_FIG_TYPICAL: return "典型";
    case HZ_FIG_CLOSED: return "结案";
    case HZ_FIG__COUNT: break;
    }
    return "";
}

static hz_msg_id figure_label(hz_figure fig)
{
    switch (fig) {
    case HZ_FIG_FILED: return HZ_M_CONSOLIDATE_L_FILED;
    case HZ_FIG_AMOUNT: return HZ_M_CONSOLIDATE_L_AMOUNT;
    case HZ_FIG_FINE: return HZ_M_CONSOLIDATE_L_FINE;
    case HZ_FIG_TRANSFERRED: return HZ_M_CONSOLIDATE_L_TRANSFERRED;
    case HZ_FIG_TYPICAL: return HZ_M_CONSOLIDATE_L_TYPICAL;
    case HZ_FIG_CLOSED: return HZ_M_CONSOLIDATE_L_CLOSED;
    case HZ_FIG__COUNT: break;
    }
    return HZ_M_NONE;
}

double analysis_figure_value(const hz_case_figures *f, hz_figure fig)
{
    switch (fig) {
    case HZ_FIG_FILED: return (double)f->filed;
    case HZ_FIG_AMOUNT: return hz_amount_to_double(f->amount);
    case HZ_FIG_FINE: return hz_amount_to_double(f->fine);
    case HZ_FIG_TRANSFERRED: return (double)f->transferred;
    case HZ_FIG_TYPICAL: return (double)f->typical;
    case HZ_FIG_CLOSED: return (double)f->closed;
    case HZ_FIG__COUNT: break;
    }
    return 0;
}

static bool is_amount_figure(hz_figure fig)
{
    return fig == HZ_FIG_AMOUNT || fig == HZ_FIG_FINE;
}

/* ------------------------------------------------------------- statistics */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double analysis_median(const double *v, size_t n)
{
    if (n == 0)
        return 0;
    double *s = malloc(n * sizeof *s);
    if (!s)
        return 0;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

bool analysis_robust_z(const double *v, size_t n, double *z)
{
    for (size_t i = 0; i < n; i++)
        z[i] = 0;
    if (n == 0)
        return false;
    double *dev = malloc(n * sizeof *dev);
    if (!dev)
        return false;
    double med = analysis_median(v, n), mean_ad = 0;
    for (size_t i = 0; i < n; i++) {
        dev[i] = fabs(v[i] - med);
        mean_ad += dev[i];
    }
    mean_ad /= (double)n;
    double mad = analysis_median(dev, n);
    free(dev);
    /* 0.6745 = the 0.75 quantile of the standard normal, so z is in
     * standard deviations for normal data; 1.253314 = sqrt(pi/2) does the
     * same for the mean absolute deviation (used when over half the values
     * are equal, e.g. mostly zeros) */
    double scale;
    if (mad > 1e-12)
        scale = mad / 0.6745;
    else if (mean_ad > 1e-12)
        scale = 1.253314 * mean_ad;
    else
        return false;
    for (size_t i = 0; i < n; i++)
        z[i] = (v[i] - med) / scale;
    return true;
}

void analysis_rank(const double *totals, size_t n, int *rank)
{
    for (size_t i = 0; i < n; i++) {
        long long ti = llround(totals[i] * 100);
        int better = 0;
        for (size_t j = 0; j < n; j++)
            if (llround(totals[j] * 100) > ti)
                better++;
        rank[i] = better + 1;
    }
}

const char *analysis_format_growth(double cur, double prev, char *buf, size_t size)
{
    if (fabs(prev) < 1e-12) {
        snprintf(buf, size, "%s", "—");
        return buf;
    }
    double g = (cur - prev) / prev * 100;
    double r = round(g * 10) / 10;
    if (r == 0)
        r = 0; /* no "-0.0%" */
    snprintf(buf, size, "%.1f%%", r);
    return buf;
}

static double round2(double x)
{
    double r = round(x * 100) / 100;
    return r == 0 ? 0 : r;
}

/* ------------------------------------------------------------- helpers */

static hz_status nomem(hz_error *err)
{
    return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

static const hz_submission *unit_sub(const hz_consolidation *cons, size_t u)
{
    size_t f = cons->units[u].file;
    return f == HZ_NONE_INDEX ? NULL : &cons->files[f].check->sub;
}

static const char *unit_file(const hz_consolidation *cons, size_t u)
{
    size_t f = cons->units[u].file;
    return f == HZ_NONE_INDEX ? "" : cons->files[f].name;
}

/* The first 说明 of sub (case rows, then 统计表 rows) that contains word;
 * NULL when none. */
static const char *note_naming(const hz_submission *sub, const char *word)
{
    if (!word || !*word)
        return NULL;
    for (size_t k = 0; k < sub->case_count; k++)
        if (sub->cases[k].note && strstr(sub->cases[k].note, word))
            return sub->cases[k].note;
    for (size_t k = 0; k < sub->value_count; k++)
        if (sub->values[k].note && strstr(sub->values[k].note, word))
            return sub->values[k].note;
    return NULL;
}

static const hz_value *sub_value(const hz_submission *sub, const hz_config *config, size_t ind)
{
    for (size_t k = 0; k < sub->value_count; k++) {
        const hz_value *v = &sub->values[k];
        if (v->indicator == &config->indicators[ind])
            return v->present && v->valid ? v : NULL;
    }
    return NULL;
}

static const char *value_cell(const hz_submission *sub, const hz_value *v, char *buf,
                              size_t size)
{
    buf[0] = '\0';
    if (v && v->row > 0 && sub->value_col != UINT32_MAX) {
        char col[16];
        xlsx_col_format(sub->value_col, col, sizeof col);
        snprintf(buf, size, "%s%u", col, v->row);
    }
    return buf;
}

static const char *format_number(double v, bool amount, char *buf, size_t size)
{
    if (amount)
        snprintf(buf, size, "%.2f", v);
    else if (fabs(v - round(v)) < 1e-9)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.2f", v);
    return buf;
}

/* ------------------------------------------------------------- continuity */

static int compare_case_no(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The case numbers of sub, sorted, in *numbers (reused from unit to unit,
 * capacity *cap): the continuity check looks each stage case up in them,
 * which at national scale (500 cases a unit) was a quarter of a million
 * comparisons a unit when it scanned the list. */
static bool sorted_case_numbers(const hz_submission *sub, const char ***numbers, size_t *cap,
                                size_t *count)
{
    *count = 0;
    if (!hz_array_reserve(numbers, cap, sub->case_count + 1, sizeof **numbers))
        return false;
    for (size_t k = 0; k < sub->case_count; k++)
        if (sub->cases[k].case_no && sub->cases[k].case_no[0])
            (*numbers)[(*count)++] = sub->cases[k].case_no;
    qsort(*numbers, *count, sizeof **numbers, compare_case_no);
    return true;
}

static bool has_case_number(const char *const *numbers, size_t count, const char *no)
{
    return bsearch(&no, numbers, count, sizeof *numbers, compare_case_no) != NULL;
}

hz_status analysis_continuity(hz_consolidation *cons, hz_analysis *a, hz_error *err)
{
    const hz_consolidation *st = cons->stage;
    if (!st || !strcmp(cons->round->id, st->round->id))
        return HZ_OK;
    a->continuity_done = true;
    const hz_config *config = cons->config;
    const char **numbers = NULL;
    size_t numbers_cap = 0, numbers_count = 0;
    hz_status status = HZ_OK;
    for (size_t u = 0; u < cons->unit_count && u < st->unit_count; u++) {
        const hz_submission *an = unit_sub(cons, u), *sg = unit_sub(st, u);
        if (!an || !sg)
            continue;
        const char *file = unit_file(cons, u);
        if (!sorted_case_numbers(an, &numbers, &numbers_cap, &numbers_count)) {
            status = nomem(err);
            goto done;
        }
        /* the stage's rows are released by now (consolidate_folder): its
         * case numbers are kept with its file; a consolidation built
         * without that release still has them in its rows */
        const hz_cons_file *sf = &st->files[st->units[u].file];
        size_t stage_cases = sf->case_rows_released ? sf->case_number_count : sg->case_count;
        for (size_t k = 0; k < stage_cases; k++) {
            const char *no = sf->case_rows_released ? sf->case_numbers[k] : sg->cases[k].case_no;
            if (!no || !*no || has_case_number(numbers, numbers_count, no))
                continue;
            const char *why = note_naming(an, no);
            hz_issue_spec spec = {
                .file = file, .field = submission_case_column(HZ_C_CASE_NO),
                .rule = "continuity.dropped_case",
                .severity = why ? HZ_SEV_WARNING : HZ_SEV_ERROR,
                .found = no, .expected = unit_file(st, u), .extra = why ? why : "",
                .msg = why ? HZ_M_ANALYSIS_DROPPED_CASE_EXPLAINED : HZ_M_ANALYSIS_DROPPED_CASE,
            };
            hz_issue *is = issue_list_add(&cons->issues, &spec);
            if (!is) {
                status = nomem(err);
                goto done;
            }
            is->explained = why != NULL;
            a->dropped_cases++;
            a->dropped_explained += why != NULL;
        }
        for (size_t i = 0; i < config->indicator_count; i++) {
            const hz_indicator *ind = &config->indicators[i];
            const hz_value *va = sub_value(an, config, i), *vs = sub_value(sg, config, i);
            if (!va || !vs || va->value == vs->value)
                continue;
            bool fell = va->value < vs->value;
            if (ind->over_rounds == HZ_AGG_CUMULATIVE && !fell)
                continue;
            char found[64], expected[64], cell[32];
            display_format_value(ind, va->value, true, 4, found, sizeof found);
            display_format_value(ind, vs->value, true, 4, expected, sizeof expected);
            bool stock = ind->over_rounds == HZ_AGG_STOCK;
            hz_issue_spec spec = {
                .file = file, .sheet = HZ_SHEET_VALUES,
                .cell = value_cell(an, va, cell, sizeof cell), .field = ind->name,
                .rule = stock ? "continuity.stock_changed" : "continuity.cumulative_fell",
                .severity = stock ? HZ_SEV_NOTICE : HZ_SEV_ERROR,
                .found = found, .expected = expected, .extra = ind->code,
                .msg = stock ? HZ_M_ANALYSIS_STOCK_CHANGED : HZ_M_ANALYSIS_CUMULATIVE_FELL,
            };
            if (!issue_list_add(&cons->issues, &spec)) {
                status = nomem(err);
                goto done;
            }
            if (stock)
                a->stock_changed++;
            else
                a->cumulative_fell++;
        }
    }
done:
    free(numbers);
    return status;
}

/* ------------------------------------------------------------- outliers */

static hz_status outlier_add(hz_consolidation *cons, hz_analysis *a, const hz_outlier *o,
                             hz_error *err)
{
    const hz_config *config = cons->config;
    const hz_submission *sub = unit_sub(cons, o->unit);
    char rule[96], found[64], median[64], z[32], cell[32] = "";
    const char *field;
    bool amount;
    if (o->is_indicator) {
        const hz_indicator *ind = &config->indicators[o->indicator];
        snprintf(rule, sizeof rule, "outlier.%s", ind->code);
        field = ind->name;
        amount = ind->type == HZ_VALUE_AMOUNT;
        value_cell(sub, sub_value(sub, config, o->indicator), cell, sizeof cell);
    } else {
        snprintf(rule, sizeof rule, "outlier.%s", analysis_figure_id(o->figure));
        field = hz_msg_text(HZ_LANG_ZH, figure_label(o->figure));
        amount = is_amount_figure(o->figure);
    }
    format_number(o->value, amount, found, sizeof found);
    format_number(o->median, amount, median, sizeof median);
    snprintf(z, sizeof z, "%.1f", o->z);
    hz_issue_spec spec = {
        .file = unit_file(cons, o->unit),
        .sheet = o->is_indicator ? HZ_SHEET_VALUES : HZ_SHEET_CASES, .cell = cell,
        .field = field, .rule = rule, .severity = HZ_SEV_WARNING,
        .found = found, .expected = median, .extra = z,
        .msg = o->explained ? HZ_M_ANALYSIS_OUTLIER_EXPLAINED : HZ_M_ANALYSIS_OUTLIER,
    };
    hz_issue *is = issue_list_add(&cons->issues, &spec);
    if (!is)
        return nomem(err);
    is->explained = o->explained;
    if (!hz_array_reserve(&a->outliers, &a->outlier_cap, a->outlier_count + 1,
                          sizeof *a->outliers))
        return nomem(err);
    a->outliers[a->outlier_count++] = *o;
    return HZ_OK;
}

hz_status analysis_outliers(hz_consolidation *cons, hz_analysis *a, hz_error *err)
{
    const hz_config *config = cons->config;
    size_t n_units = cons->unit_count;
    double *v = calloc(n_units ? n_units : 1, sizeof *v);
    double *z = calloc(n_units ? n_units : 1, sizeof *z);
    size_t *who = calloc(n_units ? n_units : 1, sizeof *who);
    if (!v || !z || !who) {
        free(v);
        free(z);
        free(who);
        return nomem(err);
    }
    hz_status s = HZ_OK;
    size_t min_units = config->outlier_min_units > 0 ? (size_t)config->outlier_min_units : 1;
    /* case figures first (closed cases are not compared: closing follows
     * filing), then the indicators in config order */
    size_t figures = 5 + config->indicator_count;
    for (size_t f = 0; f < figures && s == HZ_OK; f++) {
        bool is_ind = f >= 5;
        size_t ind = is_ind ? f - 5 : 0;
        size_t n = 0;
        for (size_t u = 0; u < n_units; u++) {
            if (cons->units[u].file == HZ_NONE_INDEX)
                continue;
            if (is_ind) {
                if (!cons->units[u].present[ind])
                    continue;
                v[n] = hz_amount_to_double(cons->units[u].values[ind]);
            } else {
                v[n] = analysis_figure_value(&cons->units[u].cases, (hz_figure)f);
            }
            who[n++] = u;
        }
        if (n < min_units) {
            a->outlier_skipped++;
            continue;
        }
        a->outlier_checked++;
        if (!analysis_robust_z(v, n, z))
            continue;
        double med = analysis_median(v, n);
        for (size_t k = 0; k < n && s == HZ_OK; k++) {
            if (!(z[k] > config->outlier_threshold))
                continue;
            const hz_submission *sub = unit_sub(cons, who[k]);
            hz_outlier o = {.unit = who[k], .is_indicator = is_ind,
                            .figure = is_ind ? HZ_FIG__COUNT : (hz_figure)f,
                            .indicator = is_ind ? ind : HZ_NONE_INDEX,
                            .value = v[k], .median = med, .z = z[k]};
            if (is_ind) {
                for (size_t q = 0; q < sub->value_count; q++)
                    if (sub->values[q].indicator == &config->indicators[ind])
                        o.explained = sub->values[q].note && sub->values[q].note[0];
            } else {
                o.explained = note_naming(sub, analysis_figure_word((hz_figure)f)) != NULL;
            }
            s = outlier_add(cons, a, &o, err);
        }
    }
    free(v);
    free(z);
    free(who);
    return s;
}

/* ------------------------------------------------------------- assessment */

hz_status analysis_assess(const hz_consolidation *cons, hz_analysis *a, hz_error *err)
{
    const hz_config *config = cons->config;
    const hz_assessment_weights *w = &config->assessment;
    size_t n = cons->unit_count;
    free(a->scores);
    a->scores = calloc(n ? n : 1, sizeof *a->scores);
    double *totals = calloc(n ? n : 1, sizeof *totals);
    int *ranks = calloc(n ? n : 1, sizeof *ranks);
    if (!a->scores || !totals || !ranks) {
        free(totals);
        free(ranks);
        return nomem(err);
    }
    a->score_count = n;
    static const hz_figure parts[4] = {HZ_FIG_FILED, HZ_FIG_AMOUNT, HZ_FIG_TRANSFERRED,
                                       HZ_FIG_TYPICAL};
    double best[4] = {0};
    for (size_t u = 0; u < n; u++)
        if (cons->units[u].file != HZ_NONE_INDEX)
            for (int p = 0; p < 4; p++) {
                double x = analysis_figure_value(&cons->units[u].cases, parts[p]);
                if (x > best[p])
                    best[p] = x;
            }
    for (size_t u = 0; u < n; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        hz_score *sc = &a->scores[u];
        sc->unit = u;
        if (cu->file == HZ_NONE_INDEX) {
            sc->missing = true;
            continue;
        }
        const hz_cons_file *f = &cons->files[cu->file];
        sc->days_late = cu->receipt == HZ_RECEIPT_LATE ? cu->days_late : 0;
        sc->errors = f->check->counts.errors;
        sc->warnings = f->check->counts.warnings;
        for (size_t i = 0; i < cons->issues.count; i++) {
            const hz_issue *is = &cons->issues.items[i];
            if (strcmp(is->file, f->name))
                continue;
            if (is->severity == HZ_SEV_ERROR)
                sc->errors++;
            else if (is->severity == HZ_SEV_WARNING && !is->explained)
                sc->warnings++;
        }
        const hz_submission *sub = &f->check->sub;
        for (int k = 0; k < HZ_N__COUNT; k++)
            sc->sections += sub->narrative[k] && sub->narrative[k][0];

        double t = w->w_timeliness - w->late_deduction_per_day * sc->days_late;
        sc->timeliness = round2(t > 0 ? t : 0);
        double q = w->w_quality - w->error_deduction * (double)sc->errors -
                   w->warning_deduction * (double)sc->warnings;
        sc->quality = round2(q > 0 ? q : 0);
        sc->completeness = round2(w->w_completeness * (double)sc->sections / HZ_N__COUNT);
        double r = 0;
        for (int p = 0; p < 4; p++) {
            double x = analysis_figure_value(&cu->cases, parts[p]);
            double share = best[p] > 0 ? x / best[p] : 1.0;
            sc->part_results[p] = round2(w->w_results / 4 * share);
            r += sc->part_results[p];
        }
        sc->results = round2(r);
        sc->total = round2(sc->timeliness + sc->quality + sc->completeness + sc->results);
    }
    for (size_t u = 0; u < n; u++)
        totals[u] = a->scores[u].total;
    analysis_rank(totals, n, ranks);
    for (size_t u = 0; u < n; u++)
        a->scores[u].rank = ranks[u];
    free(totals);
    free(ranks);
    return HZ_OK;
}

hz_msg_id analysis_grade(const hz_config *config, const hz_score *score)
{
    const hz_assessment_weights *w = &config->assessment;
    long long t = llround(score->total * 100);
    if (!score->missing && t >= llround(w->grade_excellent * 100))
        return HZ_M_ANALYSIS_GRADE_EXCELLENT;
    if (!score->missing && t >= llround(w->grade_good * 100))
        return HZ_M_ANALYSIS_GRADE_GOOD;
    if (!score->missing && t >= llround(w->grade_pass * 100))
        return HZ_M_ANALYSIS_GRADE_PASS;
    return HZ_M_ANALYSIS_GRADE_FAIL;
}

/* A weight as people write it: "20", "2.5". */
static const char *weight(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    return buf;
}

const char *analysis_formula_line(const hz_config *config, int k, hz_lang lang, char *buf,
                                  size_t size)
{
    const hz_assessment_weights *w = &config->assessment;
    char a[32], b[32], c[32];
    buf[0] = '\0';
    switch (k) {
    case 0:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_1, buf, size,
                              weight(w->w_timeliness + w->w_quality + w->w_completeness +
                                         w->w_results, a, sizeof a), NULL);
    case 1:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_2, buf, size,
                              weight(w->w_timeliness, a, sizeof a),
                              weight(w->late_deduction_per_day, b, sizeof b), NULL);
    case 2:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_3, buf, size,
                              weight(w->w_quality, a, sizeof a),
                              weight(w->error_deduction, b, sizeof b),
                              weight(w->warning_deduction, c, sizeof c), NULL);
    case 3:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_4, buf, size,
                              weight(w->w_completeness, a, sizeof a), "4", NULL);
    case 4:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_5, buf, size,
                              weight(w->w_results, a, sizeof a), NULL);
    case 5:
        return hz_msg_formatv(lang, HZ_M_ANALYSIS_FORMULA_6, buf, size,
                              weight(w->grade_excellent, a, sizeof a),
                              weight(w->grade_good, b, sizeof b),
                              weight(w->grade_pass, c, sizeof c), NULL);
    default:
        return buf;
    }
}

/* ------------------------------------------------------------- previous */

void analysis_previous_free(hz_previous *prev)
{
    if (!prev)
        return;
    free(prev->dir);
    free(prev->round_id);
    free(prev->total);
    free(prev->values);
    free(prev->present);
    free(prev->units);
    free(prev->unit_found);
    free(prev);
}

/* Checks that SHA256SUMS lists rel with the checksum of its file now. */
static hz_status sums_check(const archive_sums *listed, const char *dir, const char *rel,
                            hz_error *err)
{
    const archive_sum *entry = archive_format_sums_find(listed, rel);
    const char *hex = entry ? entry->hex : NULL;
    if (!hex)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_NOT_LISTED, rel, NULL);
    char *path = fs_path_join(dir, rel);
    if (!path)
        return nomem(err);
    char now[65];
    hz_error herr = {0};
    hz_status s = hash_file_sha256(path, now, NULL, &herr);
    free(path);
    if (s != HZ_OK) {
        if (s == HZ_ERR_NOMEM)
            return nomem(err);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_ANALYSIS_PREV_NO_FILE, dir, rel, NULL);
    }
    for (int i = 0; i < 64; i++)
        if (tolower((unsigned char)hex[i]) != now[i])
            return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_TAMPERED, rel, NULL);
    return HZ_OK;
}

static hz_status bad_manifest(hz_error *err, const char *what)
{
    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_BAD_MANIFEST, what, NULL);
}

static bool parse_int64(const char *text, int64_t *out)
{
    if (!text || !*text)
        return false;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || v < 0)
        return false;
    *out = v;
    return true;
}

static hz_status manifest_totals(const archive_ini *ini, hz_case_figures *t, hz_error *err)
{
    struct { const char *key; int64_t *dst; } counts[] = {
        {"cases_filed", &t->filed}, {"cases_closed", &t->closed},
        {"transferred", &t->transferred}, {"typical", &t->typical},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (!parse_int64(archive_format_ini_get(ini, "totals", counts[i].key), counts[i].dst))
            return bad_manifest(err, counts[i].key);
    const char *am = archive_format_ini_get(ini, "totals", "amount");
    const char *fi = archive_format_ini_get(ini, "totals", "fine");
    if (!am || !hz_amount_parse(am, &t->amount))
        return bad_manifest(err, "amount");
    if (!fi || !hz_amount_parse(fi, &t->fine))
        return bad_manifest(err, "fine");
    return HZ_OK;
}

enum { PC_CODE, PC_FILED, PC_CLOSED, PC_AMOUNT, PC_FINE, PC_TRANSFERRED, PC_TYPICAL, PC__COUNT };

static const hz_msg_id prev_cols[PC__COUNT] = {
    HZ_M_CONSOLIDATE_L_UNIT_CODE, HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_CLOSED,
    HZ_M_CONSOLIDATE_L_AMOUNT, HZ_M_CONSOLIDATE_L_FINE, HZ_M_CONSOLIDATE_L_TRANSFERRED,
    HZ_M_CONSOLIDATE_L_TYPICAL,
};

static double cell_number(const xlsx_cell *c)
{
    if (!c)
        return 0;
    if (c->type == XLSX_CELL_NUMBER)
        return c->number;
    if (c->type == XLSX_CELL_STRING)
        return strtod(c->text, NULL);
    return 0;
}

/* The 分单位 sheet of the previous workbook: per-unit figures by code. */
static hz_status read_prev_units(const hz_consolidation *cons, const char *path,
                                 const char *rel, hz_previous *prev, hz_case_figures *sum,
                                 hz_error *err)
{
    const char *sheet_name = hz_msg_text(HZ_LANG_ZH, HZ_M_CONSOLIDATE_SHEET_UNITS);
    xlsx_book *book = NULL;
    hz_error xerr = {0};
    hz_status s = xlsx_book_open(path, &cons->config->limits, &book, &xerr);
    if (s != HZ_OK) {
        if (s == HZ_ERR_NOMEM)
            return nomem(err);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_TAMPERED, rel, NULL);
    }
    xlsx_sheet *sheet = NULL;
    if (!xlsx_book_has_sheet(book, sheet_name) ||
        xlsx_sheet_open(book, sheet_name, &sheet, &xerr) != HZ_OK) {
        xlsx_book_close(book);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_SHEET, rel, sheet_name, "",
                            NULL);
    }
    uint32_t col[PC__COUNT];
    for (int k = 0; k < PC__COUNT; k++)
        col[k] = UINT32_MAX;
    bool header = true;
    const xlsx_row *row = NULL;
    while ((s = xlsx_sheet_next_row(sheet, &row, &xerr)) == HZ_OK && row) {
        const xlsx_cell *byc[PC__COUNT] = {0};
        if (header) {
            for (size_t i = 0; i < row->count; i++)
                for (int k = 0; k < PC__COUNT; k++)
                    if (row->cells[i].type == XLSX_CELL_STRING &&
                        !strcmp(row->cells[i].text, hz_msg_text(HZ_LANG_ZH, prev_cols[k])))
                        col[k] = row->cells[i].col;
            for (int k = 0; k < PC__COUNT; k++)
                if (col[k] == UINT32_MAX) {
                    xlsx_sheet_close(sheet);
                    xlsx_book_close(book);
                    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_SHEET, rel,
                                        sheet_name, hz_msg_text(HZ_LANG_ZH, prev_cols[k]),
                                        NULL);
                }
            header = false;
            continue;
        }
        for (size_t i = 0; i < row->count; i++)
            for (int k = 0; k < PC__COUNT; k++)
                if (row->cells[i].col == col[k])
                    byc[k] = &row->cells[i];
        char code[32] = "";
        if (byc[PC_CODE] && byc[PC_CODE]->type == XLSX_CELL_STRING)
            snprintf(code, sizeof code, "%s", byc[PC_CODE]->text);
        else if (byc[PC_CODE] && byc[PC_CODE]->type == XLSX_CELL_NUMBER)
            snprintf(code, sizeof code, "%.0f", byc[PC_CODE]->number);
        if (!code[0])
            continue; /* the totals row, or a blank one */
        hz_case_figures f = {0};
        f.filed = llround(cell_number(byc[PC_FILED]));
        f.closed = llround(cell_number(byc[PC_CLOSED]));
        f.transferred = llround(cell_number(byc[PC_TRANSFERRED]));
        f.typical = llround(cell_number(byc[PC_TYPICAL]));
        f.amount = llround(cell_number(byc[PC_AMOUNT]) * HZ_AMOUNT_SCALE);
        f.fine = llround(cell_number(byc[PC_FINE]) * HZ_AMOUNT_SCALE);
        sum->filed += f.filed;
        sum->amount += f.amount;
        sum->transferred += f.transferred;
        sum->typical += f.typical;
        for (size_t u = 0; u < cons->unit_count; u++)
            if (!strcmp(cons->units[u].unit->code, code)) {
                prev->units[u] = f;
                prev->unit_found[u] = true;
            }
    }
    xlsx_sheet_close(sheet);
    xlsx_book_close(book);
    if (s != HZ_OK) {
        if (s == HZ_ERR_NOMEM)
            return nomem(err);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_TAMPERED, rel, NULL);
    }
    return HZ_OK;
}

static hz_status disagree(hz_error *err, hz_msg_id label, const char *a, const char *b)
{
    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_DISAGREE,
                        hz_msg_text(HZ_LANG_ZH, label), a, b, NULL);
}

static hz_status previous_read(const hz_consolidation *cons, const char *dir, hz_previous *prev,
                               hz_error *err)
{
    const hz_config *config = cons->config;
    if (!fs_is_dir(dir))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_ANALYSIS_PREV_NOT_FOLDER, dir, NULL);
    char *sums = NULL, *manifest = NULL;
    char *sums_path = fs_path_join(dir, ARCHIVE_SUMS);
    char *man_path = fs_path_join(dir, ARCHIVE_MANIFEST);
    hz_status s = sums_path && man_path ? HZ_OK : nomem(err);
    hz_error ferr = {0};
    if (s == HZ_OK && fs_read_file(sums_path, &sums, NULL, &ferr) != HZ_OK)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_ANALYSIS_PREV_NO_FILE, dir, ARCHIVE_SUMS, NULL);
    if (s == HZ_OK && fs_read_file(man_path, &manifest, NULL, &ferr) != HZ_OK)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_ANALYSIS_PREV_NO_FILE, dir, ARCHIVE_MANIFEST,
                         NULL);
    free(sums_path);
    free(man_path);
    archive_sums listed = {0};
    if (s == HZ_OK && archive_format_sums_parse(sums, &listed, NULL, NULL) != HZ_OK)
        s = nomem(err);
    if (s == HZ_OK)
        s = sums_check(&listed, dir, ARCHIVE_MANIFEST, err);
    archive_ini ini = {0};
    if (s == HZ_OK)
        s = archive_format_ini_parse(manifest, &ini, err);
    const char *xlsx_rel = NULL;
    if (s == HZ_OK) {
        char what[64];
        const char *year = archive_format_ini_get(&ini, "archive", "year");
        const char *round = archive_format_ini_get(&ini, "archive", "round");
        xlsx_rel = archive_format_ini_get(&ini, "reports", "xlsx");
        int64_t y = 0;
        if (ini.bad_count) {
            snprintf(what, sizeof what, "line %u", ini.bad_lines[0]);
            s = bad_manifest(err, what);
        } else if (!parse_int64(year, &y) || y > 9999) {
            s = bad_manifest(err, "[archive] year");
        } else if (!round || !*round) {
            s = bad_manifest(err, "[archive] round");
        } else if (!xlsx_rel || !archive_format_path_is_safe(xlsx_rel)) {
            s = bad_manifest(err, "[reports] xlsx");
        } else if (y >= config->year) {
            char a[16], b[16];
            snprintf(a, sizeof a, "%d", (int)y);
            snprintf(b, sizeof b, "%d", config->year);
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_YEAR, a, b, NULL);
        } else if (strcmp(round, cons->round->id)) {
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_ANALYSIS_PREV_ROUND, round,
                             cons->round->id, NULL);
        } else {
            prev->year = (int)y;
            prev->round_id = strdup(round);
            if (!prev->round_id)
                s = nomem(err);
        }
    }
    if (s == HZ_OK)
        s = manifest_totals(&ini, prev->total, err);
    for (size_t i = 0; s == HZ_OK && i < config->indicator_count; i++) {
        const char *v = archive_format_ini_get(&ini, "indicators", config->indicators[i].code);
        if (v && *v) {
            if (!hz_amount_parse(v, &prev->values[i]))
                s = bad_manifest(err, config->indicators[i].code);
            prev->present[i] = true;
        }
    }
    if (s == HZ_OK)
        s = sums_check(&listed, dir, xlsx_rel, err);
    hz_case_figures sum = {0};
    if (s == HZ_OK) {
        char *xpath = fs_path_join(dir, xlsx_rel);
        s = xpath ? read_prev_units(cons, xpath, xlsx_rel, prev, &sum, err) : nomem(err);
        free(xpath);
    }
    if (s == HZ_OK) {
        char a[64], b[64];
        if (sum.filed != prev->total->filed) {
            snprintf(a, sizeof a, "%lld", (long long)sum.filed);
            snprintf(b, sizeof b, "%lld", (long long)prev->total->filed);
            s = disagree(err, HZ_M_CONSOLIDATE_L_FILED, a, b);
        } else if (llabs((long long)(sum.amount - prev->total->amount)) >= 100) {
            /* the workbook holds doubles; a cent of slack, never more */
            hz_amount_format(sum.amount, 2, false, a, sizeof a);
            hz_amount_format(prev->total->amount, 2, false, b, sizeof b);
            s = disagree(err, HZ_M_CONSOLIDATE_L_AMOUNT, a, b);
        } else if (sum.transferred != prev->total->transferred) {
            snprintf(a, sizeof a, "%lld", (long long)sum.transferred);
            snprintf(b, sizeof b, "%lld", (long long)prev->total->transferred);
            s = disagree(err, HZ_M_CONSOLIDATE_L_TRANSFERRED, a, b);
        }
    }
    archive_format_ini_free(&ini);
    archive_format_sums_free(&listed);
    free(sums);
    free(manifest);
    return s;
}

hz_status analysis_previous_read(const hz_consolidation *cons, const char *dir,
                                 hz_previous **out, hz_error *err)
{
    *out = NULL;
    size_t nu = cons->unit_count ? cons->unit_count : 1;
    size_t ni = cons->config->indicator_count ? cons->config->indicator_count : 1;
    hz_previous *prev = calloc(1, sizeof *prev);
    if (!prev)
        return nomem(err);
    prev->dir = strdup(dir);
    prev->total = calloc(1, sizeof *prev->total);
    prev->values = calloc(ni, sizeof *prev->values);
    prev->present = calloc(ni, sizeof *prev->present);
    prev->units = calloc(nu, sizeof *prev->units);
    prev->unit_found = calloc(nu, sizeof *prev->unit_found);
    hz_status s = prev->dir && prev->total && prev->values && prev->present && prev->units &&
                          prev->unit_found
                      ? previous_read(cons, dir, prev, err)
                      : nomem(err);
    if (s != HZ_OK) {
        analysis_previous_free(prev);
        return s;
    }
    *out = prev;
    return HZ_OK;
}

/* ------------------------------------------------------------- all */

void analysis_free(hz_analysis *a)
{
    if (!a)
        return;
    free(a->outliers);
    free(a->scores);
    analysis_previous_free(a->previous);
    free(a);
}

hz_status analysis_run(hz_consolidation *cons, const hz_analysis_options *opt, hz_error *err)
{
    hz_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return nomem(err);
    hz_status s = HZ_OK;
    /* the previous archive first: a bad one stops the run before any
     * issue is added */
    if (opt && opt->previous_dir)
        s = analysis_previous_read(cons, opt->previous_dir, &a->previous, err);
    if (s == HZ_OK)
        s = analysis_continuity(cons, a, err);
    if (s == HZ_OK)
        s = analysis_outliers(cons, a, err);
    if (s == HZ_OK)
        s = analysis_assess(cons, a, err);
    if (s != HZ_OK) {
        analysis_free(a);
        return s;
    }
    if (cons->analysis && cons->analysis_free)
        cons->analysis_free(cons->analysis);
    cons->analysis = a;
    cons->analysis_free = analysis_free;
    return HZ_OK;
}
