/* test_portal.c - the portal's library modules without a network:
 * portal_tokens, portal_store, the listen address rules and the pages. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "consolidate.h"
#include "fsutil.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "portal_pages.h"
#include "portal_server.h"
#include "portal_store.h"
#include "portal_tokens.h"

HZ_TEST_FIXTURE("portal");
TestSuite(portal, .init = hz_fixture_setup, .fini = hz_fixture_teardown);

static char *path_in(const char *name)
{
    char *p = malloc(strlen(tmp) + strlen(name) + 2);
    sprintf(p, "%s/%s", tmp, name);
    return p;
}

/* ------------------------------------------------------------- tokens */

Test(portal, tokens_are_random_hashed_and_found_only_by_their_text)
{
    portal_tokens t = {0};
    char a[PORTAL_TOKEN_HEX + 1], b[PORTAL_TOKEN_HEX + 1], ida[9], idb[9];
    cr_assert_eq(portal_tokens_add(&t, "411002", a, ida, NULL), HZ_OK);
    cr_assert_eq(portal_tokens_add(&t, "city", b, idb, NULL), HZ_OK);
    cr_expect_eq(strlen(a), 64);
    cr_expect_str_neq(a, b);
    cr_expect(!strncmp(a, b, 64) == 0);
    const portal_token *m = portal_tokens_match(&t, a, strlen(a));
    cr_assert_not_null(m);
    cr_expect_str_eq(m->role, "411002");
    cr_expect_str_eq(m->id, ida);
    cr_expect_str_eq(portal_tokens_match(&t, b, strlen(b))->role, "city");
    char wrong[65];
    memcpy(wrong, a, 65);
    wrong[63] = wrong[63] == '0' ? '1' : '0';
    cr_expect_null(portal_tokens_match(&t, wrong, 64));
    cr_expect_null(portal_tokens_match(&t, a, 63), "a prefix is not the token");
    cr_expect_null(portal_tokens_match(&t, ida, strlen(ida)), "the id is not the token");

    char *file = path_in("tokens.ini");
    cr_assert_eq(portal_tokens_save(file, &t, NULL), HZ_OK);
    struct stat st;
    cr_assert_eq(stat(file, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600);
    char *text = hz_test_read_file(file, NULL);
    cr_expect(strstr(text, a) == NULL && strstr(text, b) == NULL, "only hashes are kept");
    free(text);
    portal_tokens back;
    cr_assert_eq(portal_tokens_load(file, &back, NULL), HZ_OK);
    cr_expect_eq(back.count, 2);
    cr_expect_str_eq(portal_tokens_match(&back, a, 64)->role, "411002");
    cr_expect(portal_tokens_remove(&back, ida));
    cr_expect_not(portal_tokens_remove(&back, ida));
    cr_expect_null(portal_tokens_match(&back, a, 64));
    cr_expect_not_null(portal_tokens_match(&back, b, 64));
    portal_tokens_free(&back);
    portal_tokens_free(&t);
    free(file);
}

Test(portal, a_missing_tokens_file_is_empty_and_a_bad_line_is_named)
{
    char *file = path_in("tokens.ini");
    portal_tokens t;
    cr_expect_eq(portal_tokens_load(file, &t, NULL), HZ_OK);
    cr_expect_eq(t.count, 0);
    FILE *f = fopen(file, "w");
    fputs("[tokens]\n; fine\nabcd1234 = 411002 00\n", f);
    fclose(f);
    hz_error err = {0};
    cr_expect_eq(portal_tokens_load(file, &t, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_PORTAL_TOKENS_BAD_LINE);
    cr_expect_str_eq(err.args[1], "3");
    free(file);
}

/* -------------------------------------------------------------- times */

Test(portal, receipt_times_are_in_the_campaign_time_zone)
{
    time_t t;
    cr_assert(portal_parse_local_time("2022-08-26 23:30", 480, &t));
    cr_expect_eq(t, 1661527800); /* 2022-08-26T15:30:00Z */
    char buf[32];
    hz_date d;
    cr_expect_str_eq(portal_local_time(t, 480, buf, sizeof buf, &d), "2022-08-26 23:30:00");
    cr_expect_eq(d, hz_date_from_ymd(2022, 8, 26));
    cr_expect_str_eq(portal_local_time(t, 0, buf, sizeof buf, &d), "2022-08-26 15:30:00");
    cr_expect_str_eq(portal_local_time(t, 600, buf, sizeof buf, &d), "2022-08-27 01:30:00",
                     "a day later east of the campaign");
    cr_expect_str_eq(portal_offset_text(480, buf, sizeof buf), "+08:00");
    cr_expect_str_eq(portal_offset_text(-330, buf, sizeof buf), "-05:30");
    cr_expect_not(portal_parse_local_time("2022-02-30 10:00", 480, &t));
    cr_expect_not(portal_parse_local_time("2022-08-26 24:00", 480, &t));
    cr_expect_not(portal_parse_local_time("2022-08-26", 480, &t));
    cr_expect(portal_parse_local_time("2022-08-26 10:00:59", 480, &t));
    cr_expect_not(portal_parse_local_time("2022-08-26 10:00 x", 480, &t));
}

/* -------------------------------------------------------------- store */

static char *temp_with(portal_store *st, const char *source)
{
    char *buf = malloc(4200);
    cr_assert_eq(portal_store_temp(st, buf, 4200, NULL), HZ_OK);
    char *data;
    size_t len;
    cr_assert_eq(fs_read_file(source, &data, &len, NULL), HZ_OK);
    cr_assert_eq(fs_write_atomic(buf, data, len, NULL), HZ_OK);
    free(data);
    return buf;
}

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SAMPLE HZ_SOURCE_DIR "/input/xuchang-2022/stage/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"

Test(portal, the_store_numbers_versions_refuses_a_repeated_version_and_keeps_receipts)
{
    const hz_round *round = config_find_round(config, "stage");
    portal_store st;
    cr_assert_eq(portal_store_open(&st, config, round, tmp, NULL), HZ_OK);
    time_t on_time, late;
    cr_assert(portal_parse_local_time("2022-08-26 18:00", 480, &on_time));
    cr_assert(portal_parse_local_time("2022-08-29 08:00", 480, &late));
    portal_saved saved;
    char *t1 = temp_with(&st, SAMPLE);
    cr_assert_eq(portal_store_accept(&st, 0, t1, on_time, 1, SHA_A, &saved, NULL), HZ_OK);
    cr_expect_str_eq(saved.name, "411002-stage-v1.xlsx");
    cr_expect_eq(saved.days_late, 0, "the deadline day itself is on time");
    cr_expect_eq(access(t1, F_OK), -1, "the temporary file is moved");

    char *t2 = temp_with(&st, SAMPLE);
    hz_error err = {0};
    cr_expect_eq(portal_store_accept(&st, 0, t2, late, 1, SHA_B, &saved, &err), HZ_ERR_INVALID);
    cr_expect_eq(err.msg, HZ_M_PORTAL_VERSION_TAKEN);
    cr_expect_str_eq(err.args[1], "411002-stage-v1.xlsx");
    cr_expect_str_eq(err.args[3], "2", "the next free 版本号 is suggested");
    cr_expect_eq(access(t2, F_OK), 0, "left for the caller to keep under rejected/");
    cr_assert_eq(portal_store_reject(&st, 0, t2, late, &saved, NULL), HZ_OK);
    cr_expect_str_eq(saved.name, "rejected/411002-stage-r1.xlsx");

    char *t3 = temp_with(&st, SAMPLE);
    cr_assert_eq(portal_store_accept(&st, 0, t3, late, 3, SHA_B, &saved, NULL), HZ_OK);
    cr_expect_str_eq(saved.name, "411002-stage-v2.xlsx");
    cr_expect_eq(saved.days_late, 3); /* Friday 26th -> Monday 29th */
    cr_expect_eq(portal_store_upload_count(&st, "411002"), 2);
    portal_store_close(&st);

    /* consolidate reads what the store wrote: the receipt of 版本号 3 */
    char *receipts = path_in("stage/receipts.ini");
    hz_receipts r;
    cr_assert_eq(consolidate_read_receipts(receipts, &r, NULL), HZ_OK);
    cr_assert_eq(r.count, 1);
    cr_expect_str_eq(r.items[0].code, "411002");
    cr_expect_eq(r.items[0].date, hz_date_from_ymd(2022, 8, 29));
    cr_expect_eq(r.items[0].minute, 8 * 60);
    consolidate_receipts_free(&r);

    /* reopened, the store knows its uploads (and refuses 版本号 3 again) */
    cr_assert_eq(portal_store_open(&st, config, round, tmp, NULL), HZ_OK);
    cr_expect_eq(portal_store_upload_count(&st, "411002"), 2);
    char *t4 = temp_with(&st, SAMPLE);
    cr_expect_eq(portal_store_accept(&st, 0, t4, late, 3, SHA_A, &saved, NULL), HZ_ERR_INVALID);
    portal_store_close(&st);
    free(t1), free(t2), free(t3), free(t4);
    free(receipts);
}

Test(portal, opening_the_store_empties_tmp_and_keeps_hand_written_receipts)
{
    const hz_round *round = config_find_round(config, "stage");
    char *dir = path_in("stage");
    cr_assert_eq(fs_mkdir_p(dir, NULL), HZ_OK);
    char *receipts = path_in("stage/receipts.ini");
    FILE *f = fopen(receipts, "w");
    fputs("[receipts]\n411024 = 2022-08-25 09:00\n", f);
    fclose(f);
    char *tmpdir = path_in("tmp");
    cr_assert_eq(fs_mkdir_p(tmpdir, NULL), HZ_OK);
    char *left = path_in("tmp/upload-killed");
    f = fopen(left, "w");
    fputs("half a workbook", f);
    fclose(f);
    portal_store st;
    cr_assert_eq(portal_store_open(&st, config, round, tmp, NULL), HZ_OK);
    cr_expect_eq(access(left, F_OK), -1, "a killed upload's remains are removed");
    portal_saved saved;
    char *t = temp_with(&st, SAMPLE);
    time_t now;
    portal_parse_local_time("2022-08-24 10:00", 480, &now);
    cr_assert_eq(portal_store_accept(&st, 0, t, now, 1, SHA_A, &saved, NULL), HZ_OK);
    portal_store_close(&st);
    hz_receipts r;
    cr_assert_eq(consolidate_read_receipts(receipts, &r, NULL), HZ_OK);
    cr_expect_eq(r.count, 2, "the hand-written receipt of 411024 stays");
    consolidate_receipts_free(&r);
    free(dir), free(receipts), free(tmpdir), free(left), free(t);
}

Test(portal, a_malformed_receipts_file_stops_the_store)
{
    const hz_round *round = config_find_round(config, "stage");
    char *dir = path_in("stage");
    fs_mkdir_p(dir, NULL);
    char *receipts = path_in("stage/receipts.ini");
    FILE *f = fopen(receipts, "w");
    fputs("[receipts]\n411024 = yesterday\n", f);
    fclose(f);
    portal_store st;
    cr_expect_eq(portal_store_open(&st, config, round, tmp, NULL), HZ_ERR_FORMAT);
    free(dir), free(receipts);
}

Test(portal, audit_lines_escape_request_text)
{
    const hz_round *round = config_find_round(config, "stage");
    portal_store st;
    cr_assert_eq(portal_store_open(&st, config, round, tmp, NULL), HZ_OK);
    portal_store_audit(&st, 1661000000, "-", "GET", "/x y\n2022 city GET / 200", 404, NULL);
    portal_store_close(&st);
    char *log = path_in("audit.log");
    char *text = hz_test_read_file(log, NULL);
    cr_expect_str_eq(text, "2022-08-20T20:53:20+08:00 - GET /x%20y%0A2022%20city%20GET%20/%20200 404 -\n");
    free(text);
    free(log);
}

/* ------------------------------------------------------- listen rules */

Test(portal, listen_addresses_and_loopback)
{
    char host[64];
    unsigned port;
    cr_expect(portal_parse_listen("127.0.0.1:8080", host, sizeof host, &port));
    cr_expect_str_eq(host, "127.0.0.1");
    cr_expect_eq(port, 8080);
    cr_expect(portal_parse_listen("[::1]:0", host, sizeof host, &port));
    cr_expect_str_eq(host, "::1");
    cr_expect_eq(port, 0);
    cr_expect_not(portal_parse_listen("localhost:8080", host, sizeof host, &port),
                  "names are not resolved");
    cr_expect_not(portal_parse_listen("127.0.0.1", host, sizeof host, &port));
    cr_expect_not(portal_parse_listen("127.0.0.1:65536", host, sizeof host, &port));
    cr_expect_not(portal_parse_listen("127.0.0.1:80x", host, sizeof host, &port));
    cr_expect(portal_host_is_loopback("127.0.0.1"));
    cr_expect(portal_host_is_loopback("127.8.9.1"));
    cr_expect(portal_host_is_loopback("::1"));
    cr_expect_not(portal_host_is_loopback("0.0.0.0"));
    cr_expect_not(portal_host_is_loopback("10.1.2.3"));
    cr_expect_not(portal_host_is_loopback("::"));
}

/* -------------------------------------------------------------- pages */

Test(portal, pages_fill_every_label_in_both_languages)
{
    for (int lang = HZ_LANG_ZH; lang <= HZ_LANG_EN; lang++) {
        for (int page = PORTAL_PAGE_COUNTY; page <= PORTAL_PAGE_CITY; page++) {
            size_t len = 0;
            char *html = portal_page_render((portal_page)page, (hz_lang)lang, false, &len);
            cr_assert_not_null(html);
            cr_expect_eq(strlen(html), len);
            cr_expect(strstr(html, "{{") == NULL, "every label filled: %s", html);
            cr_expect(strstr(html, "<script>") == NULL && strstr(html, "style=") == NULL,
                      "nothing inline: the CSP allows 'self' only");
            cr_expect(strstr(html, lang == HZ_LANG_ZH ? "lang=\"zh-CN\"" : "lang=\"en\"") != NULL);
            if (page == PORTAL_PAGE_COUNTY)
                cr_expect(strstr(html, "data-validator=\"0\"") != NULL);
            free(html);
        }
    }
    size_t len;
    char *html = portal_page_render(PORTAL_PAGE_COUNTY, HZ_LANG_ZH, true, &len);
    cr_expect(strstr(html, "data-validator=\"1\"") != NULL);
    cr_expect(strstr(html, "报送表上传") != NULL);
    free(html);
    char *js = portal_page_render(PORTAL_PAGE_JS, HZ_LANG_ZH, false, &len);
    cr_expect(strstr(js, "'Authorization': 'Bearer '") != NULL, "the token goes in a header");
    cr_expect(strstr(js, "document.cookie") == NULL && strstr(js, "localStorage") == NULL);
    free(js);
}
