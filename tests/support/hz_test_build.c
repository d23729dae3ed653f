/* hz_test_build.c - consolidations built in memory for unit tests. */
#include "hz_test_build.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

hz_date test_date(const char *text)
{
    hz_date d;
    cr_assert(hz_date_parse(text, &d), "date %s", text);
    return d;
}

char *test_str(const char *text)
{
    char *s = strdup(text ? text : "");
    cr_assert_not_null(s);
    return s;
}

hz_cons_file make_file(const hz_config *config, const char *name, const char *code, int version,
                       bool valid, const char *fill_date)
{
    hz_cons_file f = {0};
    f.name = test_str(name);
    f.path = test_str(name);
    f.unit = HZ_NONE_INDEX;
    f.status = HZ_FILE_REJECTED;
    f.check = calloc(1, sizeof *f.check);
    cr_assert_not_null(f.check);
    hz_submission *sub = &f.check->sub;
    sub->path = test_str(name);
    sub->file_name = test_str(name);
    snprintf(sub->sha256, sizeof sub->sha256, "%064d", 0);
    for (int h = 0; h < HZ_H__COUNT; h++)
        sub->header.text[h] = test_str("");
    free(sub->header.text[HZ_H_UNIT_CODE]);
    sub->header.text[HZ_H_UNIT_CODE] = test_str(code);
    sub->header.version = version;
    sub->header.fill_date = fill_date ? test_date(fill_date) : HZ_DATE_NONE;
    sub->header.period_end = HZ_DATE_NONE;
    sub->unit = config_find_unit(config, code);
    sub->readable = true;
    sub->value_count = config->indicator_count;
    sub->values = calloc(config->indicator_count, sizeof *sub->values);
    cr_assert_not_null(sub->values);
    for (size_t i = 0; i < config->indicator_count; i++) {
        sub->values[i].indicator = &config->indicators[i];
        sub->values[i].note = test_str("");
    }
    for (int n = 0; n < HZ_N__COUNT; n++)
        sub->narrative[n] = test_str("");
    for (int c = 0; c < HZ_C__COUNT; c++)
        sub->case_col[c] = (uint32_t)c;
    f.check->valid = valid;
    f.check->counts.errors = valid ? 0 : 2;
    return f;
}

void set_value(hz_cons_file *f, size_t indicator, long long whole)
{
    hz_value *v = &f->check->sub.values[indicator];
    v->present = true;
    v->valid = true;
    v->value = (hz_amount)whole * HZ_AMOUNT_SCALE;
}

void add_case(hz_cons_file *f, case_spec spec)
{
    hz_submission *sub = &f->check->sub;
    sub->cases = realloc(sub->cases, (sub->case_count + 1) * sizeof *sub->cases);
    cr_assert_not_null(sub->cases);
    hz_case *c = &sub->cases[sub->case_count++];
    memset(c, 0, sizeof *c);
    c->row = (uint32_t)sub->case_count + 1;
    const char *texts[10] = {
        spec.no, spec.no, spec.closed ? "已结案" : "在办",
        spec.category ? spec.category : "商标侵权假冒",
        spec.commodity ? spec.commodity : "食品",
        spec.channel ? spec.channel : "实体市场", "日常检查",
        spec.assist ? spec.assist : "", spec.typical ? "典型案例简介" : "",
        spec.note ? spec.note : ""};
    char **slots[10] = {&c->case_no, &c->name, &c->status, &c->category, &c->commodity,
                        &c->channel, &c->lead_source, &c->assist_units, &c->typical_summary,
                        &c->note};
    size_t total = 0, off[10];
    for (int i = 0; i < 10; i++) {
        off[i] = total;
        total += strlen(texts[i]) + 1;
    }
    char *block = malloc(total);
    cr_assert_not_null(block);
    for (int i = 0; i < 10; i++) {
        memcpy(block + off[i], texts[i], strlen(texts[i]) + 1);
        *slots[i] = block + off[i];
    }
    c->filed = test_date(spec.filed);
    c->closed = spec.closed ? c->filed + 10 : HZ_DATE_NONE;
    c->is_closed = spec.closed;
    c->key_market = spec.key_market ? HZ_YES : HZ_NO;
    c->rural = spec.rural ? HZ_YES : HZ_NO;
    c->transferred = spec.transferred ? HZ_YES : HZ_NO;
    c->cross_region = HZ_NO;
    c->typical = spec.typical ? HZ_YES : HZ_NO;
    c->amount = spec.amount;
    c->fine = spec.fine;
    c->has_amount = true;
    c->has_fine = true;
}

void push_file(fileset *fs, hz_cons_file f)
{
    fs->files = realloc(fs->files, (fs->count + 1) * sizeof *fs->files);
    cr_assert_not_null(fs->files);
    fs->files[fs->count++] = f;
}

hz_consolidation *build_consolidation(const hz_config *config, fileset *fs, const char *round_id,
                                      const char *receipts_text)
{
    const hz_round *round = config_find_round(config, round_id);
    cr_assert_not_null(round);
    hz_receipts receipts = {0};
    hz_error err = {0};
    if (receipts_text)
        cr_assert_eq(consolidate_parse_receipts(receipts_text, "receipts.ini", &receipts, &err),
                     HZ_OK);
    hz_consolidation *cons = NULL;
    cr_assert_eq(consolidate_build(config, round, "folder", fs->files, fs->count, &receipts,
                                   &cons, &err),
                 HZ_OK);
    fs->files = NULL;
    fs->count = 0;
    return cons;
}

size_t unit_of(const hz_consolidation *cons, const char *code)
{
    for (size_t u = 0; u < cons->unit_count; u++)
        if (!strcmp(cons->units[u].unit->code, code))
            return u;
    cr_assert_fail("no unit %s", code);
    return 0;
}
