/* test_e2e_consolidate.c - `huizong consolidate` end to end: the shipped
 * samples (copied first, never modified), resubmissions, duplicate versions,
 * joint and duplicate cases, junk files, empty and all-missing folders,
 * byte-identical reruns, and the workbook read back with the project's
 * reader and compared with figures computed here from the inputs. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_json.h"
#include "hz_test_sheet.h"
#include "synth.h"
#include "xlsx_reader.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define FIXTURES HZ_SOURCE_DIR "/tests/fixtures/consolidate"
#define AS_OF "2022-12-20"

HZ_TEST_FIXTURE("e2e-cons");

TestSuite(e2e_consolidate, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

static hz_amount amount_of(double v)
{
    hz_amount a;
    cr_assert(hz_amount_from_double(v, &a), "amount %f", v);
    return a;
}

/* ------------------------------------------------- independent figures */

typedef struct figures {
    int64_t filed, closed, transferred;
    hz_amount amount, fine;
    int version;
    char code[16];
} figures;

/* Reads one return with the XLSX reader directly (not the submission
 * reader): unit code, version, and the sums of its case list. */
static figures read_return(const char *path)
{
    figures f = {0};
    tsheet h = load_sheet(path, "基本信息");
    for (size_t i = 0; i < h.count; i++) {
        if (h.cells[i].col != 0)
            continue;
        const tcell *v = cell_at(&h, h.cells[i].row, 1);
        if (!strcmp(h.cells[i].text, "单位代码") && v) {
            if (v->type == XLSX_CELL_NUMBER)
                snprintf(f.code, sizeof f.code, "%.0f", v->number);
            else
                snprintf(f.code, sizeof f.code, "%s", v->text);
        }
        if (!strcmp(h.cells[i].text, "版本号"))
            f.version = !v ? 1 : v->type == XLSX_CELL_NUMBER ? (int)v->number : atoi(v->text);
    }
    if (f.version == 0)
        f.version = 1;
    free_sheet(&h);
    tsheet c = load_sheet(path, "案件明细");
    uint32_t hr = row_where(&c, col_of(&c, 0, "案件编号"), "案件编号");
    uint32_t cno = col_of(&c, hr, "案件编号"), cst = col_of(&c, hr, "办理状态");
    uint32_t cam = col_of(&c, hr, "涉案金额（万元）"), cfi = col_of(&c, hr, "罚没金额（万元）");
    uint32_t ctr = col_of(&c, hr, "是否移送司法机关");
    for (uint32_t r = hr + 1; r <= c.max_row; r++) {
        if (!*text_at(&c, r, cno))
            continue;
        f.filed++;
        f.closed += !strcmp(text_at(&c, r, cst), "已结案");
        f.transferred += !strcmp(text_at(&c, r, ctr), "是");
        const tcell *a = cell_at(&c, r, cam), *b = cell_at(&c, r, cfi);
        if (a && a->type == XLSX_CELL_NUMBER)
            f.amount += amount_of(a->number);
        if (b && b->type == XLSX_CELL_NUMBER)
            f.fine += amount_of(b->number);
    }
    free_sheet(&c);
    return f;
}

/* The highest version of every unit in folder (the samples are valid). */
static size_t expected_figures(const char *folder, figures *out, size_t max)
{
    hz_run run = hz_test_run("ls -1 '%s' | grep '\\.xlsx$'", folder);
    size_t n = 0;
    for (char *line = strtok(run.out, "\n"); line; line = strtok(NULL, "\n")) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", folder, line);
        figures f = read_return(path);
        size_t k;
        for (k = 0; k < n && strcmp(out[k].code, f.code); k++)
            ;
        if (k == n) {
            cr_assert_lt(n, max);
            out[n++] = f;
        } else if (f.version > out[k].version) {
            out[k] = f;
        }
    }
    hz_run_free(&run);
    return n;
}

/* ------------------------------------------------------------ running */

static hz_run consolidate(const char *round, const char *folder, const char *out,
                          const char *extra)
{
    return hz_test_run("'%s' consolidate --round %s --as-of " AS_OF " --xlsx-only "
                       "--lang zh -o '%s' %s '%s'",
                       HZ_BIN, round, out, extra ? extra : "", folder);
}

static char *copy_samples(const char *round)
{
    char *dst = malloc(strlen(tmp) + 32);
    cr_assert_not_null(dst);
    sprintf(dst, "%s/in-%s", tmp, round);
    hz_run r = hz_test_run("cp -R '" SAMPLES "/%s' '%s'", round, dst);
    cr_assert_eq(r.exit_code, 0);
    hz_run_free(&r);
    return dst;
}

static char *xlsx_path(const char *out, const char *round_name)
{
    char *p = malloc(strlen(out) + 512);
    cr_assert_not_null(p);
    sprintf(p, "%s/%s-%s.xlsx", out, config->name, round_name);
    return p;
}

static json_object *load_json(const char *path)
{
    json_object *j = json_object_from_file(path);
    cr_assert_not_null(j, "cannot read %s", path);
    return j;
}

/* Status of file name in context.json's "files". */
static const char *file_status(json_object *ctx, const char *name)
{
    json_object *files = NULL;
    cr_assert(json_object_object_get_ex(ctx, "files", &files));
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i), *n, *s;
        json_object_object_get_ex(f, "file", &n);
        json_object_object_get_ex(f, "status", &s);
        if (!strcmp(json_object_get_string(n), name))
            return json_object_get_string(s);
    }
    cr_assert_fail("file %s not accounted for", name);
    return NULL;
}

/* Compares the 分单位 sheet (rows and totals) with figures from inputs. */
static void check_units_sheet(const char *xlsx, const figures *exp, size_t n)
{
    tsheet s = load_sheet(xlsx, "分单位");
    uint32_t ccode = col_of(&s, 0, "单位代码"), cunit = col_of(&s, 0, "单位");
    uint32_t cf = col_of(&s, 0, "立案数（件）"), cc = col_of(&s, 0, "结案数（件）");
    uint32_t ca = col_of(&s, 0, "涉案金额（万元）"), cfi = col_of(&s, 0, "罚没金额（万元）");
    uint32_t ct = col_of(&s, 0, "移送司法机关（件）");
    figures total = {0};
    for (size_t k = 0; k < n; k++) {
        uint32_t r = row_where(&s, ccode, exp[k].code);
        cr_assert_eq((int64_t)number_at(&s, r, cf), exp[k].filed, "filed %s", exp[k].code);
        cr_assert_eq((int64_t)number_at(&s, r, cc), exp[k].closed, "closed %s", exp[k].code);
        cr_assert_eq((int64_t)number_at(&s, r, ct), exp[k].transferred);
        cr_assert_eq(amount_of(number_at(&s, r, ca)), exp[k].amount, "amount %s", exp[k].code);
        cr_assert_eq(amount_of(number_at(&s, r, cfi)), exp[k].fine);
        total.filed += exp[k].filed;
        total.closed += exp[k].closed;
        total.transferred += exp[k].transferred;
        total.amount += exp[k].amount;
        total.fine += exp[k].fine;
    }
    uint32_t tr = row_where(&s, cunit, "合计");
    cr_assert_eq((int64_t)number_at(&s, tr, cf), total.filed);
    cr_assert_eq((int64_t)number_at(&s, tr, cc), total.closed);
    cr_assert_eq((int64_t)number_at(&s, tr, ct), total.transferred);
    cr_assert_eq(amount_of(number_at(&s, tr, ca)), total.amount);
    cr_assert_eq(amount_of(number_at(&s, tr, cfi)), total.fine);
    free_sheet(&s);

    /* 汇总 and 分类别 carry the same city totals */
    tsheet sum = load_sheet(xlsx, "汇总");
    uint32_t r = row_where(&sum, 0, "立案数（件）");
    cr_assert_eq((int64_t)number_at(&sum, r, 1), total.filed);
    r = row_where(&sum, 0, "涉案金额（万元）");
    cr_assert_eq(amount_of(number_at(&sum, r, 1)), total.amount);
    free_sheet(&sum);
    tsheet cat = load_sheet(xlsx, "分类别");
    uint32_t first_total = row_where(&cat, 0, "合计");
    int64_t by_cat = 0;
    for (uint32_t k = 1; k < first_total; k++)
        by_cat += (int64_t)number_at(&cat, k, 1);
    cr_assert_eq(by_cat, total.filed, "categories add up to the total");
    cr_assert_eq((int64_t)number_at(&cat, first_total, 1), total.filed);
    free_sheet(&cat);
}

/* ------------------------------------------------------------ samples */

Test(e2e_consolidate, annual_samples_totals_and_status)
{
    char *in = copy_samples("annual");
    char out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = consolidate("annual", in, out, NULL);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    char *xlsx = xlsx_path(out, "年度总结");
    cr_assert(strstr(r.out, xlsx), "output path printed: %s", r.out);

    figures exp[16];
    size_t n = expected_figures(in, exp, 16);
    cr_assert_eq(n, 6);
    check_units_sheet(xlsx, exp, n);

    tsheet rec = load_sheet(xlsx, "报送情况");
    uint32_t cs = col_of(&rec, 0, "报送情况");
    cr_assert_str_eq(text_at(&rec, row_where(&rec, 0, "411071"), cs), "未报送");
    cr_assert_str_eq(text_at(&rec, row_where(&rec, 0, "411082"), cs), "迟报2天");
    cr_assert_str_eq(text_at(&rec, row_where(&rec, 0, "411002"), cs), "按时报送");
    uint32_t cfile = col_of(&rec, 0, "文件");
    uint32_t v1 = row_where(&rec, cfile, "411002-许昌市魏都区市场监督管理局-年度总结-v1.xlsx");
    cr_assert_neq(*text_at(&rec, v1, col_of(&rec, 0, "文件状态")), '\0');
    cr_assert_eq(strlen(text_at(&rec, row_where(&rec, 0, "411003"), col_of(&rec, 0, "SHA-256"))),
                 64);
    free_sheet(&rec);

    char ctxp[1100];
    snprintf(ctxp, sizeof ctxp, "%s/context.json", out);
    json_object *ctx = load_json(ctxp);
    /* one unit did not report, one reported late */
    cr_assert_eq(hz_test_json_count(ctx, "units", "status", "missing"), 1);
    cr_assert_eq(hz_test_json_count(ctx, "units", "status", "late"), 1);
    cr_assert_eq(hz_test_json_int(ctx, "city.missing_count"), 1);
    cr_assert_eq(hz_test_json_int(ctx, "city.late_count"), 1);
    const char *st = file_status(ctx, "411002-许昌市魏都区市场监督管理局-年度总结-v1.xlsx");
    cr_assert(!strcmp(st, "superseded") || !strcmp(st, "rejected"), "%s", st);
    cr_assert_str_eq(file_status(ctx, "411002-许昌市魏都区市场监督管理局-年度总结.xlsx"),
                     "accepted");
    cr_assert_str_eq(file_status(ctx, "receipts.ini"), "ignored");
    json_object_put(ctx);

    /* the input folder was not touched */
    hz_run d = hz_test_run("diff -r '" SAMPLES "/annual' '%s'", in);
    cr_assert_eq(d.exit_code, 0, "%s", d.out);
    hz_run_free(&d);
    free(xlsx);
    free(in);
    hz_run_free(&r);
}

Test(e2e_consolidate, stage_samples_totals)
{
    char *in = copy_samples("stage");
    char out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = consolidate("stage", in, out, NULL);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    figures exp[16];
    size_t n = expected_figures(in, exp, 16);
    cr_assert_eq(n, 7);
    char *xlsx = xlsx_path(out, "阶段小结");
    check_units_sheet(xlsx, exp, n);
    free(xlsx);
    free(in);
    hz_run_free(&r);
}

Test(e2e_consolidate, same_inputs_same_bytes)
{
    char *in = copy_samples("annual");
    char o1[1024], o2[1024];
    snprintf(o1, sizeof o1, "%s/o1", tmp);
    snprintf(o2, sizeof o2, "%s/o2", tmp);
    hz_run a = consolidate("annual", in, o1, NULL);
    hz_run b = consolidate("annual", in, o2, NULL);
    cr_assert_eq(a.exit_code, 0, "%s", a.err);
    cr_assert_eq(b.exit_code, 0, "%s", b.err);
    char *x1 = xlsx_path(o1, "年度总结"), *x2 = xlsx_path(o2, "年度总结");
    cr_assert(hz_test_files_equal(x1, x2), "xlsx differs between runs");
    char c1[1100], c2[1100];
    snprintf(c1, sizeof c1, "%s/context.json", o1);
    snprintf(c2, sizeof c2, "%s/context.json", o2);
    cr_assert(hz_test_files_equal(c1, c2), "context.json differs between runs");
    /* no temporary files are left behind */
    hz_run ls = hz_test_run("ls -A '%s' | grep -c tmp", o1);
    cr_assert_str_eq(ls.out, "0\n");
    hz_run_free(&ls);
    free(x1);
    free(x2);
    free(in);
    hz_run_free(&a);
    hz_run_free(&b);
}

/* ------------------------------------------------------------ fixtures */

static const hz_unit *unit(const char *code)
{
    const hz_unit *u = config_find_unit(config, code);
    cr_assert_not_null(u);
    return u;
}

static char *make_dir(const char *name)
{
    char *d = malloc(strlen(tmp) + strlen(name) + 2);
    cr_assert_not_null(d);
    sprintf(d, "%s/%s", tmp, name);
    cr_assert_eq(mkdir(d, 0777), 0);
    return d;
}

static void synth_return(const char *dir, const char *code, int version, const char *name)
{
    synth_options opt;
    synth_options_init(&opt);
    opt.seed = 7;
    opt.case_count = 3;
    opt.version = version;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    hz_error err = {0};
    cr_assert_eq(synth_fill(config, unit(code), config_find_round(config, "annual"), &opt, path,
                            &err),
                 HZ_OK);
}

static void custom_return(const char *dir, const char *code, const fillin_case *cases,
                          size_t n, const char *name)
{
    double *values = calloc(config->indicator_count, sizeof *values);
    cr_assert_not_null(values);
    fillin_values v = {
        .filler = "张三", .phone = "0374-1234567", .reviewer = "李四", .head = "王五",
        .version = 1, .indicator_values = values, .cases = cases, .case_count = n,
    };
    cr_assert(hz_date_parse("2022-11-20", &v.fill_date));
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    hz_error err = {0};
    cr_assert_eq(fillin_write_values(config, unit(code), config_find_round(config, "annual"), &v,
                                     path, &err),
                 HZ_OK);
    free(values);
}

static json_object *run_context(const char *dir, int want_exit)
{
    char out[1024];
    snprintf(out, sizeof out, "%s-out", dir);
    hz_run r = consolidate("annual", dir, out, NULL);
    cr_assert_eq(r.exit_code, want_exit, "exit %d\nstdout: %s\nstderr: %s", r.exit_code, r.out,
                 r.err);
    hz_run_free(&r);
    char p[1100];
    snprintf(p, sizeof p, "%s/context.json", out);
    return want_exit == 0 ? load_json(p) : NULL;
}

Test(e2e_consolidate, resubmission_higher_version_wins)
{
    char *d = make_dir("resubmission");
    synth_return(d, "411024", 1, "411024-v1.xlsx");
    synth_return(d, "411024", 2, "411024-v2.xlsx");
    json_object *ctx = run_context(d, 0);
    cr_assert_str_eq(file_status(ctx, "411024-v1.xlsx"), "superseded");
    cr_assert_str_eq(file_status(ctx, "411024-v2.xlsx"), "accepted");
    json_object *sup = NULL;
    cr_assert(json_object_object_get_ex(ctx, "superseded", &sup));
    cr_assert_eq(json_object_array_length(sup), 1);
    json_object_put(ctx);
    free(d);
}

Test(e2e_consolidate, duplicate_versions_both_rejected)
{
    char *d = make_dir("dupver");
    synth_return(d, "411025", 1, "a-v1.xlsx");
    synth_return(d, "411025", 2, "b-v2.xlsx");
    synth_return(d, "411025", 2, "c-v2.xlsx");
    json_object *ctx = run_context(d, 0);
    cr_assert_str_eq(file_status(ctx, "a-v1.xlsx"), "accepted");
    cr_assert_str_eq(file_status(ctx, "b-v2.xlsx"), "rejected");
    cr_assert_str_eq(file_status(ctx, "c-v2.xlsx"), "rejected");
    json_object_put(ctx);
    char xlsx[2048];
    snprintf(xlsx, sizeof xlsx, "%s-out/%s-年度总结.xlsx", d, config->name);
    tsheet s = load_sheet(xlsx, "校验问题");
    uint32_t rule = col_of(&s, 0, "规则");
    uint32_t r = row_where(&s, rule, "consolidate.duplicate_version");
    const char *msg = text_at(&s, r, col_of(&s, 0, "问题说明"));
    cr_assert(strstr(msg, "b-v2.xlsx") && strstr(msg, "c-v2.xlsx"), "%s", msg);
    free_sheet(&s);
    free(d);
}

static fillin_case mkcase(const char *no, const char *partner, hz_amount amount)
{
    fillin_case c = {
        .number = no, .name = "某商行销售假冒商品案", .status = "在办",
        .category = "商标侵权假冒", .commodity = "食品", .channel = "实体市场",
        .key_market = FILLIN_NO, .rural = FILLIN_NO, .amount = amount, .has_amount = true,
        .transferred = FILLIN_NO, .cross_region = partner ? FILLIN_YES : FILLIN_NO,
        .partner = partner, .lead_source = "日常检查", .typical = FILLIN_NO,
        .closed = HZ_DATE_NONE,
    };
    cr_assert(hz_date_parse("2022-08-10", &c.filed));
    return c;
}

Test(e2e_consolidate, joint_and_duplicate_cases)
{
    char *d = make_dir("cross");
    fillin_case a[] = {mkcase("许魏市监罚〔2022〕1号", "411003", 12345),
                       mkcase("重复〔2022〕9号", NULL, 10000)};
    fillin_case b[] = {mkcase("许魏市监罚〔2022〕1号", NULL, 12345),
                       mkcase("重复〔2022〕9号", NULL, 10000),
                       mkcase("建市监罚〔2022〕2号", NULL, 5000)};
    custom_return(d, "411002", a, 2, "411002.xlsx");
    custom_return(d, "411003", b, 3, "411003.xlsx");
    json_object *ctx = run_context(d, 0);
    json_object *city = NULL, *filed = NULL;
    json_object_object_get_ex(ctx, "city", &city);
    json_object_object_get_ex(city, "cases_filed", &filed);
    /* 5 rows: the joint case once (4), the unexplained duplicate twice */
    cr_assert_eq(json_object_get_int(filed), 4);
    json_object_put(ctx);

    char xlsx[2048];
    snprintf(xlsx, sizeof xlsx, "%s-out/%s-年度总结.xlsx", d, config->name);
    tsheet u = load_sheet(xlsx, "分单位");
    uint32_t cf = col_of(&u, 0, "立案数（件）"), code = col_of(&u, 0, "单位代码");
    cr_assert_eq((int64_t)number_at(&u, row_where(&u, code, "411002"), cf), 2);
    cr_assert_eq((int64_t)number_at(&u, row_where(&u, code, "411003"), cf), 2);
    uint32_t ca = col_of(&u, 0, "涉案金额（万元）");
    cr_assert_eq(amount_of(number_at(&u, row_where(&u, 2, "合计"), ca)), 12345 + 20000 + 5000);
    free_sheet(&u);
    tsheet c = load_sheet(xlsx, "案件明细");
    cr_assert_eq(c.max_row, 5, "every case listed, the joint one for both units");
    free_sheet(&c);
    tsheet s = load_sheet(xlsx, "校验问题");
    uint32_t rule = col_of(&s, 0, "规则");
    uint32_t r = row_where(&s, rule, "cross.duplicate_case");
    cr_assert_str_eq(text_at(&s, r, col_of(&s, 0, "级别")), "warning");
    row_where(&s, rule, "cross.joint_case");
    free_sheet(&s);
    free(d);
}

static void copy_junk(const char *d)
{
    hz_run r = hz_test_run("cp -R '" FIXTURES "/junk/.' '%s/' && mkdir '%s/subfolder'", d, d);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_consolidate, junk_files_accounted_for)
{
    char *d = make_dir("junk");
    copy_junk(d);
    synth_return(d, "411081", 1, "411081.xlsx");
    json_object *ctx = run_context(d, 0);
    cr_assert_str_eq(file_status(ctx, "411081.xlsx"), "accepted");
    cr_assert_str_eq(file_status(ctx, "notes.txt"), "ignored");
    cr_assert_str_eq(file_status(ctx, "~$411002-lock.xlsx"), "ignored");
    cr_assert_str_eq(file_status(ctx, ".hidden.xlsx"), "ignored");
    cr_assert_str_eq(file_status(ctx, "subfolder"), "ignored");
    cr_assert_str_eq(file_status(ctx, "fake.xlsx"), "rejected");
    json_object *files = NULL;
    json_object_object_get_ex(ctx, "files", &files);
    cr_assert_eq(json_object_array_length(files), 6, "nothing dropped silently");
    json_object_put(ctx);
    free(d);
}

Test(e2e_consolidate, empty_folder_exit_1)
{
    char *d = make_dir("empty");
    char out[1024];
    snprintf(out, sizeof out, "%s-out", d);
    hz_run r = consolidate("annual", d, out, NULL);
    cr_assert_eq(r.exit_code, 1, "%s", r.err);
    cr_assert(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CONSOLIDATE_NONE_ACCEPTED, NULL), "%s", r.err);
    char *x = xlsx_path(out, "年度总结");
    struct stat st;
    cr_assert_neq(stat(x, &st), 0, "no workbook without an accepted return");
    free(x);
    hz_run_free(&r);
    free(d);
}

Test(e2e_consolidate, every_unit_missing_exit_1)
{
    char *d = make_dir("allmissing");
    copy_junk(d);
    char out[1024];
    snprintf(out, sizeof out, "%s-out", d);
    hz_run r = consolidate("annual", d, out, NULL);
    cr_assert_eq(r.exit_code, 1, "%s", r.err);
    cr_assert(strstr(r.out, "fake.xlsx"), "%s", r.out);
    hz_run_free(&r);
    free(d);
}

Test(e2e_consolidate, bad_receipts_exit_3_naming_line)
{
    char *d = make_dir("badreceipts");
    synth_return(d, "411081", 1, "411081.xlsx");
    hz_run c = hz_test_run("cp '" FIXTURES "/receipts-bad.ini' '%s/receipts.ini'", d);
    hz_run_free(&c);
    char out[1024];
    snprintf(out, sizeof out, "%s-out", d);
    hz_run r = consolidate("annual", d, out, NULL);
    cr_assert_eq(r.exit_code, 3, "%s", r.err);
    cr_assert(strstr(r.err, "receipts.ini") && strstr(r.err, "3"), "%s", r.err);
    hz_run_free(&r);
    free(d);
}

Test(e2e_consolidate, usage_errors_exit_2)
{
    hz_run a = hz_test_run("'%s' consolidate '%s'", HZ_BIN, tmp);
    cr_assert_eq(a.exit_code, 2);
    hz_run b = hz_test_run("'%s' consolidate --round autumn '%s'", HZ_BIN, tmp);
    cr_assert_eq(b.exit_code, 2);
    hz_run c = hz_test_run("'%s' consolidate --round annual --as-of 2022-13-01 '%s'", HZ_BIN,
                           tmp);
    cr_assert_eq(c.exit_code, 2);
    hz_run d = hz_test_run("'%s' consolidate --round annual", HZ_BIN);
    cr_assert_eq(d.exit_code, 2);
    hz_run e = hz_test_run("'%s' consolidate --help", HZ_BIN);
    cr_assert_eq(e.exit_code, 0);
    cr_assert(strstr(e.out, "--round"));
    hz_run f = hz_test_run("'%s' consolidate --round annual '%s/none'", HZ_BIN, tmp);
    cr_assert_eq(f.exit_code, 3);
    hz_run_free(&a);
    hz_run_free(&b);
    hz_run_free(&c);
    hz_run_free(&d);
    hz_run_free(&e);
    hz_run_free(&f);
}

Test(e2e_consolidate, libreoffice_opens_every_sheet)
{
    hz_test_require("soffice", "libreoffice-calc-nogui");
    char *in = copy_samples("annual");
    char out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = consolidate("annual", in, out, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *xlsx = xlsx_path(out, "年度总结");
    char csv[1024];
    snprintf(csv, sizeof csv, "%s/csv", tmp);
    /* filter option token 12 = -1: every sheet into its own file */
    hz_run c = hz_test_run("cd '%s' && HOME='%s' timeout 180 soffice --headless "
                           "-env:UserInstallation=file://%s/lo "
                           "--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,"
                           "true,false,false,false,-1' --outdir '%s' '%s'",
                           tmp, tmp, tmp, csv, xlsx);
    cr_assert_eq(c.exit_code, 0, "%s %s", c.out, c.err);
    const char *sheets[] = {"汇总", "分单位", "分类别", "分阶段", "案件明细", "典型案例",
                            "报送情况", "校验问题"};
    for (size_t i = 0; i < 8; i++) {
        char p[2048];
        snprintf(p, sizeof p, "%s/%s-年度总结-%s.csv", csv, config->name, sheets[i]);
        size_t size = 0;
        char *data = hz_test_read_file(p, &size);
        cr_assert_not_null(data, "no csv for sheet %s", sheets[i]);
        cr_assert_gt(size, 0);
        free(data);
    }
    char p[2048];
    snprintf(p, sizeof p, "%s/%s-年度总结-分单位.csv", csv, config->name);
    char *units = hz_test_read_file(p, NULL);
    cr_assert(strstr(units, "合计") && strstr(units, "长葛市"), "%s", units);
    free(units);
    free(xlsx);
    free(in);
    hz_run_free(&c);
    hz_run_free(&r);
}

Test(e2e_consolidate, annual_with_stage_side_by_side)
{
    char *in = copy_samples("annual");
    char *st = copy_samples("stage");
    char out[1024], extra[1200];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(extra, sizeof extra, "--stage '%s'", st);
    hz_run r = consolidate("annual", in, out, extra);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    figures exp[16];
    size_t n = expected_figures(st, exp, 16);
    int64_t stage_filed = 0;
    for (size_t k = 0; k < n; k++)
        stage_filed += exp[k].filed;
    char p[1100];
    snprintf(p, sizeof p, "%s/context.json", out);
    json_object *ctx = load_json(p), *has = NULL, *stage = NULL, *filed = NULL, *rounds = NULL;
    cr_assert(json_object_object_get_ex(ctx, "has_stage", &has));
    cr_assert(json_object_get_boolean(has));
    cr_assert(json_object_object_get_ex(ctx, "stage", &stage));
    cr_assert(json_object_object_get_ex(stage, "cases_filed", &filed));
    cr_assert_eq(json_object_get_int64(filed), stage_filed);
    json_object *tables = NULL;
    json_object_object_get_ex(ctx, "tables", &tables);
    json_object_object_get_ex(tables, "rounds", &rounds);
    json_object *rows = NULL;
    json_object_object_get_ex(rounds, "rows", &rows);
    cr_assert_eq(json_object_array_length(rows), config->unit_count + 1);
    json_object_put(ctx);
    free(in);
    free(st);
    hz_run_free(&r);
}

Test(e2e_consolidate, pdf_report_written)
{
    char *in = copy_samples("stage");
    char out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    hz_run r = hz_test_run("'%s' consolidate --round stage --as-of " AS_OF " -o '%s' '%s'",
                           HZ_BIN, out, in);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char p[2048];
    snprintf(p, sizeof p, "%s/%s-阶段小结.pdf", out, config->name);
    size_t size = 0;
    char *data = hz_test_read_file(p, &size);
    cr_assert_not_null(data, "no PDF: %s", r.out);
    cr_assert_gt(size, 1000);
    cr_assert(!memcmp(data, "%PDF-", 5));
    cr_assert(strstr(r.out, p), "%s", r.out);
    free(data);
    free(in);
    hz_run_free(&r);
}
