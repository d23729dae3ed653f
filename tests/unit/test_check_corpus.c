/* test_check_corpus.c - every bad-input fixture gives exactly its fault.
 *
 * tests/fixtures/bad/ holds samples made by `huizong synth`, each with ONE
 * fault applied by another program (openpyxl, LibreOffice); manifest.tsv
 * says which rule must fire where, how severe, whether explained, and how
 * many errors the file has in all. Regenerate with make-bad.py. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "config.h"
#include "hz_test_fixture.h"
#include <json-c/json.h>

#define BAD HZ_SOURCE_DIR "/tests/fixtures/bad"

HZ_TEST_FIXTURE(NULL);

TestSuite(check_corpus, .init = hz_fixture_setup, .fini = hz_fixture_teardown,
          .timeout = 120);

typedef struct manifest_line {
    char file[128], round[16], rule[64], sheet[64], cell[16], severity[16];
    int explained, errors;
} manifest_line;

static bool parse_line(char *line, manifest_line *m)
{
    char *fields[9];
    int n = 0;
    for (char *p = line; n < 9; n++) {
        fields[n] = p;
        char *tab = strchr(p, '\t');
        if (!tab) {
            p[strcspn(p, "\n")] = '\0';
            n++;
            break;
        }
        *tab = '\0';
        p = tab + 1;
    }
    if (n < 8)
        return false;
    snprintf(m->file, sizeof m->file, "%s", fields[0]);
    snprintf(m->round, sizeof m->round, "%s", fields[1]);
    snprintf(m->rule, sizeof m->rule, "%s", fields[2]);
    snprintf(m->sheet, sizeof m->sheet, "%s", strcmp(fields[3], "-") ? fields[3] : "");
    snprintf(m->cell, sizeof m->cell, "%s", strcmp(fields[4], "-") ? fields[4] : "");
    snprintf(m->severity, sizeof m->severity, "%s", fields[5]);
    m->explained = atoi(fields[6]);
    m->errors = atoi(fields[7]);
    return true;
}

/* The manifest names a cell ("F12") or, for whole-row faults, a row ("12"). */
static bool cell_matches(const char *want, const char *got)
{
    if (!want[0])
        return true;
    if (want[0] >= '0' && want[0] <= '9') {
        while (*got >= 'A' && *got <= 'Z')
            got++;
        return !strcmp(want, got);
    }
    return !strcmp(want, got);
}

static size_t run_manifest(void)
{
    FILE *f = fopen(BAD "/manifest.tsv", "r");
    cr_assert_not_null(f, "manifest.tsv missing: run tests/fixtures/bad/make-bad.py");
    char line[2048];
    size_t checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        manifest_line m;
        cr_assert(parse_line(line, &m), "bad manifest line: %s", line);
        char path[512];
        snprintf(path, sizeof path, BAD "/%s", m.file);
        hz_check_options opt = {
            .round = strcmp(m.round, "-") ? config_find_round(config, m.round) : NULL,
        };
        hz_check_result r;
        hz_error err = {0};
        cr_assert_eq(check_file(config, path, &opt, &r, &err), HZ_OK, "%s", m.file);

        const hz_issue *hit = NULL;
        for (size_t i = 0; i < r.issues.count && !hit; i++) {
            const hz_issue *is = &r.issues.items[i];
            if (!strcmp(is->rule, m.rule) && !strcmp(is->sheet, m.sheet) &&
                cell_matches(m.cell, is->cell) &&
                !strcmp(issue_severity_name(is->severity), m.severity) &&
                is->explained == (m.explained != 0))
                hit = is;
        }
        if (!hit || r.counts.errors != (size_t)m.errors) {
            for (size_t i = 0; i < r.issues.count; i++) {
                char msg[1024];
                fprintf(stderr, "  %s %s %s!%s %s\n", issue_severity_name(r.issues.items[i].severity),
                        r.issues.items[i].rule, r.issues.items[i].sheet, r.issues.items[i].cell,
                        issue_render(&r.issues.items[i], HZ_LANG_ZH, msg, sizeof msg));
            }
        }
        cr_expect_not_null(hit, "%s: no %s %s at %s!%s", m.file, m.severity, m.rule, m.sheet,
                           m.cell);
        cr_expect_eq(r.counts.errors, (size_t)m.errors, "%s: %zu errors, expected %d", m.file,
                     r.counts.errors, m.errors);
        cr_expect_eq(r.valid, m.errors == 0, "%s: valid flag", m.file);
        if (hit) {
            /* the message names the cell and the field, in both languages */
            char zh[1024], en[1024], loc[128];
            issue_render(hit, HZ_LANG_ZH, zh, sizeof zh);
            issue_render(hit, HZ_LANG_EN, en, sizeof en);
            issue_location(hit, loc, sizeof loc);
            if (loc[0]) {
                cr_expect(strstr(zh, loc) == zh, "%s: '%s' does not start with %s", m.file, zh,
                          loc);
                cr_expect(strstr(en, loc) == en, "%s: '%s' does not start with %s", m.file, en,
                          loc);
            }
            if (hit->field[0] && strncmp(hit->rule, "rule.", 5))
                cr_expect(strstr(zh, hit->field) != NULL, "%s: '%s' lacks the field %s", m.file,
                          zh, hit->field);
            cr_expect_neq(strcmp(zh, en), 0, "%s: no English text", m.file);
        }
        check_result_free(&r);
        checked++;
    }
    fclose(f);
    return checked;
}

Test(check_corpus, every_fixture_reports_its_fault)
{
    size_t checked = run_manifest();
    cr_expect_geq(checked, 58, "only %zu fixtures", checked);
}

Test(check_corpus, samples_are_valid)
{
    static const char *const rounds[] = {"stage", "annual"};
    for (size_t k = 0; k < 2; k++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "ls " HZ_SOURCE_DIR "/input/xuchang-2022/%s/*.xlsx", rounds[k]);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        char path[1024];
        size_t n = 0;
        while (fgets(path, sizeof path, p)) {
            path[strcspn(path, "\n")] = '\0';
            hz_check_options opt = {.round = config_find_round(config, rounds[k])};
            hz_check_result r;
            cr_assert_eq(check_file(config, path, &opt, &r, NULL), HZ_OK);
            if (strstr(path, "-v1.xlsx")) {
                /* the first, faulty version that version 2 corrects */
                cr_expect_eq(r.counts.errors, 1, "%s: %zu errors", path, r.counts.errors);
            } else {
                cr_expect(r.valid, "%s is not valid (%zu errors)", path, r.counts.errors);
                cr_expect_eq(r.counts.warnings, 0, "%s has unexplained warnings", path);
            }
            cr_expect_gt(r.sub.case_count, 0);
            cr_expect_not_null(r.sub.unit);
            check_result_free(&r);
            n++;
        }
        pclose(p);
        cr_expect_geq(n, 6, "%s: only %zu samples", rounds[k], n);
    }
}

Test(check_corpus, report_json_has_tasks_and_counts)
{
    hz_check_result r[2];
    hz_check_options opt = {0};
    cr_assert_eq(check_file(config, BAD "/36-rule-error.xlsx", &opt, &r[0], NULL), HZ_OK);
    cr_assert_eq(check_file(config, BAD "/56-not-a-workbook.xlsx", &opt, &r[1], NULL), HZ_OK);
    struct json_object *j = check_report_json(r, 2, HZ_LANG_EN);
    cr_assert_not_null(j);
    const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
    cr_expect(strstr(text, "\"valid\":false") != NULL, "%s", text);
    cr_expect(strstr(text, "\"rule\":\"rule.R01\"") != NULL);
    cr_expect(strstr(text, "\"rule\":\"file.not_xlsx\"") != NULL);
    cr_expect(strstr(text, "\"sha256\":\"") != NULL);
    cr_expect(strstr(text, "\"errors\":1") != NULL);
    json_object_put(j);
    check_result_free(&r[0]);
    check_result_free(&r[1]);
}

Test(check_corpus, missing_file_is_unreadable_not_a_crash)
{
    hz_check_result r;
    cr_assert_eq(check_file(config, BAD "/no-such-file.xlsx", NULL, &r, NULL), HZ_OK);
    cr_expect_not(r.valid);
    cr_expect_not(r.sub.readable);
    cr_assert_eq(r.issues.count, 1);
    cr_expect_str_eq(r.issues.items[0].rule, "file.unreadable");
    check_result_free(&r);
}
