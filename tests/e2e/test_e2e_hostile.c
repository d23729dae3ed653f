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

#define HOSTILE HZ_SOURCE_DIR "/tests/fixtures/hostile"
TestSuite(e2e_hostile, .timeout = 120);

#define SAMPLE_GLOB HZ_SOURCE_DIR "/input/xuchang-2022/stage/411002-*.xlsx"

static void expect_refused(const char *file, const char *fragment)
{
    hz_run r = hz_test_run("'%s' check --lang en '" HOSTILE "/%s'", HZ_BIN, file);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "%s: exit code %d\n%s%s", file,
              r.exit_code, r.out, r.err);
    cr_expect(strstr(r.out, fragment) || strstr(r.err, fragment),
              "%s: output lacks \"%s\":\n%s%s", file, fragment, r.out, r.err);
    hz_run_free(&r);
}

Test(e2e_hostile, check_refuses_with_the_reason)
{
    expect_refused("empty.xlsx", "is not an xlsx workbook");
    expect_refused("xls-renamed.xlsx", "Excel 97-2003");
    expect_refused("cut-in-half.xlsx", "damaged or the file is incomplete");
    expect_refused("bomb-sheet.xlsx", "(looks like a zip bomb)");
    expect_refused("entry-100mib.xlsx", "disagrees with the entries themselves");
    expect_refused("billion-laughs.xlsx", "DOCTYPE declaration");
    expect_refused("nesting-10000.xlsx", "deeper than 64 levels");
    expect_refused("rels-1500.xlsx", "lists more than 1000 relationships");
    expect_refused("no-workbook-part.xlsx", "lacks the required part xl/workbook.xml");
    expect_refused("submission-bomb.xlsx", "(looks like a zip bomb)");
    expect_refused("submission-gbk-strings.xlsx", "contains invalid UTF-8");
    expect_refused("submission-doctype-cases.xlsx", "DOCTYPE declaration");
    expect_refused("submission-sst-range.xlsx", "refers to shared string 999999");
    expect_refused("submission-row-beyond.xlsx", "beyond the limit of 1048576 rows");
    expect_refused("submission-long-narrative.xlsx", "longer than the limit of 32767 characters");
}

Test(e2e_hostile, chinese_message_and_json_report)
{
    hz_run r = hz_test_run("'%s' check '" HOSTILE "/submission-doctype-cases.xlsx'", HZ_BIN);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "exit code %d", r.exit_code);
    cr_expect(strstr(r.out, "含有 DOCTYPE 声明") || strstr(r.err, "含有 DOCTYPE 声明"),
              "%s%s", r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check --format json '" HOSTILE "/submission-sst-range.xlsx'", HZ_BIN);
    cr_expect(r.exit_code == 1 || r.exit_code == 3, "exit code %d", r.exit_code);
    cr_expect(strstr(r.out, "\"valid\": false") || strstr(r.out, "\"valid\":false"), "%s", r.out);
    cr_expect(strstr(r.out, "999999"), "%s", r.out);
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
    cr_expect(strstr(r.out, "longer than the limit of 20 characters"), "%s%s", r.out, r.err);
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
