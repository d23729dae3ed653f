/*
 * hz_test_sheet.h - a worksheet read whole with the project's XLSX reader,
 * for tests that compare written workbooks with expected layout and figures.
 * Every function fails the running Criterion test on error.
 */
#ifndef HZ_TEST_SHEET_H
#define HZ_TEST_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xlsx_reader.h"


typedef struct tcell {
    uint32_t row, col;
    xlsx_cell_type type;
    double number;
    bool is_date;       /* a number cell with a date format */
    char *text;         /* "" for non-string cells, never NULL */
} tcell;

typedef struct tsheet {
    tcell *cells;
    size_t count;
    uint32_t max_row;
} tsheet;

tsheet load_sheet(const char *path, const char *name);
void free_sheet(tsheet *s);
/* The cell at 0-based row/col, NULL when absent. */
const tcell *cell_at(const tsheet *s, uint32_t row, uint32_t col);
/* Text of a string cell, "" otherwise. */
const char *text_at(const tsheet *s, uint32_t row, uint32_t col);
/* Number of a numeric cell (fails the test when it is not a number). */
double number_at(const tsheet *s, uint32_t row, uint32_t col);
/* Column whose header_row cell reads label; row whose col cell reads text. */
uint32_t col_of(const tsheet *s, uint32_t header_row, const char *label);
uint32_t row_where(const tsheet *s, uint32_t col, const char *text);

#endif
