/* fillin.c - the submission workbook (DESIGN §4), blank or filled. */
#include "fillin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "fsutil.h"
#include "hz_text.h"

#if defined(__SANITIZE_ADDRESS__)
/* libxlsxwriter 1.1.4 leaks one copy of the formula of every
 * LXW_VALIDATION_TYPE_LIST_FORMULA validation (fixed upstream later); the
 * copy is unreachable from here, so LeakSanitizer is told to ignore it. The
 * only frame LSan can see inside the library is lxw_strdup. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:lxw_strdup\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

static const char *const info_hints[FILLIN_INFO__COUNT] = {
    "已预填，请勿修改",
    "已预填，请勿修改",
    "已预填：阶段小结或年度总结",
    "已预填，统计期间的最后一天",
    "日期，格式 YYYY-MM-DD",
    "负责本单位数据的专人",
    "手机或座机号码",
    "数据审核人",
    "选填",
    "首次报送为 1，更正后重新报送时加 1",
    "已预填，请勿修改",
};

/* Widths in Excel character units; a CJK character takes about two. */
static const double case_widths[FILLIN_CASE__COUNT] = {
    20, 40, 12, 12, 10, 18, 16, 14, 10, 14, 12, 12, 10, 10, 12, 12, 10, 48, 24,
};

bool fillin_file_name(const hz_unit *unit, const hz_round *round, char *buf, size_t size)
{
    if (!buf || size == 0)
        return false;
    buf[0] = '\0';
    if (!unit || !round || !unit->code || !unit->name || !round->name)
        return false;
    int n = snprintf(buf, size, "%s-%s-%s.xlsx", unit->code, unit->name, round->name);
    if (n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return false;
    }
    fs_sanitize_name(buf);
    return true;
}

/* ---------------------------------------------------------------------- */

enum { OPT_STATUS, OPT_CATEGORY, OPT_COMMODITY, OPT_CHANNEL, OPT_LEAD, OPT_YESNO, OPT__COUNT };

typedef struct fx {
    const hz_config *config;
    const hz_unit *unit;
    const hz_round *round;
    const fillin_values *values;
    lxw_workbook *wb;
    lxw_error error;           /* first libxlsxwriter error */
    lxw_format *title, *text, *label, *header, *hint, *fixed, *fixed_date, *fixed_int;
    lxw_format *in_text, *in_code, *in_wrap, *in_date, *in_int, *in_number, *in_amount;
    char option_ref[OPT__COUNT][64];   /* "" when the list is empty */
} fx;

static void fx_check(fx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->error == LXW_NO_ERROR)
        x->error = e;
}

static lxw_format *fx_format(fx *x, bool input)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        fx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (input) {
        format_set_unlocked(f);
        format_set_bg_color(f, 0xFFF8D0);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0xBFBFBF);
    }
    return f;
}

static void fx_formats(fx *x)
{
    x->title = fx_format(x, false);
    x->text = fx_format(x, false);
    x->label = fx_format(x, false);
    x->header = fx_format(x, false);
    x->hint = fx_format(x, false);
    x->fixed = fx_format(x, false);
    x->fixed_date = fx_format(x, false);
    x->fixed_int = fx_format(x, false);
    x->in_text = fx_format(x, true);
    x->in_code = fx_format(x, true);
    x->in_wrap = fx_format(x, true);
    x->in_date = fx_format(x, true);
    x->in_int = fx_format(x, true);
    x->in_number = fx_format(x, true);
    x->in_amount = fx_format(x, true);
    if (x->error)
        return;
    format_set_bold(x->title);
    format_set_font_size(x->title, 16);
    format_set_text_wrap(x->text);
    format_set_align(x->text, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(x->label);
    format_set_border(x->label, LXW_BORDER_THIN);
    format_set_bold(x->header);
    format_set_text_wrap(x->header);
    format_set_align(x->header, LXW_ALIGN_CENTER);
    format_set_bg_color(x->header, 0xD9E1F2);
    format_set_border(x->header, LXW_BORDER_THIN);
    format_set_font_color(x->hint, 0x7F7F7F);
    format_set_text_wrap(x->hint);
    lxw_format *fixed[] = {x->fixed, x->fixed_date, x->fixed_int};
    for (size_t i = 0; i < 3; i++) {
        format_set_bg_color(fixed[i], 0xEDEDED);
        format_set_border(fixed[i], LXW_BORDER_THIN);
        format_set_align(fixed[i], LXW_ALIGN_LEFT);
    }
    format_set_num_format(x->fixed, "@");
    format_set_num_format(x->fixed_date, "yyyy-mm-dd");
    format_set_num_format(x->fixed_int, "0");
    format_set_num_format(x->in_code, "@");
    format_set_text_wrap(x->in_wrap);
    format_set_align(x->in_wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(x->in_date, "yyyy-mm-dd");
    format_set_num_format(x->in_int, "0");
    format_set_num_format(x->in_number, "0.####");
    format_set_num_format(x->in_amount, "0.0000");
}

/* Copies at most max_chars characters of src (libxlsxwriter rejects longer
 * validation titles and messages). */
static void copy_chars(char *dst, size_t size, const char *src, size_t max_chars)
{
    size_t used = 0, chars = 0;
    while (src && src[used] && chars < max_chars) {
        size_t len = 1;
        unsigned char c = (unsigned char)src[used];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (used + len >= size)
            break;
        used += len;
        chars++;
    }
    memcpy(dst, src ? src : "", used);
    dst[used] = '\0';
}

static void fx_validate(fx *x, lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2,
                        lxw_col_t c2, lxw_data_validation *dv, const char *title,
                        const char *message)
{
    char t[160], m[1024];
    if (title) {
        copy_chars(t, sizeof t, title, 32);
        dv->input_title = t;
    }
    if (message) {
        copy_chars(m, sizeof m, message, 255);
        dv->input_message = m;
    }
    fx_check(x, worksheet_data_validation_range(ws, r1, c1, r2, c2, dv));
}

static void fx_string(fx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                      lxw_format *f)
{
    if (s && *s)
        fx_check(x, worksheet_write_string(ws, r, c, s, f));
    else if (f)
        fx_check(x, worksheet_write_blank(ws, r, c, f));
}

static void fx_date(fx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, hz_date d,
                    lxw_format *f)
{
    if (d != HZ_DATE_NONE)
        fx_check(x, worksheet_write_number(ws, r, c, hz_date_to_serial(d), f));
    else if (f)
        fx_check(x, worksheet_write_blank(ws, r, c, f));
}

static void fx_protect(lxw_worksheet *ws, bool rows)
{
    lxw_protection p = {0};
    p.format_columns = 1;
    p.format_rows = 1;
    if (rows) {
        p.insert_rows = 1;
        p.delete_rows = 1;
        p.sort = 1;
        p.autofilter = 1;
    }
    worksheet_protect(ws, NULL, &p);
}

/* Estimated height (points) of a wrapped paragraph in a column of width
 * chars characters (CJK counted double). */
static double wrapped_height(const char *text, double width)
{
    double units = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x80)
            units += 1;
        else if (*p >= 0xC0)
            units += 2;
    }
    int lines = (int)(units / (width * 0.95)) + 1;
    return 16.0 * lines + 4;
}

/* ---------------------------------------------------------------------- */

static void sheet_guide(fx *x, lxw_worksheet *ws)
{
    const hz_config *c = x->config;
    char line[2048], d1[32], d2[32], d3[32], tv[16];
    lxw_row_t r = 0;
    const double width = 100;
    fx_check(x, worksheet_set_column(ws, 0, 0, width, x->text));

    hz_msg_formatv(HZ_LANG_ZH, HZ_M_FILLIN_GUIDE_TITLE, line, sizeof line, c->name,
                   x->round->name, NULL);
    fx_check(x, worksheet_set_row(ws, r, 30, NULL));
    fx_check(x, worksheet_write_string(ws, r++, 0, line, x->title));

    hz_date deadline = config_effective_deadline(c, x->round);
    snprintf(tv, sizeof tv, "%d", c->template_version);
    const char *paras[16];
    char store[12][2048];
    size_t n = 0;
    hz_msg_formatv(HZ_LANG_ZH, HZ_M_FILLIN_GUIDE_ISSUER, store[n], sizeof store[n],
                   c->authority, c->name, NULL);
    paras[n] = store[n], n++;
    hz_msg_formatv(HZ_LANG_ZH, HZ_M_FILLIN_GUIDE_UNIT, store[n], sizeof store[n],
                   x->unit->name, x->unit->code, x->round->name, NULL);
    paras[n] = store[n], n++;
    hz_msg_formatv(HZ_LANG_ZH, HZ_M_FILLIN_GUIDE_PERIOD, store[n], sizeof store[n],
                   hz_date_format_zh(x->round->period_start, d1, sizeof d1),
                   hz_date_format_zh(x->round->period_end, d2, sizeof d2), NULL);
    paras[n] = store[n], n++;
    bool contact = (c->contact && *c->contact) || (c->phone && *c->phone);
    hz_msg_formatv(HZ_LANG_ZH, contact ? HZ_M_FILLIN_GUIDE_DEADLINE : HZ_M_FILLIN_GUIDE_DEADLINE_SHORT,
                   store[n], sizeof store[n], hz_date_format_zh(deadline, d3, sizeof d3),
                   c->authority, c->section, c->contact, c->phone, NULL);
    paras[n] = store[n], n++;
    static const hz_msg_id fixed[] = {
        HZ_M_FILLIN_GUIDE_SHEETS, HZ_M_FILLIN_GUIDE_SHEET_INFO,
        HZ_M_FILLIN_GUIDE_SHEET_STATS, HZ_M_FILLIN_GUIDE_SHEET_CASES,
        HZ_M_FILLIN_GUIDE_SHEET_TEXT, HZ_M_FILLIN_GUIDE_VALUES, HZ_M_FILLIN_GUIDE_RULES,
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < 12; i++) {
        hz_msg_formatv(HZ_LANG_ZH, fixed[i], store[n], sizeof store[n], tv, NULL);
        paras[n] = store[n], n++;
    }
    r++;
    for (size_t i = 0; i < n; i++) {
        fx_check(x, worksheet_set_row(ws, r, wrapped_height(paras[i], width), NULL));
        fx_check(x, worksheet_write_string(ws, r++, 0, paras[i], x->text));
    }
    fx_protect(ws, false);
}

static void sheet_info(fx *x, lxw_worksheet *ws)
{
    const fillin_values *v = x->values;
    fx_check(x, worksheet_set_column(ws, 0, 0, 16, NULL));
    fx_check(x, worksheet_set_column(ws, 1, 1, 44, NULL));
    fx_check(x, worksheet_set_column(ws, 2, 2, 8, NULL));
    fx_check(x, worksheet_set_column(ws, 3, 3, 40, NULL));
    for (int i = 0; i < FILLIN_INFO__COUNT; i++) {
        lxw_row_t r = (lxw_row_t)i;
        fx_check(x, worksheet_set_row(ws, r, 22, NULL));
        fx_check(x, worksheet_write_string(
                        ws, r, 0, workbook_contract_info_label((fillin_info_item)i), x->label));
        if (workbook_contract_info_required((fillin_info_item)i))
            fx_check(x, worksheet_write_string(ws, r, 2, "必填", x->hint));
        fx_check(x, worksheet_write_string(ws, r, 3, info_hints[i], x->hint));
    }
    fx_string(x, ws, FILLIN_INFO_UNIT_CODE, 1, x->unit->code, x->fixed);
    fx_string(x, ws, FILLIN_INFO_UNIT_NAME, 1, x->unit->name, x->fixed);
    fx_string(x, ws, FILLIN_INFO_ROUND, 1, x->round->name, x->fixed);
    fx_date(x, ws, FILLIN_INFO_PERIOD_END, 1, x->round->period_end, x->fixed_date);
    fx_date(x, ws, FILLIN_INFO_FILL_DATE, 1, v ? v->fill_date : HZ_DATE_NONE, x->in_date);
    fx_string(x, ws, FILLIN_INFO_FILLER, 1, v ? v->filler : NULL, x->in_text);
    fx_string(x, ws, FILLIN_INFO_PHONE, 1, v ? v->phone : NULL, x->in_code);
    fx_string(x, ws, FILLIN_INFO_REVIEWER, 1, v ? v->reviewer : NULL, x->in_text);
    fx_string(x, ws, FILLIN_INFO_HEAD, 1, v ? v->head : NULL, x->in_text);
    int version = v && v->version > 0 ? v->version : 1;
    fx_check(x, worksheet_write_number(ws, FILLIN_INFO_VERSION, 1, version, x->in_int));
    fx_check(x, worksheet_write_number(ws, FILLIN_INFO_TEMPLATE_VERSION, 1,
                                       x->config->template_version, x->fixed_int));

    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_DATE_NUMBER;
    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    dv.value_number = hz_date_to_serial(x->round->period_start);
    dv.error_message = "请填写统计期间开始之后的日期，格式 YYYY-MM-DD";
    fx_validate(x, ws, FILLIN_INFO_FILL_DATE, 1, FILLIN_INFO_FILL_DATE, 1, &dv, "填报日期",
                "报送本表的日期，格式 YYYY-MM-DD");
    lxw_data_validation dv2 = {0};
    dv2.validate = LXW_VALIDATION_TYPE_INTEGER;
    dv2.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    dv2.value_number = 1;
    dv2.error_message = "版本号应为不小于 1 的整数";
    fx_validate(x, ws, FILLIN_INFO_VERSION, 1, FILLIN_INFO_VERSION, 1, &dv2, "版本号",
                "首次报送填 1；更正后重新报送时加 1");
    worksheet_set_selection(ws, FILLIN_INFO_FILL_DATE, 1, FILLIN_INFO_FILL_DATE, 1);
    fx_protect(ws, false);
}

static void sheet_stats(fx *x, lxw_worksheet *ws)
{
    const hz_config *c = x->config;
    const fillin_values *v = x->values;
    static const double widths[FILLIN_STATS__COUNT] = {10, 44, 10, 14, 36, 12, 10};
    for (lxw_col_t col = 0; col < FILLIN_STATS__COUNT; col++) {
        fx_check(x, worksheet_set_column(ws, col, col, widths[col], NULL));
        fx_check(x, worksheet_write_string(ws, 0, col,
                                           workbook_contract_stats_header((fillin_stats_column)col),
                                           x->header));
    }
    fx_check(x, worksheet_set_row(ws, 0, 24, NULL));
    for (size_t i = 0; i < c->indicator_count; i++) {
        const hz_indicator *ind = &c->indicators[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        bool count = ind->type == HZ_VALUE_COUNT;
        fx_check(x, worksheet_write_string(ws, r, FILLIN_STATS_CODE, ind->code, x->fixed));
        fx_check(x, worksheet_write_string(ws, r, FILLIN_STATS_NAME, ind->name, x->fixed));
        fx_string(x, ws, r, FILLIN_STATS_UOM, ind->uom, x->fixed);
        lxw_format *vf = count ? x->in_int : x->in_number;
        bool present = v && v->indicator_values &&
                       (!v->indicator_present || v->indicator_present[i]);
        if (present)
            fx_check(x, worksheet_write_number(ws, r, FILLIN_STATS_VALUE,
                                               v->indicator_values[i], vf));
        else
            fx_check(x, worksheet_write_blank(ws, r, FILLIN_STATS_VALUE, vf));
        fx_string(x, ws, r, FILLIN_STATS_NOTE,
                  v && v->indicator_notes ? v->indicator_notes[i] : NULL, x->in_wrap);
        fx_string(x, ws, r, FILLIN_STATS_MEASURE, ind->measure, x->fixed);
        fx_check(x, worksheet_write_string(ws, r, FILLIN_STATS_REQUIRED,
                                           ind->required ? "必填" : "选填", x->fixed));
        fx_check(x, worksheet_set_row(ws, r, wrapped_height(ind->name, widths[1]), NULL));

        char message[1024];
        if (ind->note && *ind->note)
            snprintf(message, sizeof message, "%s（%s）", ind->note, ind->uom);
        else
            snprintf(message, sizeof message, "%s，单位：%s。留空表示未填报，0 表示为零。",
                     ind->name, ind->uom);
        lxw_data_validation dv = {0};
        dv.validate = count ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
        dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        dv.value_number = 0;
        dv.error_message = count ? "请填写不小于 0 的整数" : "请填写不小于 0 的数值";
        fx_validate(x, ws, r, FILLIN_STATS_VALUE, r, FILLIN_STATS_VALUE, &dv, ind->name,
                    message);
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (c->indicator_count)
        worksheet_set_selection(ws, 1, FILLIN_STATS_VALUE, 1, FILLIN_STATS_VALUE);
    fx_protect(ws, false);
}

static const char *yesno_word(const fx *x, fillin_yesno v)
{
    if (v == FILLIN_YES)
        return x->config->yes_word;
    if (v == FILLIN_NO)
        return x->config->no_word;
    return NULL;
}

static void sheet_cases(fx *x, lxw_worksheet *ws)
{
    const fillin_values *v = x->values;
    size_t count = v && v->cases ? v->case_count : 0;
    lxw_row_t last = (lxw_row_t)(count + FILLIN_CASE_ROWS);
    lxw_format *colfmt[FILLIN_CASE__COUNT];
    for (int col = 0; col < FILLIN_CASE__COUNT; col++) {
        lxw_format *f = x->in_text;
        switch (col) {
        case FILLIN_CASE_NUMBER: case FILLIN_CASE_PARTNER: f = x->in_code; break;
        case FILLIN_CASE_FILED: case FILLIN_CASE_CLOSED: f = x->in_date; break;
        case FILLIN_CASE_AMOUNT: case FILLIN_CASE_FINE: f = x->in_amount; break;
        case FILLIN_CASE_NAME: case FILLIN_CASE_SUMMARY: case FILLIN_CASE_REMARK:
            f = x->in_wrap; break;
        default: break;
        }
        colfmt[col] = f;
        fx_check(x, worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, case_widths[col], f));
        fx_check(x, worksheet_write_string(ws, 0, (lxw_col_t)col,
                                           workbook_contract_case_header((fillin_case_column)col),
                                           x->header));
    }
    fx_check(x, worksheet_set_row(ws, 0, 36, NULL));

    for (size_t i = 0; i < count; i++) {
        const fillin_case *k = &v->cases[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        const char *texts[FILLIN_CASE__COUNT] = {
            [FILLIN_CASE_NUMBER] = k->number, [FILLIN_CASE_NAME] = k->name,
            [FILLIN_CASE_STATUS] = k->status, [FILLIN_CASE_CATEGORY] = k->category,
            [FILLIN_CASE_COMMODITY] = k->commodity, [FILLIN_CASE_CHANNEL] = k->channel,
            [FILLIN_CASE_KEY_MARKET] = yesno_word(x, k->key_market),
            [FILLIN_CASE_RURAL] = yesno_word(x, k->rural),
            [FILLIN_CASE_TRANSFERRED] = yesno_word(x, k->transferred),
            [FILLIN_CASE_CROSS_REGION] = yesno_word(x, k->cross_region),
            [FILLIN_CASE_PARTNER] = k->partner, [FILLIN_CASE_LEAD_SOURCE] = k->lead_source,
            [FILLIN_CASE_TYPICAL] = yesno_word(x, k->typical),
            [FILLIN_CASE_SUMMARY] = k->summary, [FILLIN_CASE_REMARK] = k->remark,
        };
        for (int col = 0; col < FILLIN_CASE__COUNT; col++)
            if (texts[col] && *texts[col])
                fx_check(x, worksheet_write_string(ws, r, (lxw_col_t)col, texts[col],
                                                   colfmt[col]));
        if (k->filed != HZ_DATE_NONE)
            fx_date(x, ws, r, FILLIN_CASE_FILED, k->filed, x->in_date);
        if (k->closed != HZ_DATE_NONE)
            fx_date(x, ws, r, FILLIN_CASE_CLOSED, k->closed, x->in_date);
        if (k->has_amount)
            fx_check(x, worksheet_write_number(ws, r, FILLIN_CASE_AMOUNT,
                                               hz_amount_to_double(k->amount), x->in_amount));
        if (k->has_fine)
            fx_check(x, worksheet_write_number(ws, r, FILLIN_CASE_FINE,
                                               hz_amount_to_double(k->fine), x->in_amount));
    }

    /* Dropdowns read the hidden 选项 sheet: inline lists of CJK words crash
     * libxlsxwriter 1.1.4 (LIBRARY-NOTES). */
    static const struct { int col; int opt; const char *title; } lists[] = {
        {FILLIN_CASE_STATUS, OPT_STATUS, "办理状态"},
        {FILLIN_CASE_CATEGORY, OPT_CATEGORY, "案件类别"},
        {FILLIN_CASE_COMMODITY, OPT_COMMODITY, "商品类别"},
        {FILLIN_CASE_CHANNEL, OPT_CHANNEL, "执法领域"},
        {FILLIN_CASE_LEAD_SOURCE, OPT_LEAD, "线索来源"},
        {FILLIN_CASE_KEY_MARKET, OPT_YESNO, NULL},
        {FILLIN_CASE_RURAL, OPT_YESNO, NULL},
        {FILLIN_CASE_TRANSFERRED, OPT_YESNO, NULL},
        {FILLIN_CASE_CROSS_REGION, OPT_YESNO, NULL},
        {FILLIN_CASE_TYPICAL, OPT_YESNO, NULL},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (!x->option_ref[lists[i].opt][0])
            continue;
        lxw_data_validation dv = {0};
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = x->option_ref[lists[i].opt];
        dv.error_message = "请从下拉列表中选择";
        fx_validate(x, ws, 1, (lxw_col_t)lists[i].col, last, (lxw_col_t)lists[i].col, &dv,
                    NULL, lists[i].title ? "请从下拉列表中选择" : NULL);
    }
    lxw_data_validation dd = {0};
    dd.validate = LXW_VALIDATION_TYPE_DATE_NUMBER;
    dd.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dd.minimum_number = hz_date_to_serial(x->config->start);
    dd.maximum_number = hz_date_to_serial(x->config->end);
    dd.error_message = "日期应在专项行动期间内，格式 YYYY-MM-DD";
    fx_validate(x, ws, 1, FILLIN_CASE_FILED, last, FILLIN_CASE_CLOSED, &dd, "日期",
                "格式 YYYY-MM-DD；已结案的须填写结案日期，且不早于立案日期");
    lxw_data_validation da = {0};
    da.validate = LXW_VALIDATION_TYPE_DECIMAL;
    da.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    da.value_number = 0;
    da.error_message = "金额应为不小于 0 的数值，单位万元，最多四位小数";
    fx_validate(x, ws, 1, FILLIN_CASE_AMOUNT, last, FILLIN_CASE_FINE, &da, "金额（万元）",
                "以万元为单位，最多保留四位小数，如 1.2345");

    worksheet_freeze_panes(ws, 1, 0);
    fx_check(x, worksheet_autofilter(ws, 0, 0, last, FILLIN_CASE__COUNT - 1));
    worksheet_set_selection(ws, 1, 0, 1, 0);
    fx_protect(ws, true);
}

static void sheet_text(fx *x, lxw_worksheet *ws)
{
    const fillin_values *v = x->values;
    fx_check(x, worksheet_set_column(ws, 0, 0, 18, NULL));
    fx_check(x, worksheet_set_column(ws, 1, 1, 100, NULL));
    for (int i = 0; i < FILLIN_TEXT__COUNT; i++) {
        const char *t = v ? v->texts[i] : NULL;
        double h = t ? wrapped_height(t, 100) : 0;
        fx_check(x, worksheet_set_row(ws, (lxw_row_t)i, h > 150 ? h : 150, NULL));
        fx_check(x, worksheet_write_string(ws, (lxw_row_t)i, 0,
                                           workbook_contract_text_label((fillin_text_section)i),
                                           x->label));
        fx_string(x, ws, (lxw_row_t)i, 1, t, x->in_wrap);
    }
    worksheet_set_selection(ws, 0, 1, 0, 1);
    fx_protect(ws, false);
}

static void sheet_options(fx *x, lxw_worksheet *ws)
{
    const hz_config *c = x->config;
    const char *yn[2] = {c->yes_word, c->no_word};
    hz_list yesno = {(char **)yn, 2, 0};
    const struct { const char *title; const hz_list *list; } cols[OPT__COUNT] = {
        [OPT_STATUS] = {"办理状态", &c->case_statuses},
        [OPT_CATEGORY] = {"案件类别", &c->case_categories},
        [OPT_COMMODITY] = {"商品类别", &c->commodities},
        [OPT_CHANNEL] = {"执法领域", &c->channels},
        [OPT_LEAD] = {"线索来源", &c->lead_sources},
        [OPT_YESNO] = {"是否", &yesno},
    };
    for (int i = 0; i < OPT__COUNT; i++) {
        lxw_col_t col = (lxw_col_t)i;
        fx_check(x, worksheet_set_column(ws, col, col, 20, NULL));
        fx_check(x, worksheet_write_string(ws, 0, col, cols[i].title, x->header));
        size_t n = 0;
        for (size_t j = 0; j < cols[i].list->count; j++)
            if (cols[i].list->items[j] && *cols[i].list->items[j])
                fx_check(x, worksheet_write_string(ws, (lxw_row_t)(++n), col,
                                                   cols[i].list->items[j], NULL));
        x->option_ref[i][0] = '\0';
        if (n)
            snprintf(x->option_ref[i], sizeof x->option_ref[i], "'%s'!$%c$2:$%c$%zu",
                     FILLIN_SHEET_OPTIONS, 'A' + i, 'A' + i, n + 1);
    }
    worksheet_hide(ws);
    fx_protect(ws, false);
}

/* ---------------------------------------------------------------------- */

static hz_status fx_build(fx *x, const char *tmp, hz_error *err)
{
    x->wb = workbook_new(tmp);
    if (!x->wb)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_FILLIN_XLSX, tmp, "workbook_new", NULL);
    fx_formats(x);

    char title[512];
    hz_msg_formatv(HZ_LANG_ZH, HZ_M_FILLIN_DOC_TITLE, title, sizeof title, x->config->name,
                   x->round->name, NULL);
    hz_date when = x->values && x->values->fill_date != HZ_DATE_NONE
                       ? x->values->fill_date
                       : x->round->deadline;
    lxw_doc_properties props = {0};
    props.title = title;
    props.subject = x->round->name;
    props.author = x->unit->name;
    props.company = x->config->authority;
    props.keywords = x->unit->code;
    props.created = (time_t)when * 86400;
    fx_check(x, workbook_set_properties(x->wb, &props));

    lxw_worksheet *ws[6];
    static const char *const names[6] = {
        FILLIN_SHEET_GUIDE, FILLIN_SHEET_INFO, FILLIN_SHEET_STATS,
        FILLIN_SHEET_CASES, FILLIN_SHEET_TEXT, FILLIN_SHEET_OPTIONS,
    };
    for (int i = 0; i < 6; i++) {
        ws[i] = workbook_add_worksheet(x->wb, names[i]);
        if (!ws[i])
            fx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    }
    if (x->error == LXW_NO_ERROR) {
        /* The options sheet first: the dropdowns need its ranges. */
        sheet_options(x, ws[5]);
        sheet_guide(x, ws[0]);
        sheet_info(x, ws[1]);
        sheet_stats(x, ws[2]);
        sheet_cases(x, ws[3]);
        sheet_text(x, ws[4]);
    }
    lxw_error closed = workbook_close(x->wb);
    x->wb = NULL;
    fx_check(x, closed);
    if (x->error != LXW_NO_ERROR)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_FILLIN_XLSX, tmp, lxw_strerror(x->error),
                            NULL);
    return HZ_OK;
}

hz_status fillin_write_values(const hz_config *config, const hz_unit *unit,
                              const hz_round *round, const fillin_values *values,
                              const char *path, hz_error *err)
{
    if (!config || !unit || !round || !path || !*path)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "fillin_write: NULL argument",
                            NULL);
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        hz_status s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(errno), NULL);
        free(tmp);
        return s;
    }
    close(fd);

    fx x = {.config = config, .unit = unit, .round = round, .values = values};
    hz_status s = fx_build(&x, tmp, err);
    if (s == HZ_OK && chmod(tmp, 0644) != 0)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, tmp, strerror(errno), NULL);
    if (s == HZ_OK && rename(tmp, path) != 0)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, tmp, path, strerror(errno), NULL);
    if (s != HZ_OK)
        unlink(tmp);
    free(tmp);
    return s;
}

hz_status fillin_write(const hz_config *config, const hz_unit *unit, const hz_round *round,
                       const char *path, hz_error *err)
{
    return fillin_write_values(config, unit, round, NULL, path, err);
}
