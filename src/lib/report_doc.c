/* report_doc.c - the plain document model shared by template and PDF. */
#include "report_doc.h"

#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

hz_doc *doc_new(void)
{
    hz_doc *doc = calloc(1, sizeof *doc);
    if (doc)
        doc->created = HZ_DATE_NONE;
    return doc;
}

void doc_table_free(doc_table *table)
{
    if (!table)
        return;
    if (table->cells)
        for (size_t i = 0; i < table->rows * table->cols; i++)
            free(table->cells[i]);
    free(table->cells);
    free(table->align);
    free(table->caption);
    free(table);
}

void doc_chart_free(doc_chart *chart)
{
    if (!chart)
        return;
    for (size_t i = 0; i < chart->count; i++)
        free(chart->labels[i]);
    free(chart->labels);
    free(chart->values);
    free(chart->title);
    free(chart->value_label);
    free(chart);
}

bool doc_add_word(hz_doc *doc, const char *word)
{
    if (!word || !*word)
        return true;
    for (size_t i = 0; i < doc->word_count; i++)
        if (strcmp(doc->words[i], word) == 0)
            return true;
    if (!hz_array_reserve(&doc->words, &doc->word_cap, doc->word_count + 1,
                          sizeof *doc->words))
        return false;
    char *copy = hz_strdup(word);
    if (!copy)
        return false;
    doc->words[doc->word_count++] = copy;
    return true;
}

void doc_free(hz_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->word_count; i++)
        free(doc->words[i]);
    free(doc->words);
    for (size_t i = 0; i < doc->count; i++) {
        free(doc->blocks[i].text);
        doc_table_free(doc->blocks[i].table);
        doc_chart_free(doc->blocks[i].chart);
    }
    free(doc->blocks);
    free(doc->title);
    free(doc->author);
    free(doc);
}

static doc_block *doc_push(hz_doc *doc, doc_block_kind kind)
{
    if (!hz_array_reserve(&doc->blocks, &doc->cap, doc->count + 1, sizeof *doc->blocks))
        return NULL;
    doc_block *block = &doc->blocks[doc->count++];
    memset(block, 0, sizeof *block);
    block->kind = kind;
    return block;
}

doc_block *doc_add_text(hz_doc *doc, doc_block_kind kind, const char *text)
{
    char *copy = strdup(text ? text : "");
    if (!copy)
        return NULL;
    doc_block *block = doc_push(doc, kind);
    if (!block) {
        free(copy);
        return NULL;
    }
    block->text = copy;
    return block;
}

doc_block *doc_add_table(hz_doc *doc, doc_table *table)
{
    doc_block *block = doc_push(doc, DOC_TABLE);
    if (!block) {
        doc_table_free(table);
        return NULL;
    }
    block->table = table;
    return block;
}

doc_block *doc_add_chart(hz_doc *doc, doc_chart *chart)
{
    doc_block *block = doc_push(doc, DOC_CHART);
    if (!block) {
        doc_chart_free(chart);
        return NULL;
    }
    block->chart = chart;
    return block;
}

doc_block *doc_add_break(hz_doc *doc, doc_block_kind kind)
{
    return doc_push(doc, kind);
}

doc_table *doc_table_new(size_t rows, size_t cols, size_t header_rows)
{
    doc_table *table = calloc(1, sizeof *table);
    if (!table)
        return NULL;
    table->rows = rows;
    table->cols = cols;
    table->header_rows = header_rows;
    table->cells = calloc((rows * cols) != 0 ? rows * cols : 1, sizeof *table->cells);
    table->align = calloc(cols ? cols : 1, sizeof *table->align);
    if (!table->cells || !table->align) {
        doc_table_free(table);
        return NULL;
    }
    for (size_t i = 0; i < rows * cols; i++) {
        table->cells[i] = strdup("");
        if (!table->cells[i]) {
            doc_table_free(table);
            return NULL;
        }
    }
    return table;
}

bool doc_table_set(doc_table *table, size_t row, size_t col, const char *text)
{
    if (row >= table->rows || col >= table->cols)
        return false;
    char *copy = strdup(text ? text : "");
    if (!copy)
        return false;
    free(table->cells[row * table->cols + col]);
    table->cells[row * table->cols + col] = copy;
    return true;
}

doc_chart *doc_chart_new(size_t count)
{
    doc_chart *chart = calloc(1, sizeof *chart);
    if (!chart)
        return NULL;
    chart->count = count;
    chart->labels = calloc(count ? count : 1, sizeof *chart->labels);
    chart->values = calloc(count ? count : 1, sizeof *chart->values);
    if (!chart->labels || !chart->values) {
        doc_chart_free(chart);
        return NULL;
    }
    return chart;
}
