/*
 * pdf_wordbreak.h - line breaks only between words, in balanced lines.
 *
 * Chinese has no spaces, so pdf_linebreak may break between any two
 * ideographs. A title ("许昌市/市场监督管理局/关于/…") or a table cell
 * ("申请注册环节") must not break inside a word. Words come from a list (the
 * configuration's authority, campaign and unit names, [report] title_words)
 * plus a few words of official-document language (关于, 工作, 情况, 报告…).
 *
 * The text is segmented into tokens: the segmentation that leaves the
 * fewest ideographs outside a listed word, and among those the one with
 * most tokens (so a listed compound such as the campaign name splits at
 * the listed words inside it). A line may then break
 *   - between two tokens, or around a non-ideograph run (a number, a
 *     Latin word), or at a blank;
 *   - never before closing or after opening punctuation
 *     (pdf_linebreak_no_start / _no_end), never between a number and the
 *     ideograph after it (2022年, 3件), never inside "——" or "……";
 *   - in strict mode (table cells), not between two ideographs that are
 *     both outside any listed word: an unknown run stays whole, unless it
 *     is longer than PDF_WORDBREAK_LONG_RUN characters, and not inside a
 *     phrase (a run without blanks or punctuation) of at most
 *     PDF_WORDBREAK_SHORT_PHRASE characters (未报送, 迟报2天).
 * Lines are then chosen by dynamic programming: the fewest lines no wider
 * than max_width, and among them the smallest widest line (balanced).
 * A token wider than max_width alone makes its own overlong line.
 */
#ifndef HZ_PDF_WORDBREAK_H
#define HZ_PDF_WORDBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_status.h"
#include "pdf_linebreak.h"

#define PDF_WORDBREAK_LONG_RUN 8
#define PDF_WORDBREAK_SHORT_PHRASE 4

typedef struct pdf_words_index pdf_words_index;

/* The listed words; index (pdf_words_index_build) makes segmentation look
 * a position's words up by hash instead of comparing every word there (a
 * national report lists thousands of unit names). Without one, each
 * segmentation builds its own. */
typedef struct pdf_words {
    const char *const *items;
    size_t count;
    const pdf_words_index *index;
} pdf_words;

/* The index of words->items and the common words, for words->index; it
 * refers to the items, which must outlive it. Fails only on
 * out-of-memory. */
hz_status pdf_words_index_build(const pdf_words *words, pdf_words_index **out, hz_error *err);
void pdf_words_index_free(pdf_words_index *index);

/*
 * Sets breaks[i] (i in [0, len]) to true where a line may break before
 * byte i; breaks must hold len + 1 entries. breaks[0] and breaks[len] are
 * true. Fails only on out-of-memory.
 */
hz_status pdf_wordbreak_points(const char *text, size_t len, const pdf_words *words,
                               bool strict, bool *breaks, hz_error *err);

/*
 * Breaks text[0, len) into balanced lines at the points of
 * pdf_wordbreak_points; '\n' forces a break. out as pdf_linebreak (every
 * line but the last of a paragraph is not hard). Fails only on
 * out-of-memory.
 */
hz_status pdf_wordbreak(const char *text, size_t len, const pdf_words *words, bool strict,
                        pdf_width_fn width, void *ctx, double max_width, pdf_lines *out,
                        hz_error *err);

/* Width of the widest piece that pdf_wordbreak never splits. */
double pdf_wordbreak_widest(const char *text, size_t len, const pdf_words *words, bool strict,
                            pdf_width_fn width, void *ctx);

#endif
