/* test_e2e_portal_template.c - `huizong template --all` hands out the
 * browser validator with the templates (issue 17): the page it writes
 * carries the snapshot of the configuration it was given, equals what
 * scripts/web.sh's embed.py makes of the same template and snapshot, and in
 * headless Chromium gives that configuration's verdicts
 * (tests/web/browser.mjs --config): for tests/fixtures/config-alt a
 * config-alt workbook is valid and the Xuchang one is not, the reverse of
 * the default page. Without a page template the workbooks are still
 * written, with one notice. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hz_test.h"

#define ALT HZ_SOURCE_DIR "/tests/fixtures/config-alt"
#define WEIDU HZ_SOURCE_DIR "/input/xuchang-2022/stage/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"
#define PAGE_TEMPLATE HZ_SOURCE_DIR "/build/web/huizong-check-template.html"

TestSuite(e2e_portal_template, .timeout = 1100);

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)); p++)
        n++;
    return n;
}

Test(e2e_portal_template, without_a_page_the_workbooks_come_with_one_notice)
{
    char *dir = hz_test_tempdir("template-nopage");
    hz_run r = hz_test_run("HUIZONG_WEB='%s/none' '%s' template --lang en --all --round stage "
                           "--config '%s' -o '%s/out'", dir, HZ_BIN, ALT, dir);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect_eq(count(r.err, "no browser validator template found"), 1, "%s", r.err);
    cr_expect_eq(count(r.out, ".xlsx"), 4, "the four units of config-alt: %s", r.out);
    cr_expect(strstr(r.out, "4 file(s) written") != NULL, "%s", r.out);
    hz_run_free(&r);
    char page[700];
    snprintf(page, sizeof page, "%s/out/huizong-check.html", dir);
    cr_expect(access(page, F_OK) != 0, "no page without a template");
    /* a template that is not one is an error, not a page */
    r = hz_test_run("mkdir -p '%s/web' && printf '<html></html>' > '%s/web/huizong-check-template.html' && "
                    "HUIZONG_WEB='%s/web' '%s' template --lang en --all --round stage -o '%s/out2'",
                    dir, dir, dir, HZ_BIN, dir);
    cr_expect_eq(r.exit_code, 3, "%s", r.err);
    cr_expect(strstr(r.err, "is not the browser validator's page template") != NULL, "%s", r.err);
    hz_run_free(&r);
    hz_test_rmtree(dir);
    free(dir);
}

Test(e2e_portal_template, the_page_beside_the_templates_checks_with_their_configuration)
{
    hz_test_require("node", "nodejs");
    hz_test_require("chromium", "chromium");
    hz_test_require("python3", "python3");
    if (access(PAGE_TEMPLATE, R_OK) != 0) { /* the test command builds it first */
        hz_test_require("emcc", "emscripten");
        /* one build at a time, whichever test gets here first */
        hz_run r = hz_test_run("flock '" HZ_SOURCE_DIR "/build/.web-sh.lock' sh -c 'test -e \"$1\" "
                               "|| \"$2\"' sh '" PAGE_TEMPLATE "' '" HZ_SOURCE_DIR "/scripts/web.sh' 2>&1");
        cr_assert_eq(r.exit_code, 0, "scripts/web.sh: %s", r.out);
        hz_run_free(&r);
    }
    char *dir = hz_test_tempdir("template-page");
    /* found by the program itself: build/web/ of the source tree */
    hz_run r = hz_test_run("'%s' template --lang en --all --round stage --config '%s' -o '%s/alt'",
                           HZ_BIN, ALT, dir);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "/alt/huizong-check.html") != NULL, "%s", r.out);
    cr_expect(strstr(r.err, "no browser validator") == NULL, "%s", r.err);
    hz_run_free(&r);
    char page[700];
    snprintf(page, sizeof page, "%s/alt/huizong-check.html", dir);
    size_t len = 0;
    char *html = hz_test_read_file(page, &len);
    cr_assert_not_null(html);
    cr_expect_lt(len, 3u * 1024 * 1024, "under 3 MB: %zu", len);
    cr_expect(strstr(html, "@@HUIZONG-CONFIG-SNAPSHOT@@") == NULL);
    cr_expect(strstr(html, "\"code\": \"410402\"") != NULL, "config-alt's units");
    cr_expect(strstr(html, "\"code\": \"411002\"") == NULL, "not the default campaign's");
    free(html);

    /* byte for byte what embed.py (scripts/web.sh) makes of the same
     * template and snapshot */
    r = hz_test_run("'%s' snapshot --config '%s' -o '%s/alt.json' && python3 '" HZ_SOURCE_DIR
                    "/src/web/embed.py' fill '" PAGE_TEMPLATE "' '%s/alt.json' '%s/embed.html' && "
                    "cmp '%s/embed.html' '%s'", HZ_BIN, ALT, dir, dir, dir, dir, page);
    cr_expect_eq(r.exit_code, 0, "%s %s", r.out, r.err);
    hz_run_free(&r);

    /* in Chromium: a config-alt workbook is valid, Xuchang's is not (its
     * unit is no unit of config-alt) */
    r = hz_test_run("'%s' synth --config '%s' --seed 7 --samples '%s/samples' >/dev/null", HZ_BIN, ALT,
                    dir);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char alt_valid[900];
    snprintf(alt_valid, sizeof alt_valid, "%s/samples/stage/410402-平顶山市新华区市场监督管理局-阶段小结.xlsx",
             dir);
    r = hz_test_run("'%s' check --config '%s' '%s' >/dev/null", HZ_BIN, ALT, alt_valid);
    cr_assert_eq(r.exit_code, 0, "the config-alt sample is valid natively: %s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' check '%s' >/dev/null", HZ_BIN, alt_valid);
    cr_assert_eq(r.exit_code, 1, "and invalid with the default configuration");
    hz_run_free(&r);
    r = hz_test_run("node '" HZ_SOURCE_DIR "/tests/web/browser.mjs' --config '%s' '%s' '%s' '%s' "
                    "'基本信息!B1' '%s' '%s/alt.png' 2>&1", ALT, page, alt_valid, WEIDU, HZ_BIN, dir);
    cr_expect_eq(r.exit_code, 0, "%s", r.out);
    cr_expect(strstr(r.out, "通过") != NULL, "%s", r.out);
    hz_run_free(&r);
    hz_test_rmtree(dir);
    free(dir);
}
