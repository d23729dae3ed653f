/* test_e2e_faults.c - failures that must lose nothing (DESIGN §8/§9): an
 * error, an interrupt or a kill in the middle of writing the outputs, a
 * full disk, two runs on one output folder, an output folder that cannot
 * be made, unreadable inputs. After each: a clear message, the output
 * folder exactly as before (or absent), no staging folder left, inputs
 * unchanged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_test.h"
#include "hz_test_json.h"
#include "hz_test_fixture.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define RUN "'" HZ_BIN "' consolidate --lang zh --round stage --as-of 2022-08-31 "

static char *tmp;
static char out[1024];

static void setup(void)
{
    tmp = hz_test_scratch("e2e-faults");
    snprintf(out, sizeof out, "%s/out", tmp);
}

static void teardown(void)
{
    hz_test_fixture_free(NULL, tmp);
}

TestSuite(e2e_faults, .init = setup, .fini = teardown, .timeout = 180);

/* Hashes of every file in out (hidden ones too), one line each. */
static char *snapshot(void)
{
    hz_run r = hz_test_run("cd '%s' 2>/dev/null && find . -type f ! -name .huizong.lock | sort | "
                           "xargs -r sha256sum", out);
    char *s = r.out;
    r.out = NULL;
    hz_run_free(&r);
    return s;
}

static void expect_no_staging(void)
{
    hz_run r = hz_test_run("ls -A '%s' 2>/dev/null | grep -c '^\\.huizong-staging-' || true", out);
    cr_expect_str_eq(r.out, "0\n", "a staging folder was left behind");
    hz_run_free(&r);
}

/* A first, good run: the outputs a failed run must not disturb. */
static char *good_run(void)
{
    hz_run r = hz_test_run(RUN "-o '%s' '" SAMPLES "/stage'", out);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char *snap = snapshot();
    cr_assert(strstr(snap, ".pdf") && strstr(snap, ".xlsx") && strstr(snap, "context.json"));
    return snap;
}

/* A run that fails part way (env holds the fault switch), with an as-of
 * that would change every output if it got through. */
static hz_run faulty_run(const char *env)
{
    return hz_test_run("%s '" HZ_BIN "' consolidate --lang zh --round stage --as-of 2022-09-30 "
                       "-o '%s' '" SAMPLES "/stage'",
                       env, out);
}

/* The outputs are still exactly before (freed here), no staging folder left. */
static void expect_outputs_kept(char *before)
{
    char *after = snapshot();
    cr_expect_str_eq(after, before, "outputs changed by a failed run");
    expect_no_staging();
    free(before);
    free(after);
}

Test(e2e_faults, error_while_writing_keeps_old_outputs)
{
    char *before = good_run();
    hz_run r = faulty_run("HUIZONG_FAIL_AFTER=2");
    cr_expect_eq(r.exit_code, 3);
    cr_expect(hz_test_says_head(r.err, HZ_LANG_ZH, HZ_M_CONSOLIDATE_INJECTED, "HUIZONG_FAIL_AFTER",
                                NULL), "%s", r.err);
    hz_run_free(&r);
    expect_outputs_kept(before);
}

Test(e2e_faults, interrupt_while_writing_keeps_old_outputs)
{
    char *before = good_run();
    hz_run r = faulty_run("HUIZONG_INTERRUPT_AFTER=3");
    cr_expect_neq(r.exit_code, 0, "an interrupted run must not report success");
    cr_expect(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CONSOLIDATE_INTERRUPTED, out, NULL), "%s",
              r.err);
    hz_run_free(&r);
    expect_outputs_kept(before);
}

Test(e2e_faults, killed_run_leaves_nothing_the_next_run_keeps)
{
    char *before = good_run();
    hz_run r = faulty_run("HUIZONG_KILL_AFTER=2");
    cr_expect_neq(r.exit_code, 0);
    hz_run_free(&r);
    char *after = snapshot();
    /* the killed run's staging folder is there, the outputs are the old ones */
    hz_run ls = hz_test_run("ls '%s'", out);
    cr_expect(strstr(after, "validation.json"));
    hz_run_free(&ls);
    r = hz_test_run(RUN "-o '%s' '" SAMPLES "/stage'", out);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    expect_no_staging();
    char *again = snapshot();
    cr_expect_str_eq(again, before, "same inputs, same as-of: same bytes");
    free(before);
    free(after);
    free(again);
}

Test(e2e_faults, full_disk_keeps_old_outputs)
{
    char *before = good_run();
    /* 300 KiB: the workbook fits, the PDF does not */
    hz_run r = hz_test_run("ulimit -f 300; " RUN "-o '%s' '" SAMPLES "/stage'", out);
    cr_expect_eq(r.exit_code, 3, "%s", r.err);
    cr_expect(strstr(r.err, "huizong consolidate:") != NULL, "%s", r.err);
    hz_run_free(&r);
    expect_outputs_kept(before);
}

Test(e2e_faults, second_run_on_a_busy_folder_is_refused)
{
    char *before = good_run();
    hz_run r = hz_test_run("flock '%s/.huizong.lock' sh -c '" RUN "-o \"%s\" \"" SAMPLES
                           "/stage\"; echo inner=$?'",
                           out, out);
    cr_expect(strstr(r.out, "inner=3") != NULL, "%s %s", r.out, r.err);
    cr_expect(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CONSOLIDATE_OUTPUT_BUSY, out, NULL), "%s",
              r.err);
    hz_run_free(&r);
    expect_outputs_kept(before);
}

Test(e2e_faults, output_folder_that_cannot_be_made)
{
    char file[1100];
    snprintf(file, sizeof file, "%s/plain-file", tmp);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    hz_run r = hz_test_run(RUN "-o '%s/sub' '" SAMPLES "/stage'", file);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(strstr(r.err, "plain-file") != NULL, "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_faults, unreadable_inputs_are_named_not_fatal)
{
    char in[1100];
    snprintf(in, sizeof in, "%s/in", tmp);
    hz_run r = hz_test_run("cp -R '" SAMPLES "/stage' '%s' && ln -s /nonexistent '%s/411099-坏链接.xlsx'"
                           " && printf 'PK' > '%s/411098-半截文件.xlsx' && cd '%s' && "
                           "find . -type f | sort | xargs sha256sum",
                           in, in, in, in);
    cr_assert_eq(r.exit_code, 0);
    char *hashes = r.out;
    r.out = NULL;
    hz_run_free(&r);
    r = hz_test_run(RUN "-o '%s' '%s'", out, in);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "411099-坏链接.xlsx") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "411098-半截文件.xlsx") != NULL, "%s", r.out);
    hz_run_free(&r);
    r = hz_test_run("cd '%s' && find . -type f | sort | xargs sha256sum", in);
    cr_expect_str_eq(r.out, hashes, "inputs changed");
    hz_run_free(&r);
    free(hashes);

    r = hz_test_run(RUN "-o '%s' '%s/no-such-folder'", out, tmp);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(strstr(r.err, "no-such-folder") != NULL, "%s", r.err);
    hz_run_free(&r);
}

/* SIGTERM while archiving: held back until the archive is complete, so
 * what is left is a whole, verifiable archive and no temporary folder. */
Test(e2e_faults, interrupt_while_archiving_leaves_a_whole_archive)
{
    char archive[1100];
    snprintf(archive, sizeof archive, "%s/2022", tmp);
    hz_run r = hz_test_run("HUIZONG_INTERRUPT_AFTER=5 '" HZ_BIN "' archive --round annual "
                           "--as-of 2022-12-20 -o '%s' '" SAMPLES "/annual'",
                           archive);
    cr_expect_neq(r.exit_code, 0, "the interrupt still ends the process");
    hz_run_free(&r);
    r = hz_test_run("'" HZ_BIN "' verify '%s'", archive);
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    r = hz_test_run("ls -A '%s' | grep -c '\\.tmp-' || true", tmp);
    cr_expect_str_eq(r.out, "0\n", "a temporary folder was left beside the archive");
    hz_run_free(&r);
}
