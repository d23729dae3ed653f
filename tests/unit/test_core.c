/* test_core.c - dates, amounts, text helpers and the message catalogue. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "hz_amount.h"
#include "hz_date.h"
#include "hz_msg.h"
#include "hz_status.h"
#include "hz_jobs.h"
#include "hz_text.h"

Test(date, civil_roundtrip)
{
    hz_date d = hz_date_from_ymd(2022, 8, 26);
    cr_assert_neq(d, HZ_DATE_NONE);
    int y, m, dd;
    hz_date_to_ymd(d, &y, &m, &dd);
    cr_assert_eq(y, 2022);
    cr_assert_eq(m, 8);
    cr_assert_eq(dd, 26);
    cr_assert_eq(hz_date_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(hz_date_weekday(d), 4, "2022-08-26 was a Friday");
    cr_assert_eq(hz_date_from_ymd(2022, 2, 29), HZ_DATE_NONE);
    cr_assert_neq(hz_date_from_ymd(2024, 2, 29), HZ_DATE_NONE);
    cr_assert_eq(hz_date_from_ymd(2022, 13, 1), HZ_DATE_NONE);
}

Test(date, parse_three_forms)
{
    hz_date want = hz_date_from_ymd(2022, 7, 5), got;
    cr_assert(hz_date_parse("2022-07-05", &got));
    cr_assert_eq(got, want);
    cr_assert(hz_date_parse("2022/7/5", &got));
    cr_assert_eq(got, want);
    cr_assert(hz_date_parse("2022年7月5日", &got));
    cr_assert_eq(got, want);
    cr_assert(hz_date_parse("  2022-07-05\xE3\x80\x80", &got));
    cr_assert_eq(got, want);
    cr_assert_not(hz_date_parse("2022-13-01", &got));
    cr_assert_not(hz_date_parse("2022-07-05x", &got));
    cr_assert_not(hz_date_parse("2022-07/05", &got));
    cr_assert_not(hz_date_parse("22-07-05", &got));
    cr_assert_not(hz_date_parse("2022年7月5", &got));
    cr_assert_not(hz_date_parse("", &got));
}

Test(date, serials)
{
    hz_date d;
    cr_assert(hz_date_from_serial(44799, false, &d)); /* 2022-08-26 */
    cr_assert_eq(d, hz_date_from_ymd(2022, 8, 26));
    cr_assert_eq(hz_date_to_serial(d), 44799.0);
    cr_assert(hz_date_from_serial(44799 - 1462, true, &d));
    cr_assert_eq(d, hz_date_from_ymd(2022, 8, 26));
    cr_assert(hz_date_from_serial(1, false, &d));
    cr_assert_eq(d, hz_date_from_ymd(1900, 1, 1));
    cr_assert(hz_date_from_serial(61, false, &d));
    cr_assert_eq(d, hz_date_from_ymd(1900, 3, 1));
    cr_assert_not(hz_date_from_serial(60, false, &d));
    cr_assert_not(hz_date_from_serial(-1, false, &d));
    char buf[32];
    cr_assert_str_eq(hz_date_format_zh(hz_date_from_ymd(2022, 8, 6), buf, sizeof buf), "2022年8月6日");
}

Test(amount, parse_and_format)
{
    hz_amount a;
    cr_assert(hz_amount_parse("1234.5678", &a));
    cr_assert_eq(a, 12345678);
    cr_assert(hz_amount_parse("0.1", &a));
    cr_assert_eq(a, 1000);
    cr_assert(hz_amount_parse("12", &a));
    cr_assert_eq(a, 120000);
    cr_assert(hz_amount_parse("1.23450", &a));
    cr_assert_eq(a, 12345);
    cr_assert_not(hz_amount_parse("1.23456", &a));
    cr_assert_not(hz_amount_parse("1,234", &a));
    cr_assert_not(hz_amount_parse("12万", &a));
    cr_assert_not(hz_amount_parse(".", &a));
    cr_assert_not(hz_amount_parse("", &a));
    char buf[64];
    cr_assert_str_eq(hz_amount_format(12345678, 2, true, buf, sizeof buf), "1,234.57");
    cr_assert_str_eq(hz_amount_format(12345678, 4, false, buf, sizeof buf), "1234.5678");
    cr_assert_str_eq(hz_amount_format(-5000, 2, false, buf, sizeof buf), "-0.50");
    cr_assert_str_eq(hz_amount_format(0, 0, false, buf, sizeof buf), "0");
}

Test(amount, from_double_has_no_drift)
{
    hz_amount sum = 0, a;
    for (int i = 0; i < 10000; i++) {
        cr_assert(hz_amount_from_double(0.1, &a));
        sum += a;
    }
    cr_assert_eq(sum, 10000000); /* exactly 1000 万元 */
    cr_assert(hz_amount_from_double(1.2345, &a));
    cr_assert_eq(a, 12345);
    cr_assert_not(hz_amount_from_double(1.23456, &a));
}

Test(text, utf8_and_trim)
{
    cr_assert(hz_utf8_valid("许昌abc", strlen("许昌abc")));
    cr_assert_not(hz_utf8_valid("\xC0\xAF", 2));     /* overlong */
    cr_assert_not(hz_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
    cr_assert_not(hz_utf8_valid("\xE8\xAE", 2));     /* truncated */
    cr_assert_eq(hz_utf8_length("许昌a"), 3);
    char t[64] = "\xE3\x80\x80 许昌 \xC2\xA0";
    cr_assert_str_eq(hz_trim(t), "许昌");
    /* hz_trim_len: the same trim for a caller that knows the length */
    static const char *const samples[] = {"", " ", "a", " a", "a ", "\xE3\x80\x80",
                                          "\xC2\xA0x\xC2\xA0", "许\xE3\x80\x80昌",
                                          "\t\r\n许昌\n", "x\xE3\x80\x80 \xC2\xA0"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%s", samples[i]);
        snprintf(b, sizeof b, "%s", samples[i]);
        hz_trim(a);
        size_t n = hz_trim_len(b, strlen(b));
        cr_assert_str_eq(b, a, "%s", samples[i]);
        cr_assert_eq(n, strlen(a), "%s", samples[i]);
    }
    char small[5];
    hz_strlcpy_utf8(small, "许昌", sizeof small);
    cr_assert_str_eq(small, "许");
    hz_buf buf = {0};
    cr_assert(hz_buf_printf(&buf, "%d-%s", 7, "x"));
    cr_assert(hz_buf_puts(&buf, "许"));
    cr_assert_str_eq(buf.data, "7-x许");
    hz_buf_free(&buf);
}

/* The fast unsafe-or-invalid test agrees with decoding every character:
 * every code point that starts a sequence, in every encoding length, then
 * random byte strings weighted to lead and continuation bytes. */
static bool unsafe_by_decoding(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; p < end;) {
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0 || hz_char_unsafe(cp))
            return true;
    }
    return false;
}

/* FNV-1a 64, the published test vectors; the length, not a NUL, ends it */
Test(text, hash_is_fnv1a)
{
    cr_assert_eq(hz_text_hash("", 0), 0xcbf29ce484222325ull);
    cr_assert_eq(hz_text_hash("a", 1), 0xaf63dc4c8601ec8cull);
    cr_assert_eq(hz_text_hash("foobar", 6), 0x85944171f73967e8ull);
    cr_assert_eq(hz_text_hash("ab", 1), hz_text_hash("a", 1));
    cr_assert_neq(hz_text_hash("a\0b", 3), hz_text_hash("a", 1));
}

Test(text, unsafe_or_invalid_matches_decoding)
{
    char buf[16];
    for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
        int n = hz_utf8_encode(cp, buf + 1);
        if (n == 0)
            continue;
        buf[0] = 'a';
        cr_assert_eq(hz_text_unsafe_or_invalid(buf, (size_t)n + 1), hz_char_unsafe(cp),
                     "U+%04X", (unsigned)cp);
        /* cut short: invalid */
        if (n > 1)
            cr_assert(hz_text_unsafe_or_invalid(buf + 1, (size_t)n - 1), "U+%04X cut", (unsigned)cp);
    }
    static const unsigned char pick[] = {'a', ' ', 0x09, 0x7F, 0x80, 0x9C, 0xA0, 0xBF, 0xC0, 0xC2,
                                         0xC3, 0xD8, 0xDF, 0xE0, 0xE1, 0xE2, 0xE4, 0xE9, 0xED,
                                         0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF, 0x8B, 0xAD};
    uint32_t seed = 12345;
    for (int round = 0; round < 200000; round++) {
        size_t n = 1 + round % 9;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)pick[(seed >> 16) % sizeof pick];
        }
        cr_assert_eq(hz_text_unsafe_or_invalid(buf, n), unsafe_by_decoding(buf, n),
                     "round %d", round);
    }
}

/* The one growable array: doubling, contents kept, overflow refused. */
Test(text, array_reserve)
{
    int *items = NULL;
    size_t cap = 0, count = 0;
    for (int i = 0; i < 1000; i++) {
        cr_assert(hz_array_reserve(&items, &cap, count + 1, sizeof *items));
        items[count++] = i;
    }
    cr_assert_geq(cap, 1000);
    cr_assert_lt(cap, 2048);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(items[i], i);
    size_t before = cap;
    int *kept = items;
    cr_assert_not(hz_array_reserve(&items, &cap, SIZE_MAX / 2, sizeof *items));
    cr_assert_eq(cap, before);
    cr_assert_eq(items, kept);
    cr_assert(hz_array_reserve(&items, &cap, 10, sizeof *items)); /* already room */
    cr_assert_eq(cap, before);
    free(items);
}

typedef struct jobs_probe {
    int done[100];
    size_t last_finished;
    size_t fail_at;
} jobs_probe;

static hz_status probe_job(void *user, size_t index, hz_error *err)
{
    jobs_probe *p = user;
    if (index == p->fail_at)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_NOMEM, NULL);
    p->done[index]++;
    return HZ_OK;
}

static void probe_done(void *user, size_t index, size_t finished)
{
    (void)index;
    jobs_probe *p = user;
    cr_assert_eq(finished, p->last_finished + 1, "finished counts up under the lock");
    p->last_finished = finished;
}

/* The worker pool: every index once, progress counted in order, the first
 * failure returned with its error and no more jobs handed out after it. */
Test(jobs, every_index_once_and_first_failure_stops)
{
    for (int threads = 1; threads <= 4; threads++) {
        jobs_probe p = {.fail_at = SIZE_MAX};
        cr_assert_eq(hz_jobs_run(100, threads, probe_job, probe_done, &p, NULL), HZ_OK);
        for (int i = 0; i < 100; i++)
            cr_assert_eq(p.done[i], 1, "index %d ran %d times", i, p.done[i]);
        cr_assert_eq(p.last_finished, 100);

        jobs_probe q = {.fail_at = 0};
        hz_error err = {0};
        cr_assert_eq(hz_jobs_run(100, threads, probe_job, probe_done, &q, &err), HZ_ERR_IO);
        cr_assert_eq(err.status, HZ_ERR_IO);
        size_t ran = 0;
        for (int i = 0; i < 100; i++)
            ran += (size_t)q.done[i];
        cr_assert_lt(ran, 100, "jobs were still handed out after the failure");
    }
    cr_assert_eq(hz_jobs_run(0, 2, probe_job, NULL, NULL, NULL), HZ_OK);
}

/* Every message has both languages, and both use the same arguments. */
Test(msg, catalogue_complete)
{
    for (int id = 1; id < HZ_MSG__COUNT; id++) {
        const char *zh = hz_msg_text(HZ_LANG_ZH, (hz_msg_id)id);
        const char *en = hz_msg_text(HZ_LANG_EN, (hz_msg_id)id);
        cr_assert(zh[0] != '\0', "%s has no Chinese text", hz_msg_name((hz_msg_id)id));
        cr_assert(en[0] != '\0', "%s has no English text", hz_msg_name((hz_msg_id)id));
        for (char arg = '1'; arg <= '9'; arg++) {
            char placeholder[4] = {'{', arg, '}', '\0'};
            cr_assert_eq(strstr(zh, placeholder) != NULL, strstr(en, placeholder) != NULL,
                         "%s uses %s in one language only", hz_msg_name((hz_msg_id)id),
                         placeholder);
        }
    }
}

Test(msg, format_substitutes_in_any_order)
{
    char buf[128];
    hz_msg_formatv(HZ_LANG_EN, HZ_M_IO_RENAME, buf, sizeof buf, "a", "b", "c", NULL);
    cr_assert_str_eq(buf, "cannot rename a to b: c");
    hz_msg_formatv(HZ_LANG_ZH, HZ_M_IO_OPEN, buf, 12, "许昌许昌", "x", NULL);
    cr_assert(hz_utf8_valid(buf, strlen(buf)), "truncation keeps UTF-8 whole");
    hz_error err;
    cr_assert_eq(hz_error_set(&err, HZ_ERR_IO, HZ_M_IO_OPEN, "f.xlsx", "no such file", NULL), HZ_ERR_IO);
    hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf);
    cr_assert_str_eq(buf, "无法打开文件 f.xlsx：no such file");
    cr_assert_eq(hz_lang_parse("en_US.UTF-8"), HZ_LANG_EN);
    cr_assert_eq(hz_lang_parse("fr"), -1);
}

/* The wording of the messages that the end-to-end tests find by their id
 * (tests/support/hz_test_json.h): what a county officer, the city section
 * or an auditor reads, checked here once, where the catalogue is. Each row:
 * language, message, arguments, a part of the rendered text. */
Test(msg, wording_of_what_users_read)
{
    static const struct {
        hz_lang lang;
        hz_msg_id id;
        const char *args[4];
        const char *says;
    } rows[] = {
        /* huizong check */
        {HZ_LANG_ZH, HZ_M_VALIDATE_CLOSE_BEFORE_OPEN,
         {"案件明细!D2", "结案日期", "2022-08-01", "2022-08-10"},
         "案件明细!D2 结案日期 2022-08-01 早于立案日期 2022-08-10"},
        {HZ_LANG_EN, HZ_M_WORKBOOK_NOT_NUMBER, {"统计表!D2", "A01", "12件", "a count"},
         "'12件' is not a number"},
        {HZ_LANG_ZH, HZ_M_CLI_CHECK_EXPLAINED_LINE, {"警告", "…", "rule.R10"}, "[rule.R10，已说明]"},
        {HZ_LANG_ZH, HZ_M_CLI_CHECK_VALID, {"21", "0", "0", "0"}, "结果：通过（21 个案件"},
        {HZ_LANG_ZH, HZ_M_CLI_CHECK_INVALID, {"1", "0", "0", "0"}, "结果：未通过，1 个错误"},
        {HZ_LANG_ZH, HZ_M_CLI_CHECK_TOTAL, {"8", "7", "1"}, "共检查 8 个文件：7 个通过，1 个未通过"},
        {HZ_LANG_EN, HZ_M_CLI_CHECK_TOTAL, {"7", "7", "0"}, "7 file(s) checked: 7 valid, 0 not valid"},
        {HZ_LANG_ZH, HZ_M_VALIDATE_WRONG_ROUND, {"填报信息!B5", "报送类型", "年度总结", "阶段小结"},
         "报送类型为「年度总结」，而本次检查的是「阶段小结」"},
        {HZ_LANG_EN, HZ_M_IO_NO_SUCH_PATH, {"x/does-not-exist.xlsx"},
         "x/does-not-exist.xlsx does not exist"},
        {HZ_LANG_EN, HZ_M_CLI_DID_YOU_MEAN, {"check"}, "did you mean 'check'?"},
        {HZ_LANG_ZH, HZ_M_CLI_TRY_HELP, {"check"}, "huizong check --help"},
        {HZ_LANG_EN, HZ_M_CLI_PROGRESS_FILES, {"1", "7", "a.xlsx"}, "read 1/7: a.xlsx"},
        {HZ_LANG_EN, HZ_M_CLI_PROGRESS_CONSOLIDATE, {0}, "consolidating..."},
        {HZ_LANG_EN, HZ_M_CLI_PROGRESS_XLSX, {0}, "writing the XLSX..."},
        {HZ_LANG_EN, HZ_M_CLI_PROGRESS_PDF, {0}, "rendering the PDF..."},
        {HZ_LANG_ZH, HZ_M_CLI_PROGRESS_FILES, {"1", "7", "a.xlsx"}, "已读取"},
        {HZ_LANG_ZH, HZ_M_CLI_PROGRESS_CONSOLIDATE, {0}, "汇总……"},
        {HZ_LANG_ZH, HZ_M_CLI_PROGRESS_PDF, {0}, "生成 PDF"},
        /* hostile workbooks refused by huizong check (tests/e2e/test_e2e_hostile*.c
         * assert these by id and arguments) */
        {HZ_LANG_EN, HZ_M_XLSX_NOT_ZIP, {"w.xlsx"}, "w.xlsx is not an xlsx workbook"},
        {HZ_LANG_EN, HZ_M_XLSX_OLD_XLS, {"w.xlsx"}, "w.xlsx is an old Excel 97-2003 workbook"},
        {HZ_LANG_EN, HZ_M_XLSX_ZIP_CORRUPT, {"w.xlsx", "x"},
         "the zip structure of w.xlsx is damaged or the file is incomplete: x"},
        {HZ_LANG_EN, HZ_M_XLSX_RATIO, {"w.xlsx", "p", "1025", "200"},
         "compression ratio of 1025, more than the limit of 200 (looks like a zip bomb)"},
        {HZ_LANG_ZH, HZ_M_XLSX_RATIO, {"w.xlsx", "p", "1025", "200"}, "疑似 zip 炸弹"},
        {HZ_LANG_EN, HZ_M_XLSX_ZIP_INCONSISTENT, {"w.xlsx", "x"},
         "the zip directory of workbook w.xlsx disagrees with the entries themselves"},
        {HZ_LANG_EN, HZ_M_XLSX_DOCTYPE, {"w.xlsx", "p", "2"},
         "part p of workbook w.xlsx contains a DOCTYPE declaration (line 2); refused for safety"},
        {HZ_LANG_ZH, HZ_M_XLSX_DOCTYPE, {"w.xlsx", "p", "2"}, "含有 DOCTYPE 声明（第 2 行）"},
        {HZ_LANG_EN, HZ_M_XLSX_DEPTH, {"w.xlsx", "p", "64", "3"},
         "nests XML elements deeper than 64 levels (line 3)"},
        {HZ_LANG_EN, HZ_M_XLSX_TOO_MANY_RELS, {"w.xlsx", "p", "1000"},
         "lists more than 1000 relationships"},
        {HZ_LANG_EN, HZ_M_XLSX_MISSING_PART, {"w.xlsx", "xl/workbook.xml"},
         "workbook w.xlsx lacks the required part xl/workbook.xml"},
        {HZ_LANG_EN, HZ_M_XLSX_BAD_UTF8, {"w.xlsx", "p", "2"}, "contains invalid UTF-8 (line 2)"},
        {HZ_LANG_EN, HZ_M_XLSX_SST_INDEX, {"w.xlsx", "p", "A2", "999999"},
         "cell A2 in part p of workbook w.xlsx refers to shared string 999999, which does not exist"},
        {HZ_LANG_EN, HZ_M_XLSX_TOO_MANY_ROWS, {"w.xlsx", "p", "1048577", "1048576"},
         "row 1048577 in part p of workbook w.xlsx is beyond the limit of 1048576 rows"},
        {HZ_LANG_EN, HZ_M_XLSX_CELL_TOO_LONG, {"w.xlsx", "p", "B40", "32767"},
         "the text of cell B40 in part p of workbook w.xlsx is longer than the limit of 32767 characters"},
        {HZ_LANG_EN, HZ_M_XLSX_STRING_TOO_LONG, {"w.xlsx", "p", "39", "20"},
         "shared string number 39 in part p of workbook w.xlsx is longer than the limit of 20 characters"},
        {HZ_LANG_EN, HZ_M_XLSX_PART_UTF16, {"w.xlsx", "p"}, "part p of workbook w.xlsx is encoded in UTF-16"},
        {HZ_LANG_EN, HZ_M_XLSX_DUP_ENTRY, {"w.xlsx", "a/S.xml", "a/s.xml"},
         "two zip entries whose names are equal ignoring case, a/S.xml and a/s.xml"},
        {HZ_LANG_EN, HZ_M_XLSX_SIZE_SHORT, {"w.xlsx", "p", "17495", "21591"},
         "inflates to only 17495 bytes, fewer than the 21591 bytes recorded in the zip directory"},
        {HZ_LANG_EN, HZ_M_XLSX_SIZE_MISMATCH, {"w.xlsx", "p", "13399"},
         "inflates to more than the 13399 bytes recorded in the zip directory"},
        {HZ_LANG_EN, HZ_M_WORKBOOK_TEXT_BUDGET, {"w.xlsx", "200000", "案件明细!A2"},
         "exceeds the limit of 200000 bytes per file ([limits] max_text_bytes); reading stopped at 案件明细!A2"},
        {HZ_LANG_EN, HZ_M_ISSUE_MORE, {"案件明细!E13", "", "cell.required", "案件明细!K60001"},
         "more issues of the same kind (cell.required), the first at 案件明细!E13, the last at 案件明细!K60001"},
        {HZ_LANG_ZH, HZ_M_ISSUE_MORE, {"案件明细!E13", "", "cell.required", "案件明细!K60001"},
         "处同类问题（cell.required），首处 案件明细!E13，末处 案件明细!K60001"},
        {HZ_LANG_EN, HZ_M_WORKBOOK_EXTRA_SHEET, {"", "选项"}, "sheet '选项' is not part of the submission"},
        {HZ_LANG_EN, HZ_M_CLI_CHECK_EMPTY_FOLDER, {0}, "the folder holds no return"},
        {HZ_LANG_EN, HZ_M_IO_NOT_REGULAR_FIFO, {"f"}, "f is not a regular file (FIFO)"},
        {HZ_LANG_ZH, HZ_M_IO_NOT_REGULAR_CHAR, {"f"}, "f 是字符设备，不是普通文件"},
        /* huizong consolidate */
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_NONE_ACCEPTED, {0}, "没有可采用的报送表"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_STATUS_MISSING, {0}, "未报送"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_STATUS_LATE, {"2"}, "迟报2天"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_STATUS_WRONG_FORMAT, {0}, "已收到，格式不符"},
        {HZ_LANG_EN, HZ_M_CONSOLIDATE_NOT_A_FOLDER, {"x"}, "x is not a folder"},
        {HZ_LANG_EN, HZ_M_CONSOLIDATE_ALL_OTHER_ROUND, {"7", "阶段小结", "年度总结"}, "all 7 returns"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_INTERRUPTED, {"out"}, "已中断"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_OUTPUT_BUSY, {"out"}, "另一个 huizong 正在写入"},
        {HZ_LANG_ZH, HZ_M_CONSOLIDATE_INJECTED, {"HUIZONG_FAIL_AFTER", "2"}, "HUIZONG_FAIL_AFTER"},
        {HZ_LANG_ZH, HZ_M_ANALYSIS_PREV_NOT_FOLDER, {"nope"}, "上年归档 nope"},
        {HZ_LANG_ZH, HZ_M_ANALYSIS_PREV_TAMPERED, {"reports/a.xlsx"}, "校验值不符"},
        {HZ_LANG_ZH, HZ_M_ANALYSIS_PREV_YEAR, {"2022", "2022"}, "年度为 2022"},
        /* huizong archive / verify */
        {HZ_LANG_ZH, HZ_M_ARCHIVE_EXISTS, {"arc"}, "arc 已存在"},
        {HZ_LANG_ZH, HZ_M_ARCHIVE_INJECTED, {"HUIZONG_FAIL_AFTER", "2"}, "HUIZONG_FAIL_AFTER"},
        {HZ_LANG_ZH, HZ_M_ARCHIVE_V_INTACT, {"27", "13"}, "归档完好"},
        {HZ_LANG_ZH, HZ_M_ARCHIVE_V_MODIFIED, {"receipts.csv", "a", "b"}, "已被修改：receipts.csv（"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_MISSING, {"s/a.xlsx"}, "missing: s/a.xlsx"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_EXTRA, {"notes.txt"}, "extra file (not in SHA256SUMS): notes.txt"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_MANIFEST_COUNT, {"[counts] files", "28", "27"},
         "manifest.ini says [counts] files = 28, SHA256SUMS has 27"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_MANIFEST_UNLISTED, {"s/a.xlsx"},
         "s/a.xlsx, named in manifest.ini, is not in SHA256SUMS"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_FIGURES, {"totals", "10", "accepted_units = 5 (recorded 6)"},
         "figures of [totals] differ from manifest.ini, e.g. accepted_units = 5 (recorded 6)"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_SUMS_UNSAFE, {"28", "../../etc/passwd"},
         "names a path outside the archive: ../../etc/passwd"},
        /* the seal */
        {HZ_LANG_EN, HZ_M_KEYGEN_DONE, {"k", "k.pub", "ed25519:sha256:00"},
         "fingerprint ed25519:sha256:00"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_DONE_SIGNED, {"ed25519:sha256:00"},
         "signed: SHA256SUMS.sig (key ed25519:sha256:00"},
        {HZ_LANG_EN, HZ_M_SEAL_KEY_EXISTS, {"k"}, "k already exists"},
        {HZ_LANG_EN, HZ_M_SEAL_VALID, {"k"}, "signature valid"},
        {HZ_LANG_EN, HZ_M_ARCHIVE_V_INTACT, {"27", "13"}, "archive intact"},
        {HZ_LANG_EN, HZ_M_SEAL_OTHER_KEY, {"a", "b"}, "signed with another key"},
        {HZ_LANG_EN, HZ_M_SEAL_NOTE_SIGNED, {"k"}, "not that SHA256SUMS itself is unchanged"},
        {HZ_LANG_EN, HZ_M_SEAL_NOTE_SIGNED, {"k"}, "the archive is signed"},
        {HZ_LANG_EN, HZ_M_SEAL_BAD, {"k"}, "SHA256SUMS was changed after the archive was sealed"},
        {HZ_LANG_EN, HZ_M_SEAL_DAMAGED, {"SHA256SUMS.sig", "x"}, "SHA256SUMS.sig is damaged or truncated"},
        {HZ_LANG_EN, HZ_M_SEAL_UNSIGNED_WITH_KEY, {"k"}, "there is no SHA256SUMS.sig"},
        {HZ_LANG_EN, HZ_M_SEAL_NOTE_UNSIGNED, {0},
         "an edit that also rewrites SHA256SUMS goes unnoticed"},
        {HZ_LANG_EN, HZ_M_SEAL_NOTE_UNSIGNED, {0}, "the archive is not signed"},
        {HZ_LANG_EN, HZ_M_SEAL_MANIFEST_KEY, {"a", "b"}, "manifest.ini names the key"},
        {HZ_LANG_EN, HZ_M_SEAL_PRIVATE_GIVEN, {"k"}, "k is a private key"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[1024];
        int n = 0;
        while (n < 4 && rows[i].args[n])
            n++;
        hz_msg_format(rows[i].lang, rows[i].id, rows[i].args, n, buf, sizeof buf);
        cr_expect(strstr(buf, rows[i].says) != NULL, "%s: \"%s\" does not say \"%s\"",
                  hz_msg_name(rows[i].id), buf, rows[i].says);
    }
}
