/*
 * test_hostile.c - the hostile-input corpus of tests/fixtures/hostile/
 * (issue 8, DESIGN §9) read through the library as `huizong check` reads a
 * submission: open the workbook, stream every row of every sheet. Each
 * fixture must end in exactly the expected refusal (status, catalogue
 * message, a fragment of the English text naming the cause), quickly and
 * without crashing; the few "ok-" fixtures must be accepted. Every .xlsx in
 * the folder must have a row in the table below.
 *
 * Regenerate the fixtures with tests/fixtures/hostile/make-hostile.py.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xlsx_reader.h"

#define HOSTILE_DIR HZ_SOURCE_DIR "/tests/fixtures/hostile"

typedef enum lim_kind { LIM_DEFAULT, LIM_STRINGS_1000 } lim_kind;

typedef struct hostile_case {
    const char *file;
    lim_kind limits;
    hz_status status;       /* HZ_OK: must be read completely */
    hz_msg_id msg;
    const char *fragment;   /* in the English rendering */
} hostile_case;

static const hostile_case cases[] = {
    /* not a workbook at all */
    { "empty.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NOT_ZIP, "is not an xlsx workbook" },
    { "csv-renamed.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NOT_ZIP, "is not a zip file" },
    { "html-renamed.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NOT_ZIP, "is not a zip file" },
    { "xls-renamed.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_OLD_XLS, "Excel 97-2003" },
    { "password.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ENCRYPTED, "password-protected" },
    { "pk-garbage.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_CORRUPT, "damaged or the file is incomplete" },
    /* damaged zips */
    { "cut-in-half.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_CORRUPT, "damaged or the file is incomplete" },
    { "eocd-lies.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, "disagrees with the entries themselves" },
    /* zip bombs and size limits (defaults) */
    { "bomb-sheet.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_RATIO, "more than the limit of 200 (looks like a zip bomb)" },
    /* these three lie in the central directory only: the consistency check
     * (ZIP_CHECKCONS) refuses them before any size is believed; tests/
     * fixtures/hostile-r2 has consistent lies for the size limits */
    { "entry-100mib.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, "disagrees with the entries themselves" },
    { "total-300mib.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, "disagrees with the entries themselves" },
    { "entries-1500.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_ENTRIES, "has 1505 zip entries, more than the limit of 1000" },
    { "inflates-past-size.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, "disagrees with the entries themselves" },
    /* missing or wrong package parts */
    { "no-workbook-part.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_MISSING_PART, "lacks the required part xl/workbook.xml" },
    { "no-workbook-rels.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_MISSING_PART, "lacks the required part xl/_rels/workbook.xml.rels" },
    { "no-sheet-part.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_MISSING_PART, "lacks the required part xl/worksheets/sheet2.xml" },
    { "no-shared-strings.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NO_SHARED_STRINGS, "cell A1 in part xl/worksheets/sheet1.xml" },
    { "no-sheets.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NO_SHEETS, "has no sheets" },
    { "rel-escapes-root.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, "invalid relationship target \"../../../../etc/passwd\"" },
    { "rel-missing-id.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_SHEET_REL, "the relationship rId1 of sheet \"S\"" },
    { "rel-external-sheet.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, "invalid relationship target \"file:///etc/passwd\"" },
    { "sheet-no-name.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_SHEET_ENTRY, "a sheet without a name or r:id attribute (line 3)" },
    { "sheets-2000.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_SHEETS, "lists more than 1000 sheets" },
    { "rels-1500.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_RELS, "lists more than 1000 relationships" },
    /* hostile XML */
    { "billion-laughs.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_DOCTYPE, "part xl/workbook.xml" },
    { "xxe-external-entity.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_DOCTYPE, "contains a DOCTYPE declaration (line 2); refused for safety" },
    { "nesting-10000.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_DEPTH, "deeper than 64 levels (line 3)" },
    { "xml-unclosed.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_XML, "is not valid XML (line 3): mismatched tag" },
    { "xml-junk-after-root.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_XML, "junk after document element" },
    { "xml-bad-entity.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_XML, "undefined entity" },
    { "token-attribute.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOKEN_TOO_LONG, "longer than the limit of 1048576 bytes (line 2)" },
    { "token-attribute-gt.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOKEN_TOO_LONG, "longer than the limit of 1048576 bytes (line 2)" },
    { "token-comment.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOKEN_TOO_LONG, "longer than the limit of 1048576 bytes (line 2)" },
    /* bad bytes */
    { "utf8-overlong.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, "contains invalid UTF-8 (line 4)" },
    { "utf8-surrogate.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, "contains invalid UTF-8 (line 4)" },
    { "utf8-gbk-text.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, "contains invalid UTF-8 (line 4)" },
    { "utf8-cut-at-end.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, "contains invalid UTF-8 (line 3)" },
    { "nul-in-strings.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_NUL_BYTE, "part xl/sharedStrings.xml" },
    /* hostile cells */
    { "cell-40000-chars.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_CELL_TOO_LONG, "cell A1 in part xl/worksheets/sheet1.xml" },
    { "string-40000-chars.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_STRING_TOO_LONG, "shared string number 2" },
    { "row-1048577.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_ROWS, "row 1048577 in part xl/worksheets/sheet1.xml" },
    { "col-xfe.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_COLS, "cell XFE1 in part" },
    { "ref-overflow.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_REF, "invalid cell or row reference \"A99999999999\"" },
    { "sst-index-huge.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_SST_INDEX, "refers to shared string 4294967296, which does not exist" },
    { "sst-index-negative.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_VALUE, "has the value \"-1\"" },
    { "strings-1001.xlsx", LIM_STRINGS_1000, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_STRINGS, "has more than 1000 shared strings" },
    { "number-overflow.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_VALUE, "has the value \"1e999\"" },
    { "cell-twice.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_DUP_CELL, "cell A1 appears more than once" },
    { "rows-backwards.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_ROW_ORDER, "row 4 in part xl/worksheets/sheet1.xml" },
    /* real submissions (from the committed stage sample) with one hostile part */
    { "submission-gbk-strings.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, "part xl/sharedStrings.xml" },
    { "submission-doctype-cases.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_DOCTYPE, "part xl/worksheets/sheet4.xml" },
    { "submission-sst-range.xlsx", LIM_DEFAULT, HZ_ERR_FORMAT, HZ_M_XLSX_SST_INDEX, "refers to shared string 999999" },
    { "submission-row-beyond.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_ROWS, "row 1048577 in part xl/worksheets/sheet4.xml" },
    { "submission-long-narrative.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_CELL_TOO_LONG, "cell B40 in part xl/worksheets/sheet5.xml" },
    { "submission-bomb.xlsx", LIM_DEFAULT, HZ_ERR_LIMIT, HZ_M_XLSX_RATIO, "part docProps/thumbnail.bin" },
    /* accepted: quadratic-time probes and streamed long content */
    { "styles-60000.xlsx", LIM_DEFAULT, HZ_OK, HZ_M_NONE, NULL },
    { "ok-long-cdata.xlsx", LIM_DEFAULT, HZ_OK, HZ_M_NONE, NULL },
    { "ok-long-text.xlsx", LIM_DEFAULT, HZ_OK, HZ_M_NONE, NULL },
};
#define NCASES (sizeof cases / sizeof cases[0])

/* Opens path and streams every row of every sheet; the first failure. */
static hz_status read_all(const char *path, const hz_limits *limits, hz_error *err)
{
    xlsx_book *book = NULL;
    hz_status s = xlsx_book_open(path, limits, &book, err);
    if (s != HZ_OK) {
        cr_expect_null(book, "%s: a failed open returned a book", path);
        return s;
    }
    for (size_t i = 0; s == HZ_OK && i < xlsx_book_sheet_count(book); i++) {
        xlsx_sheet *sh = NULL;
        s = xlsx_sheet_open(book, xlsx_book_sheet_name(book, i), &sh, err);
        const xlsx_row *row = NULL;
        while (s == HZ_OK && (s = xlsx_sheet_next_row(sh, &row, err)) == HZ_OK && row)
            ;
        xlsx_sheet_close(sh);
    }
    xlsx_book_close(book);
    return s;
}

static void check_case(const hostile_case *c)
{
    char path[1024], en[2048], zh[2048];
    snprintf(path, sizeof path, "%s/%s", HOSTILE_DIR, c->file);
    hz_limits lim = {0};
    if (c->limits == LIM_STRINGS_1000)
        lim.max_shared_strings = 1000;
    hz_error err = {0};
    clock_t t0 = clock();
    hz_status s = read_all(path, &lim, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    hz_error_render(&err, HZ_LANG_EN, en, sizeof en);
    hz_error_render(&err, HZ_LANG_ZH, zh, sizeof zh);
    cr_expect_eq(s, c->status, "%s: status %s, expected %s (%s)", c->file, hz_status_name(s),
                 hz_status_name(c->status), en);
    /* Quadratic paths would take minutes; valgrind (HZ_TEST_SLOW) is ~50x. */
    double budget = getenv("HZ_TEST_SLOW") ? 250.0 : 5.0;
    cr_expect_lt(secs, budget, "%s: took %.1f s of CPU", c->file, secs);
    if (c->status == HZ_OK || s != c->status)
        return;
    cr_expect_eq(err.msg, c->msg, "%s: message %s, expected %s", c->file, hz_msg_name(err.msg),
                 hz_msg_name(c->msg));
    cr_expect(strstr(en, c->fragment) != NULL, "%s: \"%s\" lacks \"%s\"", c->file, en,
              c->fragment);
    /* Both languages name the file the user has to fix. */
    cr_expect(strstr(en, c->file) && strstr(zh, c->file), "%s: not named in \"%s\" / \"%s\"",
              c->file, en, zh);
}

Test(hostile, every_fixture_gives_its_message, .timeout = 1800)
{
    for (size_t i = 0; i < NCASES; i++)
        check_case(&cases[i]);
}

Test(hostile, corpus_is_large_and_fully_covered)
{
    size_t refusals = 0;
    for (size_t i = 0; i < NCASES; i++)
        refusals += cases[i].status != HZ_OK;
    cr_expect_geq(refusals, 25, "only %zu hostile fixtures", refusals);
    DIR *d = opendir(HOSTILE_DIR);
    cr_assert_not_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".xlsx") != 0)
            continue;
        files++;
        bool found = false;
        for (size_t i = 0; i < NCASES && !found; i++)
            found = strcmp(cases[i].file, e->d_name) == 0;
        cr_expect(found, "%s has no expected message in test_hostile.c", e->d_name);
    }
    closedir(d);
    cr_expect_eq(files, NCASES, "%zu fixtures on disk, %zu in the table", files, NCASES);
}

/* Memory input takes the same road: the same refusal for the same bytes. */
Test(hostile, memory_input_agrees, .timeout = 1800)
{
    for (size_t i = 0; i < NCASES; i++) {
        if (cases[i].status == HZ_OK || cases[i].limits != LIM_DEFAULT)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", HOSTILE_DIR, cases[i].file);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        static unsigned char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        xlsx_book *book = NULL;
        hz_error err = {0};
        hz_status s = xlsx_book_open_memory(buf, n, NULL, &book, &err);
        for (size_t k = 0; s == HZ_OK && k < xlsx_book_sheet_count(book); k++) {
            xlsx_sheet *sh = NULL;
            s = xlsx_sheet_open(book, xlsx_book_sheet_name(book, k), &sh, &err);
            const xlsx_row *row = NULL;
            while (s == HZ_OK && (s = xlsx_sheet_next_row(sh, &row, &err)) == HZ_OK && row)
                ;
            xlsx_sheet_close(sh);
        }
        xlsx_book_close(book);
        cr_expect_eq(err.msg, cases[i].msg, "%s from memory: %s, expected %s", cases[i].file,
                     hz_msg_name(err.msg), hz_msg_name(cases[i].msg));
    }
}

/* ------------------------------------------------------------------ */
/* Regressions found by the fuzzers (fuzz/corpus/TARGET/crash-*). */

#include <json-c/json.h>
#include "report_template.h"

/* fuzz_template: nested loop sections over the 7 units multiply (7^k
 * passes); the expansion is now bounded and refused with a message. */
Test(fuzz_regression, template_nested_loops_are_bounded, .timeout = 120)
{
    static const char *const inputs[] = {
        "crash-nested-loops-timeout-9059a399", "crash-nested-loops-slow-unit-44ca90",
        "crash-nested-loops-slow-unit-a0c2c1",
    };
    struct json_object *ctx =
        json_object_from_file(HZ_SOURCE_DIR "/tests/fixtures/context/sample-context.json");
    cr_assert_not_null(ctx);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, HZ_SOURCE_DIR "/fuzz/corpus/template/%s", inputs[i]);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        static char text[65536];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        char *md = NULL;
        hz_error err = {0};
        clock_t t0 = clock();
        hz_status s = report_template_expand(text, "fuzz.md", ctx, &md, &err);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        double budget = getenv("HZ_TEST_SLOW") ? 250.0 : 10.0;
        cr_expect_lt(secs, budget, "%s: %.1f s", inputs[i], secs);
        if (s == HZ_OK) {
            free(md);
            continue; /* the first stray tag may already stop it: fine */
        }
        cr_expect_null(md);
        cr_expect(err.msg == HZ_M_REPORT_TEMPLATE_TOO_LARGE || s == HZ_ERR_TEMPLATE,
                  "%s: %s", inputs[i], hz_msg_name(err.msg));
    }
    json_object_put(ctx);
}

/* A small template that loops 7^8 times is refused with the bound. */
Test(fuzz_regression, template_expansion_limit_message)
{
    struct json_object *ctx = json_tokener_parse("{\"u\":[1,2,3,4,5,6,7]}");
    char *md = NULL;
    hz_error err = {0};
    hz_status s = report_template_expand(
        "{{#u}}{{#u}}{{#u}}{{#u}}{{#u}}{{#u}}{{#u}}{{#u}}x{{/u}}{{/u}}{{/u}}{{/u}}{{/u}}{{/u}}{{/u}}{{/u}}\n",
        "loops.md", ctx, &md, &err);
    cr_assert_eq(s, HZ_ERR_TEMPLATE);
    cr_assert_null(md);
    cr_assert_eq(err.msg, HZ_M_REPORT_TEMPLATE_TOO_LARGE, "%s", hz_msg_name(err.msg));
    char buf[512];
    hz_error_render(&err, HZ_LANG_EN, buf, sizeof buf);
    cr_assert(strstr(buf, "template loops.md line 1: the expanded report exceeds the limit"), "%s", buf);
    json_object_put(ctx);
}
