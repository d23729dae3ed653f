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

bool pdf_linebreak_is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static bool is_ideograph(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Measures of more than one character that stay whole after a number
 * ("3.5万元", "20余件"); a one-character measure (年, 件, 人…) is any
 * ideograph after a digit. */
static const char *const UNITS[] = {
    "万元", "亿元", "千元", "万人", "万件", "万户", "余件", "余人", "余家", "余起", "余次",
    "余万元", "个月", "个工作日", "平方米", "千克", "公斤", "余个", "多件", "多人", "多家",
};

/* Does the measure word after the digit run ending at cps[j-1] cover the
 * boundary before cps[i] (j < i)? */
static bool inside_unit(const uint32_t *cps, size_t n, size_t j, size_t i)
{
    for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0]; u++) {
        const char *w = UNITS[u];
        size_t len = strlen(w), pos = 0, k = j;
        bool match = true;
        while (pos < len && match) {
            uint32_t cp = pdf_utf8_decode(w, len, &pos);
            match = k < n && cps[k] == cp;
            k++;
        }
        if (match && i < k)
            return true;
    }
    return false;
}

static bool is_operator(uint32_t cp)
{
    return cp == '+' || cp == '=' || cp == 0x00D7 || cp == 0x00F7 || cp == 0x2212 ||
           cp == 0xFF0B || cp == 0xFF1D;
}

/* May a line end before cps[i] (and after cps[i-1])? */
static bool break_allowed(const uint32_t *cps, size_t n, size_t i)
{
    uint32_t a = cps[i - 1], b = cps[i];
    if (b == '\n' || is_blank(b))
        return false; /* break after the blank run instead */
    if (is_blank(a)) {
        /* "50 ÷ 4": an operator stays with the operands around it */
        size_t p = i - 1;
        while (p > 0 && is_blank(cps[p - 1]))
            p--;
        if (is_operator(b) || (p > 0 && is_operator(cps[p - 1])))
            return false;
        return !pdf_linebreak_no_start(b);
    }
    if (pdf_linebreak_is_wide(a) || pdf_linebreak_is_wide(b)) {
        if (pdf_linebreak_no_start(b) || pdf_linebreak_no_end(a))
            return false;
        if (a == b && (a == 0x2014 || a == 0x2026))
            return false;
        /* a number and its measure: 2022年, 78件, 3.5万元 */
        if (pdf_linebreak_is_digit(a) && is_ideograph(b))
            return false;
        for (size_t j = i - 1; j > 0 && j + 4 > i && is_ideograph(cps[j]); j--)
            if (pdf_linebreak_is_digit(cps[j - 1]))
                return !inside_unit(cps, n, j, i);
        return true;
    }
    return false; /* inside a Latin word or number */
}

/* May a run without break opportunities (a long number or code) be split
 * before cps[i] when it cannot be justified otherwise? Only between two
 * narrow characters, never before closing or after opening punctuation. */
static bool run_split_allowed(const uint32_t *cps, size_t i)
{
    uint32_t a = cps[i - 1], b = cps[i];
    return !pdf_linebreak_is_wide(a) && !pdf_linebreak_is_wide(b) && !is_blank(a) &&
           !is_blank(b) && !pdf_linebreak_no_start(b) && !pdf_linebreak_no_end(a);
}

/* Is extra space put between a and b when a line is justified? Not
 * between two narrow characters: a number or a code stays tight. */
static bool is_spread_pair(uint32_t a, uint32_t b)
{
    return pdf_linebreak_is_wide(a) || pdf_linebreak_is_wide(b);
}

/* The justifiable gaps of the line cps[line_start, end). */
static size_t line_gaps(const uint32_t *cps, size_t line_start, size_t end)
{
    size_t gaps = 0;
    for (size_t q = line_start + 1; q < end; q++)
        gaps += is_spread_pair(cps[q - 1], cps[q]);
    return gaps;
}

/* Where the run r0.. that overflows at k is split, the line starting at
 * line_start: after the last hyphen or slash that leaves at most max_gap
 * per gap ("411082-" / "2022-0063": a code read by its parts); else, when
 * any_pair, at the last narrow pair that fits; else fallback. */
static size_t run_split_at(const uint32_t *cps, const double *ws, size_t line_start, size_t k,
                           size_t last_break, size_t r0, double avail, double max_gap,
                           bool any_pair, size_t fallback)
{
    double w = 0;
    for (size_t q = line_start; q < k; q++)
        w += ws[q];
    size_t gaps = line_gaps(cps, line_start, k);
    /* walking back from k, w and gaps describe the line ending before j */
    for (size_t j = k; j >= last_break + 2 && j > r0; j--) {
        bool sep = cps[j - 1] == '-' || cps[j - 1] == '/';
        if (sep && run_split_allowed(cps, j) && gaps > 0 &&
            (avail - w) / (double)gaps <= max_gap)
            return j;
        w -= ws[j - 1];
        gaps -= is_spread_pair(cps[j - 2], cps[j - 1]);
    }
    if (any_pair)
        for (size_t j = k; j >= last_break + 2 && j > r0; j--)
            if (run_split_allowed(cps, j))
                return j;
    return fallback;
}

static bool lines_push(pdf_lines *out, size_t start, size_t end, double width,
                       size_t chars, bool hard)
{
    if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items))
        return false;
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
    return pdf_linebreak_justified(text, len, width, ctx, max_width, first_indent, 0, out,
                                   err);
}

hz_status pdf_linebreak_justified(const char *text, size_t len, pdf_width_fn width, void *ctx,
                                  double max_width, double first_indent, double max_gap,
                                  pdf_lines *out, hz_error *err)
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
            if (k > line_start && break_allowed(cps, n, k))
                last_break = k;
            if (k > line_start && !is_blank(cps[k]) && w + ws[k] > avail + eps) {
                hard = false;
                end = last_break > line_start ? last_break : k;
                if (max_gap > 0 && last_break > line_start) {
                    /* Moving the unbreakable run down would leave more than
                     * max_gap between the characters of a justified line:
                     * split the run itself at the last place that fits. */
                    size_t t = last_break;
                    while (t > line_start && is_blank(cps[t - 1]))
                        t--;
                    double lw = 0;
                    for (size_t q = line_start; q < t; q++)
                        lw += ws[q];
                    size_t gaps = line_gaps(cps, line_start, t);
                    /* the narrow run (digits, a code) around the overflow:
                     * only a run too long to be absorbed is split, a short
                     * number with its measure moves down whole */
                    size_t r0 = k, r1 = k;
                    while (r0 > last_break && !pdf_linebreak_is_wide(cps[r0 - 1]) &&
                           !is_blank(cps[r0 - 1]))
                        r0--;
                    while (r1 < n && !pdf_linebreak_is_wide(cps[r1]) && !is_blank(cps[r1]))
                        r1++;
                    double run_w = 0;
                    for (size_t q = r0; q < r1; q++)
                        run_w += ws[q];
                    /* a code is split at its hyphens from half max_gap on,
                     * any long run at a narrow pair beyond max_gap */
                    double per_gap = gaps > 0 ? (avail - lw) / (double)gaps : 0;
                    double half = max_gap / 2;
                    if (gaps > 0 && per_gap > half + eps && run_w > (double)gaps * half)
                        end = run_split_at(cps, ws, line_start, k, last_break, r0, avail,
                                           half + eps,
                                           per_gap > max_gap + eps &&
                                               run_w > (double)gaps * max_gap,
                                           end);
                }
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
