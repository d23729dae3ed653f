/*
 * pdf_linebreak.h - Chinese/Latin line breaking over a width callback.
 *
 * libharu's own measuring functions cannot wrap CJK text (and may cut a
 * UTF-8 character in half), so the PDF renderer breaks lines here. The
 * breaker knows nothing about libharu: it only asks `width(ctx, cp)` for the
 * advance of one code point in points, which keeps it unit-testable.
 *
 * Rules:
 *  - a break is allowed between two CJK characters (any code point at or
 *    above U+2000: ideographs, full-width forms, CJK and general
 *    punctuation) and between a CJK character and a Latin word;
 *  - a run of non-CJK, non-blank characters (a Latin word, a number such as
 *    1,234.56 or 12.5%) is never split, unless it alone is wider than the
 *    line: then it is split by characters;
 *  - blanks (space, tab) are break opportunities and are dropped at the end
 *    and start of a line;
 *  - no line starts with closing punctuation (，。、；：？！）》」』”’% and
 *    the half-width ,.;:?!)]} ...) and no line ends with opening punctuation
 *    (（《「『“‘ ([{ ...): the breaker moves the break back, which pulls the
 *    previous character down to the next line;
 *  - a number and the measure after it stay together: no break between a
 *    digit and the ideograph after it (2022年, 78件, 12人) nor inside a
 *    measure of several characters after a number (3.5万元, 20余件);
 *  - an arithmetic operator (+ = × ÷ −) is not separated by a line end from
 *    the operands around it ("50 ÷ 4");
 *  - "——" and "……" are not split;
 *  - '\n' forces a break (the line is then "hard", like a paragraph's last);
 *  - a UTF-8 character is never cut; invalid bytes are treated as U+FFFD
 *    of one byte each, so any input terminates.
 */
#ifndef HZ_PDF_LINEBREAK_H
#define HZ_PDF_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

/* Advance width of code point cp in points (including any tracking). */
typedef double (*pdf_width_fn)(void *ctx, uint32_t cp);

typedef struct pdf_line {
    size_t start;     /* byte offset of the first drawn character */
    size_t end;       /* byte offset just past the last drawn character */
    double width;     /* natural width of text[start, end) in points */
    size_t chars;     /* code points in text[start, end) */
    bool hard;        /* last line of the text or ended by '\n': not justified */
} pdf_line;

typedef struct pdf_lines {
    pdf_line *items;
    size_t count;
    size_t cap;
} pdf_lines;

/*
 * Breaks text[0, len) into lines no wider than max_width; the first line is
 * max_width - first_indent wide. Empty text gives zero lines. Lines are
 * appended to out (which must be zeroed or previously used; it is cleared
 * first). Fails only on out-of-memory (HZ_ERR_NOMEM).
 */
hz_status pdf_linebreak(const char *text, size_t len, pdf_width_fn width, void *ctx,
                        double max_width, double first_indent, pdf_lines *out,
                        hz_error *err);

/*
 * Same, for a justified paragraph: a line may take at most max_gap points
 * of extra space between two characters (the ¼ em rule); two narrow
 * characters (digits of a number) take none. When the run that does not fit
 * (a long number or code, which has no break opportunity) would leave the
 * line needing more than half max_gap, a run with a hyphen or slash (a case
 * code, 411082-2022-0063) is split after the last one that fits; when it
 * would leave more than max_gap, any long run is split between two of its
 * narrow characters. max_gap <= 0 never splits a run that fits a line.
 */
hz_status pdf_linebreak_justified(const char *text, size_t len, pdf_width_fn width, void *ctx,
                                  double max_width, double first_indent, double max_gap,
                                  pdf_lines *out, hz_error *err);

void pdf_lines_free(pdf_lines *lines);

/* true for code points treated as CJK (break anywhere around them). */
bool pdf_linebreak_is_wide(uint32_t cp);
/* true for the ASCII and full-width digits. */
bool pdf_linebreak_is_digit(uint32_t cp);
/* true when cp may not start a line / may not end a line. */
bool pdf_linebreak_no_start(uint32_t cp);
bool pdf_linebreak_no_end(uint32_t cp);

/* Decodes one code point at text[*pos] (advancing *pos by at least one byte
 * when *pos < len); invalid bytes give U+FFFD and advance by one. */
uint32_t pdf_utf8_decode(const char *text, size_t len, size_t *pos);

#endif
