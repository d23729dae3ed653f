/* test_e2e_portal.c - `huizong serve` and `huizong token` over loopback,
 * driven with curl as a county and the city would use the API. Every
 * server binds port 0 and reports the port it got, so parallel runs never
 * collide. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "consolidate.h"
#include "hz_test.h"

#define STAGE HZ_SOURCE_DIR "/input/xuchang-2022/stage"
#define BAD HZ_SOURCE_DIR "/tests/fixtures/bad"
#define WEIDU STAGE "/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"
#define JIANAN STAGE "/411003-许昌市建安区市场监督管理局-阶段小结.xlsx"
#define CURL "curl --noproxy '*' -s -S --max-time 60"

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static char *data;            /* the server's --data folder */
static char *scratch;         /* everything else */

static void setup(void)
{
    hz_test_require("curl", "curl");
    data = hz_test_tempdir("portal-data");
    scratch = hz_test_tempdir("portal-scratch");
}

static void teardown(void)
{
    hz_test_rmtree(data);
    hz_test_rmtree(scratch);
    free(data);
    free(scratch);
}

TestSuite(e2e_portal, .init = setup, .fini = teardown, .timeout = 600);

typedef struct server {
    pid_t pid;
    unsigned port;
    char log[600];
} server;

/* Starts `huizong serve --round stage` on 127.0.0.1:0 with the extra
 * options and the receipt clock now ("" for the real clock); waits for the
 * line that names the port. */
static server server_start(const char *now, const char *extra)
{
    server s = {0};
    snprintf(s.log, sizeof s.log, "%s/serve-%ld.log", scratch, (long)time(NULL));
    for (int n = 0; access(s.log, F_OK) == 0; n++)
        snprintf(s.log, sizeof s.log, "%s/serve-%d.log", scratch, n);
    char command[4096];
    snprintf(command, sizeof command,
             /* HUIZONG_WEB: no browser validator unless a test gives --web,
              * whether or not scripts/web.sh has built one in build/web */
             "HUIZONG_WEB='%s/no-web' HUIZONG_NOW='%s' exec '%s' serve --lang en --round stage "
             "--data '%s' --listen 127.0.0.1:0 %s >'%s' 2>&1",
             scratch, now, HZ_BIN, data, extra ? extra : "", s.log);
    s.pid = fork();
    cr_assert_neq(s.pid, -1);
    if (s.pid == 0) {
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400 && !s.port; i++) {
        char *text = hz_test_read_file(s.log, NULL);
        const char *at = text ? strstr(text, "http://127.0.0.1:") : NULL;
        if (at)
            s.port = (unsigned)atoi(at + strlen("http://127.0.0.1:"));
        free(text);
        if (!s.port)
            pause_ms(25);
    }
    if (!s.port) {
        char *text = hz_test_read_file(s.log, NULL);
        kill(s.pid, SIGKILL);
        waitpid(s.pid, NULL, 0);
        cr_assert_fail("the server did not start: %s", text ? text : "");
    }
    return s;
}

/* SIGTERM, then the exit status (0 expected). A sanitizer report in the
 * server's log (the ASan build) fails the test: the server is a separate
 * process, its findings do not reach Criterion by themselves. */
static int server_stop(server *s)
{
    kill(s->pid, SIGTERM);
    int status = 0;
    waitpid(s->pid, &status, 0);
    char *log = hz_test_read_file(s->log, NULL);
    cr_expect(log && !strstr(log, "Sanitizer") && !strstr(log, "runtime error:"),
              "the server's log: %s", log ? log : "(none)");
    free(log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *make_token(const char *who)
{
    hz_run r = hz_test_run("'%s' token --data '%s' %s", HZ_BIN, data, who);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *token = strdup(r.out);
    token[strcspn(token, "\n")] = '\0';
    cr_assert_eq(strlen(token), 64, "%s", r.out);
    hz_run_free(&r);
    return token;
}

typedef struct answer {
    int code;
    json_object *json;        /* NULL when the body is not JSON */
    char *body;
    char *headers;
} answer;

/* Runs curl with the arguments args against path of s; the answer's
 * status, body (parsed when JSON) and headers. */
static answer request(const server *s, const char *args, const char *path)
{
    static int n;
    char body[600], head[600];
    snprintf(body, sizeof body, "%s/body-%d-%d", scratch, (int)getpid(), n);
    snprintf(head, sizeof head, "%s/head-%d-%d", scratch, (int)getpid(), n++);
    hz_run r = hz_test_run(CURL " -o '%s' -D '%s' -w '%%{http_code}' %s 'http://127.0.0.1:%u%s'",
                           body, head, args, s->port, path);
    answer a = {.code = atoi(r.out)};
    a.body = hz_test_read_file(body, NULL);
    a.headers = hz_test_read_file(head, NULL);
    if (!a.body)
        a.body = strdup("");
    if (!a.headers)
        a.headers = strdup("");
    a.json = json_tokener_parse(a.body);
    hz_run_free(&r);
    return a;
}

static void answer_free(answer *a)
{
    json_object_put(a->json);
    free(a->body);
    free(a->headers);
}

static answer upload(const server *s, const char *token, const char *file)
{
    char args[2048];
    if (token)
        snprintf(args, sizeof args, "-H 'Authorization: Bearer %s' -F 'file=@%s'", token, file);
    else
        snprintf(args, sizeof args, "-F 'file=@%s'", file);
    return request(s, args, "/api/v1/submissions");
}

static answer get(const server *s, const char *token, const char *path)
{
    char args[256] = "";
    if (token)
        snprintf(args, sizeof args, "-H 'Authorization: Bearer %s'", token);
    return request(s, args, path);
}

/* A field of a JSON object by dotted path ("submission.status"). */
static json_object *field(json_object *j, const char *dotted)
{
    char path[256];
    snprintf(path, sizeof path, "%s", dotted);
    json_object *at = j;
    for (char *part = strtok(path, "."); part && at; part = strtok(NULL, ".")) {
        json_object *next = NULL;
        if (!json_object_object_get_ex(at, part, &next))
            return NULL;
        at = next;
    }
    return at;
}

static const char *str_field(json_object *j, const char *dotted)
{
    json_object *f = field(j, dotted);
    return f ? json_object_get_string(f) : "";
}

/* The unit entry of a status answer. */
static json_object *status_unit(json_object *status, const char *code)
{
    json_object *units = field(status, "units");
    for (size_t i = 0; units && i < json_object_array_length(units); i++) {
        json_object *u = json_object_array_get_idx(units, i);
        if (!strcmp(str_field(u, "unit"), code))
            return u;
    }
    return NULL;
}

static bool exists(const char *fmt, const char *a)
{
    char path[1200];
    snprintf(path, sizeof path, fmt, data, a);
    return access(path, F_OK) == 0;
}

static size_t count_files(const char *sub, const char *prefix)
{
    hz_run r = hz_test_run("ls -A '%s/%s' | grep -c '^%s' || true", data, sub, prefix);
    size_t n = (size_t)atoi(r.out);
    hz_run_free(&r);
    return n;
}

Test(e2e_portal, valid_upload_is_201_saved_with_receipt_and_audit_line)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 201, "%s", a.body);
    cr_assert_not_null(a.json, "%s", a.body);
    cr_expect(json_object_get_boolean(field(a.json, "valid")));
    cr_expect_str_eq(str_field(a.json, "submission.status"), "accepted");
    cr_expect_str_eq(str_field(a.json, "submission.saved"), "411002-stage-v1.xlsx");
    cr_expect_eq(json_object_get_int(field(a.json, "submission.server_version")), 1);
    cr_expect_eq(json_object_get_int(field(a.json, "submission.workbook_version")), 1);
    cr_expect_str_eq(str_field(a.json, "submission.received"), "2022-08-20 10:00:00");
    cr_expect_str_eq(str_field(a.json, "submission.time_zone"), "+08:00");
    cr_expect_str_eq(str_field(a.json, "submission.timeliness"), "on_time");
    cr_expect_eq(strlen(str_field(a.json, "submission.sha256")), 64);
    json_object *task = json_object_array_get_idx(field(a.json, "tasks"), 0);
    cr_expect_str_eq(str_field(task, "file"), "411002-stage-v1.xlsx", "no server path leaks");
    cr_expect(strstr(a.headers, "Content-Security-Policy: default-src 'none'") != NULL, "%s",
              a.headers);
    cr_expect(exists("%s/stage/%s", "411002-stage-v1.xlsx"));
    char saved[1200];
    snprintf(saved, sizeof saved, "%s/stage/411002-stage-v1.xlsx", data);
    cr_expect(hz_test_files_equal(WEIDU, saved), "the saved file is the upload, byte for byte");

    char path[1200];
    snprintf(path, sizeof path, "%s/stage/receipts.ini", data);
    char *receipts = hz_test_read_file(path, NULL);
    cr_assert_not_null(receipts);
    cr_expect(strstr(receipts, "411002 = 2022-08-20 10:00\n") != NULL, "%s", receipts);
    cr_expect(strstr(receipts, "411002-stage-v1.xlsx = 2022-08-20 10:00:00 +08:00 version=1") !=
                  NULL, "%s", receipts);
    free(receipts);
    snprintf(path, sizeof path, "%s/audit.log", data);
    char *audit = hz_test_read_file(path, NULL);
    cr_assert_not_null(audit);
    char line[512];
    snprintf(line, sizeof line, "2022-08-20T10:00:00+08:00 411002 POST /api/v1/submissions 201 %s\n",
             str_field(a.json, "submission.sha256"));
    cr_expect(strstr(audit, line) != NULL, "%s", audit);
    free(audit);
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, invalid_upload_is_422_kept_under_rejected_never_a_return)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, BAD "/19-close-before-open.xlsx");
    cr_expect_eq(a.code, 422, "%s", a.body);
    cr_assert_not_null(a.json, "%s", a.body);
    cr_expect_not(json_object_get_boolean(field(a.json, "valid")));
    cr_expect_str_eq(str_field(a.json, "submission.status"), "rejected");
    cr_expect_str_eq(str_field(a.json, "submission.saved"), "rejected/411002-stage-r1.xlsx");
    json_object *task = json_object_array_get_idx(field(a.json, "tasks"), 0);
    json_object *issue = json_object_array_get_idx(field(task, "issues"), 0);
    cr_expect_str_eq(str_field(issue, "rule"), "row.close_before_open");
    cr_expect_str_eq(str_field(issue, "sheet"), "案件明细");
    cr_expect(exists("%s/stage/rejected/%s", "411002-stage-r1.xlsx"));
    cr_expect_eq(count_files("stage", "411002"), 0, "a rejected file is never a return");
    cr_expect_not(exists("%s/stage/%s", "receipts.ini"), "no receipt for a rejected file");
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, no_or_unknown_token_is_401)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, NULL, WEIDU);
    cr_expect_eq(a.code, 401, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "error"), "unauthorized");
    answer_free(&a);
    char wrong[65];
    memcpy(wrong, unit, 65);
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    a = upload(&s, wrong, WEIDU);
    cr_expect_eq(a.code, 401, "%s", a.body);
    answer_free(&a);
    a = get(&s, "not-a-token", "/api/v1/status");
    cr_expect_eq(a.code, 401, "%s", a.body);
    cr_expect(strstr(a.headers, "Content-Security-Policy:") != NULL);
    answer_free(&a);
    cr_expect_eq(count_files("stage", "411"), 0);
    cr_expect_eq(count_files("tmp", ""), 0, "nothing left of refused uploads");
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, other_units_workbook_is_403_and_not_kept)
{
    char *unit = make_token("--unit 411002");
    char *city = make_token("--city");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, JIANAN);
    cr_expect_eq(a.code, 403, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "error"), "other_unit");
    answer_free(&a);
    a = upload(&s, city, WEIDU);
    cr_expect_eq(a.code, 403, "the city does not upload returns: %s", a.body);
    answer_free(&a);
    cr_expect_eq(count_files("stage", "411"), 0);
    cr_expect_eq(count_files("stage/rejected", "411"), 0);
    cr_expect_eq(count_files("tmp", ""), 0);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
    free(city);
}

Test(e2e_portal, status_is_for_the_city_token_only)
{
    char *unit = make_token("--unit 411002");
    char *city = make_token("--city");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 201, "%s", a.body);
    answer_free(&a);
    a = get(&s, unit, "/api/v1/status");
    cr_expect_eq(a.code, 403, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "error"), "city_only");
    answer_free(&a);
    a = get(&s, unit, "/api/v1/consolidate");
    cr_expect_eq(a.code, 405, "GET on a POST route: %s", a.body);
    answer_free(&a);
    a = request(&s, "-X POST -H 'Authorization: Bearer x'", "/api/v1/consolidate");
    cr_expect_eq(a.code, 401);
    answer_free(&a);

    a = get(&s, city, "/api/v1/status");
    cr_expect_eq(a.code, 200, "%s", a.body);
    cr_assert_not_null(a.json, "%s", a.body);
    cr_expect_eq(json_object_get_int(field(a.json, "expected_units")), 7);
    cr_expect_eq(json_object_get_int(field(a.json, "accepted_units")), 1);
    cr_expect_eq(json_object_get_int(field(a.json, "missing_units")), 6);
    json_object *weidu = status_unit(a.json, "411002");
    cr_assert_not_null(weidu);
    cr_expect_str_eq(str_field(weidu, "status"), "on_time");
    cr_expect_str_eq(str_field(weidu, "received"), "2022-08-20 10:00");
    cr_expect_str_eq(str_field(weidu, "file"), "411002-stage-v1.xlsx");
    cr_expect_eq(json_object_get_int(field(weidu, "version")), 1);
    cr_expect_eq(json_object_get_int(field(weidu, "uploads")), 1);
    cr_expect_eq(json_object_get_int(field(weidu, "errors")), 0);
    cr_expect_str_eq(str_field(status_unit(a.json, "411003"), "status"), "missing");
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
    free(city);
}

Test(e2e_portal, body_over_the_limit_is_413_at_once)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    char big[600];
    snprintf(big, sizeof big, "%s/big.xlsx", scratch);
    hz_run r = hz_test_run("head -c 22020096 /dev/zero > '%s'", big); /* 21 MiB */
    hz_run_free(&r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    answer a = upload(&s, unit, big);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_eq(a.code, 413, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "error"), "too_large");
    answer_free(&a);
    /* chunked: no length announced, so the count while streaming decides */
    char args[1400];
    snprintf(args, sizeof args,
             "-H 'Transfer-Encoding: chunked' -H 'Authorization: Bearer %s' -F 'file=@%s'", unit,
             big);
    a = request(&s, args, "/api/v1/submissions");
    cr_expect_eq(a.code, 413, "%s", a.body);
    answer_free(&a);
    cr_expect_eq(count_files("stage", "411"), 0);
    cr_expect_eq(count_files("stage/rejected", "411"), 0);
    cr_expect_eq(count_files("tmp", ""), 0, "the partial upload is removed");
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, after_the_deadline_a_valid_file_is_accepted_late)
{
    char *unit = make_token("--unit 411002");
    char *city = make_token("--city");
    /* stage deadline 2022-08-26 (a Friday) */
    server s = server_start("2022-08-30 09:15", NULL);
    answer a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 201, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "submission.timeliness"), "late");
    cr_expect_eq(json_object_get_int(field(a.json, "submission.days_late")), 4);
    cr_expect(strstr(str_field(a.json, "submission.status_text"), "4") != NULL);
    answer_free(&a);
    a = request(&s, "-H 'Accept-Language: zh-CN'", "/api/v1/status");
    cr_expect_eq(a.code, 401);
    answer_free(&a);
    char args[200];
    snprintf(args, sizeof args, "-H 'Authorization: Bearer %s' -H 'Accept-Language: zh-CN'", city);
    a = request(&s, args, "/api/v1/status");
    json_object *weidu = status_unit(a.json, "411002");
    cr_expect_str_eq(str_field(weidu, "status"), "late");
    cr_expect_eq(json_object_get_int(field(weidu, "days_late")), 4);
    cr_expect(strstr(str_field(weidu, "status_text"), "4") != NULL);
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
    free(city);
}

Test(e2e_portal, the_saved_folder_is_a_round_folder_consolidate_reads)
{
    static const char *const codes[] = {"411002", "411003", "411024", "411025",
                                        "411081", "411082", "411071"};
    char *city = make_token("--city");
    server s = server_start("2022-08-24 16:30", NULL);
    for (size_t i = 0; i < 7; i++) {
        char who[64], file[1024];
        snprintf(who, sizeof who, "--unit %s", codes[i]);
        char *token = make_token(who);
        hz_run r = hz_test_run("ls '" STAGE "'/%s-*.xlsx", codes[i]);
        cr_assert_eq(r.exit_code, 0, "%s", r.err);
        snprintf(file, sizeof file, "%s", r.out);
        file[strcspn(file, "\n")] = '\0';
        hz_run_free(&r);
        answer a = upload(&s, token, file);
        cr_expect_eq(a.code, 201, "%s: %s", codes[i], a.body);
        answer_free(&a);
        free(token);
    }
    hz_run r = hz_test_run("'%s' consolidate --round stage --format json --as-of 2022-08-31 "
                           "-o '%s/out' '%s/stage'",
                           HZ_BIN, scratch, data);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out);
    cr_assert_not_null(j, "%s", r.err);
    json_object *units = field(j, "units");
    cr_assert_eq(json_object_array_length(units), 7);
    for (size_t i = 0; i < 7; i++) {
        json_object *u = json_object_array_get_idx(units, i);
        cr_expect_str_eq(str_field(u, "status"), "on_time", "%s", str_field(u, "code"));
        cr_expect_str_eq(str_field(u, "received"), "2022-08-24 16:30", "the server's receipts");
        char expect[64];
        snprintf(expect, sizeof expect, "%s-stage-v1.xlsx", str_field(u, "code"));
        cr_expect_str_eq(str_field(u, "file"), expect);
    }
    json_object_put(j);
    hz_run_free(&r);

    /* the city's 汇总 action: the same consolidation into DIR/out/stage */
    char args[200];
    snprintf(args, sizeof args, "-X POST -H 'Authorization: Bearer %s'", city);
    answer a = request(&s, args, "/api/v1/consolidate");
    cr_expect_eq(a.code, 200, "%s", a.body);
    cr_expect_eq(json_object_get_int(field(a.json, "accepted_units")), 7);
    cr_expect_str_eq(str_field(a.json, "outputs.pdf"), "/api/v1/outputs/pdf");
    cr_expect_str_eq(str_field(a.json, "outputs.xlsx"), "/api/v1/outputs/xlsx");
    char pdf[1200];
    snprintf(pdf, sizeof pdf, "%s/out/stage/%s", data, str_field(a.json, "outputs.pdf_name"));
    cr_expect(access(pdf, F_OK) == 0, "%s", pdf);
    answer_free(&a);
    a = get(&s, city, "/api/v1/outputs/pdf");
    cr_expect_eq(a.code, 200);
    cr_expect(!strncmp(a.body, "%PDF-", 5));
    cr_expect(strstr(a.headers, "Content-Disposition: attachment; filename*=UTF-8''") != NULL,
              "%s", a.headers);
    answer_free(&a);
    a = get(&s, city, "/api/v1/outputs/xlsx");
    cr_expect_eq(a.code, 200);
    cr_expect(!strncmp(a.body, "PK", 2));
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(city);
}

Test(e2e_portal, forty_concurrent_uploads_of_one_unit_all_land)
{
    char *unit = make_token("--unit 411002");
    char versions[600];
    snprintf(versions, sizeof versions, "%s/versions", scratch);
    /* 40 returns of one unit, 版本号 1..40, as a unit correcting itself */
    hz_run r = hz_test_run("mkdir -p '%s' && for v in $(seq 1 40); do '%s' synth --round stage --unit 411002 "
                           "--seed 7 --version $v -o '%s/v'$v >/dev/null || exit 1; done",
                           versions, HZ_BIN, versions);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    server s = server_start("2022-08-25 11:00", "--threads 4");
    r = hz_test_run("cd '%s' && for v in $(seq 1 40); do (" CURL
                    " -o /dev/null -w '%%{http_code}\\n' -H 'Authorization: Bearer %s' "
                    "-F \"file=@$(ls v$v/*.xlsx)\" http://127.0.0.1:%u/api/v1/submissions"
                    " > code-$v) & done; wait; cat code-*",
                    versions, unit, s.port);
    size_t created = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"))
        created += !strcmp(line, "201");
    cr_expect_eq(created, 40, "every upload answered 201: %s %s", r.out, r.err);
    hz_run_free(&r);
    cr_expect_eq(count_files("stage", "411002-stage-v"), 40);
    for (int v = 1; v <= 40; v++) {
        char name[64];
        snprintf(name, sizeof name, "411002-stage-v%d.xlsx", v);
        cr_expect(exists("%s/stage/%s", name), "%s", name);
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/stage/receipts.ini", data);
    hz_receipts receipts;
    hz_error err = {0};
    cr_assert_eq(consolidate_read_receipts(path, &receipts, &err), HZ_OK);
    cr_expect_eq(receipts.count, 1);
    consolidate_receipts_free(&receipts);
    r = hz_test_run("sed -n '/^\\[uploads\\]/,$p' '%s' | grep -c '^411002-stage-v[0-9]*.xlsx = 2022-08-25 11:00:00 +08:00 version=[0-9]* sha256=[0-9a-f]\\{64\\}$'",
                    path);
    cr_expect_eq(atoi(r.out), 40, "[uploads] holds all 40: %s", r.out);
    hz_run_free(&r);
    /* every 版本号 once: the sets of versions saved and sent agree */
    r = hz_test_run("grep -o 'version=[0-9]\\+' '%s' | sort -t= -k2 -n | uniq | wc -l", path);
    cr_expect_eq(atoi(r.out), 40);
    hz_run_free(&r);
    /* consolidate takes 版本号 40 and supersedes the rest */
    r = hz_test_run("'%s' consolidate --round stage --format json --as-of 2022-08-31 -o '%s/out' "
                    "'%s/stage'", HZ_BIN, scratch, data);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out);
    json_object *weidu = json_object_array_get_idx(field(j, "units"), 0);
    cr_expect_str_eq(str_field(weidu, "status"), "on_time");
    json_object_put(j);
    hz_run_free(&r);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, a_second_file_of_one_version_is_409_and_kept_for_the_city)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 201, "%s", a.body);
    answer_free(&a);
    a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 409, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "submission.status"), "version_taken");
    cr_expect_str_eq(str_field(a.json, "submission.saved"), "rejected/411002-stage-r1.xlsx");
    answer_free(&a);
    cr_expect_eq(count_files("stage", "411002-stage-v"), 1);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, kill_9_mid_upload_leaves_no_partial_file_and_intact_receipts)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    answer a = upload(&s, unit, WEIDU);
    cr_expect_eq(a.code, 201, "%s", a.body);
    answer_free(&a);
    char receipts[1200];
    snprintf(receipts, sizeof receipts, "%s/stage/receipts.ini", data);
    char *before = hz_test_read_file(receipts, NULL);
    cr_assert_not_null(before);

    char big[600];
    snprintf(big, sizeof big, "%s/slow.xlsx", scratch);
    hz_run r = hz_test_run("head -c 4000000 /dev/urandom > '%s'", big);
    hz_run_free(&r);
    /* a slow upload (200 KB/s), killed with the server half-way */
    char command[2400];
    snprintf(command, sizeof command,
             CURL " --limit-rate 200k -o /dev/null -H 'Authorization: Bearer %s' -F 'file=@%s' "
             "http://127.0.0.1:%u/api/v1/submissions >/dev/null 2>&1 &",
             unit, big, s.port);
    cr_assert_eq(system(command), 0);
    bool receiving = false;
    for (int i = 0; i < 200 && !receiving; i++) {
        r = hz_test_run("find '%s/tmp' -type f -size +100k | wc -l", data);
        receiving = atoi(r.out) > 0;
        hz_run_free(&r);
        pause_ms(50);
    }
    cr_expect(receiving, "the upload was being received");
    kill(s.pid, SIGKILL);
    waitpid(s.pid, NULL, 0);

    char *after = hz_test_read_file(receipts, NULL);
    cr_expect_str_eq(after, before, "receipts.ini is untouched");
    free(after);
    cr_expect_eq(count_files("stage", "411002-stage-v"), 1, "no partial return");
    cr_expect_eq(count_files("stage/rejected", "411"), 0);
    r = hz_test_run("find '%s/stage' -name '.*' | wc -l", data);
    cr_expect_eq(atoi(r.out), 0, "no hidden partial file in the round folder");
    hz_run_free(&r);

    /* the restarted server clears the unfinished upload and goes on */
    server again = server_start("2022-08-21 10:00", NULL);
    cr_expect_eq(count_files("tmp", ""), 0);
    hz_receipts parsed;
    hz_error err = {0};
    cr_expect_eq(consolidate_read_receipts(receipts, &parsed, &err), HZ_OK);
    consolidate_receipts_free(&parsed);
    r = hz_test_run("'%s' synth --round stage --unit 411002 --seed 3 --version 2 -o '%s/v2' >/dev/null"
                    " && ls '%s'/v2/*.xlsx", HZ_BIN, scratch, scratch);
    char v2[1200];
    snprintf(v2, sizeof v2, "%s", r.out);
    v2[strcspn(v2, "\n")] = '\0';
    hz_run_free(&r);
    a = upload(&again, unit, v2);
    cr_expect_eq(a.code, 201, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "submission.saved"), "411002-stage-v2.xlsx");
    answer_free(&a);
    cr_expect_eq(server_stop(&again), 0);
    free(before);
    free(unit);
}

Test(e2e_portal, sigterm_lets_the_upload_in_flight_finish)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("2022-08-20 10:00", NULL);
    char out[600], file[1200];
    snprintf(out, sizeof out, "%s/slow-code", scratch);
    hz_run r0 = hz_test_run("'%s' synth --round stage --unit 411002 --seed 5 --cases 4000 -o "
                            "'%s/big' >/dev/null && ls '%s'/big/*.xlsx", HZ_BIN, scratch, scratch);
    cr_assert_eq(r0.exit_code, 0, "%s", r0.err);
    snprintf(file, sizeof file, "%s", r0.out);
    file[strcspn(file, "\n")] = '\0';
    hz_run_free(&r0);
    char command[2400];
    /* about 300 KB at 100 KB/s: three seconds in flight */
    snprintf(command, sizeof command,
             CURL " --limit-rate 100k -o /dev/null -w '%%{http_code}' -H 'Authorization: Bearer %s' "
             "-F 'file=@%s' http://127.0.0.1:%u/api/v1/submissions > '%s' 2>&1 &",
             unit, file, s.port, out);
    cr_assert_eq(system(command), 0);
    bool receiving = false;
    for (int i = 0; i < 100 && !receiving; i++) {
        hz_run r = hz_test_run("find '%s/tmp' -type f -size +60k | wc -l", data);
        receiving = atoi(r.out) > 0;
        hz_run_free(&r);
        pause_ms(50);
    }
    cr_expect(receiving);
    cr_expect_eq(server_stop(&s), 0, "stopped normally after the request");
    char *code = NULL;
    for (int i = 0; i < 100; i++) { /* curl writes its status as it exits */
        free(code);
        code = hz_test_read_file(out, NULL);
        if (code && *code)
            break;
        pause_ms(50);
    }
    cr_expect_str_eq(code ? code : "", "201");
    free(code);
    cr_expect_eq(count_files("stage", "411002-stage-v"), 1);
    free(unit);
}

Test(e2e_portal, tokens_keep_only_hashes_and_revoke_takes_effect_at_once)
{
    char *unit = make_token("--unit 411002");
    char path[1200];
    snprintf(path, sizeof path, "%s/tokens.ini", data);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600);
    char *text = hz_test_read_file(path, NULL);
    cr_expect(strstr(text, unit) == NULL, "the token itself is never stored");
    free(text);
    hz_run r = hz_test_run("'%s' token --data '%s' --unit 999999", HZ_BIN, data);
    cr_expect_eq(r.exit_code, 2, "unknown unit");
    hz_run_free(&r);
    r = hz_test_run("'%s' token --data '%s' --list", HZ_BIN, data);
    cr_expect_eq(r.exit_code, 0);
    char id[9];
    memcpy(id, r.out, 8);
    id[8] = '\0';
    cr_expect(strstr(r.out, "411002") != NULL, "%s", r.out);
    hz_run_free(&r);

    server s = server_start("2022-08-20 10:00", NULL);
    answer a = get(&s, unit, "/api/v1/me");
    cr_expect_eq(a.code, 200, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "unit"), "411002");
    answer_free(&a);
    r = hz_test_run("'%s' token --data '%s' --revoke %s", HZ_BIN, data, id);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    a = get(&s, unit, "/api/v1/me");
    cr_expect_eq(a.code, 401, "a revoked token is refused by the running server");
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, rate_limit_per_token)
{
    char *unit = make_token("--unit 411002");
    char *other = make_token("--unit 411003");
    server s = server_start("2022-08-20 10:00", "--rate-limit 3");
    for (int i = 0; i < 3; i++) {
        answer a = get(&s, unit, "/api/v1/me");
        cr_expect_eq(a.code, 200);
        answer_free(&a);
    }
    answer a = get(&s, unit, "/api/v1/me");
    cr_expect_eq(a.code, 429, "%s", a.body);
    cr_expect_str_eq(str_field(a.json, "error"), "rate_limited");
    answer_free(&a);
    a = get(&s, other, "/api/v1/me");
    cr_expect_eq(a.code, 200, "another token has its own allowance");
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
    free(other);
}

Test(e2e_portal, pages_carry_a_content_security_policy_and_no_inline_script)
{
    server s = server_start("", NULL);
    static const char *const pages[] = {"/", "/city", "/assets/portal.js", "/assets/portal.css",
                                        "/nothing-here", "/api/v1/status"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        answer a = get(&s, NULL, pages[i]);
        cr_expect(strstr(a.headers, "Content-Security-Policy: default-src 'none'; script-src 'self'") !=
                      NULL, "%s: %s", pages[i], a.headers);
        cr_expect(strstr(a.headers, "X-Content-Type-Options: nosniff") != NULL);
        cr_expect(strstr(a.headers, "Set-Cookie") == NULL);
        cr_expect(strstr(a.headers, "Access-Control-Allow-Origin") == NULL);
        if (i < 2) {
            cr_expect_eq(a.code, 200);
            cr_expect(strstr(a.body, "<script>") == NULL, "no inline script");
            cr_expect(strstr(a.body, "{{") == NULL, "every label filled: %s", a.body);
        }
        answer_free(&a);
    }
    answer a = get(&s, NULL, "/validator");
    cr_expect_eq(a.code, 404, "no validator built for this server");
    answer_free(&a);
    a = get(&s, NULL, "/assets/validator-worker.js");
    cr_expect_eq(a.code, 404);
    answer_free(&a);
    a = get(&s, NULL, "/");
    cr_expect(strstr(a.body, "data-validator=\"0\"") != NULL, "the county page works without it");
    cr_expect(strstr(a.body, "id=\"no-validator\"") != NULL, "and says so");
    cr_expect(strstr(a.body, "hz-snapshot") == NULL);
    cr_expect(strstr(a.headers, "worker-src 'none'") != NULL, "%s", a.headers);
    answer_free(&a);
    char *log = hz_test_read_file(s.log, NULL);
    cr_expect(log && strstr(log, "no browser validator template found"), "%s", log ? log : "");
    free(log);
    cr_expect_eq(server_stop(&s), 0);

    /* with a page template (scripts/web.sh's build/web/huizong-check-
     * template.html; here a small stand-in of the same shape) the server
     * writes its own configuration's snapshot into it: /validator is the
     * offline page of this server's configuration, the county page carries
     * the snapshot for its worker, served at /assets/validator-worker.js */
    char web[700];
    snprintf(web, sizeof web, "%s/web", scratch);
    hz_run r = hz_test_run(
        "mkdir -p '%s' && printf '%%s' '<!DOCTYPE html><title>v</title>"
        "<script type=\"application/json\" id=\"hz-snapshot\">@@HUIZONG-CONFIG-SNAPSHOT@@</script>"
        "<script type=\"text/plain\" id=\"hz-worker\">postMessage(1);</script>' > "
        "'%s/huizong-check-template.html'", web, web);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char extra[800];
    snprintf(extra, sizeof extra, "--web '%s'", web);
    s = server_start("", extra);
    a = get(&s, NULL, "/validator");
    cr_expect_eq(a.code, 200);
    static const char head[] =
        "<!DOCTYPE html><title>v</title><script type=\"application/json\" id=\"hz-snapshot\">{";
    cr_expect(!strncmp(a.body, head, sizeof head - 1), "%.200s", a.body);
    cr_expect(strstr(a.body, "@@HUIZONG") == NULL, "the marker is replaced");
    cr_expect(strstr(a.body, "\"format\": \"huizong-config-snapshot\"") != NULL);
    cr_expect(strstr(a.body, "\"code\": \"411002\"") != NULL, "the server's units");
    cr_expect(strstr(a.headers, "worker-src blob:; ") != NULL, "%s", a.headers);
    cr_expect(strstr(a.headers, "connect-src 'none'") != NULL, "%s", a.headers);
    /* the snapshot in the page is the one `huizong snapshot` writes, "<"
     * apart */
    r = hz_test_run("'%s' snapshot", HZ_BIN);
    cr_assert_eq(r.exit_code, 0);
    size_t n = strlen(r.out);
    while (n && r.out[n - 1] == '\n')
        r.out[--n] = '\0';
    char *want = malloc(6 * n + 1), *w = want;
    for (const char *p = r.out; *p; p++)
        w = *p == '<' ? w + sprintf(w, "\\u003c") : (*w = *p, w + 1);
    *w = '\0';
    cr_expect(strchr(r.out, '<') != NULL, "(the rules of this configuration hold \"<\")");
    cr_expect(strstr(a.body, want) != NULL, "the page holds the server's snapshot");
    cr_expect(strstr(a.body + sizeof head, "<") == strstr(a.body, "</script>"),
              "no \"<\" inside the data block");
    free(want);
    hz_run_free(&r);
    answer_free(&a);
    a = get(&s, NULL, "/assets/validator-worker.js");
    cr_expect_eq(a.code, 200);
    cr_expect_str_eq(a.body, "postMessage(1);");
    cr_expect(strstr(a.headers, "Content-Type: text/javascript") != NULL, "%s", a.headers);
    cr_expect(strstr(a.headers, "Content-Security-Policy: default-src 'none'; script-src 'self' "
                                "'wasm-unsafe-eval'; connect-src 'none'") != NULL, "%s", a.headers);
    answer_free(&a);
    a = get(&s, NULL, "/");
    cr_expect(strstr(a.body, "data-validator=\"1\"") != NULL);
    cr_expect(strstr(a.body, "href=\"/validator\"") != NULL);
    cr_expect(strstr(a.body, "data-round=\"stage\"") != NULL, "%s", a.body);
    cr_expect(strstr(a.body, "<script type=\"application/json\" id=\"hz-snapshot\">{") != NULL);
    cr_expect(strstr(a.body, "<script>") == NULL, "still no inline script");
    cr_expect(strstr(a.headers, "worker-src 'self'") != NULL, "%s", a.headers);
    cr_expect(strstr(a.headers, "'unsafe-inline'") == NULL && strstr(a.headers, "'unsafe-eval'") == NULL,
              "%s", a.headers);
    answer_free(&a);
    a = get(&s, NULL, "/city");
    cr_expect(strstr(a.headers, "worker-src 'none'") != NULL, "the city page needs no worker");
    answer_free(&a);
    log = hz_test_read_file(s.log, NULL);
    cr_expect(log && strstr(log, "browser check: the county page checks in the browser first"),
              "%s", log ? log : "");
    free(log);
    cr_expect_eq(server_stop(&s), 0);

    /* --web naming a folder without the template is refused; a template
     * without the marker too */
    r = hz_test_run("'%s' serve --lang en --round stage --data '%s' --listen 127.0.0.1:0 "
                    "--web '%s/no-web'", HZ_BIN, data, scratch);
    cr_expect_eq(r.exit_code, 2);
    cr_expect(strstr(r.err, "holds no browser validator template") != NULL, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("printf '<html></html>' > '%s/huizong-check-template.html' && "
                    "'%s' serve --lang en --round stage --data '%s' --listen 127.0.0.1:0 --web '%s'",
                    web, HZ_BIN, data, web);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(strstr(r.err, "is not the browser validator's page template") != NULL, "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_portal, oversized_headers_are_refused_and_the_server_goes_on)
{
    char *unit = make_token("--unit 411002");
    server s = server_start("", NULL);
    char big[600];
    snprintf(big, sizeof big, "%s/header.txt", scratch);
    /* 100 KB of header: past the 64 KiB a connection may hold */
    hz_run r = hz_test_run("printf 'X-Padding: ' > '%s' && head -c 100000 /dev/zero | tr '\\0' a >> '%s'",
                           big, big);
    hz_run_free(&r);
    char args[1400];
    snprintf(args, sizeof args, "-H @'%s' -H 'Authorization: Bearer %s'", big, unit);
    answer a = request(&s, args, "/api/v1/me");
    cr_expect_eq(a.code, 431, "Request Header Fields Too Large: %d", a.code);
    answer_free(&a);
    a = get(&s, unit, "/api/v1/me");
    cr_expect_eq(a.code, 200, "the next request is served");
    answer_free(&a);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}

Test(e2e_portal, plain_http_off_loopback_is_refused_and_tls_serves_https)
{
    hz_run r = hz_test_run("'%s' serve --round stage --data '%s' --listen 0.0.0.0:0", HZ_BIN, data);
    cr_expect_eq(r.exit_code, 2, "%s", r.err);
    cr_expect(strstr(r.err, "--insecure-lan") != NULL, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' serve --round stage --data '%s' --listen nowhere:80", HZ_BIN, data);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);

    hz_test_require("openssl", "openssl");
    r = hz_test_run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                    "-keyout '%s/key.pem' -out '%s/cert.pem'", scratch, scratch);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char *unit = make_token("--unit 411002");
    char extra[1400];
    snprintf(extra, sizeof extra, "--cert '%s/cert.pem' --key '%s/key.pem'", scratch, scratch);
    /* the log names https://; server_start looks for http:// - read it here */
    server s = {0};
    snprintf(s.log, sizeof s.log, "%s/tls.log", scratch);
    char command[4096];
    snprintf(command, sizeof command,
             "exec '%s' serve --round stage --data '%s' --listen 127.0.0.1:0 %s >'%s' 2>&1",
             HZ_BIN, data, extra, s.log);
    s.pid = fork();
    if (s.pid == 0) {
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400 && !s.port; i++) {
        char *text = hz_test_read_file(s.log, NULL);
        const char *at = text ? strstr(text, "https://127.0.0.1:") : NULL;
        if (at)
            s.port = (unsigned)atoi(at + strlen("https://127.0.0.1:"));
        free(text);
        pause_ms(25);
    }
    cr_assert_neq(s.port, 0);
    r = hz_test_run(CURL " --cacert '%s/cert.pem' -o /dev/null -w '%%{http_code}' "
                    "-H 'Authorization: Bearer %s' https://127.0.0.1:%u/api/v1/me",
                    scratch, unit, s.port);
    cr_expect_str_eq(r.out, "200", "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run(CURL " -o /dev/null -w '%%{http_code}' http://127.0.0.1:%u/api/v1/me", s.port);
    cr_expect_neq(strcmp(r.out, "200"), 0, "no plain HTTP on a TLS port");
    hz_run_free(&r);
    cr_expect_eq(server_stop(&s), 0);
    free(unit);
}
