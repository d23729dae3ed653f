/* report_narrative.c - 一是…二是… points from the city's file or drafted
 * from the county texts (report_narrative.h). */
#include "report_narrative.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

static const char *const headings[HZ_NARR__COUNT] = {"主要做法", "存在问题", "下一步工作打算"};

const char *report_narrative_heading(hz_narrative_kind kind)
{
    return kind < HZ_NARR__COUNT ? headings[kind] : "";
}

const char *report_narrative_ordinal(size_t index)
{
    static const char *const o[] = {"一是", "二是", "三是", "四是", "五是",
                                    "六是", "七是", "八是", "九是", "十是"};
    return index < sizeof o / sizeof o[0] ? o[index] : "";
}

void report_narrative_points_free(hz_narrative_points *points)
{
    if (!points)
        return;
    for (size_t i = 0; i < points->count; i++) {
        free(points->items[i].text);
        free(points->items[i].units);
    }
    free(points->items);
    points->items = NULL;
    points->count = points->cap = 0;
}

/* ------------------------------------------------------------ sentences */

static bool is_sentence_end(int32_t cp)
{
    return cp == 0x3002 /* 。 */ || cp == 0xFF01 /* ！ */ || cp == 0xFF1F /* ？ */ ||
           cp == 0xFF1B /* ； */ || cp == '\n' || cp == '\r' || cp == '!' || cp == '?' ||
           cp == ';';
}

/* Blanks and punctuation, ASCII and CJK, are not part of a sentence's key. */
static bool is_ignorable(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
    return cp == 0x3000 || cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x3001 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65);
}

static bool has_digit(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0)
            return false;
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
            return true;
    }
    return false;
}

/* Leading list markers a county may have typed: "1．", "（一）", "一是", "一、". */
static const char *skip_marker(const char *s)
{
    static const char *const words[] = {"一是", "二是", "三是", "四是", "五是", "六是",
                                        "七是", "八是", "九是", "十是"};
    for (;;) {
        const char *p = s;
        while (*p == ' ' || *p == '\t' || !strncmp(p, "\xe3\x80\x80", 3))
            p += *p == ' ' || *p == '\t' ? 1 : 3;
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q > p && (!strncmp(q, "．", 3) || !strncmp(q, "、", 3)))
            q += 3;
        else if (q > p && (*q == '.' || *q == ')'))
            q++;
        else
            q = p;
        if (!strncmp(q, "（", 3)) {
            const char *close = strstr(q, "）");
            if (close && close - q <= 3 + 6)
                q = close + 3;
        }
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (!strncmp(q, words[i], strlen(words[i]))) {
                q += strlen(words[i]);
                break;
            }
        if (q == s)
            return s;
        s = q;
    }
}

typedef struct sentence {
    char *text;
    char *key;
    size_t unit, order;
    size_t key_chars;        /* code points of key */
    uint64_t *bigrams;       /* of key, sorted */
    size_t bigram_count;
} sentence;

typedef struct sentences {
    sentence *items;
    size_t count, cap;
} sentences;

static bool sentences_push(sentences *list, sentence s)
{
    if (!hz_array_reserve(&list->items, &list->cap, list->count + 1, sizeof *list->items))
        return false;
    list->items[list->count++] = s;
    return true;
}

static void sentences_free(sentences *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].text);
        free(list->items[i].key);
        free(list->items[i].bigrams);
    }
    free(list->items);
}

/* Removes every occurrence of each name from s (in place). */
static void remove_names(char *s, const char *const *names, size_t name_count)
{
    for (size_t k = 0; k < name_count; k++) {
        const char *name = names[k];
        size_t n = name ? strlen(name) : 0;
        if (n == 0)
            continue;
        char *hit;
        while ((hit = strstr(s, name)) != NULL)
            memmove(hit, hit + n, strlen(hit + n) + 1);
    }
}

char *report_narrative_key(const char *sentence_text, const char *const *names, size_t name_count)
{
    char *s = hz_strdup(sentence_text ? sentence_text : "");
    if (!s)
        return NULL;
    remove_names(s, names, name_count);
    const char *p = s, *end = s + strlen(s);
    char *out = malloc(strlen(s) + 1);
    if (!out) {
        free(s);
        return NULL;
    }
    size_t o = 0;
    while (p < end) {
        const char *start = p;
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0)
            break;
        if (!is_ignorable(cp)) {
            memcpy(out + o, start, (size_t)(p - start));
            o += (size_t)(p - start);
        }
    }
    out[o] = '\0';
    free(s);
    return out;
}

/* Code points of s, for bigrams. */
static int32_t *code_points(const char *s, size_t *n)
{
    size_t len = strlen(s);
    int32_t *cps = malloc((len + 1) * sizeof *cps);
    if (!cps)
        return NULL;
    const char *p = s, *end = s + len;
    size_t k = 0;
    while (p < end) {
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0)
            break;
        cps[k++] = cp;
    }
    *n = k;
    return cps;
}

static int cmp_bigram(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t *bigrams(const char *s, size_t *n)
{
    size_t k = 0;
    int32_t *cps = code_points(s, &k);
    if (!cps)
        return NULL;
    uint64_t *bg = malloc((k ? k : 1) * sizeof *bg);
    if (!bg) {
        free(cps);
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i + 1 < k; i++)
        bg[m++] = ((uint64_t)(uint32_t)cps[i] << 32) | (uint32_t)cps[i + 1];
    free(cps);
    qsort(bg, m, sizeof *bg, cmp_bigram);
    *n = m;
    return bg;
}

static double dice(const uint64_t *x, size_t na, const uint64_t *y, size_t nb)
{
    if (na + nb == 0)
        return 1.0;
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) { /* multiset intersection of sorted lists */
        if (x[i] == y[j]) {
            common++;
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    return 2.0 * (double)common / (double)(na + nb);
}

double report_narrative_similarity(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return 1.0;
    size_t na = 0, nb = 0;
    uint64_t *x = bigrams(a, &na), *y = bigrams(b, &nb);
    double result = x && y ? dice(x, na, y, nb) : 0.0;
    free(x);
    free(y);
    return result;
}

/* Splits text into sentences (without their closing mark) for unit. */
static bool split_into(sentences *list, const char *text, size_t unit,
                       const char *const *names, size_t name_count)
{
    size_t taken = 0;
    if (list->count >= NARRATIVE_MAX_TOTAL)
        return true;
    const char *p = text, *end = text + strlen(text);
    const char *start = p;
    while (p <= end) {
        const char *here = p;
        int32_t cp = p < end ? hz_utf8_next(&p, end) : '\n';
        if (p == here)
            p++; /* the end */
        if (cp < 0)
            return true; /* not UTF-8: nothing more to take from it */
        if (!is_sentence_end(cp))
            continue;
        size_t n = (size_t)(here - start);
        char *s = malloc(n + 1);
        if (!s)
            return false;
        memcpy(s, start, n);
        s[n] = '\0';
        start = p;
        hz_trim(s);
        const char *body = skip_marker(s);
        if (body != s)
            memmove(s, body, strlen(body) + 1);
        hz_trim(s);
        /* trailing commas and enumeration marks left by the split */
        size_t len = strlen(s);
        while (len >= 3 && (!strcmp(s + len - 3, "，") || !strcmp(s + len - 3, "、") ||
                            !strcmp(s + len - 3, "：")))
            s[len -= 3] = '\0';
        if (hz_utf8_length(s) < 4 || has_digit(s)) {
            free(s);
            if (p > end)
                break;
            continue;
        }
        char *key = report_narrative_key(s, names, name_count);
        size_t nbg = 0;
        uint64_t *bg = key ? bigrams(key, &nbg) : NULL;
        if (!key || !bg ||
            !sentences_push(list, (sentence){s, key, unit, list->count, hz_utf8_length(key), bg,
                                             nbg})) {
            free(s);
            free(key);
            free(bg);
            return false;
        }
        /* bounded work on untrusted text: a county's first sentences only */
        if (++taken >= NARRATIVE_MAX_SENTENCES || list->count >= NARRATIVE_MAX_TOTAL)
            break;
        if (p > end)
            break;
    }
    return true;
}

typedef struct cluster {
    size_t first;      /* sentence index of the first member */
    size_t rep;        /* the member whose text is shown */
    size_t *units;
    size_t unit_count, unit_cap;
} cluster;

static bool cluster_add_unit(cluster *c, size_t unit)
{
    for (size_t i = 0; i < c->unit_count; i++)
        if (c->units[i] == unit)
            return true;
    if (!hz_array_reserve(&c->units, &c->unit_cap, c->unit_count + 1, sizeof *c->units))
        return false;
    size_t i = c->unit_count++;
    while (i > 0 && c->units[i - 1] > unit) { /* ascending */
        c->units[i] = c->units[i - 1];
        i--;
    }
    c->units[i] = unit;
    return true;
}

static int cmp_cluster(const void *a, const void *b)
{
    const cluster *x = a, *y = b;
    if (x->unit_count != y->unit_count)
        return x->unit_count > y->unit_count ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static bool mentions_name(const char *s, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (names[k] && names[k][0] && strstr(s, names[k]))
            return true;
    return false;
}

hz_status report_narrative_draft(const hz_narrative_source *sources, size_t source_count,
                          const char *const *const *names, const size_t *name_count,
                          size_t max_points, hz_narrative_points *out, hz_error *err)
{
    out->items = NULL;
    out->count = out->cap = 0;
    sentences list = {0};
    cluster *clusters = NULL;
    size_t ncl = 0;
    bool ok = true;
    for (size_t i = 0; i < source_count && ok; i++) {
        const hz_narrative_source *src = &sources[i];
        size_t u = src->unit;
        ok = split_into(&list, src->text ? src->text : "", u, names ? names[u] : NULL,
                        name_count ? name_count[u] : 0);
    }
    if (ok && list.count) {
        clusters = calloc(list.count, sizeof *clusters);
        ok = clusters != NULL;
    }
    for (size_t i = 0; ok && i < list.count; i++) {
        const sentence *s = &list.items[i];
        size_t found = SIZE_MAX;
        for (size_t c = 0; c < ncl && found == SIZE_MAX; c++) {
            const sentence *f = &list.items[clusters[c].first];
            /* short sentences differ by a word: only long ones merge when near */
            bool fuzzy = f->key_chars >= NARRATIVE_FUZZY_MIN &&
                         s->key_chars >= NARRATIVE_FUZZY_MIN;
            size_t lo = f->bigram_count < s->bigram_count ? f->bigram_count : s->bigram_count;
            /* Dice can reach the threshold only if the lengths are close */
            fuzzy = fuzzy && 2.0 * (double)lo / (double)(f->bigram_count + s->bigram_count) >=
                                 NARRATIVE_SIMILARITY;
            if (!strcmp(f->key, s->key) ||
                (fuzzy && dice(f->bigrams, f->bigram_count, s->bigrams, s->bigram_count) >=
                              NARRATIVE_SIMILARITY))
                found = c;
        }
        if (found == SIZE_MAX) {
            found = ncl++;
            clusters[found].first = i;
            clusters[found].rep = i;
        } else {
            /* show a wording that names no unit when one member has it */
            const sentence *rep = &list.items[clusters[found].rep];
            size_t ru = rep->unit, su = s->unit;
            if (names && mentions_name(rep->text, names[ru], name_count[ru]) &&
                !mentions_name(s->text, names[su], name_count[su]))
                clusters[found].rep = i;
        }
        ok = cluster_add_unit(&clusters[found], s->unit);
    }
    if (ok && ncl) {
        qsort(clusters, ncl, sizeof *clusters, cmp_cluster);
        size_t n = ncl < max_points ? ncl : max_points;
        out->items = calloc(n, sizeof *out->items);
        ok = out->items != NULL;
        out->cap = ok ? n : 0;
        for (size_t k = 0; ok && k < n; k++) {
            hz_narrative_point *pt = &out->items[k];
            const sentence *rep = &list.items[clusters[k].rep];
            pt->text = hz_strdup(rep->text);
            ok = pt->text != NULL;
            if (ok && names)
                remove_names(pt->text, names[rep->unit], name_count[rep->unit]);
            pt->units = clusters[k].units;
            pt->unit_count = clusters[k].unit_count;
            clusters[k].units = NULL;
            out->count = k + 1;
        }
    }
    for (size_t c = 0; c < ncl; c++)
        free(clusters[c].units);
    free(clusters);
    sentences_free(&list);
    if (!ok) {
        report_narrative_points_free(out);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    return HZ_OK;
}

/* ------------------------------------------------------------ city file */

/* The text of a node's inlines, soft breaks joined without a space. */
static bool node_text(cmark_node *node, hz_buf *b)
{
    cmark_iter *it = cmark_iter_new(node);
    if (!it)
        return false;
    bool ok = true;
    cmark_event_type ev;
    while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            ok = hz_buf_puts(b, lit ? lit : "");
            break;
        }
        case CMARK_NODE_LINEBREAK:
        case CMARK_NODE_SOFTBREAK:
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    return ok;
}

static bool add_point(hz_narrative_points *pts, const char *text)
{
    char *s = hz_strdup(text);
    if (!s)
        return false;
    hz_trim(s);
    const char *body = skip_marker(s);
    if (body != s)
        memmove(s, body, strlen(body) + 1);
    size_t len = strlen(s);
    while (len >= 3 && (!strcmp(s + len - 3, "。") || !strcmp(s + len - 3, "；")))
        s[len -= 3] = '\0';
    if (!s[0]) {
        free(s);
        return true;
    }
    if (!hz_array_reserve(&pts->items, &pts->cap, pts->count + 1, sizeof *pts->items)) {
        free(s);
        return false;
    }
    pts->items[pts->count++] = (hz_narrative_point){.text = s};
    return true;
}

hz_status report_narrative_parse_city(const char *markdown, const char *file_name,
                               hz_narrative_points out[HZ_NARR__COUNT],
                               bool found[HZ_NARR__COUNT], hz_error *err)
{
    for (int k = 0; k < HZ_NARR__COUNT; k++) {
        out[k].items = NULL;
        out[k].count = out[k].cap = 0;
        found[k] = false;
    }
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
    if (!doc)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    hz_status st = HZ_OK;
    int current = -1;
    for (cmark_node *n = cmark_node_first_child(doc); n && st == HZ_OK;
         n = cmark_node_next(n)) {
        cmark_node_type type = cmark_node_get_type(n);
        hz_buf b = {0};
        if (type == CMARK_NODE_HEADING) {
            if (!node_text(n, &b)) {
                st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            } else {
                char *h = b.data ? b.data : (char *)"";
                hz_trim(h);
                current = -1;
                for (int k = 0; k < HZ_NARR__COUNT; k++)
                    if (!strcmp(h, headings[k]))
                        current = k;
                if (current < 0)
                    st = hz_error_set(err, HZ_ERR_CONFIG, HZ_M_NARRATIVE_UNKNOWN_HEADING,
                                      file_name, h, NULL);
                else if (found[current])
                    st = hz_error_set(err, HZ_ERR_CONFIG, HZ_M_NARRATIVE_DUPLICATE_HEADING,
                                      file_name, h, NULL);
                else
                    found[current] = true;
            }
        } else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_LIST) {
            if (current < 0) {
                st = hz_error_set(err, HZ_ERR_CONFIG, HZ_M_NARRATIVE_TEXT_OUTSIDE, file_name,
                                  NULL);
            } else if (type == CMARK_NODE_PARAGRAPH) {
                if (!node_text(n, &b) || !add_point(&out[current], b.data ? b.data : ""))
                    st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            } else {
                for (cmark_node *item = cmark_node_first_child(n); item && st == HZ_OK;
                     item = cmark_node_next(item)) {
                    hz_buf ib = {0};
                    if (!node_text(item, &ib) || !add_point(&out[current], ib.data ? ib.data : ""))
                        st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
                    hz_buf_free(&ib);
                }
            }
        }
        hz_buf_free(&b);
    }
    cmark_node_free(doc);
    if (st != HZ_OK)
        for (int k = 0; k < HZ_NARR__COUNT; k++)
            report_narrative_points_free(&out[k]);
    return st;
}
