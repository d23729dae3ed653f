/* pdf_linebreak.c - greedy line breaking with Chinese punctuation rules. */
#include "pdf_linebreak.h"

#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

uint32_t pdf_utf8_decode(const char *text, size_t len, size_t *pos)
{
    size_t i = *pos;
    if (i >= len)
        return 0;
    /* one decoder for the program (hz_text); a bad byte is U+FFFD and
     * the scan goes on with the next byte */
    const char *p = text + i;
    int32_t cp = hz_utf8_next(&p, text + len);
    if (cp < 0) {
        *pos = i + 1;
        return 0xFFFD;
    }
    *pos = (size_t)(p - text);
    return (uint32_t)cp;
}

bool pdf_linebreak_is_wide(uint32_t cp)
{
    /* General punctuation (dashes, quotes, ellipsis) and everything CJK. */
    return cp >= 0x2000 && cp != 0xFFFD;
}

bool pdf_linebreak_no_start(uint32_t cp)
{
    static const uint32_t set[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B,
        0x300D, 0x300F, 0x201D, 0x2019, 0x0025, 0xFF05, 0x3009, 0x3011, 0x3015,
        0x3017, 0xFF3D, 0xFF5D, 0xFF0E, 0x2026, 0x00B7, 0x30FB, 0x2030, 0x2103,
        ',', '.', ';', ':', '?', '!', ')', ']', '}',
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return true;
    return false;
}

bool pdf_linebreak_no_end(uint32_t cp)
{
    static const uint32_t set[] = {
        0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3008, 0x3010, 0x3014,
        0x3016, 0xFF3B, 0xFF5B, '(', '[', '{',
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return true;
    return false;
}

static bool is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r';
}

/* May a line end before cps[i] (and after cps[i-1])? */
static bool break_allowed(const uint32_t *cps, size_t i)
{
    uint32_t a = cps[i - 1], b = cps[i];
    if (b == '\n' || is_blank(b))
        return false; /* break after the blank run instead */
    if (is_blank(a))
        return !pdf_linebreak_no_start(b);
    if (pdf_linebreak_is_wide(a) || pdf_linebreak_is_wide(b)) {
        if (pdf_linebreak_no_start(b) || pdf_linebreak_no_end(a))
            return false;
        if (a == b && (a == 0x2014 || a == 0x2026))
            return false;
        return true;
    }
    return false; /* inside a Latin word or number */
}

static bool lines_push(pdf_lines *out, size_t start, size_t end, double width,
                       size_t chars, bool hard)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        pdf_line *items = realloc(out->items, cap * sizeof *items);
        if (!items)
            return false;
        out->items = items;
        out->cap = cap;
    }
    out->items[out->count++] = (pdf_line){start, end, width, chars, hard};
    return true;
}

void pdf_lines_free(pdf_lines *lines)
{
    if (!lines)
        return;
    free(lines->items);
    memset(lines, 0, sizeof *lines);
}

hz_status pdf_linebreak(const char *text, size_t len, pdf_width_fn width, void *ctx,
                        double max_width, double first_indent, pdf_lines *out,
                        hz_error *err)
{
    out->count = 0;
    if (!text || len == 0)
        return HZ_OK;
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    size_t *offs = malloc((len + 1) * sizeof *offs);
    double *ws = malloc((len + 1) * sizeof *ws);
    if (!cps || !offs || !ws) {
        free(cps); free(offs); free(ws);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    size_t n = 0, pos = 0;
    while (pos < len) {
        offs[n] = pos;
        cps[n] = pdf_utf8_decode(text, len, &pos);
        ws[n] = (cps[n] == '\n' || cps[n] == '\r') ? 0.0 : width(ctx, cps[n]);
        n++;
    }
    offs[n] = len;

    hz_status st = HZ_OK;
    bool first = true;
    size_t i = 0;
    const double eps = 1e-6 * (max_width > 1 ? max_width : 1);
    while (i < n) {
        while (i < n && is_blank(cps[i]))
            i++;
        if (i >= n)
            break;
        size_t line_start = i, end = n, next = n;
        bool hard = true;
        double avail = first ? max_width - first_indent : max_width;
        double w = 0;
        size_t last_break = line_start;
        for (size_t k = line_start; k < n; k++) {
            if (cps[k] == '\n') {
                end = k;
                next = k + 1;
                break;
            }
            if (k > line_start && break_allowed(cps, k))
                last_break = k;
            if (k > line_start && !is_blank(cps[k]) && w + ws[k] > avail + eps) {
                hard = false;
                end = last_break > line_start ? last_break : k;
                next = end;
                break;
            }
            w += ws[k];
        }
        size_t trimmed = end;
        while (trimmed > line_start && is_blank(cps[trimmed - 1]))
            trimmed--;
        double lw = 0;
        for (size_t k = line_start; k < trimmed; k++)
            lw += ws[k];
        if (!lines_push(out, offs[line_start], offs[trimmed], lw, trimmed - line_start,
                        hard)) {
            st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        first = false;
        i = next;
    }
    free(cps);
    free(offs);
    free(ws);
    return st;
}
