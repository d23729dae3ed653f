/* render_xlsx.c - the city workbook; see render_xlsx.h. */
#include "render_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>
#include <xlsxwriter.h>
#include "analysis.h"
#include "deflate_chunks.h"
#include "display_format.h"
#include "fsutil.h"
#include "hz_text.h"
#include "report_context.h"
#include "xlsx_stream.h"
#include "zip_writer.h"

#define PRINT_MARGIN_IN 0.6 /* left and right print margins, inches */
#define PRINT_MIN_SCALE 70 /* never printed smaller than this, percent */
#define MAX_COLS 64
#define MAX_WIDTH 60.0
/* hz_amount is fixed point with 4 decimals: the fast writer formats it
 * as a decimal of that many digits */
#define AMOUNT_SCALE_DIGITS 4
/* the longest text libxlsxwriter writes into a cell (LXW_STR_MAX of its
 * worksheet.c, bytes): longer fails the workbook, as it did before */
#define XLSX_STRING_MAX 32767
_Static_assert(HZ_AMOUNT_SCALE == 10000, "AMOUNT_SCALE_DIGITS follows HZ_AMOUNT_SCALE");

typedef struct writer {
    lxw_workbook *wb;
    const hz_consolidation *cons;
    const hz_config *config;
    int decimals;
    lxw_error error;           /* first libxlsxwriter error */
    lxw_format *title, *head, *text, *wrap, *count, *amount, *date, *percent;
    lxw_format *total_text, *total_count, *total_amount;
    lxw_format *seq, *code;    /* 序号 and 单位代码, centred so they read apart */
    struct fast_sheets *fast;  /* the sheets of the fast writer (案件明细 …) */
} writer;

typedef struct sheet {
    writer *w;
    lxw_worksheet *ws;
    const char *name;
    double width[MAX_COLS];
    lxw_col_t cols;            /* columns written */
} sheet;

static const char *Z(hz_msg_id id)
{
    return hz_msg_text(HZ_LANG_ZH, id);
}

static void note_error(writer *w, lxw_error e)
{
    if (e != LXW_NO_ERROR && w->error == LXW_NO_ERROR)
        w->error = e;
}

/* Display width of text in Excel character units: CJK and other wide
 * characters count two. */
static double text_width(const char *text)
{
    double w = 0;
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0)
            break;
        if (cp == '\n')
            continue;
        w += cp >= 0x1100 ? 2.0 : 1.0;
    }
    return w;
}

static void fit(sheet *s, lxw_col_t col, double w)
{
    if (col + 1 > s->cols)
        s->cols = col + 1;
    if (col < MAX_COLS && w > s->width[col])
        s->width[col] = w > MAX_WIDTH ? MAX_WIDTH : w;
}

static void put_str(sheet *s, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *f)
{
    if (!text || !*text) {
        if (f)
            note_error(s->w, worksheet_write_blank(s->ws, row, col, f));
        return;
    }
    note_error(s->w, worksheet_write_string(s->ws, row, col, text, f ? f : s->w->text));
    fit(s, col, text_width(text));
}

static void put_num(sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *f)
{
    note_error(s->w, worksheet_write_number(s->ws, row, col, v, f));
    /* the width of "%.2f" of v, counted without snprintf: this runs for
     * every number cell (millions at province scale, see bench/) */
    double a = v < 0 ? -v : v;
    double width = v < 0 ? 4 : 3; /* sign, point and two decimals */
    if (a >= 1e15) {
        char buf[64];
        width = (double)snprintf(buf, sizeof buf, "%.2f", v);
    } else {
        for (double p = 10; p <= a + 0.005; p *= 10)
            width++;
        width++; /* the first integer digit */
    }
    fit(s, col, width + 2);
}

static void put_count(sheet *s, lxw_row_t row, lxw_col_t col, int64_t v, bool total)
{
    put_num(s, row, col, (double)v, total ? s->w->total_count : s->w->count);
}

static void put_amount(sheet *s, lxw_row_t row, lxw_col_t col, hz_amount v, bool total)
{
    put_num(s, row, col, hz_amount_to_double(v), total ? s->w->total_amount : s->w->amount);
}

static void put_date(sheet *s, lxw_row_t row, lxw_col_t col, hz_date d)
{
    if (d == HZ_DATE_NONE)
        return;
    note_error(s->w, worksheet_write_number(s->ws, row, col, hz_date_to_serial(d), s->w->date));
    fit(s, col, 11);
}

static void put_head(sheet *s, lxw_row_t row, const char *const *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        note_error(s->w, worksheet_write_string(s->ws, row, (lxw_col_t)i, labels[i], s->w->head));
        /* headers wrap; count half their width so long labels do not make
         * every numeric column enormous */
        double w = text_width(labels[i]);
        fit(s, (lxw_col_t)i, w > 16 ? w / 2 + 2 : w + 2);
    }
}

static bool sheet_open(writer *w, sheet *s, hz_msg_id name_id)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->name = Z(name_id);
    s->ws = workbook_add_worksheet(w->wb, s->name);
    if (!s->ws) {
        note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return false;
    }
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_set_margins(s->ws, PRINT_MARGIN_IN, PRINT_MARGIN_IN, 0.8, 0.8);
    note_error(w, worksheet_set_footer(s->ws, "&C&P / &N"));
    return true;
}

/* Printed width in mm of a column of Excel width w (characters of the
 * default font: 7 px each plus 5 px padding, at 96 px per inch). */
static double column_mm(double w)
{
    return (w * 7 + 5) * 25.4 / 96;
}

/* Header row hrow and the id_cols identity columns (序号, unit code and
 * name) frozen and repeated on every printed page; column widths from
 * content. A4 portrait when the columns fit its width, else landscape:
 * at 100 %, scaled down to fit one page wide when that keeps at least
 * 70 %, else across several pages at 100 % (never shrunk to unreadable). */
static void sheet_finish(sheet *s, lxw_row_t hrow, lxw_col_t id_cols)
{
    worksheet_freeze_panes(s->ws, hrow + 1, id_cols);
    note_error(s->w, worksheet_repeat_rows(s->ws, hrow, hrow));
    if (id_cols > 0)
        note_error(s->w, worksheet_repeat_columns(s->ws, 0, id_cols - 1));
    double total = 0;
    for (lxw_col_t c = 0; c < s->cols && c < MAX_COLS; c++) {
        double w = s->width[c] > 0 ? s->width[c] + 1.5 : LXW_DEF_COL_WIDTH;
        if (s->width[c] > 0)
            note_error(s->w, worksheet_set_column(s->ws, c, c, w, NULL));
        total += column_mm(w);
    }
    double margins = 2 * PRINT_MARGIN_IN * 25.4;
    double portrait = 210 - margins, landscape = 297 - margins;
    if (total <= portrait)
        return;
    worksheet_set_landscape(s->ws);
    if (total > landscape && total * PRINT_MIN_SCALE / 100.0 <= landscape)
        worksheet_set_print_scale(s->ws, (uint16_t)(landscape / total * 100));
}

static const char *unit_short(const hz_unit *u)
{
    return u->short_name && u->short_name[0] ? u->short_name : u->name;
}

static void figures_cols(sheet *s, lxw_row_t row, lxw_col_t col, const hz_case_figures *f,
                         bool total)
{
    put_count(s, row, col++, f->filed, total);
    put_count(s, row, col++, f->closed, total);
    put_amount(s, row, col++, f->amount, total);
    put_amount(s, row, col++, f->fine, total);
    put_count(s, row, col++, f->transferred, total);
    put_count(s, row, col++, f->key_market, total);
    put_count(s, row, col++, f->rural, total);
    put_count(s, row, col, f->typical, total);
}

#define FIGURE_COLS 8
static const hz_msg_id figure_heads[FIGURE_COLS] = {
    HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_CLOSED, HZ_M_CONSOLIDATE_L_AMOUNT,
    HZ_M_CONSOLIDATE_L_FINE, HZ_M_CONSOLIDATE_L_TRANSFERRED, HZ_M_CONSOLIDATE_L_KEY_MARKET,
    HZ_M_CONSOLIDATE_L_RURAL, HZ_M_CONSOLIDATE_L_TYPICAL,
};

/* The rows of a table as the report context decides them (which rows,
 * their order, ranks), so that the workbook and the PDF cannot disagree;
 * false, with the writer's error set, when memory runs out. */
static bool table_rows(writer *w, report_table table, report_rows *rows)
{
    if (report_context_rows(w->cons, table, rows, NULL) == HZ_OK)
        return true;
    note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return false;
}

/* ------------------------------------------------------------- 汇总 */

static void sheet_summary(writer *w, hz_date as_of)
{
    const hz_consolidation *cons = w->cons;
    const hz_config *config = w->config;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_SUMMARY))
        return;
    char buf[512];
    snprintf(buf, sizeof buf, "%s（%s）", config->report.title, cons->round->name);
    note_error(w, worksheet_write_string(s.ws, 0, 0, buf, w->title));
    const char *head[] = {Z(HZ_M_CONSOLIDATE_L_ITEM), Z(HZ_M_CONSOLIDATE_L_VALUE),
                          Z(HZ_M_CONSOLIDATE_L_UOM), Z(HZ_M_CONSOLIDATE_L_IND_CODE),
                          Z(HZ_M_CONSOLIDATE_L_MEASURE), Z(HZ_M_CONSOLIDATE_L_UNITS_ENTERED)};
    lxw_row_t r = 2;
    put_head(&s, r, head, 6);
    r++;
    put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_AS_OF), NULL);
    put_date(&s, r++, 1, as_of);
    put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_DEADLINE), NULL);
    put_date(&s, r++, 1, cons->deadline);
    struct { hz_msg_id label; size_t v; } units[] = {
        {HZ_M_CONSOLIDATE_L_EXPECTED_UNITS, cons->unit_count},
        {HZ_M_CONSOLIDATE_L_ACCEPTED_UNITS, cons->accepted_units},
        {HZ_M_CONSOLIDATE_L_LATE_UNITS, cons->late_units},
        {HZ_M_CONSOLIDATE_L_MISSING_UNITS, cons->missing_units},
    };
    for (size_t i = 0; i < 4; i++) {
        put_str(&s, r, 0, Z(units[i].label), NULL);
        put_count(&s, r++, 1, (int64_t)units[i].v, false);
    }
    put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_COMPLETENESS), NULL);
    if (cons->unit_count)
        put_num(&s, r, 1, (double)cons->accepted_units / (double)cons->unit_count, w->percent);
    r++;
    put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_TIMELINESS), NULL);
    if (cons->unit_count)
        put_num(&s, r, 1, (double)cons->on_time_units / (double)cons->unit_count, w->percent);
    r++;
    for (size_t i = 0; i < FIGURE_COLS; i++) {
        put_str(&s, r, 0, Z(figure_heads[i]), NULL);
        const hz_case_figures *f = &cons->total;
        switch (i) {
        case 0: put_count(&s, r, 1, f->filed, false); break;
        case 1: put_count(&s, r, 1, f->closed, false); break;
        case 2: put_amount(&s, r, 1, f->amount, false); break;
        case 3: put_amount(&s, r, 1, f->fine, false); break;
        case 4: put_count(&s, r, 1, f->transferred, false); break;
        case 5: put_count(&s, r, 1, f->key_market, false); break;
        case 6: put_count(&s, r, 1, f->rural, false); break;
        default: put_count(&s, r, 1, f->typical, false); break;
        }
        r++;
    }
    /* indicators, grouped by measure in config order */
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_INDICATORS, &rows))
        return;
    for (size_t k = 0; k < rows.count; k++) {
        size_t i = rows.items[k].index;
        const hz_indicator *ind = &config->indicators[i];
        size_t entered = 0;
        for (size_t u = 0; u < cons->unit_count; u++)
            entered += cons->units[u].present[i];
        put_str(&s, r, 0, ind->name, NULL);
        if (cons->present[i]) {
            if (ind->type == HZ_VALUE_AMOUNT)
                put_amount(&s, r, 1, cons->values[i], false);
            else
                put_num(&s, r, 1, hz_amount_to_double(cons->values[i]), w->count);
        }
        put_str(&s, r, 2, ind->uom, NULL);
        put_str(&s, r, 3, ind->code, NULL);
        /* each measure named once, on the first row of its group ("一 …";
         * 工作要求 is its own name) */
        const char *mname = display_format_measure_name(ind->measure, HZ_LANG_ZH);
        bool first_of_measure = i == 0 || strcmp(config->indicators[i - 1].measure, ind->measure);
        if (!mname || !*mname || !strcmp(mname, ind->measure))
            snprintf(buf, sizeof buf, "%s", ind->measure);
        else
            snprintf(buf, sizeof buf, "%s %s", ind->measure, mname);
        put_str(&s, r, 4, first_of_measure ? buf : "", first_of_measure ? NULL : w->text);
        put_count(&s, r, 5, (int64_t)entered, false);
        r++;
    }
    report_context_rows_free(&rows);
    sheet_finish(&s, 2, 0);
}

/* ------------------------------------------------------------- 分单位 */

static void sheet_units(writer *w)
{
    const hz_consolidation *cons = w->cons;
    const hz_config *config = w->config;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_UNITS))
        return;
    size_t fixed = 4 + FIGURE_COLS + 1;
    size_t ncols = fixed + config->indicator_count;
    const char **head = calloc(ncols, sizeof *head);
    char **ind_labels = calloc(config->indicator_count + 1, sizeof *ind_labels);
    if (!head || !ind_labels) {
        free(head);
        free(ind_labels);
        note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    head[0] = Z(HZ_M_CONSOLIDATE_L_SEQ);
    head[1] = Z(HZ_M_CONSOLIDATE_L_UNIT_CODE);
    head[2] = Z(HZ_M_CONSOLIDATE_L_UNIT);
    head[3] = Z(HZ_M_CONSOLIDATE_L_STATUS);
    for (size_t i = 0; i < FIGURE_COLS; i++)
        head[4 + i] = Z(figure_heads[i]);
    head[4 + FIGURE_COLS] = Z(HZ_M_CONSOLIDATE_L_JOINT_ASSISTED);
    for (size_t i = 0; i < config->indicator_count; i++) {
        const hz_indicator *ind = &config->indicators[i];
        size_t n = strlen(ind->code) + strlen(ind->name) + strlen(ind->uom) + 16;
        ind_labels[i] = malloc(n);
        if (ind_labels[i])
            snprintf(ind_labels[i], n, "%s %s（%s）", ind->code, ind->name, ind->uom);
        head[fixed + i] = ind_labels[i] ? ind_labels[i] : ind->code;
    }
    put_head(&s, 0, head, ncols);
    char buf[128];
    lxw_row_t r = 1;
    report_rows rows = {0};
    bool have_rows = table_rows(w, REPORT_TABLE_UNITS, &rows);
    for (size_t k = 0; k < rows.count && rows.items[k].kind == REPORT_ROW_ITEM; k++, r++) {
        size_t u = rows.items[k].index;
        const hz_cons_unit *cu = &cons->units[u];
        put_num(&s, r, 0, (double)u + 1, w->seq);
        put_str(&s, r, 1, cu->unit->code, w->code);
        put_str(&s, r, 2, unit_short(cu->unit), NULL);
        put_str(&s, r, 3, display_format_unit_status_text(cu, HZ_LANG_ZH, buf, sizeof buf), NULL);
        if (!rows.items[k].reported)
            continue; /* 未报送: its figure cells stay empty, never 0 */
        figures_cols(&s, r, 4, &cu->cases, false);
        put_count(&s, r, (lxw_col_t)(4 + FIGURE_COLS), cu->joint_assisted, false);
        for (size_t i = 0; i < config->indicator_count; i++) {
            if (!cu->present[i])
                continue;
            lxw_col_t c = (lxw_col_t)(fixed + i);
            if (config->indicators[i].type == HZ_VALUE_AMOUNT)
                put_amount(&s, r, c, cu->values[i], false);
            else
                put_num(&s, r, c, hz_amount_to_double(cu->values[i]), w->count);
        }
    }
    report_context_rows_free(&rows);
    lxw_row_t total_row = r;
    put_str(&s, r, 0, "", w->total_text);
    put_str(&s, r, 1, "", w->total_text);
    put_str(&s, r, 2, Z(HZ_M_CONSOLIDATE_L_TOTAL), w->total_text);
    put_str(&s, r, 3, "", w->total_text);
    figures_cols(&s, r, 4, &cons->total, true);
    int64_t joint = 0;
    for (size_t u = 0; u < cons->unit_count; u++)
        joint += cons->units[u].joint_assisted;
    put_count(&s, r, (lxw_col_t)(4 + FIGURE_COLS), joint, true);
    for (size_t i = 0; i < config->indicator_count; i++) {
        lxw_col_t c = (lxw_col_t)(fixed + i);
        if (!cons->present[i]) {
            put_str(&s, r, c, "", w->total_text);
            continue;
        }
        if (config->indicators[i].type == HZ_VALUE_AMOUNT)
            put_amount(&s, r, c, cons->values[i], true);
        else
            put_num(&s, r, c, hz_amount_to_double(cons->values[i]), w->total_count);
    }
    /* indicator columns: narrower, their headers wrap */
    for (size_t i = 0; i < config->indicator_count && fixed + i < MAX_COLS; i++)
        s.width[fixed + i] = 12.5;
    sheet_finish(&s, 0, 3);
    note_error(w, worksheet_set_row(s.ws, 0, 48, NULL));

    /* charts of cases and amounts by unit, below the table */
    if (have_rows && cons->unit_count > 0) {
        struct { hz_msg_id title, axis; lxw_col_t col; } spec[2] = {
            {HZ_M_CONSOLIDATE_CHART_CASES_BY_UNIT, HZ_M_CONSOLIDATE_L_FILED, 4},
            {HZ_M_CONSOLIDATE_CHART_AMOUNT_BY_UNIT, HZ_M_CONSOLIDATE_L_AMOUNT, 6},
        };
        for (int k = 0; k < 2; k++) {
            lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
            if (!chart) {
                note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
                break;
            }
            lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
            if (!series) {
                note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
                break;
            }
            chart_series_set_categories(series, s.name, 1, 2, total_row - 1, 2);
            chart_series_set_values(series, s.name, 1, spec[k].col, total_row - 1, spec[k].col);
            chart_series_set_labels(series);
            chart_title_set_name(chart, Z(spec[k].title));
            chart_axis_set_name(chart->y_axis, Z(spec[k].axis));
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
            lxw_chart_options opt = {.x_scale = 1.2, .y_scale = 1.1};
            note_error(w, worksheet_insert_chart_opt(s.ws, total_row + 2 + (lxw_row_t)k * 18, 1,
                                                     chart, &opt));
        }
    }
    for (size_t i = 0; i < config->indicator_count; i++)
        free(ind_labels[i]);
    free(ind_labels);
    free(head);
}

/* ------------------------------------------------------------- 分类别 */

static lxw_row_t figures_block(writer *w, sheet *s, lxw_row_t r, hz_msg_id first,
                               report_table table, const hz_list *labels,
                               const hz_case_figures *figs)
{
    const char *head[1 + FIGURE_COLS];
    head[0] = Z(first);
    for (size_t i = 0; i < FIGURE_COLS; i++)
        head[1 + i] = Z(figure_heads[i]);
    put_head(s, r++, head, 1 + FIGURE_COLS);
    report_rows rows;
    if (!table_rows(w, table, &rows))
        return r;
    for (size_t k = 0; k < rows.count; k++) {
        const report_row *row = &rows.items[k];
        if (row->kind == REPORT_ROW_TOTAL) {
            put_str(s, r, 0, Z(HZ_M_CONSOLIDATE_L_TOTAL), w->total_text);
            figures_cols(s, r++, 1, &w->cons->total, true);
            continue;
        }
        put_str(s, r, 0, row->kind == REPORT_ROW_ITEM ? labels->items[row->index]
                                                      : Z(HZ_M_CONSOLIDATE_L_OTHER),
                NULL);
        figures_cols(s, r++, 1, &figs[row->index], false);
    }
    report_context_rows_free(&rows);
    return r;
}

static void sheet_category(writer *w)
{
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_CATEGORY))
        return;
    const hz_config *config = w->config;
    lxw_row_t r = figures_block(w, &s, 0, HZ_M_CONSOLIDATE_L_CATEGORY, REPORT_TABLE_CATEGORY,
                                &config->case_categories, w->cons->by_category);
    r = figures_block(w, &s, r + 1, HZ_M_CONSOLIDATE_L_COMMODITY, REPORT_TABLE_COMMODITY,
                      &config->commodities, w->cons->by_commodity);
    figures_block(w, &s, r + 1, HZ_M_CONSOLIDATE_L_CHANNEL, REPORT_TABLE_CHANNEL,
                  &config->channels, w->cons->by_channel);
    sheet_finish(&s, 0, 1);
    note_error(w, worksheet_set_row(s.ws, 0, 36, NULL));
}

/* ------------------------------------------------------------- 分阶段 */

static void sheet_phase(writer *w)
{
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_PHASE))
        return;
    const hz_config *config = w->config;
    const char *head[3 + FIGURE_COLS];
    head[0] = Z(HZ_M_CONSOLIDATE_L_PHASE);
    head[1] = Z(HZ_M_CONSOLIDATE_L_PERIOD);
    head[2] = "";
    for (size_t i = 0; i < FIGURE_COLS; i++)
        head[3 + i] = Z(figure_heads[i]);
    put_head(&s, 0, head, 3 + FIGURE_COLS);
    lxw_row_t r = 1;
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_PHASE, &rows))
        return;
    for (size_t k = 0; k < rows.count; k++) {
        const report_row *row = &rows.items[k];
        size_t p = row->index;
        if (row->kind == REPORT_ROW_TOTAL) {
            put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_TOTAL), w->total_text);
            put_str(&s, r, 1, "", w->total_text);
            put_str(&s, r, 2, "", w->total_text);
            figures_cols(&s, r, 3, &w->cons->total, true);
            continue;
        }
        if (row->kind == REPORT_ROW_ITEM) {
            put_str(&s, r, 0, config->phases[p].name, NULL);
            put_date(&s, r, 1, config->phases[p].first);
            put_date(&s, r, 2, config->phases[p].last);
        } else {
            put_str(&s, r, 0, Z(HZ_M_CONSOLIDATE_L_OUTSIDE_PHASE), NULL);
        }
        figures_cols(&s, r++, 3, &w->cons->by_phase[p], false);
    }
    report_context_rows_free(&rows);
    sheet_finish(&s, 0, 1);
    note_error(w, worksheet_set_row(s.ws, 0, 36, NULL));
}

/* ------------------------------------------------------------- 分轮次 */

/* Fraction (cur - prev) / prev as a percent cell; blank when prev is 0. */
static void put_growth(sheet *s, lxw_row_t row, lxw_col_t col, double cur, double prev)
{
    if (prev > 1e-12 || prev < -1e-12)
        put_num(s, row, col, (cur - prev) / prev, s->w->percent);
    else
        put_str(s, row, col, "", s->w->text);
}

static void put_figure(sheet *s, lxw_row_t row, lxw_col_t col, const hz_case_figures *f,
                       hz_figure fig, bool total)
{
    if (fig == HZ_FIG_AMOUNT || fig == HZ_FIG_FINE)
        put_amount(s, row, col, fig == HZ_FIG_AMOUNT ? f->amount : f->fine, total);
    else
        put_count(s, row, col, (int64_t)analysis_figure_value(f, fig), total);
}

static void sheet_rounds(writer *w)
{
    const hz_consolidation *cons = w->cons;
    const hz_consolidation *st = cons->stage;
    const hz_config *config = w->config;
    const hz_previous *prev = cons->analysis ? cons->analysis->previous : NULL;
    if (!st && !prev)
        return;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_ANALYSIS_SHEET_ROUNDS))
        return;
    note_error(w, worksheet_write_string(s.ws, 0, 0, Z(HZ_M_ANALYSIS_ROUNDS_NOTE), NULL));
    static const hz_figure figs[] = {HZ_FIG_FILED, HZ_FIG_CLOSED, HZ_FIG_AMOUNT, HZ_FIG_FINE,
                                     HZ_FIG_TRANSFERRED, HZ_FIG_TYPICAL};
    static const hz_msg_id fig_label[] = {
        HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_CLOSED, HZ_M_CONSOLIDATE_L_AMOUNT,
        HZ_M_CONSOLIDATE_L_FINE, HZ_M_CONSOLIDATE_L_TRANSFERRED, HZ_M_CONSOLIDATE_L_TYPICAL};
    enum { NF = 6 };
    /* per figure: [stage, this round, increment] when st, [last year,
     * year on year] when prev */
    size_t per = (st ? 3 : 0) + (prev ? 2 : 0);
    size_t ncols = 3 + NF * per;
    char labels[3 + NF * 5][160];
    const char *head[3 + NF * 5];
    head[0] = Z(HZ_M_CONSOLIDATE_L_UNIT_CODE);
    head[1] = Z(HZ_M_CONSOLIDATE_L_UNIT);
    head[2] = Z(HZ_M_CONSOLIDATE_L_STATUS);
    size_t h = 3;
    for (int k = 0; k < NF; k++) {
        const char *sub[5];
        size_t n = 0;
        if (st) {
            sub[n++] = st->round->name;
            sub[n++] = cons->round->name;
            sub[n++] = Z(HZ_M_CONSOLIDATE_L_INCREMENT);
        }
        if (prev) {
            sub[n++] = Z(HZ_M_ANALYSIS_L_PREVIOUS);
            sub[n++] = Z(HZ_M_ANALYSIS_L_GROWTH);
        }
        for (size_t i = 0; i < n; i++, h++) {
            snprintf(labels[h], sizeof labels[h], "%s\n%s", Z(fig_label[k]), sub[i]);
            head[h] = labels[h];
        }
    }
    lxw_row_t hrow = 2;
    put_head(&s, hrow, head, ncols);
    lxw_row_t r = hrow + 1;
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_UNITS, &rows))
        return;
    for (size_t k = 0; k < rows.count; k++, r++) {
        size_t u = rows.items[k].index;
        bool tot = rows.items[k].kind == REPORT_ROW_TOTAL;
        const hz_case_figures *now = tot ? &cons->total : &cons->units[u].cases;
        const hz_case_figures *was = !st ? NULL : tot ? &st->total : &st->units[u].cases;
        const hz_case_figures *last = !prev ? NULL : tot ? prev->total : &prev->units[u];
        bool have_last = prev && (tot || prev->unit_found[u]);
        put_str(&s, r, 0, tot ? "" : cons->units[u].unit->code, tot ? w->total_text : NULL);
        put_str(&s, r, 1, tot ? Z(HZ_M_CONSOLIDATE_L_TOTAL) : unit_short(cons->units[u].unit),
                tot ? w->total_text : NULL);
        /* a round the unit did not report leaves its cells empty (未报送) */
        bool has = rows.items[k].reported, had = rows.items[k].stage_reported;
        char status[160] = "";
        if (!tot && !has)
            snprintf(status, sizeof status, "%s", Z(HZ_M_CONSOLIDATE_STATUS_MISSING));
        else if (!tot && st && !had)
            snprintf(status, sizeof status, "%s%s", st->round->name,
                     Z(HZ_M_CONSOLIDATE_STATUS_MISSING));
        put_str(&s, r, 2, status, tot ? w->total_text : NULL);
        lxw_col_t c = 3;
        for (int k = 0; k < NF; k++) {
            hz_figure f = figs[k];
            if (st) {
                if (had)
                    put_figure(&s, r, c, was, f, tot);
                if (has)
                    put_figure(&s, r, c + 1, now, f, tot);
                if (had && has) {
                    hz_case_figures d = {
                        .filed = now->filed - was->filed, .closed = now->closed - was->closed,
                        .transferred = now->transferred - was->transferred,
                        .typical = now->typical - was->typical,
                        .amount = now->amount - was->amount, .fine = now->fine - was->fine};
                    put_figure(&s, r, c + 2, &d, f, tot);
                }
                c += 3;
            }
            if (prev) {
                if (have_last && has) {
                    put_figure(&s, r, c, last, f, tot);
                    put_growth(&s, r, c + 1, analysis_figure_value(now, f),
                               analysis_figure_value(last, f));
                } else if (have_last) {
                    put_figure(&s, r, c, last, f, tot);
                }
                c += 2;
            }
        }
    }
    report_context_rows_free(&rows);
    /* indicators below */
    r += 1;
    const char *ihead[9];
    size_t ni = 0;
    ihead[ni++] = Z(HZ_M_CONSOLIDATE_L_IND_CODE);
    ihead[ni++] = Z(HZ_M_CONSOLIDATE_L_IND_NAME);
    ihead[ni++] = Z(HZ_M_CONSOLIDATE_L_UOM);
    if (st) {
        ihead[ni++] = st->round->name;
        ihead[ni++] = cons->round->name;
        ihead[ni++] = Z(HZ_M_CONSOLIDATE_L_INCREMENT);
    } else {
        ihead[ni++] = cons->round->name;
    }
    if (prev) {
        ihead[ni++] = Z(HZ_M_ANALYSIS_L_PREVIOUS);
        ihead[ni++] = Z(HZ_M_ANALYSIS_L_GROWTH);
    }
    for (size_t i = 0; i < ni; i++)
        note_error(w, worksheet_write_string(s.ws, r, (lxw_col_t)i, ihead[i], w->head));
    r++;
    if (!table_rows(w, REPORT_TABLE_INDICATORS, &rows))
        return;
    for (size_t k = 0; k < rows.count; k++, r++) {
        size_t i = rows.items[k].index;
        const hz_indicator *ind = &config->indicators[i];
        lxw_format *nf = ind->type == HZ_VALUE_AMOUNT ? w->amount : w->count;
        put_str(&s, r, 0, ind->code, NULL);
        put_str(&s, r, 1, ind->name, NULL);
        put_str(&s, r, 2, ind->uom, NULL);
        lxw_col_t c = 3;
        if (st) {
            if (st->present[i])
                put_num(&s, r, c, hz_amount_to_double(st->values[i]), nf);
            c++;
        }
        if (cons->present[i])
            put_num(&s, r, c, hz_amount_to_double(cons->values[i]), nf);
        c++;
        if (st) {
            /* a stock indicator has no increment: the cell stays empty, a
             * numeric column holds only numbers (the sheet's note says why) */
            if (ind->over_rounds != HZ_AGG_STOCK && st->present[i] && cons->present[i])
                put_num(&s, r, c, hz_amount_to_double(cons->values[i] - st->values[i]), nf);
            c++;
        }
        if (prev && prev->present[i]) {
            put_num(&s, r, c, hz_amount_to_double(prev->values[i]), nf);
            if (cons->present[i])
                put_growth(&s, r, c + 1, hz_amount_to_double(cons->values[i]),
                           hz_amount_to_double(prev->values[i]));
        }
    }
    report_context_rows_free(&rows);
    sheet_finish(&s, hrow, 2);
    note_error(w, worksheet_set_row(s.ws, hrow, 48, NULL));
}

/* ------------------------------------------------------------- 考核 */

static void sheet_assessment(writer *w)
{
    const hz_consolidation *cons = w->cons;
    const hz_config *config = w->config;
    const hz_analysis *a = cons->analysis;
    if (!a || a->score_count == 0)
        return;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_ANALYSIS_SHEET_ASSESSMENT))
        return;
    const hz_assessment_weights *wt = &config->assessment;
    char part[4][128], num[32];
    struct { hz_msg_id id; double v; } parts[4] = {
        {HZ_M_ANALYSIS_L_TIMELINESS, wt->w_timeliness}, {HZ_M_ANALYSIS_L_QUALITY, wt->w_quality},
        {HZ_M_ANALYSIS_L_COMPLETENESS, wt->w_completeness}, {HZ_M_ANALYSIS_L_RESULTS, wt->w_results}};
    for (int k = 0; k < 4; k++) {
        snprintf(num, sizeof num, "%g", parts[k].v);
        hz_msg_formatv(HZ_LANG_ZH, parts[k].id, part[k], sizeof part[k], num, NULL);
    }
    char fl[ANALYSIS_FORMULA_LINES][1024];
    for (int k = 0; k < ANALYSIS_FORMULA_LINES; k++)
        analysis_formula_line(config, k, HZ_LANG_ZH, fl[k], sizeof fl[k]);
    enum { NC = 22 };
    const char *head[NC] = {
        Z(HZ_M_CONSOLIDATE_L_RANK), Z(HZ_M_CONSOLIDATE_L_UNIT_CODE), Z(HZ_M_CONSOLIDATE_L_UNIT),
        Z(HZ_M_CONSOLIDATE_L_STATUS), Z(HZ_M_CONSOLIDATE_L_DAYS_LATE), part[0],
        Z(HZ_M_ANALYSIS_L_ERRORS), Z(HZ_M_ANALYSIS_L_WARNINGS), part[1],
        Z(HZ_M_ANALYSIS_L_SECTIONS), part[2],
        Z(HZ_M_CONSOLIDATE_L_FILED), Z(HZ_M_ANALYSIS_L_TOTAL_SCORE),
        Z(HZ_M_CONSOLIDATE_L_AMOUNT), Z(HZ_M_ANALYSIS_L_TOTAL_SCORE),
        Z(HZ_M_CONSOLIDATE_L_TRANSFERRED), Z(HZ_M_ANALYSIS_L_TOTAL_SCORE),
        Z(HZ_M_CONSOLIDATE_L_TYPICAL), Z(HZ_M_ANALYSIS_L_TOTAL_SCORE),
        part[3], Z(HZ_M_ANALYSIS_L_TOTAL_SCORE), Z(HZ_M_CONSOLIDATE_L_GRADE)};
    /* the formula above the table, one line per row, so a unit can
     * recompute its score from this sheet alone */
    for (int k = 0; k < ANALYSIS_FORMULA_LINES; k++) {
        note_error(w, worksheet_merge_range(s.ws, (lxw_row_t)k, 0, (lxw_row_t)k, NC - 1, fl[k],
                                            w->wrap));
        note_error(w, worksheet_set_row(s.ws, (lxw_row_t)k, 30, NULL));
    }
    lxw_row_t hrow = ANALYSIS_FORMULA_LINES + 1;
    put_head(&s, hrow, head, NC);
    /* and as notes on the header cells of each part */
    static const struct { lxw_col_t col; int line; } notes[] = {
        {5, 1}, {8, 2}, {10, 3}, {19, 4}, {20, 0}, {21, 5}};
    for (size_t k = 0; k < sizeof notes / sizeof notes[0]; k++)
        note_error(w, worksheet_write_comment(s.ws, hrow, notes[k].col, fl[notes[k].line]));
    /* the four result parts: "得分" header cells get their figure's name */
    char rl[4][160];
    static const hz_msg_id res_label[4] = {HZ_M_CONSOLIDATE_L_FILED, HZ_M_CONSOLIDATE_L_AMOUNT,
                                           HZ_M_CONSOLIDATE_L_TRANSFERRED,
                                           HZ_M_CONSOLIDATE_L_TYPICAL};
    for (int k = 0; k < 4; k++) {
        snprintf(num, sizeof num, "%g", wt->w_results / 4);
        snprintf(rl[k], sizeof rl[k], "%s（%s分）", Z(HZ_M_CONSOLIDATE_L_SCORE), num);
        note_error(w, worksheet_write_string(s.ws, hrow, (lxw_col_t)(12 + 2 * k), rl[k],
                                             w->head));
        (void)res_label;
    }
    lxw_format *score = w->amount; /* two decimals when amount_decimals is 2 */
    lxw_row_t r = hrow + 1;
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_ASSESSMENT, &rows))
        return;
    for (size_t i = 0; i < rows.count; i++) {
        const hz_score *sc = &a->scores[rows.items[i].index];
        const hz_cons_unit *cu = &cons->units[sc->unit];
        char buf[128];
        put_count(&s, r, 0, sc->rank, false);
        put_str(&s, r, 1, cu->unit->code, NULL);
        put_str(&s, r, 2, unit_short(cu->unit), NULL);
        put_str(&s, r, 3, display_format_unit_status_text(cu, HZ_LANG_ZH, buf, sizeof buf),
                NULL);
        if (!sc->missing) {
            put_count(&s, r, 4, sc->days_late, false);
            put_count(&s, r, 6, (int64_t)sc->errors, false);
            put_count(&s, r, 7, (int64_t)sc->warnings, false);
            put_count(&s, r, 9, (int64_t)sc->sections, false);
            put_count(&s, r, 11, cu->cases.filed, false);
            put_amount(&s, r, 13, cu->cases.amount, false);
            put_count(&s, r, 15, cu->cases.transferred, false);
            put_count(&s, r, 17, cu->cases.typical, false);
        }
        put_num(&s, r, 5, sc->timeliness, score);
        put_num(&s, r, 8, sc->quality, score);
        put_num(&s, r, 10, sc->completeness, score);
        for (int k = 0; k < 4; k++)
            put_num(&s, r, (lxw_col_t)(12 + 2 * k), sc->part_results[k], score);
        put_num(&s, r, 19, sc->results, score);
        put_num(&s, r, 20, sc->total, w->total_amount);
        put_str(&s, r, 21, Z(analysis_grade(config, sc)), NULL);
        r++;
    }
    report_context_rows_free(&rows);
    sheet_finish(&s, hrow, 3);
    note_error(w, worksheet_set_row(s.ws, hrow, 48, NULL));
    for (int k = 0; k < ANALYSIS_FORMULA_LINES; k++)
        note_error(w, worksheet_set_row(s.ws, (lxw_row_t)k, 30, w->wrap));
}

/* ------------------------------------------------------------- 案件明细 */

/*
 * The long sheets (issue 19): 案件明细 always, 校验问题 beyond
 * opt.issues_fast_rows rows. libxlsxwriter writes them with their header row
 * only, so that styles, the header, frozen pane, autofilter, print titles,
 * column widths and print set-up all come from it; their rows are written
 * afterwards by xlsx_stream straight into the final zip (fast_splice), in
 * place of libxlsxwriter's part. Beyond opt.sheet_rows rows a list continues
 * on 案件明细(2), 案件明细(3), … each with the same header, widths and
 * set-up.
 */
typedef enum fast_kind { FAST_CASES, FAST_ISSUES } fast_kind;

typedef struct fast_part {
    fast_kind kind;
    unsigned sheet_no;         /* the part xl/worksheets/sheet<sheet_no>.xml */
    size_t first, count;       /* items (cases, issues) of this sheet */
    lxw_col_t ncols;
} fast_part;

/* The texts of the case sheet that repeat on every row (units, phases,
 * list words, yes/no, file names) go into the workbook's shared strings:
 * registered with libxlsxwriter's table in the measuring pass, before it
 * writes sharedStrings.xml, and written as indexes - a third of the bytes
 * of the national case sheets (3.9 GB of XML) and of their deflate. This
 * table finds a text's index by content (open addressing, a power of two,
 * at most half full); a cache by address in front of it, since those texts
 * are few pointers (the config's, and one per text and file: submission
 * texts are packed per file, consolidate_compact_cases). */
typedef struct shared_text {
    const char *text;          /* NULL: empty slot; the caller's text, alive
                                  as long as the consolidation */
    uint64_t hash;
    uint32_t index;            /* in the workbook's shared strings */
} shared_text;

#define SHARED_CACHE 4096

typedef struct shared_texts {
    shared_text *slots;
    size_t slot_count, count;
    uint64_t refs;             /* cells that will point at them */
    bool failed;               /* out of memory: texts written inline */
    struct { const char *text; uint32_t index; } cache[SHARED_CACHE];
} shared_texts;

struct fast_sheets {
    render_xlsx_options opt;
    fast_part *items;
    size_t count, cap;
    int xf_text, xf_wrap, xf_date, xf_amount;
    shared_texts *shared;
};

static void fast_sheets_free(struct fast_sheets *fs)
{
    free(fs->items);
    fs->items = NULL;
    if (fs->shared)
        free(fs->shared->slots);
    free(fs->shared);
    fs->shared = NULL;
}

/* Cells of a fast sheet row go either to the width measure (s) or to the
 * XML (xs): the same function lays out both passes, so they cannot differ. */
typedef struct row_sink {
    sheet *s;                  /* measuring pass */
    xlsx_stream *xs;           /* writing pass */
    struct fast_sheets *fs;
} row_sink;

static size_t shared_cache_slot(const char *text)
{
    return (size_t)(((uintptr_t)text >> 3) ^ ((uintptr_t)text >> 15)) & (SHARED_CACHE - 1);
}

/* The slot of text in the table: its own, or the empty one it would take. */
static shared_text *shared_slot(shared_texts *st, const char *text, uint64_t hash)
{
    size_t i = (size_t)hash & (st->slot_count - 1);
    while (st->slots[i].text &&
           (st->slots[i].hash != hash || strcmp(st->slots[i].text, text) != 0))
        i = (i + 1) & (st->slot_count - 1);
    return &st->slots[i];
}

static bool shared_grow(shared_texts *st)
{
    size_t n = st->slot_count ? st->slot_count * 2 : 1024;
    shared_text *old = st->slots;
    size_t old_count = st->slot_count;
    st->slots = calloc(n, sizeof *st->slots);
    if (!st->slots) {
        st->slots = old;
        return false;
    }
    st->slot_count = n;
    for (size_t i = 0; i < old_count; i++)
        if (old[i].text)
            *shared_slot(st, old[i].text, old[i].hash) = old[i];
    free(old);
    return true;
}

/* text's shared-string index into *index; false when it has none (then
 * it is written inline). With sst (the measuring pass) an unknown text is
 * added to the workbook's shared strings; every call counts a cell. */
static bool shared_find(shared_texts *st, lxw_sst *sst, const char *text, uint32_t *index)
{
    if (!st || st->failed)
        return false;
    size_t c = shared_cache_slot(text);
    if (st->cache[c].text == text) {
        *index = st->cache[c].index;
        st->refs++;
        return true;
    }
    uint64_t hash = hz_text_hash(text, strlen(text));
    shared_text *slot = st->slot_count ? shared_slot(st, text, hash) : NULL;
    if (!slot || !slot->text) {
        if (!sst)
            return false;
        if (2 * (st->count + 1) > st->slot_count) {
            if (!shared_grow(st)) {
                st->failed = true;
                return false;
            }
            slot = shared_slot(st, text, hash);
        }
        struct sst_element *e = lxw_get_sst_index(sst, text, LXW_FALSE);
        if (!e) {
            st->failed = true;
            return false;
        }
        *slot = (shared_text){text, hash, e->index};
        st->count++;
    }
    st->cache[c].text = text;
    st->cache[c].index = slot->index;
    *index = slot->index;
    st->refs++;
    return true;
}

/* The width put_num gives the "%.2f" of v, without snprintf. */
static double fast_num_width(double v)
{
    double a = v < 0 ? -v : v;
    double width = v < 0 ? 4 : 3;
    if (a >= 1e15) {
        char buf[64];
        width = (double)snprintf(buf, sizeof buf, "%.2f", v);
    } else {
        for (double p = 10; p <= a + 0.005; p *= 10)
            width++;
        width++;
    }
    return width + 2;
}

static void rs_str(row_sink *o, lxw_col_t col, const char *text, int xf)
{
    if (!text || !*text)
        return;
    if (o->xs) {
        xlsx_stream_string(o->xs, col, text, xf);
        return;
    }
    /* text_width is at most the byte length (a wide character takes 3 or
     * 4 bytes for 2 units): a text no longer than the column's width so
     * far cannot widen it, so most cells skip the UTF-8 decoding */
    size_t n = strlen(text);
    if (n > XLSX_STRING_MAX)
        note_error(o->s->w, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED);
    if (col < MAX_COLS && (double)n <= o->s->width[col])
        fit(o->s, col, 0);
    else
        fit(o->s, col, text_width(text));
}

/* rs_str for a text the sheet repeats: a shared string where it can be. */
static void rs_shared(row_sink *o, lxw_col_t col, const char *text, int xf)
{
    if (!text || !*text)
        return;
    uint32_t index;
    lxw_sst *sst = o->xs ? NULL : o->s->w->wb->sst;
    if (!shared_find(o->fs->shared, sst, text, &index)) {
        rs_str(o, col, text, xf);
        return;
    }
    if (o->xs)
        xlsx_stream_shared(o->xs, col, index, xf);
    else
        rs_str(o, col, text, xf); /* the width */
}

static void rs_date(row_sink *o, lxw_col_t col, hz_date d)
{
    if (d == HZ_DATE_NONE)
        return;
    if (o->xs)
        xlsx_stream_int(o->xs, col, (int64_t)hz_date_to_serial(d), o->fs->xf_date);
    else
        fit(o->s, col, 11);
}

static void rs_amount(row_sink *o, lxw_col_t col, hz_amount v)
{
    if (o->xs)
        xlsx_stream_decimal(o->xs, col, v, AMOUNT_SCALE_DIGITS, o->fs->xf_amount);
    else
        fit(o->s, col, fast_num_width(hz_amount_to_double(v)));
}

static const char *yes_no(const hz_config *config, hz_tristate t)
{
    return t == HZ_YES ? config->yes_word : t == HZ_NO ? config->no_word : "";
}

enum { CASE_PRE = 4, CASE_COLS = CASE_PRE + HZ_C__COUNT + 1 };

static void case_row(row_sink *o, const hz_consolidation *cons, const hz_config *config,
                     const hz_cons_case *cc)
{
    const hz_case *c = cc->c;
    int t = o->fs->xf_text;
    const hz_unit *unit = cons->units[cc->unit].unit;
    rs_shared(o, 0, unit->code, t);
    rs_shared(o, 1, unit_short(unit), t);
    rs_shared(o, 2, cc->counted ? unit_short(unit) : unit_short(cons->units[cc->lead_unit].unit), t);
    rs_shared(o, 3, cc->phase != HZ_NONE_INDEX32 ? config->phases[cc->phase].name
                                            : Z(HZ_M_CONSOLIDATE_L_OUTSIDE_PHASE), t);
    lxw_col_t b = CASE_PRE;
    rs_str(o, b + HZ_C_CASE_NO, c->case_no, t);
    rs_str(o, b + HZ_C_NAME, c->name, t);
    rs_date(o, b + HZ_C_FILED, c->filed);
    rs_date(o, b + HZ_C_CLOSED, c->closed);
    rs_shared(o, b + HZ_C_STATUS, c->status, t);
    rs_shared(o, b + HZ_C_CATEGORY, c->category, t);
    rs_shared(o, b + HZ_C_COMMODITY, c->commodity, t);
    rs_shared(o, b + HZ_C_CHANNEL, c->channel, t);
    rs_shared(o, b + HZ_C_KEY_MARKET, yes_no(config, c->key_market), t);
    rs_shared(o, b + HZ_C_RURAL, yes_no(config, c->rural), t);
    if (c->has_amount)
        rs_amount(o, b + HZ_C_AMOUNT, c->amount);
    if (c->has_fine)
        rs_amount(o, b + HZ_C_FINE, c->fine);
    rs_shared(o, b + HZ_C_TRANSFERRED, yes_no(config, c->transferred), t);
    rs_shared(o, b + HZ_C_CROSS_REGION, yes_no(config, c->cross_region), t);
    rs_str(o, b + HZ_C_ASSIST_UNITS, c->assist_units, t);
    rs_shared(o, b + HZ_C_LEAD_SOURCE, c->lead_source, t);
    rs_shared(o, b + HZ_C_TYPICAL, yes_no(config, c->typical), t);
    rs_str(o, b + HZ_C_TYPICAL_SUMMARY, c->typical_summary, t);
    rs_str(o, b + HZ_C_NOTE, c->note, t);
    rs_shared(o, b + HZ_C__COUNT, cons->files[cc->file].name, t);
}

/* Opens a fast sheet: sheet_open with the name of part k (0: name_id,
 * then "name(k+1)"), in constant-memory mode (the header row is written as
 * inline strings like the rows that follow, and libxlsxwriter keeps no
 * cell of it). */
static bool fast_open(writer *w, sheet *s, hz_msg_id name_id, size_t k)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    char name[128], num[24];
    if (k == 0)
        snprintf(name, sizeof name, "%s", Z(name_id));
    else {
        num[xlsx_stream_format_int(num, (int64_t)k + 1)] = '\0';
        hz_msg_formatv(HZ_LANG_ZH, HZ_M_CONSOLIDATE_SHEET_CONTINUED, name, sizeof name,
                       Z(name_id), num, NULL);
    }
    w->wb->options.constant_memory = LXW_TRUE;
    s->ws = workbook_add_worksheet(w->wb, name);
    w->wb->options.constant_memory = LXW_FALSE;
    if (!s->ws) {
        note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return false;
    }
    s->name = s->ws->name;
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_set_margins(s->ws, PRINT_MARGIN_IN, PRINT_MARGIN_IN, 0.8, 0.8);
    note_error(w, worksheet_set_footer(s->ws, "&C&P / &N"));
    return true;
}

/* Data rows per sheet under the configured row limit (the header takes one). */
static size_t fast_rows_per_sheet(const writer *w)
{
    size_t limit = w->fast->opt.sheet_rows;
    if (limit == 0 || limit > RENDER_XLSX_EXCEL_ROWS)
        limit = RENDER_XLSX_EXCEL_ROWS;
    return limit > 1 ? limit - 1 : 1;
}

/* The sheets of a list of n items whose widths were measured into m: each
 * with the header, the measured widths, an autofilter over its rows and
 * sheet_finish's panes and print set-up; each recorded as a fast part. */
static void fast_sheets_add(writer *w, fast_kind kind, hz_msg_id name_id, const char *const *head,
                            lxw_col_t ncols, const sheet *m, size_t n, double head_height)
{
    size_t per = fast_rows_per_sheet(w);
    size_t parts = n == 0 ? 1 : (n + per - 1) / per;
    for (size_t k = 0; k < parts; k++) {
        sheet s;
        if (!fast_open(w, &s, name_id, k))
            return;
        if (head_height > 0)
            note_error(w, worksheet_set_row(s.ws, 0, head_height, NULL));
        put_head(&s, 0, head, ncols);
        for (lxw_col_t c = 0; c < MAX_COLS; c++)
            if (m->width[c] > s.width[c])
                s.width[c] = m->width[c];
        if (m->cols > s.cols)
            s.cols = m->cols;
        size_t first = k * per, count = n - first < per ? n - first : per;
        lxw_row_t last = count > 0 ? (lxw_row_t)count : 1;
        note_error(w, worksheet_autofilter(s.ws, 0, 0, last, (lxw_col_t)(ncols - 1)));
        sheet_finish(&s, 0, 2);
        struct fast_sheets *fs = w->fast;
        if (!hz_array_reserve(&fs->items, &fs->cap, fs->count + 1, sizeof *fs->items)) {
            note_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        fs->items[fs->count++] = (fast_part){kind, (unsigned)s.ws->index + 1, first, count, ncols};
    }
}

static void sheet_cases(writer *w)
{
    const hz_consolidation *cons = w->cons;
    const hz_config *config = w->config;
    const char *head[CASE_COLS];
    head[0] = Z(HZ_M_CONSOLIDATE_L_UNIT_CODE);
    head[1] = Z(HZ_M_CONSOLIDATE_L_UNIT);
    head[2] = Z(HZ_M_CONSOLIDATE_L_COUNTED_FOR);
    head[3] = Z(HZ_M_CONSOLIDATE_L_PHASE);
    for (int f = 0; f < HZ_C__COUNT; f++)
        head[CASE_PRE + f] = submission_case_column((hz_case_field)f);
    head[CASE_PRE + HZ_C__COUNT] = Z(HZ_M_CONSOLIDATE_L_FILE);
    /* the widths of every row, measured before libxlsxwriter writes the
     * sheet's <cols> */
    sheet m;
    memset(&m, 0, sizeof m);
    m.w = w;
    /* NULL when it cannot be had: the texts are then written inline */
    shared_texts *st = w->fast->shared = cons->case_count ? calloc(1, sizeof *st) : NULL;
    row_sink o = {.s = &m, .fs = w->fast};
    for (size_t i = 0; i < cons->case_count; i++)
        case_row(&o, cons, config, &cons->cases[i]);
    if (st && !st->failed) {
        /* the count of cells pointing at shared strings (<sst count=>):
         * libxlsxwriter counted one for each text registered */
        uint64_t total = (uint64_t)w->wb->sst->string_count + st->refs - st->count;
        w->wb->sst->string_count = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    }
    fast_sheets_add(w, FAST_CASES, HZ_M_CONSOLIDATE_SHEET_CASES, head, CASE_COLS, &m,
                    cons->case_count, 36);
}

/* ------------------------------------------------------------- 典型案例 */

static void sheet_typical(writer *w)
{
    const hz_consolidation *cons = w->cons;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_TYPICAL))
        return;
    const char *head[] = {Z(HZ_M_CONSOLIDATE_L_SEQ), Z(HZ_M_CONSOLIDATE_L_UNIT),
                          submission_case_column(HZ_C_CASE_NO), submission_case_column(HZ_C_NAME),
                          submission_case_column(HZ_C_FILED), Z(HZ_M_CONSOLIDATE_L_AMOUNT),
                          Z(HZ_M_CONSOLIDATE_L_FINE), Z(HZ_M_CONSOLIDATE_L_SUMMARY)};
    put_head(&s, 0, head, 8);
    lxw_row_t r = 1;
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_TYPICAL, &rows))
        return;
    for (size_t i = 0; i < rows.count; i++) {
        const hz_cons_case *cc = &cons->cases[rows.items[i].index];
        put_count(&s, r, 0, (int64_t)r, false);
        put_str(&s, r, 1, unit_short(cons->units[cc->unit].unit), NULL);
        put_str(&s, r, 2, cc->c->case_no, NULL);
        put_str(&s, r, 3, cc->c->name, w->wrap);
        put_date(&s, r, 4, cc->c->filed);
        put_amount(&s, r, 5, cc->c->amount, false);
        put_amount(&s, r, 6, cc->c->fine, false);
        put_str(&s, r, 7, cc->c->typical_summary, w->wrap);
        r++;
    }
    report_context_rows_free(&rows);
    sheet_finish(&s, 0, 2);
}

/* ------------------------------------------------------------- 报送情况 */

static void file_cols(writer *w, sheet *s, lxw_row_t r, const hz_cons_file *f)
{
    char reason[512] = "";
    if (f->reason != HZ_M_NONE)
        hz_msg_formatv(HZ_LANG_ZH, f->reason, reason, sizeof reason,
                       f->reason_arg ? f->reason_arg : "", NULL);
    put_str(s, r, 6, f->name, NULL);
    if (f->version > 0)
        put_count(s, r, 7, f->version, false);
    put_str(s, r, 8, display_format_file_status_text(f->status, HZ_LANG_ZH), NULL);
    if (f->check) {
        put_str(s, r, 9, f->check->sub.sha256, NULL);
        put_count(s, r, 10, (int64_t)f->check->counts.errors, false);
        put_count(s, r, 11, (int64_t)f->check->counts.warnings, false);
    }
    put_str(s, r, 12, reason, NULL);
    (void)w;
}

static void sheet_receipts(writer *w)
{
    const hz_consolidation *cons = w->cons;
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_RECEIPTS))
        return;
    const char *head[] = {
        Z(HZ_M_CONSOLIDATE_L_UNIT_CODE), Z(HZ_M_CONSOLIDATE_L_UNIT), Z(HZ_M_CONSOLIDATE_L_STATUS),
        Z(HZ_M_CONSOLIDATE_L_RECEIPT_TIME), Z(HZ_M_CONSOLIDATE_L_RECEIPT_SOURCE),
        Z(HZ_M_CONSOLIDATE_L_DAYS_LATE), Z(HZ_M_CONSOLIDATE_L_FILE),
        Z(HZ_M_CONSOLIDATE_L_VERSION), Z(HZ_M_CONSOLIDATE_L_FILE_STATUS),
        Z(HZ_M_CONSOLIDATE_L_SHA256), Z(HZ_M_CONSOLIDATE_L_ERRORS),
        Z(HZ_M_CONSOLIDATE_L_WARNINGS), Z(HZ_M_CONSOLIDATE_L_REASON)};
    put_head(&s, 0, head, 13);
    char buf[128];
    lxw_row_t r = 1;
    report_rows rows;
    if (!table_rows(w, REPORT_TABLE_RECEIPTS, &rows))
        return;
    for (size_t i = 0; i < rows.count; i++, r++) {
        if (rows.items[i].kind == REPORT_ROW_OTHER) { /* a file not accepted */
            const hz_cons_file *f = &cons->files[rows.items[i].index];
            if (f->unit != HZ_NONE_INDEX) {
                put_str(&s, r, 0, cons->units[f->unit].unit->code, NULL);
                put_str(&s, r, 1, unit_short(cons->units[f->unit].unit), NULL);
            }
            file_cols(w, &s, r, f);
            continue;
        }
        const hz_cons_unit *cu = &cons->units[rows.items[i].index];
        put_str(&s, r, 0, cu->unit->code, NULL);
        put_str(&s, r, 1, unit_short(cu->unit), NULL);
        put_str(&s, r, 2, display_format_unit_status_text(cu, HZ_LANG_ZH, buf, sizeof buf), NULL);
        put_str(&s, r, 3, display_format_receipt(cu, buf, sizeof buf), NULL);
        if (cu->has_receipt)
            put_str(&s, r, 4, Z(cu->receipt_from_register ? HZ_M_CONSOLIDATE_SOURCE_REGISTER
                                                          : HZ_M_CONSOLIDATE_SOURCE_FILL_DATE),
                    NULL);
        if (cu->receipt != HZ_RECEIPT_MISSING)
            put_count(&s, r, 5, cu->days_late, false);
        if (rows.items[i].reported)
            file_cols(w, &s, r, &cons->files[cu->file]);
    }
    report_context_rows_free(&rows);
    s.width[9] = 18.5; /* sha256: long, rarely read */
    sheet_finish(&s, 0, 2);
}

/* ------------------------------------------------------------- 校验问题 */

static void issue_row(sheet *s, lxw_row_t r, const hz_issue *is, const char *unit)
{
    char loc[256], msg[2048];
    put_str(s, r, 0, is->file, NULL);
    put_str(s, r, 1, unit, NULL);
    put_str(s, r, 2, issue_severity_name(is->severity), NULL);
    put_str(s, r, 3, issue_location(is, loc, sizeof loc), NULL);
    put_str(s, r, 4, is->field, NULL);
    put_str(s, r, 5, is->rule, NULL);
    put_str(s, r, 6, is->found, NULL);
    put_str(s, r, 7, is->expected, NULL);
    put_str(s, r, 8, issue_render(is, HZ_LANG_ZH, msg, sizeof msg), s->w->wrap);
    put_str(s, r, 9, is->explained ? s->w->config->yes_word : "", NULL);
}

/* The same row for a fast sheet (the message column blank but styled
 * when empty, as put_str with a format writes it). */
static void issue_row_fast(row_sink *o, const hz_issue *is, const char *unit, const hz_config *config)
{
    char loc[256], msg[2048];
    int t = o->fs->xf_text;
    rs_str(o, 0, is->file, t);
    rs_str(o, 1, unit, t);
    rs_str(o, 2, issue_severity_name(is->severity), t);
    rs_str(o, 3, issue_location(is, loc, sizeof loc), t);
    rs_str(o, 4, is->field, t);
    rs_str(o, 5, is->rule, t);
    rs_str(o, 6, is->found, t);
    rs_str(o, 7, is->expected, t);
    const char *text = issue_render(is, HZ_LANG_ZH, msg, sizeof msg);
    if (text && *text)
        rs_str(o, 8, text, o->fs->xf_wrap);
    else if (o->xs)
        xlsx_stream_blank(o->xs, 8, o->fs->xf_wrap);
    rs_str(o, 9, is->explained ? config->yes_word : "", t);
}

/* Every issue in sheet order, the consolidation's first, then each
 * file's: index i of that order to the issue and its unit. */
static const hz_issue *issue_at(const hz_consolidation *cons, size_t *file, size_t *k,
                                const char **unit)
{
    if (*file == SIZE_MAX) {
        if (*k < cons->issues.count) {
            *unit = "";
            return &cons->issues.items[(*k)++];
        }
        *file = 0;
        *k = 0;
    }
    for (; *file < cons->file_count; (*file)++, *k = 0) {
        const hz_cons_file *f = &cons->files[*file];
        if (!f->check || *k >= f->check->issues.count)
            continue;
        *unit = f->unit != HZ_NONE_INDEX ? unit_short(cons->units[f->unit].unit) : "";
        return &f->check->issues.items[(*k)++];
    }
    return NULL;
}

static size_t issue_count(const hz_consolidation *cons)
{
    size_t n = cons->issues.count;
    for (size_t i = 0; i < cons->file_count; i++)
        if (cons->files[i].check)
            n += cons->files[i].check->issues.count;
    return n;
}

static void sheet_issues(writer *w)
{
    const hz_consolidation *cons = w->cons;
    const char *head[] = {Z(HZ_M_CONSOLIDATE_L_FILE), Z(HZ_M_CONSOLIDATE_L_UNIT),
                          Z(HZ_M_CONSOLIDATE_L_SEVERITY), Z(HZ_M_CONSOLIDATE_L_LOCATION),
                          Z(HZ_M_CONSOLIDATE_L_FIELD), Z(HZ_M_CONSOLIDATE_L_RULE),
                          Z(HZ_M_CONSOLIDATE_L_FOUND), Z(HZ_M_CONSOLIDATE_L_EXPECTED),
                          Z(HZ_M_CONSOLIDATE_L_MESSAGE), Z(HZ_M_CONSOLIDATE_L_EXPLAINED)};
    size_t n = issue_count(cons);
    if (n > w->fast->opt.issues_fast_rows || n >= fast_rows_per_sheet(w) + 1) {
        sheet m;
        memset(&m, 0, sizeof m);
        m.w = w;
        row_sink o = {.s = &m, .fs = w->fast};
        size_t file = SIZE_MAX, k = 0;
        const char *unit;
        const hz_issue *is;
        while ((is = issue_at(cons, &file, &k, &unit)))
            issue_row_fast(&o, is, unit, w->config);
        fast_sheets_add(w, FAST_ISSUES, HZ_M_CONSOLIDATE_SHEET_ISSUES, head, 10, &m, n, 0);
        return;
    }
    sheet s;
    if (!sheet_open(w, &s, HZ_M_CONSOLIDATE_SHEET_ISSUES))
        return;
    put_head(&s, 0, head, 10);
    lxw_row_t r = 1;
    for (size_t i = 0; i < cons->issues.count; i++)
        issue_row(&s, r++, &cons->issues.items[i], "");
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (!f->check)
            continue;
        const char *unit = f->unit != HZ_NONE_INDEX ? unit_short(cons->units[f->unit].unit) : "";
        for (size_t k = 0; k < f->check->issues.count; k++)
            issue_row(&s, r++, &f->check->issues.items[k], unit);
    }
    note_error(w, worksheet_autofilter(s.ws, 0, 0, r > 1 ? r - 1 : 1, 9));
    sheet_finish(&s, 0, 2);
}

/* ------------------------------------------------------------- the fast parts */

static hz_status to_deflate(void *ctx, const void *data, size_t len, hz_error *err)
{
    return deflate_chunks_write(ctx, data, len, err);
}

/* The rows of part p into xs. */
static void fast_rows(const writer *w, const fast_part *p, xlsx_stream *xs)
{
    const hz_consolidation *cons = w->cons;
    row_sink o = {.xs = xs, .fs = w->fast};
    if (p->kind == FAST_CASES) {
        for (size_t i = 0; i < p->count; i++) {
            xlsx_stream_row_begin(xs, (uint32_t)(i + 1));
            case_row(&o, cons, w->config, &cons->cases[p->first + i]);
            xlsx_stream_row_end(xs);
        }
        return;
    }
    size_t file = SIZE_MAX, k = 0, i = 0;
    const char *unit;
    const hz_issue *is;
    while (i < p->first && issue_at(cons, &file, &k, &unit))
        i++;
    for (i = 0; i < p->count && (is = issue_at(cons, &file, &k, &unit)); i++) {
        xlsx_stream_row_begin(xs, (uint32_t)(i + 1));
        issue_row_fast(&o, is, unit, w->config);
        xlsx_stream_row_end(xs);
    }
}

/* Writes part p as entry e of zw: libxlsxwriter's XML of the sheet (xml,
 * its header row only) with the rows inserted before </sheetData> and the
 * dimension widened to them. */
static hz_status fast_part_write(const writer *w, const fast_part *p, const zip_writer_entry *e,
                                 const char *xml, zip_writer *zw, const char *path, hz_error *err)
{
    const char *dim = strstr(xml, "<dimension ref=\"");
    const char *dim_end = dim ? strstr(dim + 16, "\"/>") : NULL;
    const char *close = strstr(xml, "</sheetData>");
    if (!dim || !dim_end || !close || close < dim_end)
        return hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_CONSOLIDATE_XLSX_PARTS, path, e->name, NULL);
    const render_xlsx_options *opt = &w->fast->opt;
    deflate_chunks_options dopt = {.level = opt->level, .threads = opt->threads};
    deflate_chunks *dc = NULL;
    xlsx_stream *xs = NULL;
    hz_status st = zip_writer_begin_entry(zw, e, err);
    if (st == HZ_OK)
        st = deflate_chunks_open(&dc, &dopt, zip_writer_entry_data, zw, err);
    if (st == HZ_OK)
        st = xlsx_stream_open(&xs, to_deflate, dc, err);
    if (st != HZ_OK) {
        deflate_chunks_free(dc);
        return st;
    }
    char ref[40];
    size_t n = xlsx_stream_format_cellref(ref, (uint32_t)p->count, (uint32_t)(p->ncols - 1));
    xlsx_stream_raw(xs, xml, (size_t)(dim - xml) + 16);
    xlsx_stream_raw(xs, "A1:", 3);
    xlsx_stream_raw(xs, ref, n);
    xlsx_stream_raw(xs, dim_end, (size_t)(close - dim_end));
    fast_rows(w, p, xs);
    xlsx_stream_raw(xs, close, strlen(close));
    st = xlsx_stream_close(xs, err);
    deflate_chunks_result res = {0};
    if (st == HZ_OK)
        st = deflate_chunks_finish(dc, &res, err);
    deflate_chunks_free(dc);
    if (st == HZ_OK)
        st = zip_writer_end_entry(zw, res.crc32, res.in_bytes, err);
    return st;
}

/* Copies the workbook libxlsxwriter wrote at src_path into dst_path with the
 * fast parts' entries written in place (same order, names and times). */
static hz_status fast_splice(const writer *w, const char *src_path, const char *dst_path,
                             const char *path, hz_error *err)
{
    FILE *src = fopen(src_path, "rb");
    if (!src)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path, strerror(errno), NULL);
    FILE *out = fopen(dst_path, "wb");
    if (!out) {
        fclose(src);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path, strerror(errno), NULL);
    }
    zip_writer_directory dir;
    zip_writer *zw = NULL;
    hz_status st = zip_writer_read_directory(src, path, &dir, err);
    if (st == HZ_OK)
        st = zip_writer_open(&zw, out, path, err);
    size_t found = 0;
    for (size_t i = 0; st == HZ_OK && i < dir.count; i++) {
        const zip_writer_entry *e = &dir.items[i];
        const fast_part *p = NULL;
        unsigned no;
        char tail;
        if (sscanf(e->name, "xl/worksheets/sheet%u.xml%c", &no, &tail) == 1)
            for (size_t k = 0; k < w->fast->count; k++)
                if (w->fast->items[k].sheet_no == no)
                    p = &w->fast->items[k];
        if (!p) {
            st = zip_writer_copy_entry(zw, src, e, err);
            continue;
        }
        char *xml = NULL;
        size_t len;
        /* the part holds the header row only: small */
        st = zip_writer_inflate_entry(src, path, e, 64u << 20, &xml, &len, err);
        if (st == HZ_OK)
            st = fast_part_write(w, p, e, xml, zw, path, err);
        free(xml);
        found++;
    }
    if (st == HZ_OK && found != w->fast->count)
        st = hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_CONSOLIDATE_XLSX_PARTS, path,
                          "xl/worksheets/", NULL);
    if (st == HZ_OK) {
        st = zip_writer_finish(zw, err);
        zw = NULL;
    }
    zip_writer_free(zw);
    zip_writer_directory_free(&dir);
    fclose(src);
    if (fclose(out) != 0 && st == HZ_OK)
        st = hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path, strerror(errno), NULL);
    return st;
}

/* ------------------------------------------------------------- workbook */

static lxw_format *fmt(writer *w, const char *num, bool bold, bool border)
{
    lxw_format *f = workbook_add_format(w->wb);
    if (!f)
        return NULL;
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

void render_xlsx_options_default(render_xlsx_options *opt)
{
    *opt = (render_xlsx_options){
        .sheet_rows = RENDER_XLSX_EXCEL_ROWS, .issues_fast_rows = 10000, .threads = 0, .level = 1,
    };
}

hz_status render_xlsx_write(const hz_consolidation *cons, const hz_config *config,
                            hz_date as_of, const char *path, hz_error *err)
{
    render_xlsx_options opt;
    render_xlsx_options_default(&opt);
    return render_xlsx_write_opt(cons, config, as_of, &opt, path, err);
}

hz_status render_xlsx_write_opt(const hz_consolidation *cons, const hz_config *config,
                                hz_date as_of, const render_xlsx_options *opt, const char *path,
                                hz_error *err)
{
    char tmp[4200];
    hz_status s = fs_temp_beside(path, tmp, sizeof tmp, err);
    if (s != HZ_OK)
        return s;
    struct fast_sheets fast = {.opt = *opt};
    if (fast.opt.threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        fast.opt.threads = n > 0 ? (unsigned)n : 1;
    }
    writer w = {.cons = cons, .config = config, .decimals = config->report.amount_decimals,
                .fast = &fast};
    if (w.decimals < 0 || w.decimals > 4)
        w.decimals = 2;
    w.wb = workbook_new(tmp);
    if (!w.wb) {
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path,
                            lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE), NULL);
    }
    char amount_fmt[32] = "#,##0";
    if (w.decimals > 0) {
        strcat(amount_fmt, ".");
        for (int i = 0; i < w.decimals; i++)
            strcat(amount_fmt, "0");
    }
    w.title = fmt(&w, NULL, true, false);
    if (w.title)
        format_set_font_size(w.title, 14);
    w.head = fmt(&w, NULL, true, true);
    if (w.head) {
        format_set_text_wrap(w.head);
        format_set_align(w.head, LXW_ALIGN_CENTER);
        format_set_bg_color(w.head, 0xD9E1F2);
    }
    w.text = fmt(&w, NULL, false, true);
    w.wrap = fmt(&w, NULL, false, true);
    if (w.wrap)
        format_set_text_wrap(w.wrap);
    w.count = fmt(&w, "#,##0", false, true);
    w.amount = fmt(&w, amount_fmt, false, true);
    w.date = fmt(&w, "yyyy-mm-dd", false, true);
    w.percent = fmt(&w, "0.0%", false, true);
    w.total_text = fmt(&w, NULL, true, true);
    w.total_count = fmt(&w, "#,##0", true, true);
    w.total_amount = fmt(&w, amount_fmt, true, true);
    w.seq = fmt(&w, "0", false, true);
    w.code = fmt(&w, "@", false, true);
    if (w.seq)
        format_set_align(w.seq, LXW_ALIGN_CENTER);
    if (w.code)
        format_set_align(w.code, LXW_ALIGN_CENTER);

    char title[512];
    snprintf(title, sizeof title, "%s（%s）", config->report.title, cons->round->name);
    time_t created = (time_t)as_of * 86400;
    lxw_doc_properties props = {
        .title = title, .author = config->authority, .company = config->authority,
        .subject = config->name, .manager = config->section,
        /* 0 would mean "now" to libxlsxwriter: never the clock */
        .created = created != 0 ? created : 1,
    };
    note_error(&w, workbook_set_properties(w.wb, &props));

    /* the fast sheets' cells use these formats: their style indexes are
     * fixed now, before libxlsxwriter numbers the formats it writes */
    fast.xf_text = w.text ? lxw_format_get_xf_index(w.text) : -1;
    fast.xf_wrap = w.wrap ? lxw_format_get_xf_index(w.wrap) : -1;
    fast.xf_date = w.date ? lxw_format_get_xf_index(w.date) : -1;
    fast.xf_amount = w.amount ? lxw_format_get_xf_index(w.amount) : -1;

    sheet_summary(&w, as_of);
    sheet_units(&w);
    sheet_category(&w);
    sheet_phase(&w);
    sheet_rounds(&w);
    sheet_cases(&w);
    sheet_typical(&w);
    sheet_receipts(&w);
    sheet_issues(&w);
    sheet_assessment(&w);

    lxw_error close_err = workbook_close(w.wb);
    if (w.error == LXW_NO_ERROR)
        w.error = close_err;
    if (w.error != LXW_NO_ERROR) {
        unlink(tmp);
        fast_sheets_free(&fast);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path,
                            lxw_strerror(w.error), NULL);
    }
    if (fast.count > 0) {
        /* the joined workbook goes to a second temporary file beside path;
         * libxlsxwriter's is removed once copied */
        char joined[4200];
        s = fs_temp_beside(path, joined, sizeof joined, err);
        if (s == HZ_OK) {
            s = fast_splice(&w, tmp, joined, path, err);
            if (s != HZ_OK)
                unlink(joined);
        }
        unlink(tmp);
        fast_sheets_free(&fast);
        if (s != HZ_OK)
            return s;
        snprintf(tmp, sizeof tmp, "%s", joined);
    }
    fast_sheets_free(&fast);
    chmod(tmp, 0644);
    return fs_commit(tmp, path, err);
}
