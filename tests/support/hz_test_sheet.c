/* hz_test_sheet.c - worksheets read whole for tests. */
#include "hz_test_sheet.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

tsheet load_sheet(const char *path, const char *name)
{
    tsheet s = {0};
    xlsx_book *book = NULL;
    hz_error err = {0};
    cr_assert_eq(xlsx_book_open(path, NULL, &book, &err), HZ_OK, "open %s", path);
    xlsx_sheet *sheet = NULL;
    cr_assert_eq(xlsx_sheet_open(book, name, &sheet, &err), HZ_OK, "sheet %s", name);
    const xlsx_row *row;
    size_t cap = 0;
    for (;;) {
        cr_assert_eq(xlsx_sheet_next_row(sheet, &row, &err), HZ_OK);
        if (!row)
            break;
        for (size_t i = 0; i < row->count; i++) {
            if (s.count == cap) {
                cap = cap ? cap * 2 : 256;
                s.cells = realloc(s.cells, cap * sizeof *s.cells);
                cr_assert_not_null(s.cells);
            }
            const xlsx_cell *c = &row->cells[i];
            s.cells[s.count++] = (tcell){.row = c->row, .col = c->col, .type = c->type,
                                         .number = c->number, .is_date = c->is_date,
                                         .text = strdup(c->text ? c->text : "")};
            if (c->row > s.max_row)
                s.max_row = c->row;
        }
    }
    xlsx_sheet_close(sheet);
    xlsx_book_close(book);
    return s;
}

void free_sheet(tsheet *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->cells[i].text);
    free(s->cells);
}

const tcell *cell_at(const tsheet *s, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->cells[i].row == row && s->cells[i].col == col)
            return &s->cells[i];
    return NULL;
}

const char *text_at(const tsheet *s, uint32_t row, uint32_t col)
{
    const tcell *c = cell_at(s, row, col);
    return c && c->type == XLSX_CELL_STRING ? c->text : "";
}

double number_at(const tsheet *s, uint32_t row, uint32_t col)
{
    const tcell *c = cell_at(s, row, col);
    cr_assert(c && c->type == XLSX_CELL_NUMBER, "no number at row %u col %u", row, col);
    return c->number;
}

uint32_t col_of(const tsheet *s, uint32_t header_row, const char *label)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->cells[i].row == header_row && s->cells[i].type == XLSX_CELL_STRING &&
            !strcmp(s->cells[i].text, label))
            return s->cells[i].col;
    cr_assert_fail("no column %s", label);
    return 0;
}

uint32_t row_where(const tsheet *s, uint32_t col, const char *text)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->cells[i].col == col && s->cells[i].type == XLSX_CELL_STRING &&
            !strcmp(s->cells[i].text, text))
            return s->cells[i].row;
    cr_assert_fail("no row with %s in column %u", text, col);
    return 0;
}

