/* test_e2e_progress.c - the progress line (issue 16): on a terminal's
 * stderr (a pseudo-terminal made by script(1)), at most ten updates a
 * second, through the phases; nothing when stderr is not a terminal or with
 * --quiet. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hz_test.h"
#include "hz_test_json.h"

#define STAGE HZ_SOURCE_DIR "/input/xuchang-2022/stage"
#define CONSOLIDATE "'" HZ_BIN "' --lang en consolidate --round stage --as-of 2022-08-30"
#define ERASE "\r\033[K"

static char *tmp;
static void setup(void) { tmp = hz_test_tempdir("e2e-progress"); }
static void teardown(void)
{
    hz_test_rmtree(tmp);
    free(tmp);
}
TestSuite(e2e_progress, .init = setup, .fini = teardown, .timeout = 300);

static size_t count_of(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs command under a pseudo-terminal with stdout to /dev/null; returns
 * what reached the terminal (stderr). */
static char *on_terminal(const char *command, double *elapsed)
{
    hz_test_require("script", "bsdutils");
    char log[4096];
    snprintf(log, sizeof log, "%s/tty.log", tmp);
    double t0 = seconds();
    hz_run r = hz_test_run("script -qfec \"%s >/dev/null\" '%s' </dev/null >/dev/null", command,
                           log);
    if (elapsed)
        *elapsed = seconds() - t0;
    cr_assert_eq(r.exit_code, 0, "%s\n%s", command, r.err);
    hz_run_free(&r);
    char *text = hz_test_read_file(log, NULL);
    cr_assert(text);
    return text;
}

/* Where the progress line `line` (a catalogue text) is drawn in tty: just
 * after the code that erases the line; NULL when it is not. */
static const char *after_erase(const char *tty, const char *line)
{
    char want[1024];
    snprintf(want, sizeof want, ERASE "%s", line);
    return strstr(tty, want);
}

Test(e2e_progress, consolidate_on_a_terminal_shows_files_then_phases)
{
    char command[4096];
    snprintf(command, sizeof command, CONSOLIDATE " -o '%s/out' '" STAGE "'", tmp);
    double elapsed;
    char *tty = on_terminal(command, &elapsed);
    const char *files = after_erase(tty, hz_test_msg_head(HZ_LANG_EN, HZ_M_CLI_PROGRESS_FILES, "1",
                                                          "7", NULL));
    const char *summing = after_erase(tty, hz_test_msg(HZ_LANG_EN, HZ_M_CLI_PROGRESS_CONSOLIDATE,
                                                       NULL));
    const char *xlsx = after_erase(tty, hz_test_msg(HZ_LANG_EN, HZ_M_CLI_PROGRESS_XLSX, NULL));
    const char *pdf = after_erase(tty, hz_test_msg(HZ_LANG_EN, HZ_M_CLI_PROGRESS_PDF, NULL));
    cr_expect(files && summing && xlsx && pdf, "%s", tty);
    cr_expect(files < summing && summing < xlsx && xlsx < pdf, "phases out of order: %s", tty);
    /* the line is cleared at the end */
    const char *last = strstr(pdf + 1, ERASE);
    cr_expect(last && !strchr(last + strlen(ERASE), '\033'), "%s", tty);
    /* at most ten a second (+1: the first one, and the clearing) */
    size_t updates = count_of(tty, ERASE) - 1;
    cr_expect(updates <= (size_t)(elapsed * 10) + 1, "%zu updates in %.2f s", updates, elapsed);
    free(tty);
}

Test(e2e_progress, check_of_many_files_counts_them)
{
    char *tty = on_terminal("'" HZ_BIN "' --lang en check '" STAGE "'/*.xlsx", NULL);
    cr_expect(after_erase(tty, hz_test_msg_head(HZ_LANG_EN, HZ_M_CLI_PROGRESS_FILES, "1", "7",
                                                NULL)), "%s", tty);
    free(tty);
}

Test(e2e_progress, quiet_or_no_terminal_shows_nothing)
{
    char command[4096];
    snprintf(command, sizeof command, CONSOLIDATE " --quiet -o '%s/q' '" STAGE "'", tmp);
    char *tty = on_terminal(command, NULL);
    cr_expect(!strchr(tty, '\033'), "--quiet drew: %s", tty);
    free(tty);
    snprintf(command, sizeof command, "'" HZ_BIN "' -q --lang en check '" STAGE "'/*.xlsx");
    tty = on_terminal(command, NULL);
    cr_expect(!strchr(tty, '\033'), "-q before the command drew: %s", tty);
    free(tty);
    /* stderr a pipe: no progress line on it (the font notices of the
     * report are messages, not progress, and stay) */
    hz_run r = hz_test_run(CONSOLIDATE " -o '%s/p' '" STAGE "'", tmp);
    cr_expect_eq(r.exit_code, 0);
    cr_expect(!strchr(r.err, '\r') && !strchr(r.err, '\033'), "progress drawn: %s", r.err);
    cr_expect(!hz_test_says_head(r.err, HZ_LANG_ZH, HZ_M_CLI_PROGRESS_FILES, NULL) &&
                  !hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CLI_PROGRESS_CONSOLIDATE, NULL) &&
                  !hz_test_says(r.err, HZ_LANG_ZH, HZ_M_CLI_PROGRESS_PDF, NULL),
              "progress written: %s", r.err);
    hz_run_free(&r);
}
