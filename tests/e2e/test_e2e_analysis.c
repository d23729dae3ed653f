/* test_e2e_analysis.c - `huizong consolidate` across rounds and years (issue
 * 7): returns generated with `huizong synth`, then changed with a small
 * read-modify-write helper (submission_read -> fillin_write_values): a
 * dropped stage case (explained and not), a cumulative indicator that fell,
 * a stock indicator that changed, an injected outlier (explained and not),
 * fewer units than outlier min_units, and last year's archive (made with
 * `huizong archive`) present, missing and tampered. The shipped samples'
 * report shows the increments and the assessment in the PDF and XLSX. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_json.h"
#include "hz_test_fixture.h"
#include "hz_test_sheet.h"
#include "submission.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"

HZ_TEST_FIXTURE("e2e-analysis");

TestSuite(e2e_analysis, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

/* ------------------------------------------------------------ helpers */

static void run_ok(const char *what, hz_run r)
{
    cr_assert_eq(r.exit_code, 0, "%s: exit %d\n%s\n%s", what, r.exit_code, r.out, r.err);
}

/* synth every unit's return of round into dir. */
static void synth(const char *dir, const char *round, int cases)
{
    hz_run r = hz_test_run("'%s' synth --round %s --seed 11 --all --cases %d -o '%s'", HZ_BIN,
                           round, cases, dir);
    run_ok("synth", r);
    hz_run_free(&r);
}

/* Path of unit code's return in dir (synth names start with the code). */
static char *file_of(const char *dir, const char *code)
{
    const hz_unit *u = config_find_unit(config, code);
    cr_assert_not_null(u);
    char name[512];
    cr_assert(fillin_file_name(u, config_find_round(config, strstr(dir, "stage") ? "stage"
                                                                                  : "annual"),
                               name, sizeof name));
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

/* A return read back, changed by the test, and written again. */
typedef struct edit {
    hz_submission sub;
    fillin_values v;
    fillin_case *cases;
    double *values;
    bool *present;
    const char **notes;
} edit;

static fillin_yesno yn(hz_tristate t)
{
    return t == HZ_YES ? FILLIN_YES : t == HZ_NO ? FILLIN_NO : FILLIN_BLANK;
}

static void edit_open(edit *e, const char *path)
{
    memset(e, 0, sizeof *e);
    hz_issue_list issues = {0};
    hz_error err = {0};
    cr_assert_eq(submission_read(path, config, &e->sub, &issues, &err), HZ_OK, "%s", path);
    issue_list_free(&issues);
    hz_submission *s = &e->sub;
    e->cases = calloc(s->case_count + 1, sizeof *e->cases);
    e->values = calloc(config->indicator_count, sizeof *e->values);
    e->present = calloc(config->indicator_count, sizeof *e->present);
    e->notes = calloc(config->indicator_count, sizeof *e->notes);
    for (size_t k = 0; k < s->case_count; k++) {
        const hz_case *c = &s->cases[k];
        e->cases[k] = (fillin_case){
            .number = c->case_no, .name = c->name, .filed = c->filed, .closed = c->closed,
            .status = c->status, .category = c->category, .commodity = c->commodity,
            .channel = c->channel, .key_market = yn(c->key_market), .rural = yn(c->rural),
            .amount = c->amount, .fine = c->fine, .has_amount = c->has_amount,
            .has_fine = c->has_fine, .transferred = yn(c->transferred),
            .cross_region = yn(c->cross_region), .partner = c->assist_units,
            .lead_source = c->lead_source, .typical = yn(c->typical),
            .summary = c->typical_summary, .remark = c->note};
    }
    for (size_t i = 0; i < s->value_count && i < config->indicator_count; i++) {
        e->values[i] = hz_amount_to_double(s->values[i].value);
        e->present[i] = s->values[i].present;
        e->notes[i] = s->values[i].note;
    }
    e->v = (fillin_values){
        .fill_date = s->header.fill_date, .filler = s->header.text[HZ_H_FILLER],
        .phone = s->header.text[HZ_H_PHONE], .reviewer = s->header.text[HZ_H_REVIEWER],
        .head = s->header.text[HZ_H_LEADER], .version = s->header.version,
        .indicator_values = e->values, .indicator_present = e->present,
        .indicator_notes = e->notes, .cases = e->cases, .case_count = s->case_count};
    for (int t = 0; t < FILLIN_TEXT__COUNT; t++)
        e->v.texts[t] = s->narrative[t];
}

static void edit_save(edit *e, const char *path)
{
    hz_error err = {0};
    char msg[1024];
    const hz_unit *unit = config_find_unit(config, e->sub.header.text[HZ_H_UNIT_CODE]);
    const hz_round *round = config_find_round_by_word(config, e->sub.header.text[HZ_H_ROUND]);
    cr_assert(unit && round);
    cr_assert_eq(fillin_write_values(config, unit, round, &e->v, path, &err),
                 HZ_OK, "%s", hz_error_render(&err, HZ_LANG_ZH, msg, sizeof msg));
    free(e->cases);
    free(e->values);
    free(e->present);
    free(e->notes);
    submission_free(&e->sub);
}

static size_t ind_of(const char *code)
{
    const hz_indicator *ind = config_find_indicator(config, code);
    cr_assert_not_null(ind);
    return (size_t)(ind - config->indicators);
}

static void drop_case(edit *e, size_t k)
{
    memmove(&e->cases[k], &e->cases[k + 1], (e->v.case_count - k - 1) * sizeof *e->cases);
    e->v.case_count--;
}

static json_object *load_json(const char *path)
{
    json_object *j = json_object_from_file(path);
    cr_assert_not_null(j, "%s", path);
    return j;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    cr_assert(json_object_object_get_ex(o, key, &v), "no key %s", key);
    return v;
}

/* Consolidation issues of validation.json with rule (and file containing
 * code when code is not NULL): how many, and of them explained / errors. */
typedef struct found { int n, explained, errors, notices; } found;

static found issues_with(json_object *validation, const char *rule, const char *code)
{
    found f = {0};
    json_object *list = get(get(validation, "consolidation"), "issues");
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *is = json_object_array_get_idx(list, i);
        const char *r = json_object_get_string(get(is, "rule"));
        const char *file = json_object_get_string(get(is, "file"));
        if (strcmp(r, rule) || (code && !strstr(file, code)))
            continue;
        f.n++;
        f.explained += json_object_get_boolean(get(is, "explained"));
        f.errors += !strcmp(json_object_get_string(get(is, "severity")), "error");
        f.notices += !strcmp(json_object_get_string(get(is, "severity")), "notice");
    }
    return f;
}

static int count_prefix(json_object *validation, const char *prefix)
{
    int n = 0;
    json_object *list = get(get(validation, "consolidation"), "issues");
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *r = json_object_get_string(get(json_object_array_get_idx(list, i), "rule"));
        n += !strncmp(r, prefix, strlen(prefix));
    }
    return n;
}

/* Text of the annual report PDF in out, without line breaks and blanks
 * (caller frees the run). */
static hz_run annual_pdf_text(const char *out)
{
    return hz_test_run("pdftotext '%s/许昌市打击侵犯知识产权犯罪专项治理-年度总结.pdf' - "
                       "2>/dev/null | tr -d '\\n '",
                       out);
}

/* consolidate; returns the run (caller frees). */
static hz_run consolidate(const char *extra, const char *folder, const char *out)
{
    return hz_test_run("'%s' consolidate --round annual --as-of 2022-12-20 --xlsx-only %s "
                       "-o '%s' '%s'",
                       HZ_BIN, extra, out, folder);
}

/* ------------------------------------------------------------ samples */

Test(e2e_analysis, sample_report_shows_increments_and_assessment)
{
    char out[4096];
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = hz_test_run("'%s' consolidate --round annual --as-of 2022-12-20 --stage '%s/stage' "
                           "-o '%s' '%s/annual'",
                           HZ_BIN, SAMPLES, out, SAMPLES);
    run_ok("consolidate", r);
    hz_run_free(&r);

    char path[4200];
    snprintf(path, sizeof path, "%s/context.json", out);
    json_object *ctx = load_json(path);
    cr_expect(json_object_get_boolean(get(ctx, "has_assessment")));
    json_object *as = get(ctx, "assessment");
    cr_assert_eq(json_object_array_length(as), config->unit_count);
    /* rank order, the missing unit last with 0 */
    json_object *last = json_object_array_get_idx(as, config->unit_count - 1);
    cr_expect_str_eq(json_object_get_string(get(last, "score")), "0.00");
    cr_expect(json_object_get_boolean(get(last, "missing")));
    cr_expect(json_object_get_boolean(get(get(ctx, "continuity"), "done")));
    cr_expect_eq(json_object_get_int(get(get(ctx, "continuity"), "dropped_cases")), 0);
    int inc = json_object_get_int(get(get(ctx, "stage"), "cases_increment"));
    cr_expect_gt(inc, 0);

    /* XLSX: 分轮次 and 考核 */
    snprintf(path, sizeof path, "%s/许昌市打击侵犯知识产权犯罪专项治理-年度总结.xlsx", out);
    tsheet rounds = load_sheet(path, "分轮次");
    uint32_t hrow = 2;
    uint32_t cinc = col_of(&rounds, hrow, "立案数（件）\n增量");
    uint32_t total = row_where(&rounds, 1, "合计");
    cr_expect_float_eq(number_at(&rounds, total, cinc), inc, 1e-9);
    free_sheet(&rounds);
    tsheet ks = load_sheet(path, "考核");
    cr_expect(strstr(text_at(&ks, 0, 0), "考核得分 =") != NULL, "%s", text_at(&ks, 0, 0));
    cr_expect(strstr(text_at(&ks, 1, 0), "每迟报 1 天扣 2 分") != NULL, "%s", text_at(&ks, 1, 0));
    uint32_t h = ANALYSIS_FORMULA_LINES + 1; /* the formula lines, a blank row */
    uint32_t ctotal = col_of(&ks, h, "总分");
    uint32_t crank = col_of(&ks, h, "名次");
    cr_expect_float_eq(number_at(&ks, h + 1, crank), 1, 0);
    double top = number_at(&ks, h + 1, ctotal);
    char want[32];
    snprintf(want, sizeof want, "%.2f", top);
    cr_expect_str_eq(json_object_get_string(get(json_object_array_get_idx(as, 0), "score")), want);
    free_sheet(&ks);
    hz_test_require("unzip", "unzip");
    {
        hz_run z = hz_test_run("unzip -l '%s' | grep -c 'xl/comments'", path);
        cr_expect_eq(z.exit_code, 0, "the 考核 sheet has header notes");
        hz_run_free(&z);
    }

    /* PDF text */
    hz_test_require("pdftotext", "poppler-utils");
    {
        hz_run t = annual_pdf_text(out);
        cr_expect(strstr(t.out, "分单位看") != NULL);
        cr_expect(strstr(t.out, "七、考核情况") != NULL);
        cr_expect(strstr(t.out, "考核办法如下") != NULL);
        cr_expect(strstr(t.out, "各单位专项治理工作考核结果") != NULL);
        cr_expect(strstr(t.out, "经与阶段小结逐单位核对") != NULL);
        hz_run_free(&t);
    }
    json_object_put(ctx);
}

/* ------------------------------------------------------------ continuity */

Test(e2e_analysis, continuity_faults)
{
    char stage[4096], annual[4096], out[4096];
    snprintf(stage, sizeof stage, "%s/stage", tmp);
    snprintf(annual, sizeof annual, "%s/annual", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    synth(stage, "stage", 4);
    synth(annual, "annual", 2);
    size_t a01 = ind_of("A01"), a04 = ind_of("A04");

    /* 411002 drops its first stage case without a word */
    char *p = file_of(annual, "411002");
    edit e;
    edit_open(&e, p);
    char dropped1[64];
    snprintf(dropped1, sizeof dropped1, "%s", e.cases[0].number);
    drop_case(&e, 0);
    edit_save(&e, p);
    free(p);
    /* 411003 drops one and explains it in the 统计表 说明 */
    p = file_of(annual, "411003");
    edit_open(&e, p);
    char note[160];
    snprintf(note, sizeof note, "案件%s已撤销立案", e.cases[1].number);
    e.notes[a01] = note;
    drop_case(&e, 1);
    edit_save(&e, p);
    free(p);
    /* 411024's cumulative A01 falls below its stage value */
    char *sp = file_of(stage, "411024");
    edit se;
    edit_open(&se, sp);
    double stage_a01 = se.values[a01];
    edit_save(&se, sp); /* unchanged rewrite */
    free(sp);
    cr_assert_gt(stage_a01, 0);
    p = file_of(annual, "411024");
    edit_open(&e, p);
    e.values[a01] = stage_a01 - 1;
    edit_save(&e, p);
    free(p);
    /* 411025's stock A04 changes: a notice; the annual value is used */
    p = file_of(annual, "411025");
    edit_open(&e, p);
    e.values[a04] += 7;
    char stock_now[32];
    snprintf(stock_now, sizeof stock_now, "%.0f", e.values[a04]);
    edit_save(&e, p);
    free(p);

    char extra[4200];
    snprintf(extra, sizeof extra, "--stage '%s'", stage);
    hz_run r = consolidate(extra, annual, out);
    run_ok("consolidate", r);
    hz_run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/validation.json", out);
    json_object *v = load_json(path);
    cr_expect_not(json_object_get_boolean(get(v, "valid")));
    found f = issues_with(v, "continuity.dropped_case", "411002");
    cr_expect_eq(f.n, 1);
    cr_expect_eq(f.errors, 1);
    f = issues_with(v, "continuity.dropped_case", "411003");
    cr_expect_eq(f.n, 1);
    cr_expect_eq(f.errors, 0);
    cr_expect_eq(f.explained, 1);
    f = issues_with(v, "continuity.cumulative_fell", "411024");
    cr_expect_eq(f.n, 1);
    cr_expect_eq(f.errors, 1);
    /* synth itself moves stock indicators between rounds: find ours */
    json_object *all = get(get(v, "consolidation"), "issues");
    bool stock_seen = false;
    for (size_t i = 0; i < json_object_array_length(all); i++) {
        json_object *is = json_object_array_get_idx(all, i);
        if (!strcmp(json_object_get_string(get(is, "rule")), "continuity.stock_changed") &&
            strstr(json_object_get_string(get(is, "file")), "411025") &&
            !strcmp(json_object_get_string(get(is, "field")), config->indicators[a04].name)) {
            stock_seen = true;
            cr_expect_str_eq(json_object_get_string(get(is, "severity")), "notice");
            cr_expect_str_eq(json_object_get_string(get(is, "found")), stock_now);
        }
    }
    cr_expect(stock_seen);
    cr_expect_eq(issues_with(v, "continuity.dropped_case", NULL).n, 2);
    cr_expect_eq(issues_with(v, "continuity.cumulative_fell", NULL).n, 1);
    /* the dropped case number is named */
    json_object *list = get(get(v, "consolidation"), "issues");
    bool named = false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *is = json_object_array_get_idx(list, i);
        if (!strcmp(json_object_get_string(get(is, "found")), dropped1))
            named = true;
    }
    cr_expect(named);
    json_object_put(v);

    /* in the workbook's 校验问题 too */
    snprintf(path, sizeof path, "%s/许昌市打击侵犯知识产权犯罪专项治理-年度总结.xlsx", out);
    tsheet is = load_sheet(path, "校验问题");
    uint32_t crule = col_of(&is, 0, "规则");
    int seen = 0;
    for (size_t i = 0; i < is.count; i++)
        if (is.cells[i].col == crule && is.cells[i].text &&
            !strncmp(is.cells[i].text, "continuity.", 11))
            seen++;
    cr_expect_geq(seen, 4); /* 3 faults + stock notices */
    free_sheet(&is);
    /* the context counts them for the report */
    snprintf(path, sizeof path, "%s/context.json", out);
    json_object *ctx = load_json(path);
    json_object *cont = get(ctx, "continuity");
    cr_expect_eq(json_object_get_int(get(cont, "dropped_cases")), 2);
    cr_expect_eq(json_object_get_int(get(cont, "dropped_explained")), 1);
    cr_expect_eq(json_object_get_int(get(cont, "cumulative_fell")), 1);
    cr_expect_geq(json_object_get_int(get(cont, "stock_changed")), 1);
    json_object_put(ctx);
}

/* ------------------------------------------------------------ outliers */

static void outlier_case(const char *unit_note, bool expect_explained)
{
    char annual[4096], out[4096];
    snprintf(annual, sizeof annual, "%s/annual", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    synth(annual, "annual", 3);
    size_t a05 = ind_of("A05");
    char *p = file_of(annual, "411081");
    edit e;
    edit_open(&e, p);
    e.values[a05] = 100000; /* far above any synth value */
    if (unit_note)
        e.notes[a05] = unit_note;
    edit_save(&e, p);
    free(p);
    hz_run r = consolidate("", annual, out);
    run_ok("consolidate", r);
    hz_run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/validation.json", out);
    json_object *v = load_json(path);
    found f = issues_with(v, "outlier.A05", "411081");
    cr_expect_eq(f.n, 1);
    cr_expect_eq(f.errors, 0);
    cr_expect_eq(f.explained, expect_explained ? 1 : 0);
    json_object_put(v);
    snprintf(path, sizeof path, "%s/context.json", out);
    json_object *ctx = load_json(path);
    json_object *outl = get(ctx, "outliers");
    bool listed = false;
    for (size_t i = 0; i < json_object_array_length(outl); i++) {
        json_object *o = json_object_array_get_idx(outl, i);
        if (!strcmp(json_object_get_string(get(o, "figure")), config->indicators[a05].name) &&
            !strcmp(json_object_get_string(get(o, "value")), "100000"))
            listed = json_object_get_boolean(get(o, "explained")) == expect_explained;
    }
    cr_expect(listed, "the outlier is listed for the report's data-quality paragraph");
    json_object_put(ctx);
}

Test(e2e_analysis, outlier_unexplained)
{
    outlier_case(NULL, false);
}

Test(e2e_analysis, outlier_explained)
{
    outlier_case("本年开展集中整治，明查暗访次数较多", true);
}

Test(e2e_analysis, fewer_units_than_outlier_minimum)
{
    char all[4096], three[4096], out[4096];
    snprintf(all, sizeof all, "%s/all", tmp);
    snprintf(three, sizeof three, "%s/three", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    synth(all, "annual", 3);
    hz_run r = hz_test_run("mkdir -p '%s' && cp '%s'/411002-* '%s'/411003-* '%s'/411024-* '%s'/",
                           three, all, all, all, three);
    run_ok("copy", r);
    hz_run_free(&r);
    /* an outrageous value that would be flagged among enough peers */
    char *p = file_of(three, "411024");
    edit e;
    edit_open(&e, p);
    e.values[ind_of("A05")] = 100000;
    edit_save(&e, p);
    free(p);
    r = consolidate("", three, out);
    run_ok("consolidate", r);
    hz_run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/validation.json", out);
    json_object *v = load_json(path);
    cr_expect_eq(count_prefix(v, "outlier."), 0);
    json_object_put(v);
    snprintf(path, sizeof path, "%s/context.json", out);
    json_object *ctx = load_json(path);
    json_object *dq = get(ctx, "data_quality");
    cr_expect_eq(json_object_get_int(get(dq, "outliers_checked")), 0);
    cr_expect_eq(json_object_get_int(get(dq, "outliers_skipped")),
                 (int)(5 + config->indicator_count));
    json_object_put(ctx);
}

/* ------------------------------------------------------------ previous year */

/* Last year's archive: the shipped 2022 samples archived with `huizong
 * archive`; this year: a copy of the config moved to 2023 and synth returns
 * for it. Returns the config folder; *archive and *annual are set. */
static void two_years(char *cfg, char *archive, char *samples, size_t size)
{
    snprintf(cfg, size, "%s/cfg2023", tmp);
    snprintf(archive, size, "%s/archive-2022", tmp);
    snprintf(samples, size, "%s/s2023", tmp);
    hz_run r = hz_test_run("'%s' archive --round annual --stage '%s/stage' --as-of 2022-12-20 "
                           "-o '%s' '%s/annual'",
                           HZ_BIN, SAMPLES, archive, SAMPLES);
    run_ok("archive", r);
    hz_run_free(&r);
    r = hz_test_run("cp -r '%s' '%s' && sed -i 's/2022-/2023-/g; s/^year *= *2022/year = 2023/' "
                    "'%s/campaign.ini'",
                    HZ_TEST_CONFIG_DIR, cfg, cfg);
    run_ok("config 2023", r);
    hz_run_free(&r);
    r = hz_test_run("'%s' synth --config '%s' --seed 5 --samples '%s'", HZ_BIN, cfg, samples);
    run_ok("synth 2023", r);
    hz_run_free(&r);
}

Test(e2e_analysis, previous_archive_present)
{
    char cfg[2048], archive[2048], samples[2048], out[4096];
    two_years(cfg, archive, samples, sizeof cfg);
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = hz_test_run("'%s' consolidate --config '%s' --round annual --stage '%s/stage' "
                           "--previous '%s' -o '%s' '%s/annual'",
                           HZ_BIN, cfg, samples, archive, out, samples);
    run_ok("consolidate --previous", r);
    hz_run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/context.json", out);
    json_object *ctx = load_json(path);
    cr_expect(json_object_get_boolean(get(ctx, "has_previous")));
    json_object *prev = get(ctx, "previous");
    cr_expect_eq(json_object_get_int(get(prev, "year")), 2022);
    /* the 2022 sample's city total, as its own consolidation reports it */
    json_object *arch = NULL;
    snprintf(path, sizeof path, "%s/reports/context.json", archive);
    arch = load_json(path);
    int last_cases = json_object_get_int(get(get(arch, "city"), "cases_filed"));
    cr_expect_eq(json_object_get_int(get(prev, "cases_filed")), last_cases);
    int now_cases = json_object_get_int(get(get(ctx, "city"), "cases_filed"));
    char want[64];
    double g = ((double)now_cases - last_cases) / last_cases * 100;
    snprintf(want, sizeof want, "%.1f%%", g);
    cr_expect_str_eq(json_object_get_string(get(prev, "cases_growth")), want);
    /* per unit: the yoy table holds last year's figures of each unit */
    json_object *yoy = get(get(ctx, "tables"), "yoy");
    json_object *rows = get(yoy, "rows");
    cr_expect_eq(json_object_array_length(rows), config->unit_count + 1);
    json_object *units_last = get(arch, "units");
    json_object *row0 = json_object_array_get_idx(rows, 0);
    cr_expect_eq(json_object_get_int(json_object_array_get_idx(row0, 1)),
                 json_object_get_int(get(json_object_array_get_idx(units_last, 0),
                                         "cases_filed")));
    json_object_put(arch);
    json_object_put(ctx);
    /* XLSX 分轮次 has the year-on-year columns */
    snprintf(path, sizeof path, "%s/许昌市打击侵犯知识产权犯罪专项治理-年度总结.xlsx", out);
    tsheet rs = load_sheet(path, "分轮次");
    uint32_t c_last = col_of(&rs, 2, "立案数（件）\n上年");
    uint32_t total = row_where(&rs, 1, "合计");
    cr_expect_float_eq(number_at(&rs, total, c_last), last_cases, 1e-9);
    free_sheet(&rs);
    hz_test_require("pdftotext", "poppler-utils");
    {
        hz_run t = annual_pdf_text(out);
        cr_expect(strstr(t.out, "与2022年相比") != NULL);
        hz_run_free(&t);
    }
}

/* A copy of archive at tmp/name, then changed by the shell command change
 * run inside the copy. */
static void tamper(const char *archive, const char *name, const char *change)
{
    hz_run r = hz_test_run("cp -r '%s' '%s/%s' && cd '%s/%s' && %s", archive, tmp, name, tmp,
                           name, change);
    run_ok(name, r);
    hz_run_free(&r);
}

/* consolidate of samples/annual (config cfg) with --previous tmp/name must
 * stop with exit 3 and the message id (its beginning up to the arguments
 * given: a1, a2 or NULL), naming what. */
static void expect_previous_refused(const char *cfg, const char *samples, const char *name,
                                    const char *out, hz_msg_id id, const char *a1,
                                    const char *a2, const char *what)
{
    hz_run r = hz_test_run("'%s' consolidate --lang zh --config '%s' --round annual "
                           "--previous '%s/%s' -o '%s' '%s/annual'",
                           HZ_BIN, cfg, tmp, name, out, samples);
    cr_expect_eq(r.exit_code, 3, "%s: %s", name, r.err);
    cr_expect(hz_test_says_head(r.err, HZ_LANG_ZH, id, a1, a2, NULL), "%s: %s", name, r.err);
    cr_expect(strstr(r.err, what) != NULL, "%s: %s", name, r.err);
    hz_run_free(&r);
}

Test(e2e_analysis, previous_archive_missing_or_tampered)
{
    char cfg[2048], archive[2048], samples[2048], out[4096];
    two_years(cfg, archive, samples, sizeof cfg);
    snprintf(out, sizeof out, "%s/out", tmp);
    char nope[2100], t3[2100];
    snprintf(nope, sizeof nope, "%s/nope", tmp);
    snprintf(t3, sizeof t3, "%s/t3", tmp);
    expect_previous_refused(cfg, samples, "nope", out, HZ_M_ANALYSIS_PREV_NOT_FOLDER, nope, NULL,
                            nope);
    /* the workbook altered */
    tamper(archive, "t1", "printf x >> \"$(ls -d reports/*.xlsx)\"");
    expect_previous_refused(cfg, samples, "t1", out, HZ_M_ANALYSIS_PREV_TAMPERED, NULL, NULL,
                            ".xlsx");
    /* the manifest's totals altered */
    tamper(archive, "t2", "sed -i 's/^cases_filed = /cases_filed = 1/' manifest.ini");
    expect_previous_refused(cfg, samples, "t2", out, HZ_M_ANALYSIS_PREV_TAMPERED, "manifest.ini",
                            NULL, "manifest.ini");
    /* SHA256SUMS gone */
    tamper(archive, "t3", "rm SHA256SUMS");
    expect_previous_refused(cfg, samples, "t3", out, HZ_M_ANALYSIS_PREV_NO_FILE, t3, "SHA256SUMS",
                            "SHA256SUMS");
    /* the same year is not a previous year */
    hz_run r = hz_test_run("'%s' consolidate --lang zh --round annual --previous '%s' -o '%s' "
                           "'%s/annual'",
                           HZ_BIN, archive, out, SAMPLES);
    cr_expect_eq(r.exit_code, 3, "%s", r.err);
    cr_expect(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_ANALYSIS_PREV_YEAR, "2022", "2022", NULL), "%s",
              r.err);
    hz_run_free(&r);
}
