/* test_e2e_portal_browser.c - the portal's pages in headless Chromium
 * (tests/browser/portal-pages.mjs over the DevTools protocol).
 *
 * Without the browser validator: the county page says the server checks
 * alone, uploads a faulty and a valid workbook and shows the server's
 * verdicts; the city page shows the unit as received and its 汇总 links the
 * PDF and the XLSX.
 * With it (scripts/web.sh's page template, found by the server itself in
 * the source tree's build/web/): the county page checks the faulty workbook
 * in the browser, shows the verdict and the first issue's cell and sends
 * nothing (no request in the browser, no line in the audit log, nothing
 * under rejected/); the valid one is checked, then uploaded on request,
 * and the server's 201 verdict shown; the city sees the unit received. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hz_test.h"

#define WEIDU HZ_SOURCE_DIR "/input/xuchang-2022/stage/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"
#define INVALID HZ_SOURCE_DIR "/tests/fixtures/bad/19-close-before-open.xlsx"
#define PAGE_TEMPLATE HZ_SOURCE_DIR "/build/web/huizong-check-template.html"

TestSuite(e2e_portal_browser, .timeout = 1100); /* the second test may build the page */

static char *token(const char *data, const char *who)
{
    hz_run r = hz_test_run("'%s' token --data '%s' %s", HZ_BIN, data, who);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *t = strdup(r.out);
    t[strcspn(t, "\n")] = '\0';
    hz_run_free(&r);
    return t;
}

typedef struct flow {
    char *dir, data[600], log[600];
    json_object *result;    /* portal-pages.mjs's findings */
    char *serve_log;
} flow;

/* Starts the server (env before it: the validator's lookup), runs the page
 * script in mode, stops the server. */
static void run_flow(flow *f, const char *env, const char *mode)
{
    hz_test_require("chromium", "chromium");
    hz_test_require("node", "nodejs");
    f->dir = hz_test_tempdir("portal-browser");
    char shots[600];
    snprintf(f->data, sizeof f->data, "%s/data", f->dir);
    snprintf(f->log, sizeof f->log, "%s/serve.log", f->dir);
    /* screenshots stay in the build tree to be looked at */
    snprintf(shots, sizeof shots, "%s/portal-screenshots/%s", HZ_BUILD_DIR, mode);
    hz_run r = hz_test_run("mkdir -p '%s'", shots);
    hz_run_free(&r);
    char *unit = token(f->data, "--unit 411002"), *city = token(f->data, "--city");
    char command[3000];
    snprintf(command, sizeof command,
             "%s HUIZONG_NOW='2022-08-20 10:00' exec '%s' serve --lang en --round stage "
             "--data '%s' --listen 127.0.0.1:0 >'%s' 2>&1", env, HZ_BIN, f->data, f->log);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    unsigned port = 0;
    for (int i = 0; i < 400 && !port; i++) {
        char *text = hz_test_read_file(f->log, NULL);
        const char *at = text ? strstr(text, "http://127.0.0.1:") : NULL;
        if (at)
            port = (unsigned)atoi(at + strlen("http://127.0.0.1:"));
        free(text);
        struct timespec t = {0, 25000000L};
        nanosleep(&t, NULL);
    }
    if (!port)
        kill(pid, SIGKILL);
    cr_assert_neq(port, 0, "the server did not start");
    r = hz_test_run("node '" HZ_SOURCE_DIR "/tests/browser/portal-pages.mjs' %u %s %s '%s' '%s' '%s' %s",
                    port, unit, city, WEIDU, INVALID, shots, mode);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    f->serve_log = hz_test_read_file(f->log, NULL);
    cr_expect(f->serve_log && !strstr(f->serve_log, "Sanitizer") &&
                  !strstr(f->serve_log, "runtime error:"),
              "the server's log: %s", f->serve_log ? f->serve_log : "(none)");
    cr_expect_eq(r.exit_code, 0, "%s %s", r.out, r.err);
    f->result = json_tokener_parse(r.out);
    cr_assert_not_null(f->result, "%s %s", r.out, r.err);
    hz_run_free(&r);
    free(unit);
    free(city);
}

static void flow_free(flow *f)
{
    json_object_put(f->result);
    free(f->serve_log);
    hz_test_rmtree(f->dir);
    free(f->dir);
}

static const char *found_text(const flow *f, const char *key)
{
    json_object *found, *v;
    cr_assert(json_object_object_get_ex(f->result, "found", &found));
    cr_assert(json_object_object_get_ex(found, key, &v), "no %s in the findings", key);
    return json_object_get_string(v);
}

static const char *first_cell(const flow *f)
{
    json_object *found, *v;
    cr_assert(json_object_object_get_ex(f->result, "found", &found));
    cr_assert(json_object_object_get_ex(found, "invalid_cells", &v));
    cr_assert_gt(json_object_array_length(v), 0);
    return json_object_get_string(json_object_array_get_idx(v, 0));
}

/* Lines of DIR/audit.log with this method, route and status. */
static int audit_count(const flow *f, const char *route_status)
{
    char path[700];
    snprintf(path, sizeof path, "%s/audit.log", f->data);
    char *text = hz_test_read_file(path, NULL);
    cr_assert_not_null(text);
    int n = 0;
    for (const char *p = text; (p = strstr(p, route_status)); p++)
        n++;
    free(text);
    return n;
}

Test(e2e_portal_browser, county_uploads_and_city_sees_the_unit_received)
{
    flow f = {0};
    char env[800];
    /* no validator, wherever scripts/web.sh may have put one */
    snprintf(env, sizeof env, "HUIZONG_WEB='%s/none'", HZ_BUILD_DIR);
    run_flow(&f, env, "server");
    cr_expect_str_eq(found_text(&f, "invalid_status"), "rejected");
    cr_expect_str_eq(first_cell(&f), "案件明细!D2");
    cr_expect_str_eq(found_text(&f, "no_validator_shown"), "true");
    cr_expect_str_eq(found_text(&f, "valid_status"), "accepted");
    cr_expect_str_eq(found_text(&f, "city_status"), "on_time");
    cr_expect_str_eq(found_text(&f, "consolidate"), "done");
    cr_expect(strstr(f.serve_log, "no browser validator template found") != NULL, "%s", f.serve_log);
    cr_expect_eq(audit_count(&f, " POST /api/v1/submissions 422 "), 1);
    cr_expect_eq(audit_count(&f, " POST /api/v1/submissions 201 "), 1);
    flow_free(&f);
}

Test(e2e_portal_browser, county_checks_in_the_browser_and_uploads_on_request)
{
    /* the page template comes from scripts/web.sh (emscripten; the test
     * command runs it, cached under build/): build it when it is missing,
     * a failure to build is a failure here */
    if (access(PAGE_TEMPLATE, R_OK) != 0) {
        hz_test_require("emcc", "emscripten");
        /* one build at a time, whichever test gets here first */
        hz_run r = hz_test_run("flock '" HZ_SOURCE_DIR "/build/.web-sh.lock' sh -c 'test -e \"$1\" "
                               "|| \"$2\"' sh '" PAGE_TEMPLATE "' '" HZ_SOURCE_DIR "/scripts/web.sh' 2>&1");
        cr_assert_eq(r.exit_code, 0, "scripts/web.sh: %s", r.out);
        hz_run_free(&r);
    }
    flow f = {0};
    run_flow(&f, "", "browser"); /* found by the server itself: build/web/ */
    cr_expect(strstr(f.serve_log, "browser check: the county page checks in the browser first "
                                  "(page template " PAGE_TEMPLATE) != NULL,
              "%s", f.serve_log);
    /* the faulty workbook: the browser's verdict and issues by cell, the
     * same first cell as the server's check gives, and nothing sent */
    cr_expect_str_eq(found_text(&f, "invalid_status"), "local_invalid");
    cr_expect_str_eq(first_cell(&f), "案件明细!D2");
    cr_expect_str_eq(found_text(&f, "upload_disabled"), "true");
    cr_expect_str_eq(found_text(&f, "submissions_after_invalid"), "0");
    cr_expect(strstr(found_text(&f, "invalid_text"), "Not valid in this browser") ||
                  strstr(found_text(&f, "invalid_text"), "本机检查未通过"),
              "%s", found_text(&f, "invalid_text"));
    /* the valid one: checked here, sent only on 上传, the server's 201 */
    cr_expect_str_eq(found_text(&f, "local_valid_status"), "local_valid");
    cr_expect_str_eq(found_text(&f, "submissions_before_upload"), "0");
    cr_expect_str_eq(found_text(&f, "valid_status"), "accepted");
    cr_expect(strstr(found_text(&f, "valid_text"), "411002-stage-v1.xlsx") != NULL, "%s",
              found_text(&f, "valid_text"));
    cr_expect_str_eq(found_text(&f, "city_status"), "on_time");
    /* the server saw one upload, the valid one; the faulty one never came */
    cr_expect_eq(audit_count(&f, " POST /api/v1/submissions "), 1);
    cr_expect_eq(audit_count(&f, " POST /api/v1/submissions 201 "), 1);
    cr_expect_eq(audit_count(&f, " GET /assets/validator-worker.js 200 "), 1);
    char rejected[700];
    snprintf(rejected, sizeof rejected, "%s/stage/rejected", f.data);
    hz_run r = hz_test_run("ls -A '%s' 2>/dev/null | wc -l", rejected);
    cr_expect_eq(atoi(r.out), 0, "nothing under rejected/");
    hz_run_free(&r);
    flow_free(&f);
}
