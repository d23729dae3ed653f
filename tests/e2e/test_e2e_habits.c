/* test_e2e_habits.c - what an officer or the city types by habit (issue
 * 16): check FOLDER, a path that is not there, a mistyped command, common
 * options before the command, a unit that sent only an .ods, and a folder
 * of another round. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_test.h"
#include "hz_test_json.h"

#define STAGE HZ_SOURCE_DIR "/input/xuchang-2022/stage"
#define HABITS HZ_SOURCE_DIR "/tests/fixtures/habits"
#define BIN "'" HZ_BIN "' "

static char *tmp;
static void setup(void) { tmp = hz_test_tempdir("e2e-habits"); }
static void teardown(void)
{
    hz_test_rmtree(tmp);
    free(tmp);
}
TestSuite(e2e_habits, .init = setup, .fini = teardown, .timeout = 300);

static size_t lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

Test(e2e_habits, check_folder_checks_every_return_with_a_summary)
{
    /* the sample folder plus what consolidate would skip */
    hz_run r = hz_test_run("cp -r '" STAGE "' '%s/f' && echo note > '%s/f/notes.txt' &&"
                           " cp '" HABITS "/411002-other.ods' '%s/f/' &&"
                           " " BIN "check --format json '%s/f'",
                           tmp, tmp, tmp, tmp);
    cr_expect_eq(r.exit_code, 1, "%s", r.err);
    json_object *j = json_tokener_parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    json_object *files;
    cr_assert(json_object_object_get_ex(j, "files", &files) ||
              json_object_object_get_ex(j, "tasks", &files));
    /* seven returns and the .ods; notes.txt and receipts.ini are not returns */
    cr_expect_eq(json_object_array_length(files), 8);
    json_object_put(j);
    hz_run_free(&r);

    r = hz_test_run(BIN "--lang en check '" STAGE "'");
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(hz_test_says(r.out, HZ_LANG_EN, HZ_M_CLI_CHECK_TOTAL, "7", "7", "0", NULL), "%s",
              r.out);
    hz_run_free(&r);
}

Test(e2e_habits, a_missing_path_does_not_exist)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/nowhere.xlsx", tmp);
    hz_run r = hz_test_run(BIN "--lang en check '%s'", path);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_IO_NO_SUCH_PATH, path, NULL), "%s", r.err);
    hz_run_free(&r);
    snprintf(path, sizeof path, "%s/nowhere", tmp);
    r = hz_test_run(BIN "--lang en consolidate --round stage -o '%s/o' '%s'", tmp, path);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_IO_NO_SUCH_PATH, path, NULL), "%s", r.err);
    cr_expect(!hz_test_says(r.err, HZ_LANG_EN, HZ_M_CONSOLIDATE_NOT_A_FOLDER, path, NULL), "%s",
              r.err);
    hz_run_free(&r);
}

Test(e2e_habits, a_mistyped_command_gets_the_nearest)
{
    static const struct {
        const char *typed, *meant;
    } typos[] = {{"chek", "check"}, {"consolidat", "consolidate"}, {"templte", "template"},
                 {"verfiy", "verify"}, {"cons", "consolidate"}};
    for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++) {
        hz_run r = hz_test_run(BIN "--lang en %s x", typos[i].typed);
        cr_expect_eq(r.exit_code, 2);
        cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_CLI_DID_YOU_MEAN, typos[i].meant, NULL),
                  "%s: %s", typos[i].typed, r.err);
        hz_run_free(&r);
    }
    hz_run r = hz_test_run(BIN "--lang en zzzzzz x");
    cr_expect_eq(r.exit_code, 2);
    /* nothing near: no suggestion (the message without its argument) */
    char none[256];
    snprintf(none, sizeof none, "%s", hz_test_msg(HZ_LANG_EN, HZ_M_CLI_DID_YOU_MEAN, NULL));
    none[strcspn(none, "'")] = '\0';
    cr_expect(!strstr(r.err, none), "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_habits, common_options_before_the_command)
{
    hz_run r = hz_test_run(BIN "--lang en --config '" HZ_SOURCE_DIR "/config/xuchang-2022' -q"
                               " check '" STAGE "'");
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(hz_test_says(r.out, HZ_LANG_EN, HZ_M_CLI_CHECK_TOTAL, "7", "7", "0", NULL), "%s",
              r.out);
    hz_run_free(&r);
    r = hz_test_run(BIN "--lang=en --config='%s/nowhere' check '" STAGE "'", tmp);
    cr_expect_neq(r.exit_code, 0);
    cr_expect(strstr(r.err, "nowhere"), "--config before the command is used: %s", r.err);
    hz_run_free(&r);
}

Test(e2e_habits, a_unit_that_sent_only_an_ods_is_received_wrong_format)
{
    hz_run r = hz_test_run("cp -r '" STAGE "' '%s/f' && rm '%s/f/411002-'*.xlsx &&"
                           " cp '" HABITS "/411002-other.ods' '%s/f/' &&"
                           " " BIN "consolidate --round stage --as-of 2022-08-30 --format json"
                           " --xlsx-only -o '%s/o' '%s/f'",
                           tmp, tmp, tmp, tmp, tmp);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out), *units, *files;
    cr_assert_not_null(j, "%s", r.out);
    cr_assert(json_object_object_get_ex(j, "units", &units));
    bool seen = false;
    for (size_t i = 0; i < json_object_array_length(units); i++) {
        json_object *u = json_object_array_get_idx(units, i), *v;
        cr_assert(json_object_object_get_ex(u, "code", &v));
        bool mine = !strcmp(json_object_get_string(v), "411002");
        cr_assert(json_object_object_get_ex(u, "received_wrong_format", &v));
        cr_expect_eq(json_object_get_boolean(v), mine, "unit %zu", i);
        if (mine) {
            seen = true;
            cr_assert(json_object_object_get_ex(u, "status", &v));
            cr_expect_str_eq(json_object_get_string(v), "missing"); /* no accepted return */
        }
    }
    cr_expect(seen);
    /* the .ods is a rejected file of the unit, not an ignored stray */
    cr_assert(json_object_object_get_ex(j, "files", &files));
    bool listed = false;
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i), *v;
        if (!json_object_object_get_ex(f, "file", &v) ||
            strcmp(json_object_get_string(v), "411002-other.ods"))
            continue;
        listed = true;
        cr_assert(json_object_object_get_ex(f, "status", &v));
        cr_expect_str_eq(json_object_get_string(v), "rejected");
        cr_assert(json_object_object_get_ex(f, "unit", &v));
        cr_expect_str_eq(json_object_get_string(v), "411002", "attributed by its file name");
    }
    cr_expect(listed, "%s", r.out);
    json_object_put(j);
    hz_run_free(&r);

    /* the text table says 已收到，格式不符 for it */
    r = hz_test_run(BIN "--lang zh consolidate --round stage --as-of 2022-08-30 --xlsx-only"
                        " -o '%s/o2' '%s/f'",
                    tmp, tmp);
    cr_expect(strstr(r.out, "411002") &&
                  hz_test_says(r.out, HZ_LANG_ZH, HZ_M_CONSOLIDATE_STATUS_WRONG_FORMAT, NULL),
              "%s", r.out);
    hz_run_free(&r);
}

Test(e2e_habits, a_folder_of_another_round_is_one_sentence)
{
    hz_run r = hz_test_run(BIN "--lang en consolidate --round annual --as-of 2022-12-20 -o '%s/o'"
                               " '" STAGE "'",
                           tmp);
    cr_expect_eq(r.exit_code, 1);
    cr_expect_eq(lines(r.err), 1, "one sentence: %s", r.err);
    cr_expect(hz_test_says(r.err, HZ_LANG_EN, HZ_M_CONSOLIDATE_ALL_OTHER_ROUND, "7", "阶段小结",
                           "年度总结", NULL),
              "%s", r.err);
    hz_run_free(&r);
}
