/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX reader: the input is the bytes
 * of a workbook; it is opened from memory and every row of every sheet is
 * read, as `huizong check` would. Invariants checked beyond "no crash, no
 * sanitizer report, no leak": a failure always carries a renderable
 * message; a delivered cell's text is NUL-terminated at text_len; rows come
 * in increasing order with cells sorted by column inside the limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xlsx_reader.h"

/* Smaller limits than the defaults keep each run fast and the memory of a
 * run small, so the fuzzer explores instead of inflating; the code paths
 * are the same. */
static void fuzz_limits(hz_limits *lim)
{
    xlsx_limits_default(lim);
    lim->max_entry_bytes = 4u << 20;
    lim->max_total_bytes = 16u << 20;
    lim->max_entries = 200;
    lim->max_rows = 20000;
    lim->max_cols = 2000;
    lim->max_shared_strings = 100000;
    lim->max_cell_chars = 4000;
    lim->max_xml_depth = 48;
}

static void check_error(const hz_error *err)
{
    char buf[2048];
    hz_error_render(err, HZ_LANG_ZH, buf, sizeof buf);
    if (buf[0] == '\0')
        abort();
    hz_error_render(err, HZ_LANG_EN, buf, sizeof buf);
}

static void read_sheet(xlsx_book *book, const char *name, const hz_limits *lim)
{
    xlsx_sheet *sh = NULL;
    hz_error err;
    if (xlsx_sheet_open(book, name, &sh, &err) != HZ_OK) {
        check_error(&err);
        return;
    }
    const xlsx_row *row = NULL;
    int64_t last = -1;
    for (;;) {
        if (xlsx_sheet_next_row(sh, &row, &err) != HZ_OK) {
            check_error(&err);
            break;
        }
        if (!row)
            break;
        if ((int64_t)row->row <= last || row->row >= lim->max_rows || row->count == 0)
            abort();
        last = row->row;
        for (size_t i = 0; i < row->count; i++) {
            const xlsx_cell *c = &row->cells[i];
            if (c->row != row->row || c->col >= lim->max_cols)
                abort();
            if (i > 0 && c->col <= row->cells[i - 1].col)
                abort();
            if (!c->text || strlen(c->text) != c->text_len)
                abort();
        }
    }
    xlsx_sheet_close(sh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hz_limits lim;
    fuzz_limits(&lim);
    xlsx_book *book = NULL;
    hz_error err;
    if (xlsx_book_open_memory(data, size, &lim, &book, &err) != HZ_OK) {
        if (book)
            abort();
        check_error(&err);
        return 0;
    }
    (void)xlsx_book_date1904(book);
    size_t n = xlsx_book_sheet_count(book);
    for (size_t i = 0; i < n; i++) {
        const char *name = xlsx_book_sheet_name(book, i);
        if (!name || !xlsx_book_has_sheet(book, name))
            abort();
        read_sheet(book, name, &lim);
    }
    xlsx_book_close(book);
    return 0;
}
