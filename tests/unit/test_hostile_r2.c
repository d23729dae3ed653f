/*
 * test_hostile_r2.c - the second round of hostile input (issue 15, DESIGN
 * §9), tests/fixtures/hostile-r2/, read through the library: open the
 * workbook and stream every row of every sheet, from the file and from
 * memory. Each fixture ends in exactly the expected refusal: status,
 * catalogue message and the arguments that name the part or entries; the
 * submission-shaped ones that the reader accepts (their attack is on what
 * comes after it) are checked end to end in test_e2e_hostile_r2.c. Every
 * .xlsx in the folder must have a row here.
 *
 * Regenerate the fixtures with tests/fixtures/hostile-r2/make-hostile-r2.py.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hz_text.h"
#include "xlsx_reader.h"

#define R2_DIR HZ_SOURCE_DIR "/tests/fixtures/hostile-r2"

typedef struct r2_case {
    const char *file;
    hz_status status;     /* HZ_OK: read completely */
    hz_msg_id msg;
    const char *arg2;     /* the part or first entry; NULL: not checked */
    const char *arg3;
    const char *arg4;
} r2_case;

static const r2_case cases[] = {
    /* 1. memory amplification: the reader references shared strings, it
     * never copies them (the budget applies when a submission keeps text) */
    { "amplify-shared-string.xlsx", HZ_OK, HZ_M_NONE, NULL, NULL, NULL },
    { "issue-flood.xlsx", HZ_OK, HZ_M_NONE, NULL, NULL, NULL },
    /* 2. every part is UTF-8 or refused */
    { "utf16-bom-sheet.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/worksheets/sheet1.xml", NULL, NULL },
    { "utf16-be-sheet.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/worksheets/sheet1.xml", NULL, NULL },
    { "utf16-no-bom-sheet.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/worksheets/sheet1.xml", NULL, NULL },
    { "utf16-lone-surrogate.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/worksheets/sheet1.xml", NULL, NULL },
    { "latin1-declared-sheet.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_ENCODING, "xl/worksheets/sheet1.xml", "ISO-8859-1", NULL },
    { "submission-utf16-strings.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/sharedStrings.xml", NULL, NULL },
    { "submission-utf16-cases.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, "xl/worksheets/sheet4.xml", NULL, NULL },
    /* 3. no ambiguity in the container */
    { "dup-entry-exact.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_DUP_ENTRY, "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", NULL },
    { "dup-entry-case.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_DUP_ENTRY, "xl/worksheets/sheet1.xml", "xl/worksheets/SHEET1.xml", NULL },
    { "dup-entry-rels-case.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_DUP_ENTRY, "_rels/.rels", "_RELS/.rels", NULL },
    { "submission-hidden-twin-sheet.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_DUP_ENTRY, "xl/worksheets/Sheet3.xml", "xl/worksheets/sheet3.xml", NULL },
    /* 4. directory sizes that disagree with the entry, either direction */
    { "size-claims-more.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_SHORT, "xl/worksheets/sheet1.xml", NULL, NULL },
    /* stored: libzip reads the claimed bytes past the entry, then its own
     * check fails */
    { "size-claims-more-stored.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_READ, "xl/worksheets/sheet1.xml", "Zip archive inconsistent", NULL },
    { "size-claims-less.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_MISMATCH, "xl/worksheets/sheet1.xml", "100", NULL },
    { "size-directory-only.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, NULL, NULL, NULL },
    { "submission-size-claims-more.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_SHORT, "xl/worksheets/sheet4.xml", "17495", "21591" },
    { "submission-size-claims-less.xlsx", HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_MISMATCH, "xl/worksheets/sheet4.xml", "13399", NULL },
    { "size-claims-100mib.xlsx", HZ_ERR_LIMIT, HZ_M_XLSX_ENTRY_TOO_LARGE, "xl/worksheets/sheet1.xml", "67108864", NULL },
    /* 5. control characters are the submission reader's business */
    { "submission-controls.xlsx", HZ_OK, HZ_M_NONE, NULL, NULL, NULL },
};
#define NCASES (sizeof cases / sizeof cases[0])

static hz_status stream_all(xlsx_book *book, hz_error *err)
{
    hz_status s = HZ_OK;
    for (size_t i = 0; s == HZ_OK && i < xlsx_book_sheet_count(book); i++) {
        xlsx_sheet *sh = NULL;
        s = xlsx_sheet_open(book, xlsx_book_sheet_name(book, i), &sh, err);
        const xlsx_row *row = NULL;
        while (s == HZ_OK && (s = xlsx_sheet_next_row(sh, &row, err)) == HZ_OK && row)
            ;
        xlsx_sheet_close(sh);
    }
    return s;
}

static void expect_case(const r2_case *c, hz_status s, const hz_error *err, const char *how)
{
    char en[2048];
    hz_error_render(err, HZ_LANG_EN, en, sizeof en);
    cr_expect_eq(s, c->status, "%s (%s): status %s, expected %s (%s)", c->file, how,
                 hz_status_name(s), hz_status_name(c->status), en);
    if (c->status == HZ_OK || s != c->status)
        return;
    cr_expect_eq(err->msg, c->msg, "%s (%s): %s, expected %s", c->file, how,
                 hz_msg_name(err->msg), hz_msg_name(c->msg));
    const char *want[] = {c->arg2, c->arg3, c->arg4};
    for (int i = 0; i < 3; i++)
        if (want[i])
            cr_expect_str_eq(err->args[i + 1], want[i], "%s (%s): argument %d \"%s\", want \"%s\"",
                             c->file, how, i + 2, err->args[i + 1], want[i]);
    cr_expect(hz_utf8_valid(en, strlen(en)), "%s: message is not UTF-8", c->file);
}

Test(hostile_r2, every_fixture_gives_its_message, .timeout = 600)
{
    for (size_t i = 0; i < NCASES; i++) {
        const r2_case *c = &cases[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", R2_DIR, c->file);
        xlsx_book *book = NULL;
        hz_error err = {0};
        clock_t t0 = clock();
        hz_status s = xlsx_book_open(path, NULL, &book, &err);
        if (s == HZ_OK)
            s = stream_all(book, &err);
        else
            cr_expect_null(book);
        xlsx_book_close(book);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        double budget = getenv("HZ_TEST_SLOW") ? 250.0 : 5.0;
        cr_expect_lt(secs, budget, "%s: %.1f s of CPU", c->file, secs);
        expect_case(c, s, &err, "file");
        if (s != HZ_OK && c->status != HZ_OK)
            cr_expect_str_eq(err.args[0], path, "%s: the file is not named first", c->file);
    }
}

Test(hostile_r2, memory_input_agrees, .timeout = 600)
{
    for (size_t i = 0; i < NCASES; i++) {
        const r2_case *c = &cases[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", R2_DIR, c->file);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        static unsigned char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        xlsx_book *book = NULL;
        hz_error err = {0};
        hz_status s = xlsx_book_open_memory(buf, n, NULL, &book, &err);
        if (s == HZ_OK)
            s = stream_all(book, &err);
        xlsx_book_close(book);
        expect_case(c, s, &err, "memory");
    }
}

Test(hostile_r2, every_fixture_is_in_the_table)
{
    DIR *d = opendir(R2_DIR);
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
        cr_expect(found, "%s has no row in test_hostile_r2.c", e->d_name);
    }
    closedir(d);
    cr_expect_eq(files, NCASES, "%zu fixtures on disk, %zu in the table", files, NCASES);
}

/* The escaping helpers that every output relies on. */
Test(hostile_r2, untrusted_text_is_escaped)
{
    char *e = hz_text_escape("a\x1b[31mb\xe2\x80\xae" "c\xc2\x9b" "d\xd0\xed\t");
    cr_assert_str_eq(e, "a\\x1b[31mb\\u202Ec\\u009Bd\\xd0\\xed\\x09");
    free(e);
    char *v = hz_text_valid_utf8("\xd0\xed.xlsx\xe2\x80\xae");
    cr_assert_str_eq(v, "\\xd0\\xed.xlsx\xe2\x80\xae");
    free(v);
    char s[] = "x\xe2\x80\xae" "y\xe2\x80\x8bz\xc2\x9b\xe2\x81\xa6w";
    cr_assert_eq(hz_text_strip_unsafe(s), 4);
    cr_assert_str_eq(s, "xyzw");
    char *j = hz_json_escape_unsafe("{\"a\": \"x\xe2\x80\xaey\xf3\xa0\x80\x81\"}");
    cr_assert_str_eq(j, "{\"a\": \"x\\u202ey\\udb40\\udc01\"}");
    free(j);
    /* ordinary Chinese text, full-width punctuation and U+3000 stay */
    char *ok = hz_text_escape("许昌市（魏都区）\xe3\x80\x80" "案件");
    cr_assert_str_eq(ok, "许昌市（魏都区）\xe3\x80\x80" "案件");
    free(ok);
}
