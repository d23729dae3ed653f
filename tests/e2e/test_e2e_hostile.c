/*
 * test_e2e_hostile.c - hostile workbooks through the built `huizong check`
 * (issue 8): each is refused with exit code 1 (file invalid) or 3 (cannot be
 * read) and the reader's message, the JSON report says it is not valid,
 * the configured [limits] reach the reader, and no input file is changed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_test.h"
#include "hz_test_json.h"

#define HOSTILE HZ_SOURCE_DIR "/tests/fixtures/hostile"
TestSuite(e2e_hostile, .timeout = 120);

#define SAMPLE_GLOB HZ_SOURCE_DIR "/input/xuchang-2022/stage/411002-*.xlsx"

/* file is refused: exit code 1 or 3; the terminal says message (the
 * catalogue text, hz_test_msg*, of the whole message or its beginning);
 * the JSON report says not valid, with one error of rule and message. */
static void expect_refused(const char *file, const char *rule, const char *message)
{
    char *want = strdup(message); /* hz_test_msg's buffer is reused below */
    cr_assert_not_null(want);
    hz_run r = hz_test_run("'%s' check --lang en '" HOSTILE "/%s'", HZ_BIN, file);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "%s: exit code %d\n%s%s", file,
              r.exit_code, r.out, r.err);
    cr_expect(strstr(r.out, want) || strstr(r.err, want), "%s: output lacks \"%s\":\n%s%s", file,
              want, r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --lang en --format json '" HOSTILE "/%s'", HZ_BIN, file);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "%s: exit code %d", file, r.exit_code);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect_not(hz_test_json_bool(j, "valid"), "%s", file);
    cr_expect_not(hz_test_json_bool(j, "tasks.0.valid"), "%s", file);
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.errors"), 1, "%s", file);
    cr_assert_eq(hz_test_json_len(j, "tasks.0.issues"), 1, "%s:\n%s", file, r.out);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), rule, "%s", file);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.severity"), "error", "%s", file);
    cr_expect(strstr(hz_test_json_str(j, "tasks.0.issues.0.message"), want), "%s: \"%s\" lacks \"%s\"",
              file, hz_test_json_str(j, "tasks.0.issues.0.message"), want);
    json_object_put(j);
    hz_run_free(&r);
    free(want);
}

#define AT(file) HOSTILE "/" file
#define EN(...) hz_test_msg(HZ_LANG_EN, __VA_ARGS__, NULL)
/* the beginning only: the rest is libzip's own error text */
#define EN_HEAD(...) hz_test_msg_head(HZ_LANG_EN, __VA_ARGS__, NULL)

Test(e2e_hostile, check_refuses_with_the_reason)
{
    expect_refused("empty.xlsx", "file.not_xlsx", EN(HZ_M_XLSX_NOT_ZIP, AT("empty.xlsx")));
    expect_refused("xls-renamed.xlsx", "file.old_xls",
                   EN(HZ_M_XLSX_OLD_XLS, AT("xls-renamed.xlsx")));
    expect_refused("cut-in-half.xlsx", "file.damaged",
                   EN_HEAD(HZ_M_XLSX_ZIP_CORRUPT, AT("cut-in-half.xlsx")));
    expect_refused("bomb-sheet.xlsx", "file.limit",
                   EN(HZ_M_XLSX_RATIO, AT("bomb-sheet.xlsx"), "xl/worksheets/sheet1.xml", "1025",
                      "200"));
    expect_refused("entry-100mib.xlsx", "file.damaged",
                   EN_HEAD(HZ_M_XLSX_ZIP_INCONSISTENT, AT("entry-100mib.xlsx")));
    expect_refused("billion-laughs.xlsx", "file.damaged",
                   EN(HZ_M_XLSX_DOCTYPE, AT("billion-laughs.xlsx"), "xl/workbook.xml", "2"));
    expect_refused("nesting-10000.xlsx", "file.limit",
                   EN(HZ_M_XLSX_DEPTH, AT("nesting-10000.xlsx"), "xl/sharedStrings.xml", "64",
                      "3"));
    expect_refused("rels-1500.xlsx", "file.limit",
                   EN(HZ_M_XLSX_TOO_MANY_RELS, AT("rels-1500.xlsx"),
                      "xl/_rels/workbook.xml.rels", "1000"));
    expect_refused("no-workbook-part.xlsx", "file.damaged",
                   EN(HZ_M_XLSX_MISSING_PART, AT("no-workbook-part.xlsx"), "xl/workbook.xml"));
    expect_refused("submission-bomb.xlsx", "file.limit",
                   EN(HZ_M_XLSX_RATIO, AT("submission-bomb.xlsx"), "docProps/thumbnail.bin",
                      "1028", "200"));
    expect_refused("submission-gbk-strings.xlsx", "file.damaged",
                   EN(HZ_M_XLSX_BAD_UTF8, AT("submission-gbk-strings.xlsx"),
                      "xl/sharedStrings.xml", "2"));
    expect_refused("submission-doctype-cases.xlsx", "file.damaged",
                   EN(HZ_M_XLSX_DOCTYPE, AT("submission-doctype-cases.xlsx"),
                      "xl/worksheets/sheet4.xml", "2"));
    expect_refused("submission-sst-range.xlsx", "file.damaged",
                   EN(HZ_M_XLSX_SST_INDEX, AT("submission-sst-range.xlsx"),
                      "xl/worksheets/sheet4.xml", "A2", "999999"));
    expect_refused("submission-row-beyond.xlsx", "file.limit",
                   EN(HZ_M_XLSX_TOO_MANY_ROWS, AT("submission-row-beyond.xlsx"),
                      "xl/worksheets/sheet4.xml", "1048577", "1048576"));
    expect_refused("submission-long-narrative.xlsx", "file.limit",
                   EN(HZ_M_XLSX_CELL_TOO_LONG, AT("submission-long-narrative.xlsx"),
                      "xl/worksheets/sheet5.xml", "B40", "32767"));
}

Test(e2e_hostile, chinese_message_and_json_report)
{
    hz_run r = hz_test_run("'%s' check '" HOSTILE "/submission-doctype-cases.xlsx'", HZ_BIN);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "exit code %d", r.exit_code);
    const char *doctype = hz_test_msg(HZ_LANG_ZH, HZ_M_XLSX_DOCTYPE,
                                      AT("submission-doctype-cases.xlsx"),
                                      "xl/worksheets/sheet4.xml", "2", NULL);
    cr_expect(strstr(r.out, doctype) || strstr(r.err, doctype), "%s%s", r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --format json '" HOSTILE "/submission-sst-range.xlsx'", HZ_BIN);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "exit code %d", r.exit_code);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect_not(hz_test_json_bool(j, "valid"));
    cr_expect_not(hz_test_json_bool(j, "tasks.0.valid"));
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), "file.damaged");
    /* the report is in the default language, Chinese */
    cr_expect(hz_test_says(hz_test_json_str(j, "tasks.0.issues.0.message"), HZ_LANG_ZH,
                           HZ_M_XLSX_SST_INDEX, AT("submission-sst-range.xlsx"),
                           "xl/worksheets/sheet4.xml", "A2", "999999", NULL),
              "%s", r.out);
    json_object_put(j);
    hz_run_free(&r);
}

/* [limits] of campaign.ini reach the reader: a valid sample is refused
 * once max_cell_chars is lowered to 20. */
Test(e2e_hostile, configured_limits_apply)
{
    char *dir = hz_test_tempdir("hostile-cfg");
    cr_assert_not_null(dir);
    /* the configuration copied here, in C: the tests also run under
     * valgrind, which traces every program a shell line starts */
    static const char *const files[] = {"campaign.ini", "units.ini", "indicators.ini",
                                        "rules.ini", "lists.ini"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char from[1024], to[1024];
        snprintf(from, sizeof from, HZ_SOURCE_DIR "/config/xuchang-2022/%s", files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        size_t size = 0;
        char *text = hz_test_read_file(from, &size);
        cr_assert_not_null(text, "%s", from);
        FILE *f = fopen(to, "w");
        cr_assert_not_null(f);
        char *limit = strstr(text, "\nmax_cell_chars");
        if (i == 0) {
            cr_assert_not_null(limit, "campaign.ini has no max_cell_chars");
            fwrite(text, 1, (size_t)(limit - text), f);
            fputs("\nmax_cell_chars = 20", f);
            fputs(limit + strcspn(limit + 1, "\n") + 1, f);
        } else {
            fwrite(text, 1, size, f);
        }
        fclose(f);
        free(text);
    }
    hz_run r;
    r = hz_test_run("'%s' check --lang en " SAMPLE_GLOB, HZ_BIN);
    cr_expect_eq(r.exit_code, 0, "the sample is valid with the default limits:\n%s%s", r.out,
                 r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --lang en --config '%s' " SAMPLE_GLOB, HZ_BIN, dir);
    cr_expect_eq(r.exit_code, 1, "exit code %d\n%s%s", r.exit_code, r.out, r.err);
    /* the 39th shared string of the sample is the first longer than 20 */
    cr_expect(hz_test_says(r.out, HZ_LANG_EN, HZ_M_XLSX_STRING_TOO_LONG,
                           HZ_SOURCE_DIR "/input/xuchang-2022/stage/"
                                         "411002-许昌市魏都区市场监督管理局-阶段小结.xlsx",
                           "xl/sharedStrings.xml", "39", "20", NULL),
              "%s%s", r.out, r.err);
    hz_run_free(&r);
    hz_test_rmtree(dir);
    free(dir);
}

/* Checking never writes to its inputs. */
Test(e2e_hostile, inputs_unchanged)
{
    hz_run before = hz_test_run("cd '" HOSTILE "' && sha256sum *.xlsx");
    cr_assert_eq(before.exit_code, 0);
    hz_run r = hz_test_run("cd '" HOSTILE "' && '%s' check --lang en *.xlsx", HZ_BIN);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "exit code %d", r.exit_code);
    cr_expect(!strstr(r.err, "Sanitizer") && !strstr(r.err, "Segmentation"), "%s", r.err);
    hz_run_free(&r);
    hz_run after = hz_test_run("cd '" HOSTILE "' && sha256sum *.xlsx");
    cr_expect_str_eq(after.out, before.out);
    hz_run_free(&before);
    hz_run_free(&after);
}
