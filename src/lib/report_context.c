/* report_context.c - the report's content model (report_template.h's
 * CONTEXT SHAPE) built from a consolidation, and its save/load; see
 * report_context.h. */
#include "report_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "analysis.h"
#include "display_format.h"
#include "fsutil.h"
#include "hz_text.h"

/* ------------------------------------------------------------ helpers */

typedef struct ctx {
    const hz_consolidation *cons;
    const hz_config *config;
    hz_lang lang;
    int decimals;
    bool ok;     /* false after any allocation failure */
} ctx;

static const char *L(const ctx *c, hz_msg_id id)
{
    return hz_msg_text(c->lang, id);
}

static json_object *chk(ctx *c, json_object *o)
{
    if (!o)
        c->ok = false;
    return o;
}

static void put(ctx *c, json_object *obj, const char *key, json_object *val)
{
    if (!val || !obj) {
        c->ok = false;
        json_object_put(val);
        return;
    }
    if (json_object_object_add(obj, key, val) != 0)
        c->ok = false;
}

static void push(ctx *c, json_object *arr, json_object *val)
{
    if (!val || !arr) {
        c->ok = false;
        json_object_put(val);
        return;
    }
    if (json_object_array_add(arr, val) != 0) {
        c->ok = false;
        json_object_put(val);
    }
}

static json_object *str(ctx *c, const char *s)
{
    return chk(c, json_object_new_string(s ? s : ""));
}

static json_object *i64(ctx *c, int64_t v)
{
    return chk(c, json_object_new_int64(v));
}

static json_object *amount(ctx *c, hz_amount a)
{
    char buf[64];
    return str(c, hz_amount_format(a, c->decimals, false, buf, sizeof buf));
}

/* A value for a report: integer counts, preformatted amounts, null when
 * missing. */
static json_object *indicator_value(ctx *c, const hz_indicator *ind, hz_amount v, bool present)
{
    if (!present)
        return NULL;
    if (ind->type == HZ_VALUE_COUNT && v % HZ_AMOUNT_SCALE == 0)
        return i64(c, v / HZ_AMOUNT_SCALE);
    char buf[64];
    return str(c, display_format_value(ind, v, present, c->decimals, buf, sizeof buf));
}

static void put_value(ctx *c, json_object *obj, const char *key, json_object *val)
{
    if (!val) { /* a missing value is JSON null, not an allocation failure */
        json_object_object_add(obj, key, NULL);
        return;
    }
    put(c, obj, key, val);
}

static json_object *strings(ctx *c, const char *const *items, size_t n)
{
    json_object *a = chk(c, json_object_new_array());
    for (size_t i = 0; i < n; i++)
        push(c, a, str(c, items[i]));
    return a;
}

static json_object *table_new(ctx *c, const char *caption, json_object *header,
                              const char *const *align, size_t cols, bool total)
{
    json_object *t = chk(c, json_object_new_object());
    put(c, t, "caption", str(c, caption));
    put(c, t, "header", header);
    put(c, t, "rows", chk(c, json_object_new_array()));
    if (align)
        put(c, t, "align", strings(c, align, cols));
    put(c, t, "total", chk(c, json_object_new_boolean(total)));
    return t;
}

static json_object *table_rows(json_object *t)
{
    json_object *rows = NULL;
    json_object_object_get_ex(t, "rows", &rows);
    return rows;
}

/* ------------------------------------------------------------ units */

static const char *unit_short(const hz_unit *u)
{
    return u->short_name && u->short_name[0] ? u->short_name : u->name;
}

static const hz_submission *unit_sub(const hz_consolidation *cons, size_t u)
{
    size_t f = cons->units[u].file;
    return f == HZ_NONE_INDEX ? NULL : &cons->files[f].check->sub;
}

/* ------------------------------------------------------------ rows */

static bool rows_add(report_rows *r, report_row_kind kind, size_t index, bool reported,
                     bool stage_reported)
{
    if (!hz_array_reserve(&r->items, &r->cap, r->count + 1, sizeof *r->items))
        return false;
    r->items[r->count++] = (report_row){kind, index, reported, stage_reported};
    return true;
}

/* Every unit, then the total, each with whether it reported this round and
 * in the stage consolidation. */
static bool rows_units(const hz_consolidation *cons, report_rows *r)
{
    const hz_consolidation *st = cons->stage;
    bool ok = true;
    for (size_t u = 0; ok && u < cons->unit_count; u++)
        ok = rows_add(r, REPORT_ROW_ITEM, u, cons->units[u].file != HZ_NONE_INDEX,
                      st && u < st->unit_count && st->units[u].file != HZ_NONE_INDEX);
    return ok && rows_add(r, REPORT_ROW_TOTAL, 0, true, st != NULL);
}

/* Each of n labels, the bucket of the rest only when something fell in it
 * (figs[n]), then the total. */
static bool rows_labels(size_t n, const hz_case_figures *figs, report_rows *r)
{
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = rows_add(r, REPORT_ROW_ITEM, i, true, false);
    if (ok && figs[n].filed != 0)
        ok = rows_add(r, REPORT_ROW_OTHER, n, true, false);
    return ok && rows_add(r, REPORT_ROW_TOTAL, 0, true, false);
}

/* The scores in rank order, ties in configuration order (a stable
 * insertion sort: n is the number of units). */
static bool rows_ranked(const hz_analysis *a, report_rows *r)
{
    size_t n = a ? a->score_count : 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows_add(r, REPORT_ROW_ITEM, i, true, false))
            return false;
        size_t j = r->count - 1;
        while (j > 0 && a->scores[r->items[j - 1].index].rank > a->scores[i].rank) {
            r->items[j] = r->items[j - 1];
            j--;
        }
        r->items[j].index = i;
    }
    return true;
}

hz_status report_context_rows(const hz_consolidation *cons, report_table table,
                              report_rows *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    const hz_config *config = cons->config;
    bool ok = true;
    switch (table) {
    case REPORT_TABLE_UNITS:
        ok = rows_units(cons, out);
        break;
    case REPORT_TABLE_CATEGORY:
        ok = rows_labels(config->case_categories.count, cons->by_category, out);
        break;
    case REPORT_TABLE_COMMODITY:
        ok = rows_labels(config->commodities.count, cons->by_commodity, out);
        break;
    case REPORT_TABLE_CHANNEL:
        ok = rows_labels(config->channels.count, cons->by_channel, out);
        break;
    case REPORT_TABLE_PHASE:
        ok = rows_labels(config->phase_count, cons->by_phase, out);
        break;
    case REPORT_TABLE_INDICATORS:
        for (size_t i = 0; ok && i < config->indicator_count; i++)
            ok = rows_add(out, REPORT_ROW_ITEM, i, cons->present[i], false);
        break;
    case REPORT_TABLE_RECEIPTS:
        for (size_t u = 0; ok && u < cons->unit_count; u++)
            ok = rows_add(out, REPORT_ROW_ITEM, u, cons->units[u].file != HZ_NONE_INDEX, false);
        for (size_t f = 0; ok && f < cons->file_count; f++)
            if (cons->files[f].status != HZ_FILE_ACCEPTED)
                ok = rows_add(out, REPORT_ROW_OTHER, f, false, false);
        break;
    case REPORT_TABLE_ASSESSMENT:
        ok = rows_ranked(cons->analysis, out);
        break;
    case REPORT_TABLE_TYPICAL:
        for (size_t i = 0; ok && i < cons->case_count; i++)
            if (cons->cases[i].counted && cons->cases[i].c->typical == HZ_YES)
                ok = rows_add(out, REPORT_ROW_ITEM, i, true, false);
        break;
    }
    if (!ok) {
        report_context_rows_free(out);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    return HZ_OK;
}

void report_context_rows_free(report_rows *rows)
{
    if (!rows)
        return;
    free(rows->items);
    memset(rows, 0, sizeof *rows);
}

/* The rows of table for a builder: empty, with c->ok false, when memory
 * runs out. */
static report_rows rows_of(ctx *c, report_table table)
{
    report_rows r;
    if (report_context_rows(c->cons, table, &r, NULL) != HZ_OK)
        c->ok = false;
    return r;
}

/* The name of a row of the phase table: the phase, or 阶段外. */
static const char *phase_name(const ctx *c, const report_row *r)
{
    return r->kind == REPORT_ROW_ITEM ? c->config->phases[r->index].name
                                      : L(c, HZ_M_CONSOLIDATE_L_OUTSIDE_PHASE);
}

/* ------------------------------------------------------------ sections */

static json_object *build_city(ctx *c)
{
    const hz_consolidation *cons = c->cons;
    const hz_config *config = c->config;
    json_object *city = chk(c, json_object_new_object());
    char rate[32];
    put(c, city, "cases_filed", i64(c, cons->total.filed));
    put(c, city, "cases_closed", i64(c, cons->total.closed));
    put(c, city, "amount", amount(c, cons->total.amount));
    put(c, city, "fine", amount(c, cons->total.fine));
    put(c, city, "transferred", i64(c, cons->total.transferred));
    put(c, city, "key_market", i64(c, cons->total.key_market));
    put(c, city, "rural", i64(c, cons->total.rural));
    put(c, city, "late_count", i64(c, (int64_t)cons->late_units));
    put(c, city, "missing_count", i64(c, (int64_t)cons->missing_units));
    put(c, city, "typical_count", i64(c, cons->total.typical));
    put(c, city, "completeness",
        str(c, display_format_rate(cons->accepted_units, cons->unit_count, rate,
                                       sizeof rate)));
    put(c, city, "timeliness",
        str(c, display_format_rate(cons->on_time_units, cons->unit_count, rate,
                                       sizeof rate)));
    put(c, city, "expected_units", i64(c, (int64_t)cons->unit_count));
    put(c, city, "accepted_units", i64(c, (int64_t)cons->accepted_units));
    put(c, city, "on_time_units", i64(c, (int64_t)cons->on_time_units));

    json_object *inds = chk(c, json_object_new_object());
    json_object *measures = chk(c, json_object_new_array());
    for (size_t i = 0; i < config->indicator_count; i++) {
        const hz_indicator *ind = &config->indicators[i];
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "name", str(c, ind->name));
        put(c, o, "uom", str(c, ind->uom));
        put_value(c, o, "value", indicator_value(c, ind, cons->values[i], cons->present[i]));
        put(c, o, "measure", str(c, ind->measure));
        put(c, inds, ind->code, o);
    }
    /* measures in order of first appearance; 工作要求 is not a measure */
    for (size_t i = 0; i < config->indicator_count; i++) {
        const char *m = config->indicators[i].measure;
        if (!strcmp(m, "工作要求") || !config_measure_first(config, i))
            continue;
        json_object *mo = chk(c, json_object_new_object());
        put(c, mo, "numeral", str(c, m));
        put(c, mo, "name", str(c, display_format_measure_name(m, c->lang)));
        json_object *list = chk(c, json_object_new_array());
        for (size_t j = i; j < config->indicator_count; j++) {
            const hz_indicator *ind = &config->indicators[j];
            if (strcmp(ind->measure, m))
                continue;
            json_object *o = chk(c, json_object_new_object());
            put(c, o, "code", str(c, ind->code));
            put(c, o, "name", str(c, ind->name));
            put(c, o, "uom", str(c, ind->uom));
            put_value(c, o, "value", indicator_value(c, ind, cons->values[j], cons->present[j]));
            push(c, list, o);
        }
        put(c, mo, "indicators", list);
        push(c, measures, mo);
    }
    put(c, city, "indicators", inds);
    put(c, city, "measures", measures);
    return city;
}

static json_object *build_units(ctx *c)
{
    const hz_consolidation *cons = c->cons;
    json_object *units = chk(c, json_object_new_array());
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        const hz_submission *sub = unit_sub(cons, u);
        char status[128], receipt[32];
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "code", str(c, cu->unit->code));
        put(c, o, "name", str(c, cu->unit->name));
        put(c, o, "short_name", str(c, unit_short(cu->unit)));
        put(c, o, "status",
            str(c, cu->receipt == HZ_RECEIPT_ON_TIME ? "on_time"
                   : cu->receipt == HZ_RECEIPT_LATE ? "late" : "missing"));
        put(c, o, "status_text",
            str(c, display_format_unit_status_text(cu, c->lang, status, sizeof status)));
        put(c, o, "received_wrong_format",
            chk(c, json_object_new_boolean(cu->files_seen &&
                                           cu->files_seen == cu->files_wrong_format)));
        put(c, o, "days_late", i64(c, cu->days_late));
        put(c, o, "reported", chk(c, json_object_new_boolean(cu->file != HZ_NONE_INDEX)));
        put(c, o, "received", str(c, display_format_receipt(cu, receipt, sizeof receipt)));
        put(c, o, "file", str(c, cu->file == HZ_NONE_INDEX ? "" : cons->files[cu->file].name));
        put(c, o, "cases_filed", i64(c, cu->cases.filed));
        put(c, o, "cases_closed", i64(c, cu->cases.closed));
        put(c, o, "amount", amount(c, cu->cases.amount));
        put(c, o, "fine", amount(c, cu->cases.fine));
        put(c, o, "transferred", i64(c, cu->cases.transferred));
        put(c, o, "joint_assisted", i64(c, cu->joint_assisted));
        const char *hl = "";
        if (sub) {
            hl = sub->narrative[HZ_N_RESULTS] && sub->narrative[HZ_N_RESULTS][0]
                     ? sub->narrative[HZ_N_RESULTS] : sub->narrative[HZ_N_WORK];
        }
        put(c, o, "highlights", str(c, hl ? hl : ""));
        put(c, o, "work", str(c, sub && sub->narrative[HZ_N_WORK] ? sub->narrative[HZ_N_WORK] : ""));
        put(c, o, "results", str(c, sub && sub->narrative[HZ_N_RESULTS]
                                        ? sub->narrative[HZ_N_RESULTS] : ""));
        put(c, o, "problems", str(c, sub && sub->narrative[HZ_N_PROBLEMS]
                                         ? sub->narrative[HZ_N_PROBLEMS] : ""));
        put(c, o, "next_steps", str(c, sub && sub->narrative[HZ_N_NEXT]
                                           ? sub->narrative[HZ_N_NEXT] : ""));
        push(c, units, o);
    }
    return units;
}

static json_object *build_narrative_list(ctx *c, hz_narrative_section section)
{
    const hz_consolidation *cons = c->cons;
    json_object *list = chk(c, json_object_new_array());
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_submission *sub = unit_sub(cons, u);
        if (!sub || !sub->narrative[section] || !sub->narrative[section][0])
            continue;
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "unit", str(c, unit_short(cons->units[u].unit)));
        put(c, o, "text", str(c, sub->narrative[section]));
        push(c, list, o);
    }
    return list;
}

static json_object *header_of(ctx *c, const hz_msg_id *ids, size_t n)
{
    json_object *a = chk(c, json_object_new_array());
    for (size_t i = 0; i < n; i++)
        push(c, a, str(c, L(c, ids[i])));
    return a;
}

/* Figures table: first column label, then the chosen figure columns. */
enum { F_FILED, F_CLOSED, F_AMOUNT, F_FINE, F_TRANSFERRED, F_KEY_MARKET, F_RURAL };

static const hz_msg_id figure_label[] = {
    HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_CLOSED, HZ_M_CONSOLIDATE_L_AMOUNT,
    HZ_M_CONSOLIDATE_L_FINE, HZ_M_CONSOLIDATE_L_TRANSFERRED, HZ_M_CONSOLIDATE_L_KEY_MARKET,
    HZ_M_CONSOLIDATE_L_RURAL,
};

static json_object *figure_cell(ctx *c, const hz_case_figures *f, int which)
{
    switch (which) {
    case F_FILED: return i64(c, f->filed);
    case F_CLOSED: return i64(c, f->closed);
    case F_AMOUNT: return amount(c, f->amount);
    case F_FINE: return amount(c, f->fine);
    case F_TRANSFERRED: return i64(c, f->transferred);
    case F_KEY_MARKET: return i64(c, f->key_market);
    case F_RURAL: return i64(c, f->rural);
    }
    return i64(c, 0);
}

static json_object *figures_table(ctx *c, hz_msg_id caption, hz_msg_id first,
                                  report_table table, const hz_list *labels,
                                  const hz_case_figures *figs, const int *cols, size_t ncols)
{
    json_object *header = chk(c, json_object_new_array());
    push(c, header, str(c, L(c, first)));
    const char *align[16];
    align[0] = "left";
    for (size_t k = 0; k < ncols; k++) {
        push(c, header, str(c, L(c, figure_label[cols[k]])));
        align[k + 1] = "right";
    }
    json_object *t = table_new(c, L(c, caption), header, align, ncols + 1, true);
    json_object *rows = table_rows(t);
    report_rows rr = rows_of(c, table);
    for (size_t i = 0; i < rr.count; i++) {
        const report_row *r = &rr.items[i];
        const hz_case_figures *f = r->kind == REPORT_ROW_TOTAL ? &c->cons->total : &figs[r->index];
        const char *label = r->kind == REPORT_ROW_ITEM    ? labels->items[r->index]
                            : r->kind == REPORT_ROW_OTHER ? L(c, HZ_M_CONSOLIDATE_L_OTHER)
                                                          : L(c, HZ_M_CONSOLIDATE_L_TOTAL);
        json_object *row = chk(c, json_object_new_array());
        push(c, row, str(c, label));
        for (size_t k = 0; k < ncols; k++)
            push(c, row, figure_cell(c, f, cols[k]));
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    return t;
}

static json_object *chart(ctx *c, hz_msg_id title, hz_msg_id value_label, int decimals)
{
    json_object *o = chk(c, json_object_new_object());
    put(c, o, "title", str(c, L(c, title)));
    put(c, o, "value_label", str(c, L(c, value_label)));
    put(c, o, "labels", chk(c, json_object_new_array()));
    put(c, o, "values", chk(c, json_object_new_array()));
    put(c, o, "decimals", i64(c, decimals));
    return o;
}

/* Amounts go into charts as numbers rounded to the report's decimals,
 * serialised exactly as formatted (json_object_new_double_s), so the saved
 * context never shows binary float noise like 38.619999999999997. */
static void chart_add_amount(ctx *c, json_object *ch, const char *label, hz_amount a)
{
    json_object *labels = NULL, *values = NULL;
    json_object_object_get_ex(ch, "labels", &labels);
    json_object_object_get_ex(ch, "values", &values);
    char buf[64];
    hz_amount_format(a, c->decimals, false, buf, sizeof buf);
    push(c, labels, str(c, label));
    push(c, values, chk(c, json_object_new_double_s(strtod(buf, NULL), buf)));
}

static void chart_add_int(ctx *c, json_object *ch, const char *label, int64_t v)
{
    json_object *labels = NULL, *values = NULL;
    json_object_object_get_ex(ch, "labels", &labels);
    json_object_object_get_ex(ch, "values", &values);
    push(c, labels, str(c, label));
    push(c, values, i64(c, v));
}

static void chart_add_missing(ctx *c, json_object *ch, const char *label)
{
    json_object *labels = NULL, *values = NULL;
    json_object_object_get_ex(ch, "labels", &labels);
    json_object_object_get_ex(ch, "values", &values);
    push(c, labels, str(c, label));
    if (!values || json_object_array_add(values, NULL) != 0)
        c->ok = false;
}

/* ------------------------------------------------------------ analysis */

static json_object *num2(ctx *c, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.2f", v);
    return str(c, buf);
}

static json_object *growth(ctx *c, double cur, double prev)
{
    char buf[64];
    return str(c, analysis_format_growth(cur, prev, buf, sizeof buf));
}


static json_object *label_with_weight(ctx *c, hz_msg_id id, double w)
{
    char a[32], buf[128];
    snprintf(a, sizeof a, "%g", w);
    return str(c, hz_msg_formatv(c->lang, id, buf, sizeof buf, a, NULL));
}

/* "同比增长12.5%" / "同比下降3.0%" / "与上年持平" for sentences. */
static json_object *trend(ctx *c, double cur, double prev)
{
    char g[64], buf[128];
    if (prev > -1e-12 && prev < 1e-12)
        return str(c, L(c, HZ_M_ANALYSIS_TREND_NONE));
    analysis_format_growth(cur, prev, g, sizeof g);
    if (!strcmp(g, "0.0%"))
        return str(c, L(c, HZ_M_ANALYSIS_TREND_FLAT));
    if (g[0] == '-')
        return str(c, hz_msg_formatv(c->lang, HZ_M_ANALYSIS_TREND_DOWN, buf, sizeof buf, g + 1,
                                     NULL));
    return str(c, hz_msg_formatv(c->lang, HZ_M_ANALYSIS_TREND_UP, buf, sizeof buf, g, NULL));
}

static void build_analysis_tables(ctx *c, json_object *tables)
{
    const hz_consolidation *cons = c->cons;
    const hz_config *config = c->config;
    const hz_analysis *a = cons->analysis;
    const hz_assessment_weights *w = &config->assessment;
    char cap[256];

    /* assessment */
    json_object *header = chk(c, json_object_new_array());
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_RANK)));
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_UNIT)));
    push(c, header, label_with_weight(c, HZ_M_ANALYSIS_L_TIMELINESS, w->w_timeliness));
    push(c, header, label_with_weight(c, HZ_M_ANALYSIS_L_QUALITY, w->w_quality));
    push(c, header, label_with_weight(c, HZ_M_ANALYSIS_L_COMPLETENESS, w->w_completeness));
    push(c, header, label_with_weight(c, HZ_M_ANALYSIS_L_RESULTS, w->w_results));
    push(c, header, str(c, L(c, HZ_M_ANALYSIS_L_TOTAL_SCORE)));
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_GRADE)));
    static const char *const as_align[] = {"center", "left", "right", "right",
                                           "right", "right", "right", "center"};
    json_object *t = table_new(c, L(c, HZ_M_CONSOLIDATE_CAP_ASSESSMENT), header, as_align, 8,
                               false);
    json_object *rows = table_rows(t);
    report_rows rr = rows_of(c, REPORT_TABLE_ASSESSMENT);
    for (size_t i = 0; i < rr.count; i++) {
        const hz_score *sc = &a->scores[rr.items[i].index];
        json_object *row = chk(c, json_object_new_array());
        push(c, row, i64(c, sc->rank));
        push(c, row, str(c, unit_short(cons->units[sc->unit].unit)));
        push(c, row, num2(c, sc->timeliness));
        push(c, row, num2(c, sc->quality));
        push(c, row, num2(c, sc->completeness));
        push(c, row, num2(c, sc->results));
        push(c, row, num2(c, sc->total));
        push(c, row, str(c, L(c, analysis_grade(config, sc))));
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "assessment", t);

    /* indicators: stage, this round, increment */
    const hz_consolidation *st = cons->stage;
    const char *stage_name = st ? st->round->name : "";
    static const char *const ri_align[] = {"center", "left", "center", "right", "right",
                                           "right"};
    header = chk(c, json_object_new_array());
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_IND_CODE)));
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_IND_NAME)));
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_UOM)));
    push(c, header, str(c, stage_name));
    push(c, header, str(c, cons->round->name));
    push(c, header, str(c, L(c, HZ_M_CONSOLIDATE_L_INCREMENT)));
    hz_msg_formatv(c->lang, HZ_M_ANALYSIS_CAP_ROUND_INDICATORS, cap, sizeof cap, stage_name,
                   cons->round->name, NULL);
    t = table_new(c, cap, header, ri_align, 6, false);
    rows = table_rows(t);
    rr = rows_of(c, REPORT_TABLE_INDICATORS);
    for (size_t k = 0; st && k < rr.count; k++) {
        size_t i = rr.items[k].index;
        const hz_indicator *ind = &config->indicators[i];
        char b1[64], b2[64], b3[64];
        json_object *row = chk(c, json_object_new_array());
        push(c, row, str(c, ind->code));
        push(c, row, str(c, ind->name));
        push(c, row, str(c, ind->uom));
        push(c, row, str(c, display_format_value(ind, st->values[i], st->present[i],
                                                     c->decimals, b1, sizeof b1)));
        push(c, row, str(c, display_format_value(ind, cons->values[i], cons->present[i],
                                                     c->decimals, b2, sizeof b2)));
        if (ind->over_rounds == HZ_AGG_STOCK) /* no increment: the note under
                                                 the table says stock takes the latest */
            push(c, row, str(c, "—"));
        else
            push(c, row, str(c, display_format_value(ind, cons->values[i] - st->values[i],
                                                         st->present[i] && cons->present[i],
                                                         c->decimals, b3, sizeof b3)));
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "rounds_indicators", t);

    /* year on year, per unit */
    const hz_previous *prev = a ? a->previous : NULL;
    char y1[16], y2[16];
    snprintf(y1, sizeof y1, "%d", prev ? prev->year : config->year - 1);
    snprintf(y2, sizeof y2, "%d", config->year);
    json_object *h1 = chk(c, json_object_new_array()), *h2 = chk(c, json_object_new_array());
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_UNIT)));
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_FILED)));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_AMOUNT)));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, ""));
    push(c, h2, str(c, ""));
    for (int k = 0; k < 2; k++) {
        push(c, h2, str(c, L(c, HZ_M_ANALYSIS_L_PREVIOUS)));
        push(c, h2, str(c, y2));
        push(c, h2, str(c, L(c, HZ_M_ANALYSIS_L_GROWTH)));
    }
    header = chk(c, json_object_new_array());
    push(c, header, h1);
    push(c, header, h2);
    hz_msg_formatv(c->lang, HZ_M_ANALYSIS_CAP_YOY, cap, sizeof cap, y1, y2, NULL);
    t = table_new(c, cap, header, NULL, 7, true);
    rows = table_rows(t);
    rr = rows_of(c, REPORT_TABLE_UNITS);
    for (size_t i = 0; prev && i < rr.count; i++) {
        size_t u = rr.items[i].index;
        bool tot = rr.items[i].kind == REPORT_ROW_TOTAL;
        const hz_case_figures *p = tot ? prev->total : &prev->units[u];
        const hz_case_figures *n = tot ? &cons->total : &cons->units[u].cases;
        json_object *row = chk(c, json_object_new_array());
        push(c, row, str(c, tot ? L(c, HZ_M_CONSOLIDATE_L_TOTAL)
                                : unit_short(cons->units[u].unit)));
        if (!tot && !prev->unit_found[u]) {
            push(c, row, str(c, "—"));
            push(c, row, i64(c, n->filed));
            push(c, row, str(c, "—"));
            push(c, row, str(c, "—"));
            push(c, row, amount(c, n->amount));
            push(c, row, str(c, "—"));
        } else {
            push(c, row, i64(c, p->filed));
            push(c, row, i64(c, n->filed));
            push(c, row, growth(c, (double)n->filed, (double)p->filed));
            push(c, row, amount(c, p->amount));
            push(c, row, amount(c, n->amount));
            push(c, row, growth(c, hz_amount_to_double(n->amount),
                                hz_amount_to_double(p->amount)));
        }
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "yoy", t);
}

static void build_analysis(ctx *c, json_object *root, json_object *stage)
{
    const hz_consolidation *cons = c->cons;
    const hz_config *config = c->config;
    const hz_analysis *a = cons->analysis;
    const hz_consolidation *st = cons->stage;
    char buf[1024];

    /* more stage figures and the per-unit increments */
    put(c, stage, "cases_closed", i64(c, st ? st->total.closed : 0));
    put(c, stage, "fine", amount(c, st ? st->total.fine : 0));
    put(c, stage, "transferred", i64(c, st ? st->total.transferred : 0));
    put(c, stage, "closed_increment", i64(c, st ? cons->total.closed - st->total.closed : 0));
    put(c, stage, "fine_increment", amount(c, st ? cons->total.fine - st->total.fine : 0));
    put(c, stage, "transferred_increment",
        i64(c, st ? cons->total.transferred - st->total.transferred : 0));
    json_object *inc = chk(c, json_object_new_array());
    for (size_t u = 0; st && u < cons->unit_count && u < st->unit_count; u++) {
        if (cons->units[u].file == HZ_NONE_INDEX)
            continue;
        const hz_case_figures *x = &st->units[u].cases, *y = &cons->units[u].cases;
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "short_name", str(c, unit_short(cons->units[u].unit)));
        put(c, o, "stage_cases", i64(c, x->filed));
        put(c, o, "cases", i64(c, y->filed));
        put(c, o, "cases_increment", i64(c, y->filed - x->filed));
        put(c, o, "amount_increment", amount(c, y->amount - x->amount));
        push(c, inc, o);
    }
    put(c, root, "unit_increments", inc);
    put(c, stage, "unit_count", i64(c, inc ? (int64_t)json_object_array_length(inc) : 0));

    /* continuity */
    json_object *cont = chk(c, json_object_new_object());
    put(c, cont, "done", chk(c, json_object_new_boolean(a && a->continuity_done)));
    put(c, cont, "dropped_cases", i64(c, a ? (int64_t)a->dropped_cases : 0));
    put(c, cont, "dropped_explained", i64(c, a ? (int64_t)a->dropped_explained : 0));
    put(c, cont, "dropped_unexplained",
        i64(c, a ? (int64_t)(a->dropped_cases - a->dropped_explained) : 0));
    put(c, cont, "cumulative_fell", i64(c, a ? (int64_t)a->cumulative_fell : 0));
    put(c, cont, "stock_changed", i64(c, a ? (int64_t)a->stock_changed : 0));
    json_object *items = chk(c, json_object_new_array());
    for (size_t i = 0; i < cons->issues.count; i++) {
        const hz_issue *is = &cons->issues.items[i];
        if (strncmp(is->rule, "continuity.", 11) || is->severity == HZ_SEV_NOTICE)
            continue;
        const char *unit = "";
        for (size_t u = 0; u < cons->unit_count; u++)
            if (cons->units[u].file != HZ_NONE_INDEX &&
                !strcmp(cons->files[cons->units[u].file].name, is->file))
                unit = unit_short(cons->units[u].unit);
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "unit", str(c, unit));
        put(c, o, "rule", str(c, is->rule));
        put(c, o, "explained", chk(c, json_object_new_boolean(is->explained)));
        put(c, o, "text", str(c, issue_render(is, c->lang, buf, sizeof buf)));
        push(c, items, o);
    }
    put(c, cont, "items", items);
    put(c, root, "continuity", cont);

    /* outliers */
    json_object *outl = chk(c, json_object_new_array());
    size_t explained = 0;
    for (size_t i = 0; a && i < a->outlier_count; i++) {
        const hz_outlier *o = &a->outliers[i];
        bool is_amount = o->is_indicator
                             ? config->indicators[o->indicator].type == HZ_VALUE_AMOUNT
                             : o->figure == HZ_FIG_AMOUNT || o->figure == HZ_FIG_FINE;
        json_object *j = chk(c, json_object_new_object());
        char v[64], m[64], z[32];
        if (is_amount) {
            snprintf(v, sizeof v, "%.2f", o->value);
            snprintf(m, sizeof m, "%.2f", o->median);
        } else {
            snprintf(v, sizeof v, "%.0f", o->value);
            snprintf(m, sizeof m, "%g", o->median);
        }
        snprintf(z, sizeof z, "%.1f", o->z);
        /* "立案数（件）" -> figure "立案数", uom "件", for sentences */
        char fig[256], uom[64] = "";
        if (o->is_indicator) {
            snprintf(fig, sizeof fig, "%s", config->indicators[o->indicator].name);
            snprintf(uom, sizeof uom, "%s", config->indicators[o->indicator].uom);
        } else {
            hz_msg_id lid = o->figure == HZ_FIG_FILED ? HZ_M_CONSOLIDATE_L_FILED
                            : o->figure == HZ_FIG_AMOUNT ? HZ_M_CONSOLIDATE_L_AMOUNT
                            : o->figure == HZ_FIG_FINE ? HZ_M_CONSOLIDATE_L_FINE
                            : o->figure == HZ_FIG_TRANSFERRED ? HZ_M_CONSOLIDATE_L_TRANSFERRED
                                                              : HZ_M_CONSOLIDATE_L_TYPICAL;
            snprintf(fig, sizeof fig, "%s", L(c, lid));
            char *open = strstr(fig, "（");
            char *close = open ? strstr(open, "）") : NULL;
            if (open && close) {
                *close = '\0';
                snprintf(uom, sizeof uom, "%s", open + strlen("（"));
                *open = '\0';
            }
        }
        put(c, j, "unit", str(c, unit_short(cons->units[o->unit].unit)));
        put(c, j, "figure", str(c, fig));
        put(c, j, "uom", str(c, uom));
        put(c, j, "value", str(c, v));
        put(c, j, "median", str(c, m));
        put(c, j, "z", str(c, z));
        put(c, j, "explained", chk(c, json_object_new_boolean(o->explained)));
        explained += o->explained;
        push(c, outl, j);
    }
    put(c, root, "outliers", outl);
    json_object *dq = chk(c, json_object_new_object());
    size_t n_out = a ? a->outlier_count : 0;
    put(c, dq, "outlier_count", i64(c, (int64_t)n_out));
    put(c, dq, "outliers_explained", i64(c, (int64_t)explained));
    put(c, dq, "outliers_unexplained", i64(c, (int64_t)(n_out - explained)));
    put(c, dq, "outliers_checked", i64(c, a ? (int64_t)a->outlier_checked : 0));
    put(c, dq, "outliers_skipped", i64(c, a ? (int64_t)a->outlier_skipped : 0));
    put(c, dq, "min_units", i64(c, config->outlier_min_units));
    snprintf(buf, sizeof buf, "%g", config->outlier_threshold);
    put(c, dq, "threshold", str(c, buf));
    put(c, root, "data_quality", dq);

    /* assessment (rank order) */
    json_object *as = chk(c, json_object_new_array());
    report_rows rr = rows_of(c, REPORT_TABLE_ASSESSMENT);
    for (size_t i = 0; i < rr.count; i++) {
        const hz_score *sc = &a->scores[rr.items[i].index];
        json_object *o = chk(c, json_object_new_object());
        put(c, o, "rank", i64(c, sc->rank));
        put(c, o, "short_name", str(c, unit_short(cons->units[sc->unit].unit)));
        put(c, o, "score", num2(c, sc->total));
        put(c, o, "grade", str(c, L(c, analysis_grade(config, sc))));
        put(c, o, "timeliness", num2(c, sc->timeliness));
        put(c, o, "quality", num2(c, sc->quality));
        put(c, o, "completeness", num2(c, sc->completeness));
        put(c, o, "results", num2(c, sc->results));
        put(c, o, "missing", chk(c, json_object_new_boolean(sc->missing)));
        push(c, as, o);
    }
    report_context_rows_free(&rr);
    put(c, root, "has_assessment",
        chk(c, json_object_new_boolean(a && a->score_count > 0 && cons->accepted_units > 0)));
    put(c, root, "assessment", as);
    json_object *formula = chk(c, json_object_new_array());
    for (int k = 0; k < ANALYSIS_FORMULA_LINES; k++)
        push(c, formula, str(c, analysis_formula_line(config, k, c->lang, buf, sizeof buf)));
    put(c, root, "assessment_formula", formula);

    /* year on year */
    const hz_previous *prev = a ? a->previous : NULL;
    put(c, root, "has_previous", chk(c, json_object_new_boolean(prev != NULL)));
    json_object *po = chk(c, json_object_new_object());
    const hz_case_figures zero = {0};
    const hz_case_figures *pt = prev ? prev->total : &zero;
    put(c, po, "year", i64(c, prev ? prev->year : config->year - 1));
    put(c, po, "cases_filed", i64(c, pt->filed));
    put(c, po, "cases_closed", i64(c, pt->closed));
    put(c, po, "amount", amount(c, pt->amount));
    put(c, po, "fine", amount(c, pt->fine));
    put(c, po, "transferred", i64(c, pt->transferred));
    put(c, po, "typical_count", i64(c, pt->typical));
    put(c, po, "cases_growth", growth(c, (double)cons->total.filed, (double)pt->filed));
    put(c, po, "amount_growth", growth(c, hz_amount_to_double(cons->total.amount),
                                       hz_amount_to_double(pt->amount)));
    put(c, po, "fine_growth", growth(c, hz_amount_to_double(cons->total.fine),
                                     hz_amount_to_double(pt->fine)));
    put(c, po, "transferred_growth",
        growth(c, (double)cons->total.transferred, (double)pt->transferred));
    put(c, po, "cases_trend", trend(c, (double)cons->total.filed, (double)pt->filed));
    put(c, po, "amount_trend", trend(c, hz_amount_to_double(cons->total.amount),
                                     hz_amount_to_double(pt->amount)));
    put(c, po, "fine_trend", trend(c, hz_amount_to_double(cons->total.fine),
                                   hz_amount_to_double(pt->fine)));
    put(c, po, "transferred_trend",
        trend(c, (double)cons->total.transferred, (double)pt->transferred));
    put(c, root, "previous", po);
}

static json_object *build_tables(ctx *c, json_object **charts_out)
{
    const hz_consolidation *cons = c->cons;
    const hz_config *config = c->config;
    json_object *tables = chk(c, json_object_new_object());
    char buf[256];

    /* units */
    static const hz_msg_id units_head[] = {
        HZ_M_CONSOLIDATE_L_SEQ, HZ_M_CONSOLIDATE_L_UNIT, HZ_M_CONSOLIDATE_L_STATUS,
        HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_CLOSED, HZ_M_CONSOLIDATE_L_AMOUNT,
        HZ_M_CONSOLIDATE_L_FINE, HZ_M_CONSOLIDATE_L_TRANSFERRED};
    static const char *const units_align[] = {"center", "left", "center", "right",
                                              "right", "right", "right", "right"};
    json_object *t = table_new(c, L(c, HZ_M_CONSOLIDATE_CAP_UNITS), header_of(c, units_head, 8),
                               units_align, 8, true);
    json_object *rows = table_rows(t);
    json_object *row;
    report_rows rr = rows_of(c, REPORT_TABLE_UNITS);
    for (size_t i = 0; i < rr.count; i++) {
        const report_row *r = &rr.items[i];
        bool tot = r->kind == REPORT_ROW_TOTAL;
        const hz_cons_unit *cu = tot ? NULL : &cons->units[r->index];
        const hz_case_figures *f = tot ? &cons->total : &cu->cases;
        row = chk(c, json_object_new_array());
        push(c, row, tot ? str(c, "") : i64(c, (int64_t)r->index + 1));
        push(c, row, str(c, tot ? L(c, HZ_M_CONSOLIDATE_L_TOTAL) : unit_short(cu->unit)));
        push(c, row, str(c, tot ? "" : display_format_unit_status_text(cu, c->lang, buf,
                                                                       sizeof buf)));
        if (!r->reported) { /* 未报 is not 0 */
            for (int k = 0; k < 5; k++)
                push(c, row, str(c, L(c, HZ_M_CONSOLIDATE_L_NOT_REPORTED)));
        } else {
            push(c, row, i64(c, f->filed));
            push(c, row, i64(c, f->closed));
            push(c, row, amount(c, f->amount));
            push(c, row, amount(c, f->fine));
            push(c, row, i64(c, f->transferred));
        }
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "units", t);

    static const int cat_cols[] = {F_FILED, F_CLOSED, F_AMOUNT, F_FINE, F_TRANSFERRED};
    put(c, tables, "by_category",
        figures_table(c, HZ_M_CONSOLIDATE_CAP_CATEGORY, HZ_M_CONSOLIDATE_L_CATEGORY,
                      REPORT_TABLE_CATEGORY, &config->case_categories, cons->by_category,
                      cat_cols, 5));
    static const int com_cols[] = {F_FILED, F_AMOUNT, F_FINE};
    put(c, tables, "by_commodity",
        figures_table(c, HZ_M_CONSOLIDATE_CAP_COMMODITY, HZ_M_CONSOLIDATE_L_COMMODITY,
                      REPORT_TABLE_COMMODITY, &config->commodities, cons->by_commodity,
                      com_cols, 3));
    static const int ch_cols[] = {F_FILED, F_KEY_MARKET, F_RURAL, F_AMOUNT};
    put(c, tables, "by_channel",
        figures_table(c, HZ_M_CONSOLIDATE_CAP_CHANNEL, HZ_M_CONSOLIDATE_L_CHANNEL,
                      REPORT_TABLE_CHANNEL, &config->channels, cons->by_channel, ch_cols,
                      4));

    /* by_phase */
    static const hz_msg_id phase_head[] = {HZ_M_CONSOLIDATE_L_PHASE, HZ_M_CONSOLIDATE_L_PERIOD,
                                           HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_AMOUNT};
    static const char *const phase_align[] = {"left", "center", "right", "right"};
    t = table_new(c, L(c, HZ_M_CONSOLIDATE_CAP_PHASE), header_of(c, phase_head, 4), phase_align,
                  4, true);
    rows = table_rows(t);
    json_object *ch_phase = chart(c, HZ_M_CONSOLIDATE_CHART_CASES_BY_PHASE,
                                  HZ_M_CONSOLIDATE_L_FILED, 0);
    rr = rows_of(c, REPORT_TABLE_PHASE);
    for (size_t i = 0; i < rr.count; i++) {
        const report_row *r = &rr.items[i];
        bool tot = r->kind == REPORT_ROW_TOTAL;
        const hz_case_figures *f = tot ? &cons->total : &cons->by_phase[r->index];
        const char *name = tot ? L(c, HZ_M_CONSOLIDATE_L_TOTAL) : phase_name(c, r);
        row = chk(c, json_object_new_array());
        push(c, row, str(c, name));
        push(c, row, str(c, tot ? "" : display_format_phase_period(config, r->index, c->lang,
                                                                   buf, sizeof buf)));
        push(c, row, i64(c, f->filed));
        push(c, row, amount(c, f->amount));
        push(c, rows, row);
        if (!tot)
            chart_add_int(c, ch_phase, name, f->filed);
    }
    report_context_rows_free(&rr);
    put(c, tables, "by_phase", t);

    /* indicators */
    static const hz_msg_id ind_head[] = {HZ_M_CONSOLIDATE_L_IND_CODE, HZ_M_CONSOLIDATE_L_IND_NAME,
                                         HZ_M_CONSOLIDATE_L_UOM, HZ_M_CONSOLIDATE_L_MEASURE,
                                         HZ_M_CONSOLIDATE_L_VALUE};
    static const char *const ind_align[] = {"center", "left", "center", "center", "right"};
    t = table_new(c, L(c, HZ_M_CONSOLIDATE_CAP_INDICATORS), header_of(c, ind_head, 5),
                  ind_align, 5, false);
    rows = table_rows(t);
    rr = rows_of(c, REPORT_TABLE_INDICATORS);
    for (size_t k = 0; k < rr.count; k++) {
        size_t i = rr.items[k].index;
        const hz_indicator *ind = &config->indicators[i];
        row = chk(c, json_object_new_array());
        push(c, row, str(c, ind->code));
        push(c, row, str(c, ind->name));
        push(c, row, str(c, ind->uom));
        push(c, row, str(c, ind->measure));
        json_object *v = indicator_value(c, ind, cons->values[i], cons->present[i]);
        push(c, row, v ? v : str(c, L(c, HZ_M_CONSOLIDATE_L_MISSING_VALUE)));
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "indicators", t);

    /* receipts */
    static const hz_msg_id rec_head[] = {HZ_M_CONSOLIDATE_L_UNIT, HZ_M_CONSOLIDATE_L_RECEIPT_TIME,
                                         HZ_M_CONSOLIDATE_L_STATUS, HZ_M_CONSOLIDATE_L_VERSION,
                                         HZ_M_CONSOLIDATE_L_FILE};
    static const char *const rec_align[] = {"left", "center", "center", "right", "left"};
    char cap[256];
    hz_msg_formatv(c->lang, HZ_M_CONSOLIDATE_CAP_RECEIPTS, cap, sizeof cap, cons->round->name,
                   NULL);
    t = table_new(c, cap, header_of(c, rec_head, 5), rec_align, 5, false);
    rows = table_rows(t);
    rr = rows_of(c, REPORT_TABLE_RECEIPTS);
    for (size_t i = 0; i < rr.count; i++) {
        if (rr.items[i].kind != REPORT_ROW_ITEM)
            continue; /* the report lists the units; the workbook the other files too */
        const hz_cons_unit *cu = &cons->units[rr.items[i].index];
        row = chk(c, json_object_new_array());
        push(c, row, str(c, unit_short(cu->unit)));
        push(c, row, str(c, display_format_receipt(cu, buf, sizeof buf)));
        push(c, row, str(c, display_format_unit_status_text(cu, c->lang, buf, sizeof buf)));
        if (rr.items[i].reported) {
            push(c, row, i64(c, cons->files[cu->file].version));
            push(c, row, str(c, cons->files[cu->file].name));
        } else {
            push(c, row, str(c, ""));
            push(c, row, str(c, ""));
        }
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "receipts", t);

    /* rounds: stage vs this round, two header rows */
    const hz_consolidation *st = cons->stage;
    json_object *header = chk(c, json_object_new_array());
    json_object *h1 = chk(c, json_object_new_array()), *h2 = chk(c, json_object_new_array());
    const char *stage_name = st ? st->round->name : "";
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_UNIT)));
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_FILED)));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, L(c, HZ_M_CONSOLIDATE_L_AMOUNT)));
    push(c, h1, str(c, ""));
    push(c, h1, str(c, ""));
    push(c, h2, str(c, ""));
    for (int k = 0; k < 2; k++) {
        push(c, h2, str(c, stage_name));
        push(c, h2, str(c, cons->round->name));
        push(c, h2, str(c, L(c, HZ_M_CONSOLIDATE_L_INCREMENT)));
    }
    push(c, header, h1);
    push(c, header, h2);
    hz_msg_formatv(c->lang, HZ_M_CONSOLIDATE_CAP_ROUNDS, cap, sizeof cap, stage_name,
                   cons->round->name, NULL);
    /* figure columns stay right-aligned when a 未报 cell is among them */
    static const char *const rounds_align[] = {"left", "right", "right", "right",
                                               "right", "right", "right"};
    t = table_new(c, cap, header, rounds_align, 7, true);
    rows = table_rows(t);
    rr = rows_of(c, REPORT_TABLE_UNITS);
    for (size_t i = 0; st && i < rr.count; i++) {
        size_t u = rr.items[i].index;
        bool tot = rr.items[i].kind == REPORT_ROW_TOTAL;
        const hz_case_figures *a = tot ? &st->total : &st->units[u].cases;
        const hz_case_figures *b = tot ? &cons->total : &cons->units[u].cases;
        row = chk(c, json_object_new_array());
        push(c, row, str(c, tot ? L(c, HZ_M_CONSOLIDATE_L_TOTAL)
                                : unit_short(cons->units[u].unit)));
        /* a round the unit did not report is 未报, and has no increment */
        bool had = rr.items[i].stage_reported, has = rr.items[i].reported;
        const char *nr = L(c, HZ_M_CONSOLIDATE_L_NOT_REPORTED);
        push(c, row, had ? i64(c, a->filed) : str(c, nr));
        push(c, row, has ? i64(c, b->filed) : str(c, nr));
        push(c, row, had && has ? i64(c, b->filed - a->filed) : str(c, "—"));
        push(c, row, had ? amount(c, a->amount) : str(c, nr));
        push(c, row, has ? amount(c, b->amount) : str(c, nr));
        push(c, row, had && has ? amount(c, b->amount - a->amount) : str(c, "—"));
        push(c, rows, row);
    }
    report_context_rows_free(&rr);
    put(c, tables, "rounds", t);

    build_analysis_tables(c, tables);

    /* charts by unit */
    json_object *charts = chk(c, json_object_new_object());
    json_object *cu_chart = chart(c, HZ_M_CONSOLIDATE_CHART_CASES_BY_UNIT,
                                  HZ_M_CONSOLIDATE_L_FILED, 0);
    json_object *am_chart = chart(c, HZ_M_CONSOLIDATE_CHART_AMOUNT_BY_UNIT,
                                  HZ_M_CONSOLIDATE_L_AMOUNT, c->decimals);
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        if (cu->file == HZ_NONE_INDEX) { /* no bar: null value, the label says 未报 */
            char label[256];
            snprintf(label, sizeof label, "%s（%s）", unit_short(cu->unit),
                     L(c, HZ_M_CONSOLIDATE_L_NOT_REPORTED));
            chart_add_missing(c, cu_chart, label);
            chart_add_missing(c, am_chart, label);
            continue;
        }
        chart_add_int(c, cu_chart, unit_short(cu->unit), cu->cases.filed);
        chart_add_amount(c, am_chart, unit_short(cu->unit), cu->cases.amount);
    }
    put(c, charts, "cases_by_unit", cu_chart);
    put(c, charts, "amount_by_unit", am_chart);
    put(c, charts, "cases_by_phase", ch_phase);
    *charts_out = charts;
    return tables;
}

static json_object *build_files(ctx *c)
{
    const hz_consolidation *cons = c->cons;
    json_object *files = chk(c, json_object_new_array());
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        json_object *o = chk(c, json_object_new_object());
        char reason[512] = "";
        if (f->reason != HZ_M_NONE)
            hz_msg_formatv(c->lang, f->reason, reason, sizeof reason,
                           f->reason_arg ? f->reason_arg : "", NULL);
        put(c, o, "file", str(c, f->name));
        put(c, o, "status", str(c, display_format_file_status_name(f->status)));
        put(c, o, "status_text", str(c, display_format_file_status_text(f->status, c->lang)));
        put(c, o, "reason", str(c, reason));
        put(c, o, "unit", str(c, f->unit != HZ_NONE_INDEX ? cons->units[f->unit].unit->code : ""));
        put(c, o, "version", i64(c, f->version));
        put(c, o, "sha256", str(c, f->check ? f->check->sub.sha256 : ""));
        put(c, o, "errors", i64(c, f->check ? (int64_t)f->check->counts.errors : 0));
        put(c, o, "warnings", i64(c, f->check ? (int64_t)f->check->counts.warnings : 0));
        push(c, files, o);
    }
    return files;
}

json_object *report_context_json(const hz_consolidation *cons, hz_lang lang, hz_date as_of,
                                 bool final)
{
    const hz_config *config = cons->config;
    ctx c = {.cons = cons, .config = config, .lang = lang,
             .decimals = config->report.amount_decimals, .ok = true};
    if (c.decimals < 0 || c.decimals > 4)
        c.decimals = 2;
    char buf[256];
    json_object *root = chk(&c, json_object_new_object());

    json_object *campaign = chk(&c, json_object_new_object());
    put(&c, campaign, "name", str(&c, config->name));
    put(&c, campaign, "authority", str(&c, config->authority));
    put(&c, campaign, "year", i64(&c, config->year));
    put(&c, campaign, "section", str(&c, config->section));
    put(&c, root, "campaign", campaign);

    json_object *report = chk(&c, json_object_new_object());
    put(&c, report, "title", str(&c, config->report.title));
    put(&c, report, "recipient", str(&c, config->report.recipient));
    put(&c, report, "signature", str(&c, config->report.signature));
    put(&c, report, "date", str(&c, hz_date_format(as_of, buf, sizeof buf)));
    put(&c, report, "date_zh", str(&c, hz_date_format_zh(as_of, buf, sizeof buf)));
    put(&c, report, "round_name", str(&c, cons->round->name));
    put(&c, report, "final", chk(&c, json_object_new_boolean(final)));
    put(&c, root, "report", report);

    json_object *round = chk(&c, json_object_new_object());
    put(&c, round, "id", str(&c, final ? "final" : cons->round->id));
    put(&c, round, "round_id", str(&c, cons->round->id));
    put(&c, round, "name", str(&c, cons->round->name));
    put(&c, round, "deadline", str(&c, hz_date_format(cons->round->deadline, buf, sizeof buf)));
    put(&c, round, "deadline_zh",
        str(&c, hz_date_format_zh(cons->round->deadline, buf, sizeof buf)));
    put(&c, round, "effective_deadline",
        str(&c, hz_date_format(cons->deadline, buf, sizeof buf)));
    put(&c, root, "round", round);

    put(&c, root, "city", build_city(&c));
    put(&c, root, "units", build_units(&c));

    json_object *late = chk(&c, json_object_new_array());
    json_object *missing = chk(&c, json_object_new_array());
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        if (cu->receipt == HZ_RECEIPT_LATE) {
            json_object *o = chk(&c, json_object_new_object());
            put(&c, o, "short_name", str(&c, unit_short(cu->unit)));
            put(&c, o, "days_late", i64(&c, cu->days_late));
            push(&c, late, o);
        } else if (cu->receipt == HZ_RECEIPT_MISSING) {
            json_object *o = chk(&c, json_object_new_object());
            put(&c, o, "short_name", str(&c, unit_short(cu->unit)));
            push(&c, missing, o);
        }
    }
    put(&c, root, "late_units", late);
    put(&c, root, "missing_units", missing);

    json_object *sup = chk(&c, json_object_new_array());
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status != HZ_FILE_SUPERSEDED || f->unit == HZ_NONE_INDEX)
            continue;
        json_object *o = chk(&c, json_object_new_object());
        put(&c, o, "short_name", str(&c, unit_short(cons->units[f->unit].unit)));
        put(&c, o, "file", str(&c, f->name));
        put(&c, o, "version", i64(&c, f->version));
        push(&c, sup, o);
    }
    put(&c, root, "superseded", sup);

    json_object *typical = chk(&c, json_object_new_array());
    report_rows rr = rows_of(&c, REPORT_TABLE_TYPICAL);
    for (size_t i = 0; i < rr.count; i++) {
        const hz_cons_case *cc = &cons->cases[rr.items[i].index];
        json_object *o = chk(&c, json_object_new_object());
        put(&c, o, "unit", str(&c, unit_short(cons->units[cc->unit].unit)));
        put(&c, o, "case_no", str(&c, cc->c->case_no));
        put(&c, o, "name", str(&c, cc->c->name));
        put(&c, o, "summary", str(&c, cc->c->typical_summary));
        push(&c, typical, o);
    }
    report_context_rows_free(&rr);
    put(&c, root, "typical_cases", typical);
    put(&c, root, "problems", build_narrative_list(&c, HZ_N_PROBLEMS));
    put(&c, root, "next_steps", build_narrative_list(&c, HZ_N_NEXT));

    json_object *phases = chk(&c, json_object_new_array());
    rr = rows_of(&c, REPORT_TABLE_PHASE);
    for (size_t i = 0; i < rr.count; i++) {
        const report_row *r = &rr.items[i];
        if (r->kind == REPORT_ROW_TOTAL)
            continue;
        const hz_case_figures *f = &cons->by_phase[r->index];
        json_object *o = chk(&c, json_object_new_object());
        put(&c, o, "name", str(&c, phase_name(&c, r)));
        put(&c, o, "period",
            str(&c, display_format_phase_period(config, r->index, lang, buf, sizeof buf)));
        put(&c, o, "cases_filed", i64(&c, f->filed));
        put(&c, o, "amount", amount(&c, f->amount));
        push(&c, phases, o);
    }
    report_context_rows_free(&rr);
    put(&c, root, "phases", phases);

    const hz_consolidation *st = cons->stage;
    put(&c, root, "has_stage", chk(&c, json_object_new_boolean(st != NULL)));
    json_object *stage = chk(&c, json_object_new_object());
    put(&c, stage, "round_name", str(&c, st ? st->round->name : ""));
    put(&c, stage, "cases_filed", i64(&c, st ? st->total.filed : 0));
    put(&c, stage, "amount", amount(&c, st ? st->total.amount : 0));
    put(&c, stage, "cases_increment", i64(&c, st ? cons->total.filed - st->total.filed : 0));
    put(&c, stage, "amount_increment",
        amount(&c, st ? cons->total.amount - st->total.amount : 0));
    put(&c, root, "stage", stage);
    build_analysis(&c, root, stage);

    json_object *charts = NULL;
    put(&c, root, "tables", build_tables(&c, &charts));
    put(&c, root, "charts", charts);
    put(&c, root, "files", build_files(&c));

    if (!c.ok) {
        json_object_put(root);
        return NULL;
    }
    return root;
}

json_object *report_context_issues_json(const hz_consolidation *cons, hz_lang lang)
{
    ctx c = {.cons = cons, .config = cons->config, .lang = lang, .decimals = 2, .ok = true};
    json_object *root = chk(&c, json_object_new_object());
    json_object *list = chk(&c, json_object_new_array());
    char buf[2048];
    for (size_t i = 0; i < cons->issues.count; i++) {
        const hz_issue *is = &cons->issues.items[i];
        json_object *o = chk(&c, json_object_new_object());
        put(&c, o, "file", str(&c, is->file));
        put(&c, o, "sheet", str(&c, is->sheet));
        put(&c, o, "cell", str(&c, is->cell));
        put(&c, o, "field", str(&c, is->field));
        put(&c, o, "rule", str(&c, is->rule));
        put(&c, o, "severity", str(&c, issue_severity_name(is->severity)));
        put(&c, o, "explained", chk(&c, json_object_new_boolean(is->explained)));
        put(&c, o, "found", str(&c, is->found));
        put(&c, o, "expected", str(&c, is->expected));
        put(&c, o, "message", str(&c, issue_render(is, lang, buf, sizeof buf)));
        push(&c, list, o);
    }
    hz_issue_counts n = issue_list_count(&cons->issues);
    json_object *counts = chk(&c, json_object_new_object());
    put(&c, counts, "errors", i64(&c, (int64_t)n.errors));
    put(&c, counts, "warnings", i64(&c, (int64_t)n.warnings));
    put(&c, counts, "explained", i64(&c, (int64_t)n.explained));
    put(&c, counts, "notices", i64(&c, (int64_t)n.notices));
    put(&c, root, "valid", chk(&c, json_object_new_boolean(n.errors == 0)));
    put(&c, root, "counts", counts);
    put(&c, root, "issues", list);
    if (!c.ok) {
        json_object_put(root);
        return NULL;
    }
    return root;
}

hz_status report_context_save(json_object *context, const char *path, hz_error *err)
{
    const char *text = json_object_to_json_string_ext(
        context, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!text)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    /* workbook texts and file names are untrusted: bidi and control
     * characters stay escaped in the file (DESIGN §9) */
    char *safe = hz_json_escape_unsafe(text);
    if (!safe)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    size_t n = strlen(safe);
    char *buf = realloc(safe, n + 2);
    if (!buf) {
        free(safe);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    buf[n] = '\n';
    hz_status s = fs_write_atomic(path, buf, n + 1, err);
    free(buf);
    return s;
}

hz_status report_context_load(const char *path, json_object **out, hz_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    hz_status s = fs_read_file(path, &text, &len, err);
    if (s != HZ_OK)
        return s;
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        free(text);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    bool trailing_ok = true;
    for (size_t i = used; i < len; i++)
        if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
            trailing_ok = false;
    free(text);
    json_object *campaign = NULL, *city = NULL;
    if (!obj || jerr != json_tokener_success || !trailing_ok ||
        !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, "campaign", &campaign) ||
        !json_object_object_get_ex(obj, "city", &city)) {
        json_object_put(obj);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_CONSOLIDATE_JSON_BAD, fs_base_name(path),
                            NULL);
    }
    *out = obj;
    return HZ_OK;
}
