/*
 * xlsx_reader.h - a streaming, defensive reader for .xlsx workbooks.
 *
 * Opens the zip with libzip, maps sheet names through xl/workbook.xml and its
 * rels, loads the shared-string table and styles (to tell dates from
 * numbers), then delivers one sheet's rows one at a time, parsing the sheet
 * XML with expat in chunks: memory does not grow with the sheet beyond the
 * shared strings and one row. Every zip or XML problem is an error with a
 * reason; partial data is never returned as if complete. Safety limits
 * (zip bombs, DOCTYPE, depth, sizes) come from hz_limits; max_entries also
 * bounds the sheets of workbook.xml and the relationships of a rels part,
 * and one XML markup token (tag, comment, PI) may not exceed 1 MiB
 * (HZ_M_XLSX_TOKEN_TOO_LONG: expat 2.5 is quadratic in a token's length).
 */
#ifndef HZ_XLSX_READER_H
#define HZ_XLSX_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "hz_status.h"

typedef enum xlsx_cell_type {
    XLSX_CELL_EMPTY = 0,  /* present but without a value */
    XLSX_CELL_NUMBER,     /* number; check is_date */
    XLSX_CELL_STRING,     /* shared, inline or formula string */
    XLSX_CELL_BOOL,       /* number is 0 or 1 */
    XLSX_CELL_ERROR       /* text holds "#DIV/0!" etc. */
} xlsx_cell_type;

typedef struct xlsx_cell {
    uint32_t row;         /* 0-based */
    uint32_t col;         /* 0-based */
    xlsx_cell_type type;
    double number;        /* NUMBER / BOOL */
    const char *text;     /* STRING / ERROR: UTF-8, NUL-terminated, escapes
                             decoded; "" otherwise. Valid until the next
                             xlsx_sheet_next_row or close. */
    size_t text_len;
    bool is_date;         /* NUMBER whose style is a date format */
    bool is_formula;      /* value is a formula's cached result */
} xlsx_cell;

typedef struct xlsx_row {
    uint32_t row;         /* 0-based row index */
    const xlsx_cell *cells;  /* sorted by col; only cells present in XML */
    size_t count;
    bool hidden;          /* <row hidden="1">: hidden in the office suite */
} xlsx_row;

/* A merged range (<mergeCell ref="H2:H6">), 0-based and inclusive. */
typedef struct xlsx_range {
    uint32_t first_row, first_col, last_row, last_col;
} xlsx_range;

typedef struct xlsx_book xlsx_book;
typedef struct xlsx_sheet xlsx_sheet;

/* Opens path. limits may be NULL (defaults). */
hz_status xlsx_book_open(const char *path, const hz_limits *limits,
                         xlsx_book **out, hz_error *err);
/* Same, from bytes in memory (copied); used by the fuzzer and tests. */
hz_status xlsx_book_open_memory(const void *data, size_t size, const hz_limits *limits,
                                xlsx_book **out, hz_error *err);
void xlsx_book_close(xlsx_book *book);

size_t xlsx_book_sheet_count(const xlsx_book *book);
/* Names in workbook order. */
const char *xlsx_book_sheet_name(const xlsx_book *book, size_t index);
bool xlsx_book_has_sheet(const xlsx_book *book, const char *name);
/* true when workbook.xml says date1904. */
bool xlsx_book_date1904(const xlsx_book *book);

/* Opens the named sheet for streaming (one sheet open at a time per book). */
hz_status xlsx_sheet_open(xlsx_book *book, const char *name, xlsx_sheet **out,
                          hz_error *err);
/* Next row that has at least one <c>; *row is NULL at the end. Rows come in
 * document order; rows without cells are skipped (the row index tells). */
hz_status xlsx_sheet_next_row(xlsx_sheet *sheet, const xlsx_row **row, hz_error *err);
void xlsx_sheet_close(xlsx_sheet *sheet);
/* The sheet's merged ranges, known once xlsx_sheet_next_row has reported
 * the end (they follow the rows in the XML). At most XLSX_MAX_MERGES are
 * kept; *total counts them all. */
#define XLSX_MAX_MERGES 1000
const xlsx_range *xlsx_sheet_merges(const xlsx_sheet *sheet, size_t *count, size_t *total);

/* "A1"-style reference of a 0-based cell into buf (>= 16 bytes). */
const char *xlsx_ref_format(uint32_t row, uint32_t col, char *buf, size_t size);
/* "B" for col 1 into buf (>= 8 bytes). */
const char *xlsx_col_format(uint32_t col, char *buf, size_t size);
/* Parses "AB12" into 0-based row/col; false when malformed. */
bool xlsx_ref_parse(const char *ref, uint32_t *row, uint32_t *col);

/* The defaults used when limits is NULL. */
void xlsx_limits_default(hz_limits *limits);

#endif
