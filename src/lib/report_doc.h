/*
 * report_doc.h - the report as a plain document model.
 *
 * report_template turns a Markdown template plus a JSON context into an
 * hz_doc; pdf_render lays an hz_doc out as a GB/T 9704 style PDF. Neither
 * knows the other's internals: this struct is the whole interface.
 * All strings are UTF-8 and owned by the doc (doc_free releases them).
 */
#ifndef HZ_REPORT_DOC_H
#define HZ_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_date.h"

typedef enum doc_block_kind {
    DOC_TITLE,        /* centred 22 pt title (may wrap to balanced lines) */
    DOC_SUBTITLE,     /* centred line under the title (e.g. date, draft) */
    DOC_HEADING1,     /* 一、… in 黑体 */
    DOC_HEADING2,     /* （一）… in 楷体 */
    DOC_HEADING3,     /* 1. … body face, bold-ish */
    DOC_PARAGRAPH,    /* body text, 2-character first-line indent */
    DOC_LIST_ITEM,    /* paragraph with a marker in text already */
    DOC_PLAIN,        /* body text without indent (addresses, 附件 lines) */
    DOC_SIGNATURE,    /* right-aligned block (bureau, date); lines split by \n */
    DOC_TABLE,
    DOC_CHART,
    DOC_PAGE_BREAK,   /* next block starts a new page */
    DOC_ANNEX_BREAK   /* next block starts a new landscape page */
} doc_block_kind;

typedef enum doc_align { DOC_ALIGN_LEFT, DOC_ALIGN_RIGHT, DOC_ALIGN_CENTER } doc_align;

typedef struct doc_table {
    char *caption;        /* may be NULL */
    size_t cols;
    size_t rows;          /* including header rows */
    size_t header_rows;   /* repeated on every page the table spans */
    char **cells;         /* rows * cols strings, row-major; never NULL entries */
    doc_align *align;     /* per column; numbers are DOC_ALIGN_RIGHT */
    bool last_row_total;  /* totals row in bold face */
} doc_table;

typedef struct doc_chart {
    char *title;
    char *value_label;    /* axis label, e.g. "立案数（件）" */
    size_t count;
    char **labels;        /* category labels (units, phases) */
    double *values;
    int decimals;         /* for the printed values */
} doc_chart;

typedef struct doc_block {
    doc_block_kind kind;
    char *text;           /* text blocks; NULL for table/chart/breaks */
    doc_table *table;     /* DOC_TABLE */
    doc_chart *chart;     /* DOC_CHART */
} doc_block;

typedef struct hz_doc {
    char *title;          /* document info title */
    char *author;         /* document info author (the bureau) */
    hz_date created;      /* from --as-of; never the clock */
    bool draft;           /* diagonal 征求意见稿 mark on every page */
    char **words;         /* words a title or table cell never breaks inside
                             (authority, campaign and unit names...) */
    size_t word_count;
    size_t word_cap;      /* allocated entries of words */
    doc_block *blocks;
    size_t count;
    size_t cap;
} hz_doc;

hz_doc *doc_new(void);
void doc_free(hz_doc *doc);
/* Appends a block; text is copied. Returns NULL on out-of-memory. */
doc_block *doc_add_text(hz_doc *doc, doc_block_kind kind, const char *text);
/* Appends a table/chart block, taking ownership of table/chart. */
doc_block *doc_add_table(hz_doc *doc, doc_table *table);
doc_block *doc_add_chart(hz_doc *doc, doc_chart *chart);
doc_block *doc_add_break(hz_doc *doc, doc_block_kind kind);
/* Adds a word to doc->words (copied; empty words and repeats are skipped).
 * false on out-of-memory. */
bool doc_add_word(hz_doc *doc, const char *word);

doc_table *doc_table_new(size_t rows, size_t cols, size_t header_rows);
/* Sets cell (copies text). */
bool doc_table_set(doc_table *table, size_t row, size_t col, const char *text);
void doc_table_free(doc_table *table);
doc_chart *doc_chart_new(size_t count);
void doc_chart_free(doc_chart *chart);

#endif
