/* test_e2e_portal_browser.c - the portal's pages in headless Chromium
 * (tests/browser/portal-pages.mjs over the DevTools protocol): the county
 * page uploads a workbook and shows its verdict, the city page shows the
 * unit as received and its 汇总 links the PDF and the XLSX. */
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

TestSuite(e2e_portal_browser, .timeout = 300);

static char *token(const char *data, const char *who)
{
    hz_run r = hz_test_run("'%s' token --data '%s' %s", HZ_BIN, data, who);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *t = strdup(r.out);
    t[strcspn(t, "\n")] = '\0';
    hz_run_free(&r);
    return t;
}

Test(e2e_portal_browser, county_uploads_and_city_sees_the_unit_received)
{
    hz_test_require("chromium", "chromium");
    hz_test_require("node", "nodejs");
    char *dir = hz_test_tempdir("portal-browser");
    char data[600], log[600], shots[600];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(log, sizeof log, "%s/serve.log", dir);
    /* screenshots stay in the build tree to be looked at */
    snprintf(shots, sizeof shots, "%s/portal-screenshots", HZ_BUILD_DIR);
    hz_run r = hz_test_run("mkdir -p '%s'", shots);
    hz_run_free(&r);
    char *unit = token(data, "--unit 411002"), *city = token(data, "--city");
    char command[2048];
    snprintf(command, sizeof command,
             "HUIZONG_NOW='2022-08-20 10:00' exec '%s' serve --round stage --data '%s' "
             "--listen 127.0.0.1:0 >'%s' 2>&1", HZ_BIN, data, log);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    unsigned port = 0;
    for (int i = 0; i < 400 && !port; i++) {
        char *text = hz_test_read_file(log, NULL);
        const char *at = text ? strstr(text, "http://127.0.0.1:") : NULL;
        if (at)
            port = (unsigned)atoi(at + strlen("http://127.0.0.1:"));
        free(text);
        struct timespec t = {0, 25000000L};
        nanosleep(&t, NULL);
    }
    cr_assert_neq(port, 0, "the server did not start");
    r = hz_test_run("node '" HZ_SOURCE_DIR "/tests/browser/portal-pages.mjs' %u %s %s '%s' '%s' '%s'",
                    port, unit, city, WEIDU, INVALID, shots);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *serve_log = hz_test_read_file(log, NULL);
    cr_expect(serve_log && !strstr(serve_log, "Sanitizer") && !strstr(serve_log, "runtime error:"),
              "the server's log: %s", serve_log ? serve_log : "(none)");
    free(serve_log);
    cr_expect_eq(r.exit_code, 0, "%s %s", r.out, r.err);
    json_object *j = json_tokener_parse(r.out), *found, *v;
    cr_assert_not_null(j, "%s %s", r.out, r.err);
    cr_assert(json_object_object_get_ex(j, "found", &found), "%s", r.out);
    cr_assert(json_object_object_get_ex(found, "invalid_status", &v));
    cr_expect_str_eq(json_object_get_string(v), "rejected");
    cr_assert(json_object_object_get_ex(found, "invalid_cells", &v));
    cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(v, 0)), "案件明细!D2");
    cr_assert(json_object_object_get_ex(found, "valid_status", &v));
    cr_expect_str_eq(json_object_get_string(v), "accepted");
    cr_assert(json_object_object_get_ex(found, "city_status", &v));
    cr_expect_str_eq(json_object_get_string(v), "on_time");
    cr_assert(json_object_object_get_ex(found, "consolidate", &v));
    cr_expect_str_eq(json_object_get_string(v), "done");
    json_object_put(j);
    hz_run_free(&r);
    free(unit);
    free(city);
    hz_test_rmtree(dir);
    free(dir);
}
