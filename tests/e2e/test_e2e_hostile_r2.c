/*
 * test_e2e_hostile_r2.c - the second round of hostile input (issue 15)
 * through the built binary: exit code, rule id and message of every class,
 * with the wall time and peak RSS of the run measured here (wait4 of the
 * child, hz_test_run_measured) for memory amplification, non-UTF-8 parts
 * and special files; terminal, JSON, XLSX and PDF checked for raw control
 * and bidi characters and for invalid UTF-8.
 *
 * Bounds: 256 MB and 10 s per `check` of one file (DESIGN §9). Sanitizer
 * builds carry shadow memory and run slower, valgrind (HZ_TEST_SLOW) far
 * slower; their bounds are wider, the numbers in the README come from the
 * normal build.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zip.h>

#include "hz_test.h"
#include "hz_test_json.h"
#include "hz_text.h"

#define R2 HZ_SOURCE_DIR "/tests/fixtures/hostile-r2"
#define STAGE HZ_SOURCE_DIR "/input/xuchang-2022/stage"
#define BASE_NAME "411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"
TestSuite(e2e_hostile_r2, .timeout = 300);

#if defined(__SANITIZE_ADDRESS__)
#define RSS_LIMIT_KB (1024L * 1024)
#define TIME_LIMIT 60.0
#else
#define RSS_LIMIT_KB (256L * 1024)
#define TIME_LIMIT 10.0
#endif

static double time_limit(void)
{
    return getenv("HZ_TEST_SLOW") ? 600.0 : TIME_LIMIT;
}

static void expect_bounds(const char *what, const hz_measure *m)
{
    cr_expect(!m->killed, "%s: still running after %.0f s", what, time_limit());
    cr_expect_lt(m->seconds, time_limit(), "%s: %.2f s", what, m->seconds);
    if (!getenv("HZ_TEST_SLOW")) /* valgrind's own memory is not ours */
        cr_expect_lt(m->max_rss_kb, RSS_LIMIT_KB, "%s: peak RSS %ld KB", what, m->max_rss_kb);
    fprintf(stderr, "[measure] %s: %.3f s, peak RSS %ld KB\n", what, m->seconds, m->max_rss_kb);
}

/* `check --format json` of path, measured; the parsed report. */
static json_object *check_json(const char *path, int want_exit, hz_measure *m)
{
    hz_run r = hz_test_run_measured(m, time_limit(), "'%s' check --lang en --format json '%s'",
                                    HZ_BIN, path);
    cr_expect_eq(r.exit_code, want_exit, "%s: exit %d\n%s", path, r.exit_code, r.err);
    cr_expect(hz_utf8_valid(r.out, strlen(r.out)), "%s: JSON is not UTF-8", path);
    json_object *report = json_tokener_parse(r.out);
    cr_assert_not_null(report, "%s: no JSON:\n%s", path, r.out);
    hz_run_free(&r);
    return report;
}

static json_object *task_issue(json_object *report, size_t k)
{
    json_object *tasks = json_object_object_get(report, "tasks");
    json_object *issues = json_object_object_get(json_object_array_get_idx(tasks, 0), "issues");
    return k < json_object_array_length(issues) ? json_object_array_get_idx(issues, k) : NULL;
}

static const char *field(json_object *o, const char *key)
{
    return json_object_get_string(json_object_object_get(o, key));
}

/* The first issue with rule (and more > 0 when summary). */
static json_object *find_issue(json_object *report, const char *rule, bool summary)
{
    for (size_t k = 0;; k++) {
        json_object *i = task_issue(report, k);
        if (!i)
            return NULL;
        if (!strcmp(field(i, "rule"), rule) &&
            summary == (json_object_object_get(i, "more") != NULL))
            return i;
    }
}

/* ---- 1. memory amplification ---------------------------------------- */

Test(e2e_hostile_r2, shared_string_amplification_is_bounded)
{
    hz_measure m;
    json_object *rep = check_json(R2 "/amplify-shared-string.xlsx", 1, &m);
    expect_bounds("amplify-shared-string.xlsx", &m);
    json_object *i = task_issue(rep, 0);
    cr_assert_not_null(i);
    cr_expect_str_eq(field(i, "rule"), "file.limit");
    cr_expect_str_eq(field(i, "severity"), "error");
    /* the default [limits] max_text_bytes, 64 MiB, stops it at row 70 */
    cr_expect(hz_test_says(field(i, "message"), HZ_LANG_EN, HZ_M_WORKBOOK_TEXT_BUDGET,
                           "amplify-shared-string.xlsx", "67108864", "案件明细!A70", NULL),
              "%s", field(i, "message"));
    json_object_put(rep);
}

Test(e2e_hostile_r2, issue_flood_becomes_summaries)
{
    hz_measure m;
    json_object *rep = check_json(R2 "/issue-flood.xlsx", 1, &m);
    expect_bounds("issue-flood.xlsx", &m);
    json_object *tasks = json_object_object_get(rep, "tasks");
    json_object *t = json_object_array_get_idx(tasks, 0);
    json_object *issues = json_object_object_get(t, "issues");
    /* 100 kept per rule and file, then one summary each */
    cr_expect_lt(json_object_array_length(issues), 400, "%zu issues",
                 json_object_array_length(issues));
    json_object *s = find_issue(rep, "cell.required", true);
    cr_assert_not_null(s, "no cell.required summary");
    /* 60,000 rows x 9 required cells = 540,000; 100 listed */
    cr_expect_eq(json_object_get_int64(json_object_object_get(s, "more")), 539900);
    cr_expect_str_eq(field(s, "sheet"), "案件明细");
    cr_expect_str_eq(field(s, "cell"), "E13");
    cr_expect_str_eq(field(s, "expected"), "案件明细!K60001");
    cr_expect(hz_test_says(field(s, "message"), HZ_LANG_EN, HZ_M_ISSUE_MORE, "案件明细!E13", "",
                           "cell.required", "案件明细!K60001", "539900", NULL),
              "%s", field(s, "message"));
    /* the counts still say how many problems there are */
    json_object *counts = json_object_object_get(t, "counts");
    cr_expect_eq(json_object_get_int64(json_object_object_get(counts, "errors")), 599999);
    json_object_put(rep);
}

Test(e2e_hostile_r2, summary_in_chinese_on_the_terminal)
{
    hz_run r = hz_test_run("'%s' check '" R2 "/issue-flood.xlsx'", HZ_BIN);
    const char *line = hz_test_msg(HZ_LANG_ZH, HZ_M_ISSUE_MORE, "案件明细!E13", "", "cell.required",
                                   "案件明细!K60001", "539900", NULL);
    const char *at = strstr(r.out, line);
    cr_expect(at, "%s%s", r.out, r.err);
    cr_expect(!at || !strstr(at + 1, line), "the summary is shown more than once:\n%s", r.out);
    hz_run_free(&r);
}

/* ---- 2. UTF-16 and other encodings ------------------------------------ */

Test(e2e_hostile_r2, utf16_parts_are_refused_at_once)
{
    static const char *const files[][2] = {
        {"submission-utf16-cases.xlsx", "xl/worksheets/sheet4.xml"},
        {"submission-utf16-strings.xlsx", "xl/sharedStrings.xml"},
    };
    for (size_t k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof path, R2 "/%s", files[k][0]);
        hz_measure m;
        json_object *rep = check_json(path, 1, &m);
        expect_bounds(files[k][0], &m);
        json_object *i = task_issue(rep, 0);
        cr_assert_not_null(i);
        cr_expect_str_eq(field(i, "rule"), "file.damaged");
        cr_expect(hz_test_says(field(i, "message"), HZ_LANG_EN, HZ_M_XLSX_PART_UTF16, path,
                               files[k][1], NULL),
                  "%s: %s", files[k][0], field(i, "message"));
        json_object_put(rep);
    }
}

/* ---- 3. ambiguous zip entries ------------------------------------------ */

Test(e2e_hostile_r2, hidden_twin_sheet_is_refused_naming_both)
{
    hz_measure m;
    json_object *rep = check_json(R2 "/submission-hidden-twin-sheet.xlsx", 1, &m);
    json_object *i = task_issue(rep, 0);
    cr_assert_not_null(i);
    cr_expect_str_eq(field(i, "rule"), "file.damaged");
    const char *msg = field(i, "message");
    cr_expect(hz_test_says(msg, HZ_LANG_EN, HZ_M_XLSX_DUP_ENTRY,
                           R2 "/submission-hidden-twin-sheet.xlsx", "xl/worksheets/Sheet3.xml",
                           "xl/worksheets/sheet3.xml", NULL),
              "%s", msg);
    json_object_put(rep);
}

/* The county's figures never come from the hidden copy: consolidated with
 * the other six units, the twin is rejected and the city total is the
 * other units' alone. */
Test(e2e_hostile_r2, hidden_twin_sheet_is_not_consolidated)
{
    char *tmp = hz_test_tempdir("r2-twin");
    hz_run r = hz_test_run("cp -R '" STAGE "' '%s/in' && cp '" R2
                           "/submission-hidden-twin-sheet.xlsx' '%s/in/" BASE_NAME "'",
                           tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' consolidate --round stage --as-of 2022-12-20 --xlsx-only --lang en "
                    "--format json -o '%s/out' '%s/in'", HZ_BIN, tmp, tmp);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    json_object *summary = json_tokener_parse(r.out);
    cr_assert_not_null(summary, "%s", r.out);
    json_object *files = json_object_object_get(summary, "files");
    bool rejected = false;
    for (size_t k = 0; k < json_object_array_length(files); k++) {
        json_object *f = json_object_array_get_idx(files, k);
        if (!strcmp(field(f, "file"), BASE_NAME))
            rejected = !strcmp(field(f, "status"), "rejected");
    }
    cr_expect(rejected, "the twin-sheet workbook was not rejected:\n%s", r.out);
    json_object *units = json_object_object_get(summary, "units");
    for (size_t k = 0; k < json_object_array_length(units); k++) {
        json_object *u = json_object_array_get_idx(units, k);
        if (!strcmp(field(u, "code"), "411002")) {
            cr_expect_str_eq(field(u, "status"), "missing");
            cr_expect_str_eq(field(u, "amount"), "0.00");
        }
    }
    json_object_put(summary);
    hz_run_free(&r);
    hz_test_rmtree(tmp);
    free(tmp);
}

/* ---- 4. directory sizes ------------------------------------------------- */

Test(e2e_hostile_r2, lying_sizes_are_refused_both_ways)
{
    hz_measure m;
    json_object *rep = check_json(R2 "/submission-size-claims-more.xlsx", 1, &m);
    cr_assert_not_null(task_issue(rep, 0));
    cr_expect_str_eq(field(task_issue(rep, 0), "rule"), "file.damaged");
    const char *msg = field(task_issue(rep, 0), "message");
    cr_expect(hz_test_says(msg, HZ_LANG_EN, HZ_M_XLSX_SIZE_SHORT,
                           R2 "/submission-size-claims-more.xlsx", "xl/worksheets/sheet4.xml",
                           "17495", "21591", NULL),
              "%s", msg);
    json_object_put(rep);
    rep = check_json(R2 "/submission-size-claims-less.xlsx", 1, &m);
    cr_assert_not_null(task_issue(rep, 0));
    cr_expect_str_eq(field(task_issue(rep, 0), "rule"), "file.damaged");
    msg = field(task_issue(rep, 0), "message");
    cr_expect(hz_test_says(msg, HZ_LANG_EN, HZ_M_XLSX_SIZE_MISMATCH,
                           R2 "/submission-size-claims-less.xlsx", "xl/worksheets/sheet4.xml",
                           "13399", NULL),
              "%s", msg);
    json_object_put(rep);
}

/* ---- 5 and 6. what reaches the terminal and the outputs ---------------- */

/* No raw C0 (but \n, \t), DEL, C1, bidi or format character; valid UTF-8. */
static bool text_is_safe(const char *text, size_t len, char *why, size_t size)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *at = p;
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0) {
            snprintf(why, size, "invalid UTF-8 at byte %zu", (size_t)(at - text));
            return false;
        }
        if (cp != '\n' && cp != '\t' && cp != '\r' && hz_char_unsafe(cp)) {
            snprintf(why, size, "U+%04X at byte %zu", (unsigned)cp, (size_t)(at - text));
            return false;
        }
    }
    return true;
}

Test(e2e_hostile_r2, terminal_shows_controls_escaped)
{
    hz_run r = hz_test_run("'%s' check --lang en '" R2 "/submission-controls.xlsx'", HZ_BIN);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    char why[128];
    cr_expect(text_is_safe(r.out, strlen(r.out), why, sizeof why), "%s:\n%s", why, r.out);
    cr_expect(strstr(r.out, "案件明细!B2") && strstr(r.out, "\\u202E") &&
                  strstr(r.out, "\\x1b[31m") && strstr(r.out, "\\u009B") &&
                  strstr(r.out, "[cell.unsafe_chars]"),
              "%s", r.out);
    /* the sheet name is shown escaped too */
    cr_expect(hz_test_says(r.out, HZ_LANG_EN, HZ_M_WORKBOOK_EXTRA_SHEET, "",
                           "选项\\u202E\\u009B", NULL),
              "%s", r.out);
    hz_run_free(&r);
    hz_measure m;
    json_object *rep = check_json(R2 "/submission-controls.xlsx", 0, &m);
    json_object *i = find_issue(rep, "cell.unsafe_chars", false);
    cr_assert_not_null(i);
    cr_expect_str_eq(field(i, "cell"), "B2");
    cr_expect_str_eq(field(i, "severity"), "notice");
    json_object *extra = hz_test_json_find(rep, "tasks.0.issues", "rule", "structure.extra_sheet");
    cr_assert_not_null(extra);
    cr_expect_str_eq(field(extra, "field"), "选项\\u202E\\u009B");
    cr_expect_str_eq(field(extra, "severity"), "notice");
    json_object_put(rep);
}

Test(e2e_hostile_r2, hostile_file_names_are_shown_safely)
{
    char *tmp = hz_test_tempdir("r2-names");
    /* GBK bytes (as Windows zip tools write them) and an ESC sequence */
    hz_run r = hz_test_run("cp '" STAGE "/" BASE_NAME "' \"%s/$(printf '411002-\\320\\355\\262\\375\\033[2J.xlsx')\"",
                           tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --lang en \"%s\"/411002-*", HZ_BIN, tmp);
    char why[128];
    cr_expect(text_is_safe(r.out, strlen(r.out), why, sizeof why), "%s:\n%s", why, r.out);
    cr_expect(strstr(r.out, "411002-\\xd0\\xed\\xb2\\xfd\\x1b[2J.xlsx"), "%s", r.out);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --format json \"%s\"/411002-*", HZ_BIN, tmp);
    cr_expect(text_is_safe(r.out, strlen(r.out), why, sizeof why), "%s:\n%s", why, r.out);
    cr_expect(strstr(r.out, "\\\\xd0\\\\xed\\\\xb2\\\\xfd"), "%s", r.out);
    hz_run_free(&r);
    hz_test_rmtree(tmp);
    free(tmp);
}

static void expect_xlsx_safe(const char *path)
{
    int code = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &code);
    cr_assert_not_null(z, "%s: %d", path, code);
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
        zip_stat_t st;
        cr_assert_eq(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
        char *data = malloc(st.size + 1);
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        cr_assert(data && f);
        cr_assert_eq(zip_fread(f, data, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
        char why[128];
        cr_expect(text_is_safe(data, st.size, why, sizeof why), "%s:%s: %s", path, st.name, why);
        free(data);
    }
    zip_discard(z);
}

/* A consolidation with the control-character submission and a GBK/ESC
 * file name: the city's validation.json, context.json, XLSX and PDF text
 * hold no raw control or bidi character and are valid UTF-8; the case
 * name arrives without its invisible characters. */
Test(e2e_hostile_r2, outputs_are_safe_utf8)
{
    hz_test_require("pdftotext", "poppler-utils");
    hz_test_require("unzip", "unzip");
    char *tmp = hz_test_tempdir("r2-outputs");
    hz_run r = hz_test_run(
        "cp -R '" STAGE "' '%s/in' && cp '" R2 "/submission-controls.xlsx' '%s/in/" BASE_NAME
        "' && cd '%s/in' && mv 411003-*.xlsx \"$(printf '411003-\\320\\355\\262\\375\\033[2J.xlsx')\"",
        tmp, tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' consolidate --round stage --as-of 2022-12-20 --lang en -o '%s/out' "
                    "'%s/in'", HZ_BIN, tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    char why[128];
    cr_expect(text_is_safe(r.out, strlen(r.out), why, sizeof why), "terminal: %s\n%s", why,
              r.out);
    cr_expect(strstr(r.out, "411003-\\xd0\\xed\\xb2\\xfd\\x1b[2J.xlsx"), "%s", r.out);
    hz_run_free(&r);
    static const char *const jsons[] = {"validation.json", "context.json"};
    for (size_t k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/out/%s", tmp, jsons[k]);
        size_t n = 0;
        char *text = hz_test_read_file(path, &n);
        cr_assert_not_null(text, "%s", path);
        cr_expect(text_is_safe(text, n, why, sizeof why), "%s: %s", jsons[k], why);
        free(text);
    }
    char xlsx[1024];
    snprintf(xlsx, sizeof xlsx, "%s/out/许昌市打击侵犯知识产权犯罪专项治理-阶段小结.xlsx", tmp);
    expect_xlsx_safe(xlsx);
    r = hz_test_run("unzip -p '%s' xl/sharedStrings.xml xl/worksheets/*.xml | "
                    "grep -c '假冒品牌\\[31m红色1m名称'", xlsx);
    cr_expect_neq(strcmp(r.out, "0\n"), 0, "stripped case name not in the XLSX: %s", r.out);
    hz_run_free(&r);
    r = hz_test_run("pdftotext '%s/out/许昌市打击侵犯知识产权犯罪专项治理-阶段小结.pdf' - 2>/dev/null",
                    tmp);
    cr_expect_eq(r.exit_code, 0);
    for (char *p = r.out; *p; p++)
        if (*p == '\f') /* pdftotext's page break */
            *p = '\n';
    cr_expect(text_is_safe(r.out, strlen(r.out), why, sizeof why), "PDF text: %s", why);
    cr_expect(strstr(r.out, "411003-\\xd0\\xed\\xb2\\xfd\\x1b[2J.xlsx") != NULL,
              "file name not in the PDF as escaped text");
    hz_run_free(&r);
    hz_test_rmtree(tmp);
    free(tmp);
}

/* ---- 7. special files ---------------------------------------------------- */

Test(e2e_hostile_r2, special_files_are_exit_3_at_once)
{
    char *tmp = hz_test_tempdir("r2-special");
    char fifo[512], link[512], sock[512], dir[512];
    snprintf(fifo, sizeof fifo, "%s/fifo.xlsx", tmp);
    snprintf(link, sizeof link, "%s/zero.xlsx", tmp);
    snprintf(sock, sizeof sock, "%s/sock.xlsx", tmp);
    snprintf(dir, sizeof dir, "%s/folder.xlsx", tmp);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(symlink("/dev/zero", link), 0);
    cr_assert_eq(mkdir(dir, 0700), 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    cr_assert_lt(strlen(sock), sizeof addr.sun_path);
    memcpy(addr.sun_path, sock, strlen(sock) + 1);
    cr_assert_eq(bind(s, (struct sockaddr *)&addr, sizeof addr), 0);
    const char *paths[] = {fifo, link, sock, dir};
    const char *kinds[] = {"FIFO", "character device", "socket", "directory"};
    const hz_msg_id kind_msgs[] = {HZ_M_IO_NOT_REGULAR_FIFO, HZ_M_IO_NOT_REGULAR_CHAR,
                                   HZ_M_IO_NOT_REGULAR_SOCKET, HZ_M_IO_NOT_REGULAR_DIR};
    for (size_t k = 0; k < 4; k++) {
        hz_measure m;
        hz_run r = hz_test_run_measured(&m, 20.0, "'%s' check --lang en '%s'", HZ_BIN, paths[k]);
        cr_expect_eq(r.exit_code, 3, "%s: exit %d%s", paths[k], r.exit_code,
                     m.killed ? " (killed: it waited)" : "");
        if (k == 3) /* a folder is checked as a folder of returns: this one has none */
            cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_CLI_CHECK_EMPTY_FOLDER, NULL),
                      "%s:\n%s%s", paths[k], r.out, r.err);
        else
            cr_expect(hz_test_says(r.out, HZ_LANG_EN, kind_msgs[k], paths[k], NULL) &&
                          strstr(r.out, "[file.unreadable]"),
                      "%s:\n%s%s", paths[k], r.out, r.err);
        cr_expect_lt(m.seconds, getenv("HZ_TEST_SLOW") ? 120.0 : 2.0, "%s: %.2f s", paths[k],
                     m.seconds);
        expect_bounds(kinds[k], &m);
        hz_run_free(&r);
    }
    close(s);
    hz_test_rmtree(tmp);
    free(tmp);
}

/* The archive with a GBK file name: receipts.csv and manifest.ini are valid
 * UTF-8 (\xNN), the canonical name of the copy does not change, and the
 * archive verifies. */
Test(e2e_hostile_r2, archive_with_a_gbk_file_name)
{
    char *tmp = hz_test_tempdir("r2-archive");
    hz_run r = hz_test_run(
        "cp -R '" HZ_SOURCE_DIR "/input/xuchang-2022/annual' '%s/in' && cd '%s/in' && "
        "mv 411003-*.xlsx \"$(printf '411003-\\320\\355\\262\\375.xlsx')\"", tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' archive --round annual --as-of 2022-12-20 -o '%s/A' '%s/in'", HZ_BIN,
                    tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    static const char *const files[] = {"receipts.csv", "manifest.ini", "validation.json",
                                        "SHA256SUMS"};
    for (size_t k = 0; k < 4; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/A/%s", tmp, files[k]);
        size_t n = 0;
        char *text = hz_test_read_file(path, &n);
        cr_assert_not_null(text, "%s", path);
        char why[128];
        size_t bom = k == 0 && n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; /* for Excel */
        cr_expect_eq(bom, k == 0 ? 3u : 0u);
        cr_expect(text_is_safe(text + bom, n - bom, why, sizeof why), "%s: %s", files[k], why);
        if (k < 2)
            cr_expect(strstr(text, "411003-\\xd0\\xed\\xb2\\xfd.xlsx"), "%s lacks the name",
                      files[k]);
        free(text);
    }
    r = hz_test_run("ls '%s/A/submissions/annual/' | grep -c '^411003-annual-v1.xlsx$' && "
                    "'%s' verify '%s/A' > /dev/null", tmp, HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect_str_eq(r.out, "1\n");
    hz_run_free(&r);
    hz_test_rmtree(tmp);
    free(tmp);
}

/* [limits] max_issues_per_rule and max_text_bytes of campaign.ini reach
 * the reader and the issue list. */
Test(e2e_hostile_r2, configured_memory_limits_apply)
{
    char *tmp = hz_test_tempdir("r2-limits");
    hz_run r = hz_test_run("cp -R '" HZ_SOURCE_DIR "/config/xuchang-2022' '%s/cfg' && sed -i "
                           "-e 's/^max_issues_per_rule = .*/max_issues_per_rule = 5/' "
                           "'%s/cfg/campaign.ini'", tmp, tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --config '%s/cfg' --lang en --format json '" R2 "/issue-flood.xlsx'",
                    HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 1, "%s", r.err);
    json_object *rep = json_tokener_parse(r.out);
    cr_assert_not_null(rep, "%s", r.out);
    json_object *s = find_issue(rep, "cell.required", true);
    cr_assert_not_null(s);
    cr_expect_eq(json_object_get_int64(json_object_object_get(s, "more")), 539995);
    cr_expect_str_eq(field(s, "cell"), "P2"); /* text fields are read before dates */
    json_object_put(rep);
    hz_run_free(&r);
    /* 200,000 bytes: the sample's 21 cases fit, the amplification does not */
    r = hz_test_run("sed -i -e 's/^max_text_bytes .*/max_text_bytes = 200000/' "
                    "'%s/cfg/campaign.ini'", tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --config '%s/cfg' --lang en '" STAGE "/" BASE_NAME "'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --config '%s/cfg' --lang en '" R2 "/amplify-shared-string.xlsx'",
                    HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 1);
    cr_expect(hz_test_says(r.out, HZ_LANG_EN, HZ_M_WORKBOOK_TEXT_BUDGET,
                           "amplify-shared-string.xlsx", "200000", "案件明细!A2", NULL),
              "%s", r.out);
    hz_run_free(&r);
    hz_test_rmtree(tmp);
    free(tmp);
}
