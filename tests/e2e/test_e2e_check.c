/* test_e2e_check.c - `huizong check` as a county officer runs it. What it
 * found is read from `--format json` (rule ids, sheets, cells, counts) and
 * the messages by catalogue id (hz_test_json.h), never by their wording. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <string.h>
#include "hz_test.h"
#include "hz_test_json.h"

#define BAD HZ_SOURCE_DIR "/tests/fixtures/bad"
#define STAGE HZ_SOURCE_DIR "/input/xuchang-2022/stage"

TestSuite(e2e_check, .timeout = 120);

Test(e2e_check, valid_sample_exits_0)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --lang zh '" STAGE
                           "/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx'");
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("'" HZ_BIN "' check --format json '" STAGE
                    "/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx'");
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect(hz_test_json_bool(j, "valid"));
    cr_expect_eq(hz_test_json_int(j, "tasks.0.cases"), 21);
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.errors"), 0);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.unit"), "411002");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.round"), "stage");
    json_object_put(j);
    hz_run_free(&r);
}

Test(e2e_check, error_line_names_cell_field_and_rule)
{
    hz_run before = hz_test_run("sha256sum < '" BAD "/19-close-before-open.xlsx'");
    hz_run r = hz_test_run("'" HZ_BIN "' check --format json '" BAD
                           "/19-close-before-open.xlsx'");
    hz_run after = hz_test_run("sha256sum < '" BAD "/19-close-before-open.xlsx'");
    cr_expect_str_eq(before.out, after.out, "check modified its input");
    hz_run_free(&before);
    hz_run_free(&after);
    cr_expect_eq(r.exit_code, 1);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect_not(hz_test_json_bool(j, "tasks.0.valid"));
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.errors"), 1);
    cr_assert_eq(hz_test_json_len(j, "tasks.0.issues"), 1);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), "row.close_before_open");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.severity"), "error");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.sheet"), "案件明细");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.cell"), "D2");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.found"), "2022-08-01");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.expected"), "2022-08-10");
    json_object_put(j);
    hz_run_free(&r);
    /* the text report is one line per issue, naming the cell and the rule */
    r = hz_test_run("'" HZ_BIN "' check --lang zh '" BAD "/19-close-before-open.xlsx'");
    cr_expect_eq(r.exit_code, 1);
    cr_expect(strstr(r.out, "案件明细!D2") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "[row.close_before_open]") != NULL, "%s", r.out);
    hz_run_free(&r);

    r = hz_test_run("'" HZ_BIN "' check --format json '" BAD "/28-value-text.xlsx'");
    cr_expect_eq(r.exit_code, 1);
    j = hz_test_json_parse(r.out);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), "cell.type");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.sheet"), "统计表");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.cell"), "D2");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.found"), "12件");
    json_object_put(j);
    hz_run_free(&r);
}

Test(e2e_check, explained_warning_does_not_block)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --format json '" BAD
                           "/37-rule-warning-explained.xlsx'");
    cr_expect_eq(r.exit_code, 0, "%s", r.out);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect(hz_test_json_bool(j, "tasks.0.valid"));
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.warnings"), 0);
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.explained"), 1);
    json_object *is = hz_test_json_find(j, "tasks.0.issues", "rule", "rule.R10");
    cr_assert_not_null(is, "%s", r.out);
    cr_expect_str_eq(hz_test_json_str(is, "severity"), "warning");
    cr_expect(hz_test_json_bool(is, "explained"));
    cr_expect_str_eq(hz_test_json_str(is, "cell"), "D20");
    json_object_put(j);
    hz_run_free(&r);
}

Test(e2e_check, json_report_lists_every_file)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --format json '" BAD "/01-date-invalid.xlsx' '" BAD
                           "/12-amount-thousands.xlsx'");
    cr_expect_eq(r.exit_code, 1, "%s", r.err);
    json_object *j = json_tokener_parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    json_object *valid, *tasks;
    cr_assert(json_object_object_get_ex(j, "valid", &valid));
    cr_expect_not(json_object_get_boolean(valid));
    cr_assert(json_object_object_get_ex(j, "tasks", &tasks));
    cr_assert_eq(json_object_array_length(tasks), 2);
    json_object *t0 = json_object_array_get_idx(tasks, 0), *issues, *first, *v;
    cr_assert(json_object_object_get_ex(t0, "issues", &issues));
    first = json_object_array_get_idx(issues, 0);
    cr_assert(json_object_object_get_ex(first, "rule", &v));
    cr_expect_str_eq(json_object_get_string(v), "cell.date");
    cr_assert(json_object_object_get_ex(first, "found", &v));
    cr_expect_str_eq(json_object_get_string(v), "2022-13-01");
    json_object *t1 = json_object_array_get_idx(tasks, 1);
    cr_assert(json_object_object_get_ex(t1, "valid", &v));
    cr_expect(json_object_get_boolean(v), "a notice does not block");
    cr_assert(json_object_object_get_ex(t1, "sha256", &v));
    cr_expect_eq(strlen(json_object_get_string(v)), 64);
    json_object_put(j);
    hz_run_free(&r);
}

Test(e2e_check, wrong_round_is_one_clear_error)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --format json --round stage '" BAD
                           "/42-wrong-round.xlsx'");
    cr_expect_eq(r.exit_code, 1);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect_eq(hz_test_json_int(j, "tasks.0.counts.errors"), 1);
    cr_assert_eq(hz_test_json_len(j, "tasks.0.issues"), 1, "one error, not one per cell");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), "header.round_mismatch");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.found"), "年度总结");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.expected"), "阶段小结");
    json_object_put(j);
    hz_run_free(&r);
}

Test(e2e_check, exit_codes_for_usage_and_unreadable_input)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --lang en '" BAD "/does-not-exist.xlsx'");
    cr_expect_eq(r.exit_code, 3, "%s", r.out);
    /* said to be missing, not "unreadable" */
    cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_IO_NO_SUCH_PATH, BAD "/does-not-exist.xlsx",
                           NULL), "%s", r.err);
    hz_run_free(&r);

    r = hz_test_run("'" HZ_BIN "' check --format json '" BAD "/57-old-xls.xlsx'");
    cr_expect_eq(r.exit_code, 1);
    json_object *j = hz_test_json_parse(r.out);
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.rule"), "file.old_xls");
    cr_expect_str_eq(hz_test_json_str(j, "tasks.0.issues.0.severity"), "error");
    json_object_put(j);
    hz_run_free(&r);

    static const char *const usage[] = {
        "check", "check --bogus x.xlsx", "check --format xml x.xlsx",
        "check --round quarterly x.xlsx", "check --round",
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        r = hz_test_run("'" HZ_BIN "' %s", usage[i]);
        cr_expect_eq(r.exit_code, 2, "%s: %d", usage[i], r.exit_code);
        cr_expect(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CLI_TRY_HELP, "check", NULL), "%s: %s",
                  usage[i], r.err);
        hz_run_free(&r);
    }
    r = hz_test_run("'" HZ_BIN "' check --help");
    cr_expect_eq(r.exit_code, 0);
    cr_expect(strstr(r.out, "--round") != NULL);
    hz_run_free(&r);
}

Test(e2e_check, several_files_summary_line)
{
    hz_run r = hz_test_run("'" HZ_BIN "' check --lang zh '" STAGE "'/*.xlsx '" BAD
                           "/23-duplicate-case.xlsx'");
    cr_expect_eq(r.exit_code, 1);
    cr_expect(hz_test_says(r.out, HZ_LANG_ZH, HZ_M_CLI_CHECK_TOTAL, "8", "7", "1", NULL),
              "%s", r.out);
    hz_run_free(&r);
    r = hz_test_run("'" HZ_BIN "' check --format json '" STAGE "'/*.xlsx '" BAD
                    "/23-duplicate-case.xlsx'");
    json_object *j = hz_test_json_parse(r.out);
    cr_assert_eq(hz_test_json_len(j, "tasks"), 8);
    size_t valid = 0;
    for (size_t i = 0; i < 8; i++)
        valid += json_object_get_boolean(hz_test_json_at(json_object_array_get_idx(
                                             hz_test_json_at(j, "tasks"), i), "valid"));
    cr_expect_eq(valid, 7);
    cr_expect_not(hz_test_json_bool(j, "valid"));
    json_object_put(j);
    hz_run_free(&r);
}
