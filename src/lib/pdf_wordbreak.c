/* pdf_wordbreak.c - word-list segmentation and balanced line breaking. */
#include "pdf_wordbreak.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

/* Words of official-document titles and table headings that every
 * campaign shares (the language, not the campaign's data). */
static const char *const COMMON_WORDS[] = {
    "关于", "工作", "情况", "报告", "的", "通知", "意见", "方案", "总结", "小结", "阶段",
    "年度", "专项", "行动", "治理", "开展", "进展", "附件", "统计表", "报送", "汇总",
    "市场监管", "市场监督管理局", "知识产权", "侵犯", "打击", "犯罪", "整治", "检查",
    "移送", "司法机关", "立案", "结案", "涉案", "金额", "罚没", "案件", "单位", "类别",
};

typedef struct seg {
    size_t n;          /* code points */
    uint32_t *cp;
    size_t *off;       /* byte offset of each code point; off[n] = len */
    bool *in_word;     /* code point k lies in a listed word token */
    bool *token_start; /* a token starts at k */
} seg;

static void seg_free(seg *s)
{
    free(s->cp);
    free(s->off);
    free(s->in_word);
    free(s->token_start);
}

static bool is_ideograph(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_digitish(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) || cp == '.' ||
           cp == '%';
}

static bool is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* One word of the index: its bytes, their hash, and whether it is listed
 * (a listed word that is also a common one counts as listed: that
 * candidate is always the better of the two). */
typedef struct word_slot {
    const char *text;   /* NULL: empty slot */
    uint64_t hash;
    size_t len;
    bool listed;
} word_slot;

struct pdf_words_index {
    word_slot *slots;
    size_t mask;        /* slots - 1, a power of two at most half full */
    size_t *lengths;    /* the distinct byte lengths of the words, ascending */
    size_t length_count;
};

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Adds word (skipped when it has fewer than two code points: a
 * one-character "word" decides nothing). */
static void index_add(pdf_words_index *ix, const char *word, bool listed)
{
    size_t len = strlen(word), pos = 0, cps = 0;
    while (pos < len && cps < 2) {
        pdf_utf8_decode(word, len, &pos);
        cps++;
    }
    if (cps < 2)
        return;
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)word[i]) * FNV_PRIME;
    size_t at = (size_t)h & ix->mask;
    for (; ix->slots[at].text; at = (at + 1) & ix->mask) {
        word_slot *w = &ix->slots[at];
        if (w->hash == h && w->len == len && memcmp(w->text, word, len) == 0) {
            w->listed = w->listed || listed;
            return;
        }
    }
    ix->slots[at] = (word_slot){word, h, len, listed};
    ix->lengths[ix->length_count++] = len;
}

hz_status pdf_words_index_build(const pdf_words *words, pdf_words_index **out, hz_error *err)
{
    size_t nlisted = words ? words->count : 0;
    size_t ncommon = sizeof COMMON_WORDS / sizeof COMMON_WORDS[0], total = nlisted + ncommon;
    size_t slots = 16;
    while (slots < 2 * total)
        slots *= 2;
    pdf_words_index *ix = calloc(1, sizeof *ix);
    if (ix) {
        ix->slots = calloc(slots, sizeof *ix->slots);
        ix->lengths = malloc(total * sizeof *ix->lengths);
    }
    if (!ix || !ix->slots || !ix->lengths) {
        pdf_words_index_free(ix);
        *out = NULL;
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    ix->mask = slots - 1;
    for (size_t w = 0; w < nlisted; w++)
        if (words->items[w])
            index_add(ix, words->items[w], true);
    for (size_t w = 0; w < ncommon; w++)
        index_add(ix, COMMON_WORDS[w], false);
    qsort(ix->lengths, ix->length_count, sizeof *ix->lengths, compare_size);
    size_t distinct = 0;
    for (size_t i = 0; i < ix->length_count; i++)
        if (distinct == 0 || ix->lengths[distinct - 1] != ix->lengths[i])
            ix->lengths[distinct++] = ix->lengths[i];
    ix->length_count = distinct;
    *out = ix;
    return HZ_OK;
}

void pdf_words_index_free(pdf_words_index *index)
{
    if (!index)
        return;
    free(index->slots);
    free(index->lengths);
    free(index);
}

/* The word of the index that is the len bytes at text (hash h), or NULL. */
static const word_slot *index_find(const pdf_words_index *ix, const char *text, size_t len,
                                   uint64_t h)
{
    for (size_t at = (size_t)h & ix->mask; ix->slots[at].text; at = (at + 1) & ix->mask) {
        const word_slot *w = &ix->slots[at];
        if (w->hash == h && w->len == len && memcmp(w->text, text, len) == 0)
            return w;
    }
    return NULL;
}

typedef struct cost {
    size_t uncovered; /* ideographs outside any word */
    size_t listed;    /* tokens that are configured words: more is finer */
    size_t common;    /* tokens that are common words: fewer keeps a
                         configured word whole (打击侵犯知识产权犯罪) */
} cost;

static bool better(cost a, cost b)
{
    if (a.uncovered != b.uncovered)
        return a.uncovered < b.uncovered;
    if (a.listed != b.listed)
        return a.listed > b.listed;
    return a.common < b.common;
}

static bool segment_indexed(const char *text, size_t len, const pdf_words_index *ix, seg *s);

static bool segment(const char *text, size_t len, const pdf_words *words, seg *s)
{
    if (words && words->index)
        return segment_indexed(text, len, words->index, s);
    pdf_words_index *ix = NULL;
    memset(s, 0, sizeof *s);
    if (pdf_words_index_build(words, &ix, NULL) != HZ_OK)
        return false;
    bool ok = segment_indexed(text, len, ix, s);
    pdf_words_index_free(ix);
    return ok;
}

static bool segment_indexed(const char *text, size_t len, const pdf_words_index *ix, seg *s)
{
    memset(s, 0, sizeof *s);
    s->cp = malloc((len + 1) * sizeof *s->cp);
    s->off = malloc((len + 1) * sizeof *s->off);
    s->in_word = calloc(len + 1, sizeof *s->in_word);
    s->token_start = calloc(len + 1, sizeof *s->token_start);
    cost *best = malloc((len + 1) * sizeof *best);
    size_t *back = malloc((len + 1) * sizeof *back);
    bool *back_word = malloc((len + 1) * sizeof *back_word);
    if (!s->cp || !s->off || !s->in_word || !s->token_start || !best || !back || !back_word) {
        free(best);
        free(back);
        free(back_word);
        seg_free(s);
        return false;
    }
    size_t pos = 0;
    while (pos < len) {
        s->off[s->n] = pos;
        s->cp[s->n] = pdf_utf8_decode(text, len, &pos);
        s->n++;
    }
    s->off[s->n] = len;
    size_t n = s->n;
    for (size_t k = 0; k <= n; k++)
        best[k] = (cost){(size_t)-1, 0, 0};
    best[0] = (cost){0, 0, 0};
    for (size_t k = 0; k < n; k++) {
        if (best[k].uncovered == (size_t)-1)
            continue;
        cost single = {best[k].uncovered + (is_ideograph(s->cp[k]) ? 1 : 0), best[k].listed,
                       best[k].common};
        if (better(single, best[k + 1])) {
            best[k + 1] = single;
            back[k + 1] = k;
            back_word[k + 1] = false;
        }
        /* the words that start here, one byte length at a time (the
         * hash grows with the length); one word per length, as equal
         * bytes are one word */
        size_t start = s->off[k], hashed = 0, j = k;
        uint64_t h = FNV_OFFSET;
        for (size_t li = 0; li < ix->length_count; li++) {
            size_t wl = ix->lengths[li];
            if (start + wl > len)
                break;
            for (; hashed < wl; hashed++)
                h = (h ^ (unsigned char)text[start + hashed]) * FNV_PRIME;
            const word_slot *w = index_find(ix, text + start, wl, h);
            if (!w)
                continue;
            while (j < n && s->off[j] < start + wl)
                j++;
            if (s->off[j] != start + wl)
                continue; /* ends inside a character of the text */
            size_t m = j - k;
            if (m < 2)
                continue;
            cost c = {best[k].uncovered, best[k].listed + w->listed,
                      best[k].common + !w->listed};
            if (better(c, best[k + m])) {
                best[k + m] = c;
                back[k + m] = k;
                back_word[k + m] = true;
            }
        }
    }
    for (size_t k = n; k > 0;) {
        size_t from = back[k];
        s->token_start[from] = true;
        for (size_t j = from; j < k; j++)
            s->in_word[j] = back_word[k];
        k = from;
    }
    s->token_start[n] = true;
    free(best);
    free(back);
    free(back_word);
    return true;
}

/* Length of the run of ideographs outside listed words around k. */
static size_t unknown_run(const seg *s, size_t k)
{
    size_t a = k, b = k;
    while (a > 0 && is_ideograph(s->cp[a - 1]) && !s->in_word[a - 1])
        a--;
    while (b < s->n && is_ideograph(s->cp[b]) && !s->in_word[b])
        b++;
    return b - a;
}

static bool is_phrase_char(uint32_t cp)
{
    return !is_blank(cp) && !pdf_linebreak_no_start(cp) && !pdf_linebreak_no_end(cp) &&
           !(cp >= 0x3000 && cp <= 0x303F) && !(cp >= 0xFF01 && cp <= 0xFF0F) &&
           !(cp >= 0x2000 && cp <= 0x206F);
}

/* Code points of the phrase (no blank, no punctuation) around the
 * boundary before k. */
static size_t phrase_len(const seg *s, size_t k)
{
    size_t a = k, b = k;
    while (a > 0 && is_phrase_char(s->cp[a - 1]))
        a--;
    while (b < s->n && is_phrase_char(s->cp[b]))
        b++;
    return b - a;
}

/* May a line break before code point k (0 < k < n)? */
static bool may_break(const seg *s, size_t k, bool strict)
{
    uint32_t a = s->cp[k - 1], b = s->cp[k];
    if (a == '\n' || b == '\n')
        return true;
    if (is_blank(a) || is_blank(b))
        return true;
    if (pdf_linebreak_no_start(b) || pdf_linebreak_no_end(a))
        return false;
    if (a == b && (a == 0x2014 || a == 0x2026))
        return false;
    if (!pdf_linebreak_is_wide(a) && !pdf_linebreak_is_wide(b))
        return false; /* inside a number or a Latin word */
    if (is_digitish(a) && is_ideograph(b))
        return false; /* 2022年, 3件 */
    if (!s->token_start[k])
        return false; /* inside a listed word */
    if (strict && is_phrase_char(a) && is_phrase_char(b) &&
        phrase_len(s, k) <= PDF_WORDBREAK_SHORT_PHRASE)
        return false; /* 未报送, 迟报2天: short phrases stay whole */
    if (b == 0xFF08 && k + 2 < s->n && s->cp[k + 2] == 0xFF09)
        return false; /* 立案数（件）: one character in brackets stays with its word */
    if (strict && is_ideograph(a) && is_ideograph(b) && !s->in_word[k - 1] && !s->in_word[k] &&
        unknown_run(s, k) <= PDF_WORDBREAK_LONG_RUN)
        return false; /* inside a word the list does not know */
    return true;
}

hz_status pdf_wordbreak_points(const char *text, size_t len, const pdf_words *words,
                               bool strict, bool *breaks, hz_error *err)
{
    memset(breaks, 0, (len + 1) * sizeof *breaks);
    breaks[0] = breaks[len] = true;
    seg s;
    if (!segment(text, len, words, &s))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    for (size_t k = 1; k < s.n; k++)
        breaks[s.off[k]] = may_break(&s, k, strict);
    seg_free(&s);
    return HZ_OK;
}

static bool push_line(pdf_lines *out, const pdf_line *line)
{
    if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items))
        return false;
    out->items[out->count++] = *line;
    return true;
}

/* The line of code points [i, j) without blanks at its ends. */
static pdf_line make_line(const seg *s, const double *prefix, size_t i, size_t j, bool hard)
{
    while (i < j && is_blank(s->cp[i]))
        i++;
    while (j > i && is_blank(s->cp[j - 1]))
        j--;
    pdf_line ln = {s->off[i], s->off[j], prefix[j] - prefix[i], j - i, hard};
    return ln;
}

typedef struct dp {
    size_t lines;
    double widest;
    size_t from;
} dp;

/* Balanced lines of the paragraph of code points [lo, hi). */
static bool break_paragraph(const seg *s, const bool *cut, const double *prefix, size_t lo,
                            size_t hi, double max_width, pdf_lines *out)
{
    if (lo == hi)
        return true;
    size_t m = 0;
    size_t *cand = malloc((hi - lo + 1) * sizeof *cand);
    dp *best = malloc((hi - lo + 1) * sizeof *best);
    if (!cand || !best) {
        free(cand);
        free(best);
        return false;
    }
    for (size_t k = lo; k <= hi; k++)
        if (k == lo || k == hi || cut[k])
            cand[m++] = k;
    best[0] = (dp){0, 0, 0};
    for (size_t b = 1; b < m; b++) {
        best[b] = (dp){(size_t)-1, DBL_MAX, 0};
        for (size_t a = b; a-- > 0;) {
            if (best[a].lines == (size_t)-1)
                continue;
            pdf_line ln = make_line(s, prefix, cand[a], cand[b], false);
            /* An unbreakable piece wider than the line is a line of its own. */
            if (ln.width > max_width + 1e-9 && a + 1 != b)
                break;
            dp c = {best[a].lines + 1, best[a].widest > ln.width ? best[a].widest : ln.width, a};
            if (c.lines < best[b].lines ||
                (c.lines == best[b].lines && c.widest < best[b].widest - 1e-9))
                best[b] = c;
        }
    }
    size_t count = best[m - 1].lines, first = out->count;
    for (size_t k = 0; k < count; k++) {
        pdf_line empty = {0};
        if (!push_line(out, &empty)) {
            free(cand);
            free(best);
            return false;
        }
    }
    size_t b = m - 1;
    for (size_t k = count; k-- > 0;) {
        size_t a = best[b].from;
        out->items[first + k] = make_line(s, prefix, cand[a], cand[b], k + 1 == count);
        b = a;
    }
    free(cand);
    free(best);
    return true;
}

static bool wordbreak_once(const char *text, size_t len, const pdf_words *words, bool strict,
                           pdf_width_fn width, void *ctx, double max_width, pdf_lines *out);

static double word_width(const char *word, pdf_width_fn width, void *ctx)
{
    double w = 0;
    size_t len = strlen(word), pos = 0;
    while (pos < len)
        w += width(ctx, pdf_utf8_decode(word, len, &pos));
    return w;
}

hz_status pdf_wordbreak(const char *text, size_t len, const pdf_words *words, bool strict,
                        pdf_width_fn width, void *ctx, double max_width, pdf_lines *out,
                        hz_error *err)
{
    if (!wordbreak_once(text, len, words, strict, width, ctx, max_width, out))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    bool overlong = false;
    for (size_t i = 0; i < out->count; i++)
        overlong = overlong || out->items[i].width > max_width + 1e-9;
    if (!overlong || !words || words->count == 0)
        return HZ_OK;
    /* A listed word wider than the line cannot stay whole (a campaign name
     * "平顶山市2023年知识产权执法“铁拳”行动" in a 22 pt title): it is left
     * out, so the text breaks at the words inside it rather than anywhere. */
    const char **kept = malloc(words->count * sizeof *kept);
    if (!kept)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    size_t n = 0;
    for (size_t i = 0; i < words->count; i++)
        if (words->items[i] && word_width(words->items[i], width, ctx) <= max_width + 1e-9)
            kept[n++] = words->items[i];
    bool ok = true;
    if (n < words->count) {
        pdf_words fewer = {kept, n, NULL};
        ok = wordbreak_once(text, len, &fewer, strict, width, ctx, max_width, out);
    }
    free(kept);
    return ok ? HZ_OK : hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

static bool wordbreak_once(const char *text, size_t len, const pdf_words *words, bool strict,
                           pdf_width_fn width, void *ctx, double max_width, pdf_lines *out)
{
    out->count = 0;
    seg s;
    if (!segment(text, len, words, &s))
        return false;
    bool *cut = calloc(s.n + 1, sizeof *cut);
    double *prefix = malloc((s.n + 1) * sizeof *prefix);
    bool ok = cut && prefix;
    if (ok) {
        prefix[0] = 0;
        for (size_t k = 0; k < s.n; k++)
            prefix[k + 1] = prefix[k] + (s.cp[k] == '\n' ? 0 : width(ctx, s.cp[k]));
        for (size_t k = 1; k < s.n; k++)
            cut[k] = may_break(&s, k, strict);
        size_t lo = 0;
        for (size_t k = 0; k <= s.n && ok; k++) {
            if (k == s.n || s.cp[k] == '\n') {
                ok = break_paragraph(&s, cut, prefix, lo, k, max_width, out);
                lo = k + 1;
            }
        }
    }
    free(cut);
    free(prefix);
    seg_free(&s);
    return ok;
}

double pdf_wordbreak_widest(const char *text, size_t len, const pdf_words *words, bool strict,
                            pdf_width_fn width, void *ctx)
{
    seg s;
    if (!segment(text, len, words, &s))
        return 0;
    double best = 0, cur = 0;
    for (size_t k = 0; k < s.n; k++) {
        if (k > 0 && may_break(&s, k, strict))
            cur = 0;
        if (s.cp[k] == '\n' || is_blank(s.cp[k]))
            continue;
        cur += width(ctx, s.cp[k]);
        if (cur > best)
            best = cur;
    }
    seg_free(&s);
    return best;
}
