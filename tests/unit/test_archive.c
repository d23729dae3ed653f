/* test_archive.c - archive.h, verify.h and report_outputs.h as library
 * calls: the manifest parser, path safety, canonical names, the as-of date,
 * and archive_create / verify_archive on the shipped samples (failure
 * injection, stale staging folders - locked ones are kept - and each kind
 * of verify finding). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "archive_format.h"
#include "config.h"
#include "fsutil.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "report_outputs.h"
#include "verify.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"

/* ------------------------------------------------------------ pure functions */

Test(archive_ini, parses_sections_quotes_comments_and_bad_lines)
{
    const char *text = "\xEF\xBB\xBF; comment\n"
                       "[archive]\n"
                       "format = 1\n"
                       "campaign = \"专项 ; 治理\"\r\n"
                       "\n"
                       "# also a comment\n"
                       "[ submission.1 ]\n"
                       "path=\"submissions/annual/411002-annual-v1.xlsx\"\n"
                       "no equals sign here\n"
                       "[broken\n"
                       " = value without key\n"
                       "empty =\n";
    archive_ini ini;
    hz_error err;
    cr_assert_eq(archive_format_ini_parse(text, &ini, &err), HZ_OK);
    cr_expect_str_eq(archive_format_ini_get(&ini, "archive", "format"), "1");
    cr_expect_str_eq(archive_format_ini_get(&ini, "archive", "campaign"), "专项 ; 治理");
    cr_expect_str_eq(archive_format_ini_get(&ini, "submission.1", "path"),
                     "submissions/annual/411002-annual-v1.xlsx");
    cr_expect_str_eq(archive_format_ini_get(&ini, "submission.1", "empty"), "");
    cr_expect_null(archive_format_ini_get(&ini, "archive", "path"));
    cr_assert_eq(ini.bad_count, 3);
    cr_expect_eq(ini.bad_lines[0], 9);
    cr_expect_eq(ini.bad_lines[1], 10);
    cr_expect_eq(ini.bad_lines[2], 11);
    cr_expect_eq(ini.items[1].line, 4);
    archive_format_ini_free(&ini);

    cr_assert_eq(archive_format_ini_parse("", &ini, &err), HZ_OK);
    cr_expect_eq(ini.count, 0);
    archive_format_ini_free(&ini);
}

Test(archive_paths, safety)
{
    cr_expect(archive_format_path_is_safe("manifest.ini"));
    cr_expect(archive_format_path_is_safe("reports/许昌市报告.pdf"));
    cr_expect(archive_format_path_is_safe("a/b/.hidden"));
    cr_expect(!archive_format_path_is_safe(""));
    cr_expect(!archive_format_path_is_safe("/etc/passwd"));
    cr_expect(!archive_format_path_is_safe("../x"));
    cr_expect(!archive_format_path_is_safe("a/../../x"));
    cr_expect(!archive_format_path_is_safe("a/./x"));
    cr_expect(!archive_format_path_is_safe("a//x"));
    cr_expect(!archive_format_path_is_safe("a/"));
    cr_expect(!archive_format_path_is_safe("a\\b"));
    cr_expect(!archive_format_path_is_safe("a\nb"));
}

Test(archive_names, canonical_and_report_base)
{
    char buf[256];
    cr_expect_str_eq(archive_format_submission_name("411002", "annual", 2, buf, sizeof buf),
                     "411002-annual-v2.xlsx");
    hz_config cfg = {0};
    hz_round round = {.id = "annual", .name = "年度总结"};
    cfg.name = "专项/治理";
    cfg.report.title = "报告: \"终稿\"\n";
    cr_expect_str_eq(report_outputs_base_name(&cfg, &round, true, buf, sizeof buf),
                     "报告_ _终稿__");
    cr_expect_str_eq(report_outputs_base_name(&cfg, &round, false, buf, sizeof buf),
                     "专项_治理-年度总结");
    cfg.report.title = "..";
    cr_expect_str_eq(report_outputs_base_name(&cfg, &round, true, buf, sizeof buf), "report");
}

Test(report_outputs, as_of)
{
    hz_round round = {.id = "annual", .deadline = hz_date_from_ymd(2022, 11, 24)};
    hz_date d;
    hz_error err = {0};
    cr_assert_eq(report_outputs_as_of(NULL, NULL, &round, HZ_LANG_ZH, &d, &err), HZ_OK);
    cr_expect_eq(d, round.deadline);
    cr_assert_eq(report_outputs_as_of("2022-12-20", NULL, &round, HZ_LANG_ZH, &d, &err), HZ_OK);
    cr_expect_eq(d, hz_date_from_ymd(2022, 12, 20));
    cr_expect_eq(report_outputs_as_of("2022-02-30", NULL, &round, HZ_LANG_EN, &d, &err),
                 HZ_ERR_USAGE);
    cr_expect_eq(err.msg, HZ_M_CLI_BAD_VALUE);
    cr_expect_str_eq(err.args[0], "--as-of");
    /* 1671494400: 2022-12-20 00:00 UTC; as_of_text wins over it */
    cr_assert_eq(report_outputs_as_of(NULL, "1671494400", &round, HZ_LANG_ZH, &d, &err), HZ_OK);
    cr_expect_eq(d, hz_date_from_ymd(2022, 12, 20));
    cr_assert_eq(report_outputs_as_of("2022-12-21", "1671494400", &round, HZ_LANG_ZH, &d, &err),
                 HZ_OK);
    cr_expect_eq(d, hz_date_from_ymd(2022, 12, 21));
    cr_assert_eq(report_outputs_as_of(NULL, "", &round, HZ_LANG_ZH, &d, &err), HZ_OK);
    cr_expect_eq(d, round.deadline);
    cr_expect_eq(report_outputs_as_of(NULL, "soon", &round, HZ_LANG_ZH, &d, &err), HZ_ERR_USAGE);
    cr_expect_eq(err.msg, HZ_M_CONSOLIDATE_BAD_EPOCH);
}

/* ------------------------------------------------------------ on the samples */

HZ_TEST_FIXTURE("archive");

static archive_options options(const char *target)
{
    return (archive_options){
        .round = config_find_round(config, "annual"),
        .folder = SAMPLES "/annual",
        .stage_folder = SAMPLES "/stage",
        .target = target,
        .template_dir = HZ_SOURCE_DIR "/templates",
        .as_of = hz_date_from_ymd(2022, 12, 20),
        .fail_after = -1,
    };
}

static size_t entries(const char *dir)
{
    fs_listing l;
    hz_error err;
    cr_assert_eq(fs_list_dir(dir, &l, &err), HZ_OK);
    size_t n = l.count;
    fs_listing_free(&l);
    return n;
}

TestSuite(archive_lib, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

Test(archive_lib, fail_after_leaves_nothing)
{
    char target[512];
    snprintf(target, sizeof target, "%s/arc", tmp);
    for (long n = 0; n <= 28; n += 7) {
        archive_options opt = options(target);
        opt.fail_after = n;
        archive_result res;
        hz_error err = {0};
        cr_expect_eq(archive_create(config, &opt, &res, &err), HZ_ERR_IO);
        cr_expect_eq(err.msg, HZ_M_ARCHIVE_INJECTED);
        cr_expect_eq(entries(tmp), 0, "after %ld files", n);
        archive_result_free(&res);
    }
}

Test(archive_lib, stale_staging_removed_locked_kept)
{
    char stale[600], locked[600], other[600], longer[600], target[512];
    snprintf(stale, sizeof stale, "%s/.arc.tmp-AAAAAA", tmp);
    snprintf(locked, sizeof locked, "%s/.arc.tmp-BBBBBB", tmp);
    snprintf(other, sizeof other, "%s/.other.tmp-CCCCCC", tmp);
    snprintf(longer, sizeof longer, "%s/.arc.tmp-DDDDDDD", tmp);
    cr_assert_eq(mkdir(stale, 0755), 0);
    cr_assert_eq(mkdir(locked, 0755), 0);
    cr_assert_eq(mkdir(other, 0755), 0);
    cr_assert_eq(mkdir(longer, 0755), 0);
    char inner[700];
    snprintf(inner, sizeof inner, "%s/half-written", stale);
    FILE *f = fopen(inner, "w");
    cr_assert_not_null(f);
    fclose(f);
    /* a run still in progress holds its staging folder locked */
    int fd = open(locked, O_RDONLY | O_DIRECTORY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);

    snprintf(target, sizeof target, "%s/arc", tmp);
    archive_options opt = options(target);
    archive_result res;
    hz_error err = {0};
    cr_assert_eq(archive_create(config, &opt, &res, &err), HZ_OK);
    cr_expect_eq(res.stale_count, 1);
    cr_expect(!fs_exists(stale));
    cr_expect(fs_exists(locked));
    cr_expect(fs_exists(other));
    cr_expect(fs_exists(longer));
    cr_expect(fs_is_dir(target));
    cr_expect_eq(entries(tmp), 4); /* arc + the three kept */
    archive_result_free(&res);
    close(fd);
}

static bool has_finding(const verify_report *r, verify_kind kind, const char *path)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].kind == kind && !strcmp(r->items[i].path, path))
            return true;
    return false;
}

Test(archive_lib, create_then_verify_findings)
{
    char target[512];
    snprintf(target, sizeof target, "%s/arc", tmp);
    archive_options opt = options(target);
    opt.zip = true;
    archive_result res;
    hz_error err = {0};
    cr_assert_eq(archive_create(config, &opt, &res, &err), HZ_OK, "%s",
                 hz_error_render(&err, HZ_LANG_EN, (char[512]){0}, 512));
    /* 6 accepted annual returns (+ superseded ones) and 7 stage returns */
    cr_expect_geq(res.submission_count, 13);
    cr_expect_eq(res.file_count, res.submission_count + 14); /* + 2 receipts.ini, 6 config,
                                                                4 reports, receipts.csv,
                                                                manifest.ini */
    cr_expect_eq(res.accepted_units, 6);
    cr_assert_not_null(res.zip_path);
    cr_expect(fs_exists(res.zip_path));

    /* refused the second time, before anything is read */
    archive_result again;
    cr_expect_eq(archive_create(config, &opt, &again, &err), HZ_ERR_IO);
    cr_expect_eq(err.msg, HZ_M_ARCHIVE_EXISTS);
    archive_result_free(&again);

    verify_report rep;
    cr_assert_eq(verify_archive(target, HZ_LANG_ZH, &rep, &err), HZ_OK);
    cr_expect_eq(rep.count, 0, "first: %s", rep.count ? rep.items[0].what.args[0] : "");
    cr_expect_eq(rep.files_listed, res.file_count);
    cr_expect_eq(rep.files_ok, res.file_count);
    cr_expect_eq(rep.submissions_checked, res.submission_count);
    cr_expect_gt(rep.figures_compared, 20);
    verify_report_free(&rep);

    /* modify, delete, add; a figure changed in the manifest */
    char p[1024];
    snprintf(p, sizeof p, "%s/validation.json", target);
    FILE *f = fopen(p, "r+");
    cr_assert_not_null(f);
    fputc(' ', f);
    fclose(f);
    snprintf(p, sizeof p, "%s/receipts.csv", target);
    cr_assert_eq(unlink(p), 0);
    snprintf(p, sizeof p, "%s/reports/extra.txt", target);
    f = fopen(p, "w");
    cr_assert_not_null(f);
    fclose(f);
    char *text;
    size_t len;
    snprintf(p, sizeof p, "%s/manifest.ini", target);
    cr_assert_eq(fs_read_file(p, &text, &len, &err), HZ_OK);
    char *at = strstr(text, "cases_filed = 277");
    cr_assert_not_null(at);
    at[14] = '8';
    cr_assert_eq(fs_write_atomic(p, text, len, &err), HZ_OK);
    free(text);

    cr_assert_eq(verify_archive(target, HZ_LANG_ZH, &rep, &err), HZ_OK);
    cr_expect(has_finding(&rep, VERIFY_MODIFIED, "validation.json"));
    cr_expect(has_finding(&rep, VERIFY_MISSING, "receipts.csv"));
    cr_expect(has_finding(&rep, VERIFY_EXTRA, "reports/extra.txt"));
    cr_expect(has_finding(&rep, VERIFY_MODIFIED, "manifest.ini"));
    cr_expect(has_finding(&rep, VERIFY_FIGURE, "manifest.ini"));
    cr_expect_eq(rep.count, 5);
    verify_report_free(&rep);

    cr_expect_eq(verify_archive("/nonexistent/x", HZ_LANG_ZH, &rep, &err), HZ_ERR_IO);
    verify_report_free(&rep);
    archive_result_free(&res);
}
