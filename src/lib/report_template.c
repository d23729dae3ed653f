/* report_template.c - {{...}} expansion against a JSON context, then
 * cmark parsing and mapping onto hz_doc (see report_template.h). */
#include "report_template.h"

#include <cmark.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

#define TMPL_MAX_DEPTH 32
/* Bounds on the expansion: nested loop sections multiply (7 units nested
 * ten deep is 7^10 passes), so a short template could otherwise run for
 * hours or fill memory. A real report expands to about 100 KB in a few
 * thousand steps. Found by fuzz/fuzz_template.c. */
#define TMPL_MAX_OUTPUT (16u * 1024u * 1024u)
#define TMPL_MAX_STEPS 1000000u
#define TMPL_MARKER "<!--HZDIRECTIVE:"

/* ------------------------------------------------------------------ */
/* Parsed template: a flat node list; a section spans (index, end).    */

typedef enum tnode_kind {
    TN_TEXT,      /* literal template text */
    TN_VAR,       /* {{path}}, escaped */
    TN_RAW,       /* {{&path}}, unescaped */
    TN_SECTION,   /* {{#path}} */
    TN_INVERTED,  /* {{^path}} */
    TN_DIRECTIVE  /* {{table X}} {{chart X}} {{pagebreak}} {{annex}} */
} tnode_kind;

typedef enum dir_kind { DIR_TABLE, DIR_CHART, DIR_PAGEBREAK, DIR_ANNEX } dir_kind;

typedef struct tnode {
    tnode_kind kind;
    int line;
    const char *text;   /* TN_TEXT: points into the template */
    size_t len;
    char *name;         /* path, or directive argument */
    dir_kind dir;
    size_t end;         /* sections: index one past the body */
} tnode;

typedef struct tnodes {
    tnode *items;
    size_t count, cap;
} tnodes;

/* Objects built by directives during expansion; the marker line in the
 * Markdown carries the index so stage 2 can pick them up again. */
typedef struct directive {
    dir_kind kind;
    doc_table *table;
    doc_chart *chart;
} directive;

typedef struct frame {
    struct json_object *value;
    bool loop;
    size_t index, count;
} frame;

typedef struct tmpl {
    const char *name;
    struct json_object *root;
    hz_error *err;
    tnodes nodes;
    frame stack[TMPL_MAX_DEPTH + 2];
    int depth;
    hz_buf out;
    directive *dirs;
    size_t ndirs, capdirs;
    size_t steps;         /* nodes rendered so far (TMPL_MAX_STEPS) */
} tmpl;

static hz_status tmpl_fail(tmpl *t, hz_status st, hz_msg_id msg, int line,
                           const char *a3, const char *a4)
{
    char num[16];
    snprintf(num, sizeof num, "%d", line);
    return hz_error_set(t->err, st, msg, t->name, num, a3 ? a3 : "", a4 ? a4 : "", NULL);
}

static hz_status tmpl_nomem(tmpl *t)
{
    return hz_error_set(t->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

static void tmpl_free(tmpl *t)
{
    for (size_t i = 0; i < t->nodes.count; i++)
        free(t->nodes.items[i].name);
    free(t->nodes.items);
    for (size_t i = 0; i < t->ndirs; i++) {
        doc_table_free(t->dirs[i].table);
        doc_chart_free(t->dirs[i].chart);
    }
    free(t->dirs);
    hz_buf_free(&t->out);
}

static tnode *nodes_push(tnodes *n, tnode_kind kind, int line)
{
    if (!hz_array_reserve(&n->items, &n->cap, n->count + 1, sizeof *n->items))
        return NULL;
    tnode *node = &n->items[n->count++];
    memset(node, 0, sizeof *node);
    node->kind = kind;
    node->line = line;
    return node;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool all_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_blank(s[i]))
            return false;
    return true;
}

static char *dup_trimmed(const char *s, size_t len)
{
    while (len && is_blank(*s)) {
        s++;
        len--;
    }
    while (len && is_blank(s[len - 1]))
        len--;
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

/* One piece of a template line before the standalone decision. */
typedef enum seg_kind {
    SEG_TEXT, SEG_VAR, SEG_RAW, SEG_OPEN, SEG_INVERTED, SEG_CLOSE, SEG_COMMENT, SEG_DIRECTIVE
} seg_kind;

typedef struct seg {
    seg_kind kind;
    const char *text;
    size_t len;
    char *name;       /* owned until moved into a node */
    dir_kind dir;
} seg;

typedef struct segs {
    seg *items;
    size_t count, cap;
} segs;

static void segs_clear(segs *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i].name);
    s->count = 0;
}

static seg *segs_push(segs *s, seg_kind kind)
{
    if (!hz_array_reserve(&s->items, &s->cap, s->count + 1, sizeof *s->items))
        return NULL;
    seg *sg = &s->items[s->count++];
    memset(sg, 0, sizeof *sg);
    sg->kind = kind;
    return sg;
}

/* Classifies the trimmed content of one tag into sg. */
static hz_status classify_tag(tmpl *t, int line, char *content, seg *sg)
{
    if (!*content)
        return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_EMPTY_TAG, line, NULL, NULL);
    char first = content[0];
    if (first == '!') {
        sg->kind = SEG_COMMENT;
        return HZ_OK;
    }
    if (first == '#' || first == '^' || first == '/' || first == '&') {
        sg->kind = first == '#' ? SEG_OPEN : first == '^' ? SEG_INVERTED
                 : first == '/' ? SEG_CLOSE : SEG_RAW;
        sg->name = dup_trimmed(content + 1, strlen(content + 1));
        if (!sg->name)
            return tmpl_nomem(t);
        if (!*sg->name || strpbrk(sg->name, " \t"))
            return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER,
                             line, content, NULL);
        return HZ_OK;
    }
    const char *space = strpbrk(content, " \t");
    size_t wlen = space ? (size_t)(space - content) : strlen(content);
    static const struct { const char *word; dir_kind dir; bool arg; } words[] = {
        {"table", DIR_TABLE, true}, {"chart", DIR_CHART, true},
        {"pagebreak", DIR_PAGEBREAK, false}, {"annex", DIR_ANNEX, false},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].word) != wlen || memcmp(words[i].word, content, wlen) != 0)
            continue;
        char *arg = dup_trimmed(content + wlen, strlen(content + wlen));
        if (!arg)
            return tmpl_nomem(t);
        if ((*arg != '\0') != words[i].arg || strpbrk(arg, " \t")) {
            free(arg);
            return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_DIRECTIVE_NAME, line,
                             words[i].word, NULL);
        }
        sg->kind = SEG_DIRECTIVE;
        sg->dir = words[i].dir;
        sg->name = arg;
        return HZ_OK;
    }
    if (space) {
        char word[HZ_ERROR_ARG_SIZE];
        snprintf(word, sizeof word, "%.*s", (int)(wlen < 200 ? wlen : 200), content);
        return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNKNOWN_DIRECTIVE, line, word, NULL);
    }
    sg->kind = SEG_VAR;
    sg->name = strdup(content);
    return sg->name ? HZ_OK : tmpl_nomem(t);
}

/* Splits [p, end) (one line, without its newline) into segments. */
static hz_status scan_line(tmpl *t, int line, const char *p, const char *end, segs *s)
{
    while (p < end) {
        const char *open = NULL;
        for (const char *q = p; q + 1 < end; q++)
            if (q[0] == '{' && q[1] == '{') {
                open = q;
                break;
            }
        if (!open) {
            seg *sg = segs_push(s, SEG_TEXT);
            if (!sg)
                return tmpl_nomem(t);
            sg->text = p;
            sg->len = (size_t)(end - p);
            return HZ_OK;
        }
        if (open > p) {
            seg *sg = segs_push(s, SEG_TEXT);
            if (!sg)
                return tmpl_nomem(t);
            sg->text = p;
            sg->len = (size_t)(open - p);
        }
        const char *close = NULL;
        for (const char *q = open + 2; q + 1 < end; q++)
            if (q[0] == '}' && q[1] == '}') {
                close = q;
                break;
            }
        if (!close)
            return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNCLOSED_TAG, line, NULL, NULL);
        char *content = dup_trimmed(open + 2, (size_t)(close - open - 2));
        if (!content)
            return tmpl_nomem(t);
        seg *sg = segs_push(s, SEG_TEXT);
        hz_status st = sg ? classify_tag(t, line, content, sg) : tmpl_nomem(t);
        free(content);
        if (st != HZ_OK)
            return st;
        p = close + 2;
    }
    return HZ_OK;
}

/* Turns the segments of one line into nodes, applying the standalone-line
 * rule and the alone-on-its-line rule for directives. */
static hz_status emit_line(tmpl *t, int line, segs *s, bool has_newline,
                           size_t *open_stack, int *open_depth)
{
    size_t tags = 0, vars = 0, directives = 0;
    bool text_blank = true;
    for (size_t i = 0; i < s->count; i++) {
        switch (s->items[i].kind) {
        case SEG_TEXT:
            if (!all_blank(s->items[i].text, s->items[i].len))
                text_blank = false;
            break;
        case SEG_VAR: case SEG_RAW: vars++; break;
        case SEG_DIRECTIVE: directives++; break;
        default: tags++; break;
        }
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->items[i].kind == SEG_DIRECTIVE && (s->count > 1 && (!text_blank || tags || vars || directives > 1))) {
            static const char *const names[] = {"table", "chart", "pagebreak", "annex"};
            return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_DIRECTIVE_NOT_ALONE, line,
                             names[s->items[i].dir], NULL);
        }
    bool standalone = directives || (tags && !vars && text_blank);
    for (size_t i = 0; i < s->count; i++) {
        seg *sg = &s->items[i];
        tnode *node = NULL;
        switch (sg->kind) {
        case SEG_TEXT:
            if (standalone)
                continue;
            if (!(node = nodes_push(&t->nodes, TN_TEXT, line)))
                return tmpl_nomem(t);
            node->text = sg->text;
            node->len = sg->len;
            continue;
        case SEG_COMMENT:
            continue;
        case SEG_CLOSE: {
            if (*open_depth == 0)
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_STRAY_CLOSE, line, sg->name, NULL);
            tnode *opened = &t->nodes.items[open_stack[*open_depth - 1]];
            if (strcmp(opened->name, sg->name) != 0)
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_MISMATCHED_SECTION, line,
                                 sg->name, opened->name);
            opened->end = t->nodes.count;
            (*open_depth)--;
            continue;
        }
        case SEG_OPEN: case SEG_INVERTED:
            if (*open_depth >= TMPL_MAX_DEPTH) {
                char max[8];
                snprintf(max, sizeof max, "%d", TMPL_MAX_DEPTH);
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_TOO_DEEP, line, max, NULL);
            }
            if (!(node = nodes_push(&t->nodes, sg->kind == SEG_OPEN ? TN_SECTION : TN_INVERTED, line)))
                return tmpl_nomem(t);
            open_stack[(*open_depth)++] = t->nodes.count - 1;
            break;
        case SEG_VAR:
            node = nodes_push(&t->nodes, TN_VAR, line);
            break;
        case SEG_RAW:
            node = nodes_push(&t->nodes, TN_RAW, line);
            break;
        case SEG_DIRECTIVE:
            if ((node = nodes_push(&t->nodes, TN_DIRECTIVE, line)))
                node->dir = sg->dir;
            break;
        }
        if (!node)
            return tmpl_nomem(t);
        node->name = sg->name;
        sg->name = NULL;
    }
    if (has_newline && !standalone) {
        tnode *node = nodes_push(&t->nodes, TN_TEXT, line);
        if (!node)
            return tmpl_nomem(t);
        node->text = "\n";
        node->len = 1;
    }
    return HZ_OK;
}

static hz_status tmpl_parse(tmpl *t, const char *text)
{
    size_t total = strlen(text);
    if (!hz_utf8_valid(text, total)) {
        int line = 1;
        for (const char *p = text; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (!hz_utf8_valid(p, len))
                break;
            line++;
            p += len + (nl ? 1 : 0);
        }
        return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_NOT_UTF8, line, NULL, NULL);
    }
    size_t open_stack[TMPL_MAX_DEPTH];
    int open_depth = 0;
    segs s = {0};
    hz_status st = HZ_OK;
    int line = 1;
    for (const char *p = text; *p && st == HZ_OK; line++) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        segs_clear(&s);
        st = scan_line(t, line, p, end, &s);
        if (st == HZ_OK)
            st = emit_line(t, line, &s, nl != NULL, open_stack, &open_depth);
        p = nl ? nl + 1 : end;
    }
    segs_clear(&s);
    free(s.items);
    if (st == HZ_OK && open_depth > 0) {
        tnode *opened = &t->nodes.items[open_stack[open_depth - 1]];
        return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNCLOSED_SECTION, opened->line,
                         opened->name, NULL);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Context lookups and value formatting.                              */

static bool json_key(struct json_object *obj, const char *key, size_t len,
                     struct json_object **out)
{
    if (!obj)
        return false;
    if (json_object_is_type(obj, json_type_object)) {
        char buf[256];
        if (len >= sizeof buf)
            return false;
        memcpy(buf, key, len);
        buf[len] = '\0';
        return json_object_object_get_ex(obj, buf, out);
    }
    if (json_object_is_type(obj, json_type_array) && len > 0 && len < 10) {
        size_t idx = 0;
        for (size_t i = 0; i < len; i++) {
            if (key[i] < '0' || key[i] > '9')
                return false;
            idx = idx * 10 + (size_t)(key[i] - '0');
        }
        if (idx >= json_object_array_length(obj))
            return false;
        *out = json_object_array_get_idx(obj, idx);
        return true;
    }
    return false;
}

/* Resolves a dotted path through the scope stack; *out may be NULL (JSON
 * null) when found. */
static bool tmpl_resolve(const tmpl *t, const char *path, struct json_object **out)
{
    if (strcmp(path, ".") == 0) {
        *out = t->stack[t->depth].value;
        return true;
    }
    const char *dot = strchr(path, '.');
    size_t first = dot ? (size_t)(dot - path) : strlen(path);
    struct json_object *cur = NULL;
    bool found = false;
    for (int i = t->depth; i >= 0 && !found; i--)
        found = json_object_is_type(t->stack[i].value, json_type_object)
             && json_key(t->stack[i].value, path, first, &cur);
    if (!found)
        return false;
    while (dot) {
        const char *seg = dot + 1;
        dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
        struct json_object *next = NULL;
        if (!json_key(cur, seg, len, &next))
            return false;
        cur = next;
    }
    *out = cur;
    return true;
}

static const frame *tmpl_loop(const tmpl *t)
{
    for (int i = t->depth; i > 0; i--)
        if (t->stack[i].loop)
            return &t->stack[i];
    return NULL;
}

/* Loop helpers; false when name is not one or there is no loop. */
static bool tmpl_helper(const tmpl *t, const char *name, char *buf, size_t size)
{
    if (name[0] != '@')
        return false;
    const frame *f = tmpl_loop(t);
    if (!f)
        return false;
    bool last = f->index + 1 == f->count;
    if (strcmp(name, "@index") == 0)
        snprintf(buf, size, "%zu", f->index + 1);
    else if (strcmp(name, "@count") == 0)
        snprintf(buf, size, "%zu", f->count);
    else if (strcmp(name, "@sep") == 0)
        snprintf(buf, size, "%s", last ? "" : "、");
    else if (strcmp(name, "@sep_and") == 0)
        snprintf(buf, size, "%s", last ? "" : f->index + 2 == f->count ? "和" : "、");
    else
        return false;
    return true;
}

static void format_double(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

/* Scalar to text; false for arrays and objects. */
static bool format_scalar(struct json_object *v, char *num, size_t size, const char **text)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        *text = "";
        return true;
    case json_type_boolean:
        *text = json_object_get_boolean(v) ? "是" : "否";
        return true;
    case json_type_int:
        snprintf(num, size, "%lld", (long long)json_object_get_int64(v));
        *text = num;
        return true;
    case json_type_double:
        format_double(json_object_get_double(v), num, size);
        *text = num;
        return true;
    case json_type_string:
        *text = json_object_get_string(v);
        return true;
    default:
        return false;
    }
}

static bool truthy(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return false;
    case json_type_boolean: return json_object_get_boolean(v);
    case json_type_int: return json_object_get_int64(v) != 0;
    case json_type_double: return json_object_get_double(v) != 0.0;
    case json_type_string: return json_object_get_string_len(v) > 0;
    case json_type_array: return json_object_array_length(v) > 0;
    case json_type_object: return json_object_object_length(v) > 0;
    }
    return false;
}

static bool out_at_line_start(const hz_buf *out)
{
    for (size_t i = out->len; i > 0; i--) {
        char c = out->data[i - 1];
        if (c == '\n')
            return true;
        if (!is_blank(c))
            return false;
    }
    return true;
}

/* Appends text so that cmark reads it back literally: punctuation that can
 * start markup is backslash-escaped, line-start markers (# - + = > "1.")
 * too, and line breaks collapse to one soft break. */
static bool append_escaped(hz_buf *out, const char *s)
{
    static const char always[] = "\\`*_[]<>#!|~&{}";
    bool line_start = out_at_line_start(out);
    bool ok = true;
    while (*s && ok) {
        if (*s == '\r' || *s == '\n') {
            while (*s == '\r' || *s == '\n' || *s == ' ' || *s == '\t')
                s++;
            if (*s)
                ok = hz_buf_puts(out, "\n");
            line_start = true;
            continue;
        }
        if (line_start) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s == '-' || *s == '+' || *s == '=') {
                ok = hz_buf_puts(out, "\\");
            } else if (*s >= '0' && *s <= '9') {
                size_t n = strspn(s, "0123456789");
                if ((s[n] == '.' || s[n] == ')') &&
                    (s[n + 1] == '\0' || s[n + 1] == ' ' || s[n + 1] == '\t' ||
                     s[n + 1] == '\n' || s[n + 1] == '\r')) {
                    ok = hz_buf_append(out, s, n) && hz_buf_puts(out, "\\");
                    s += n;
                }
            }
            line_start = false;
            continue;
        }
        if (strchr(always, *s))
            ok = hz_buf_puts(out, "\\");
        ok = ok && hz_buf_append(out, s, 1);
        s++;
    }
    return ok;
}

/* ------------------------------------------------------------------ */
/* Tables and charts from the context.                                */

static bool numeric_text(const char *s)
{
    if (*s == '-')
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    s += strspn(s, "0123456789,");
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        s += strspn(s, "0123456789");
    }
    if (*s == '%')
        s++;
    return *s == '\0';
}

/* field names the JSON member at fault: "rows[3][2]" (i, j < 0: omitted). */
static hz_status bad_table(tmpl *t, int line, const char *tname, const char *field, long i, long j)
{
    char why[64];
    if (i < 0)
        snprintf(why, sizeof why, "%s", field);
    else if (j < 0)
        snprintf(why, sizeof why, "%s[%ld]", field, i);
    else
        snprintf(why, sizeof why, "%s[%ld][%ld]", field, i, j);
    return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_BAD_TABLE, line, tname, why);
}

static hz_status bad_chart(tmpl *t, int line, const char *cname, const char *why)
{
    return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_BAD_CHART, line, cname, why);
}

static struct json_object *json_member(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;
    if (json_object_is_type(obj, json_type_object) && json_object_object_get_ex(obj, key, &v))
        return v;
    return NULL;
}

static hz_status build_table(tmpl *t, int line, const char *tname, struct json_object *src,
                             doc_table **out)
{
    *out = NULL;
    if (!json_object_is_type(src, json_type_object))
        return bad_table(t, line, tname, "{}", -1, -1);
    struct json_object *header = json_member(src, "header");
    struct json_object *rows = json_member(src, "rows");
    struct json_object *align = json_member(src, "align");
    struct json_object *caption = json_member(src, "caption");
    struct json_object *total = json_member(src, "total");
    if (header && !json_object_is_type(header, json_type_array))
        return bad_table(t, line, tname, "header", -1, -1);
    if (!json_object_is_type(rows, json_type_array))
        return bad_table(t, line, tname, "rows", -1, -1);
    size_t nheader = header ? json_object_array_length(header) : 0;
    bool multi = nheader > 0 && json_object_is_type(json_object_array_get_idx(header, 0), json_type_array);
    size_t header_rows = nheader == 0 ? 0 : multi ? nheader : 1;
    size_t nrows = json_object_array_length(rows);
    size_t cols = 0;
    if (multi)
        cols = json_object_array_length(json_object_array_get_idx(header, 0));
    else if (nheader)
        cols = nheader;
    else if (nrows && json_object_is_type(json_object_array_get_idx(rows, 0), json_type_array))
        cols = json_object_array_length(json_object_array_get_idx(rows, 0));
    if (cols == 0)
        return bad_table(t, line, tname, "header", -1, -1);
    doc_table *table = doc_table_new(header_rows + nrows, cols, header_rows);
    if (!table)
        return tmpl_nomem(t);
    hz_status st = HZ_OK;
    for (size_t r = 0; r < header_rows + nrows && st == HZ_OK; r++) {
        bool is_header = r < header_rows;
        size_t idx = is_header ? r : r - header_rows;
        struct json_object *row = is_header ? (multi ? json_object_array_get_idx(header, r) : header)
                                            : json_object_array_get_idx(rows, idx);
        if (!json_object_is_type(row, json_type_array) || json_object_array_length(row) != cols) {
            st = bad_table(t, line, tname, is_header ? "header" : "rows", multi || !is_header ? (long)idx : -1, -1);
            break;
        }
        for (size_t c = 0; c < cols; c++) {
            char num[64];
            const char *text;
            if (!format_scalar(json_object_array_get_idx(row, c), num, sizeof num, &text)) {
                st = bad_table(t, line, tname, is_header ? "header" : "rows", multi || !is_header ? (long)idx : (long)c, multi || !is_header ? (long)c : -1);
                break;
            }
            if (!doc_table_set(table, r, c, text)) {
                st = tmpl_nomem(t);
                break;
            }
        }
    }
    if (st == HZ_OK && align) {
        if (!json_object_is_type(align, json_type_array) || json_object_array_length(align) != cols)
            st = bad_table(t, line, tname, "align", -1, -1);
        for (size_t c = 0; st == HZ_OK && c < cols; c++) {
            const char *a = json_object_get_string(json_object_array_get_idx(align, c));
            if (a && strcmp(a, "left") == 0)
                table->align[c] = DOC_ALIGN_LEFT;
            else if (a && strcmp(a, "right") == 0)
                table->align[c] = DOC_ALIGN_RIGHT;
            else if (a && strcmp(a, "center") == 0)
                table->align[c] = DOC_ALIGN_CENTER;
            else
                st = bad_table(t, line, tname, "align", (long)c, -1);
        }
    } else if (st == HZ_OK) {
        for (size_t c = 0; c < cols; c++) {
            bool any = false, all = true;
            for (size_t r = header_rows; r < table->rows; r++) {
                const char *cell = table->cells[r * cols + c];
                if (!*cell)
                    continue;
                if (numeric_text(cell))
                    any = true;
                else
                    all = false;
            }
            table->align[c] = any && all ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT;
        }
    }
    if (st == HZ_OK && caption && !json_object_is_type(caption, json_type_null)) {
        if (!json_object_is_type(caption, json_type_string))
            st = bad_table(t, line, tname, "caption", -1, -1);
        else if (!(table->caption = strdup(json_object_get_string(caption))))
            st = tmpl_nomem(t);
    }
    if (st == HZ_OK && total) {
        if (!json_object_is_type(total, json_type_boolean))
            st = bad_table(t, line, tname, "total", -1, -1);
        else
            table->last_row_total = json_object_get_boolean(total) && table->rows > header_rows;
    }
    if (st != HZ_OK) {
        doc_table_free(table);
        return st;
    }
    *out = table;
    return HZ_OK;
}

static bool opt_string(struct json_object *obj, const char *key, char **out)
{
    struct json_object *v = json_member(obj, key);
    if (v && !json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_null))
        return false;
    *out = strdup(v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "");
    return true;
}

static hz_status build_chart(tmpl *t, int line, const char *cname, struct json_object *src,
                             doc_chart **out)
{
    *out = NULL;
    if (!json_object_is_type(src, json_type_object))
        return bad_chart(t, line, cname, "{}");
    struct json_object *labels = json_member(src, "labels");
    struct json_object *values = json_member(src, "values");
    struct json_object *decimals = json_member(src, "decimals");
    if (!json_object_is_type(labels, json_type_array))
        return bad_chart(t, line, cname, "labels");
    if (!json_object_is_type(values, json_type_array) ||
        json_object_array_length(values) != json_object_array_length(labels))
        return bad_chart(t, line, cname, "values");
    if (decimals && (!json_object_is_type(decimals, json_type_int) ||
                     json_object_get_int(decimals) < 0 || json_object_get_int(decimals) > 4))
        return bad_chart(t, line, cname, "decimals");
    size_t n = json_object_array_length(labels);
    doc_chart *chart = doc_chart_new(n);
    if (!chart)
        return tmpl_nomem(t);
    chart->decimals = decimals ? json_object_get_int(decimals) : 0;
    hz_status st = HZ_OK;
    if (!opt_string(src, "title", &chart->title))
        st = bad_chart(t, line, cname, "title");
    else if (!opt_string(src, "value_label", &chart->value_label))
        st = bad_chart(t, line, cname, "value_label");
    else if (!chart->title || !chart->value_label)
        st = tmpl_nomem(t);
    for (size_t i = 0; i < n && st == HZ_OK; i++) {
        struct json_object *l = json_object_array_get_idx(labels, i);
        struct json_object *v = json_object_array_get_idx(values, i);
        char why[32];
        if (!json_object_is_type(l, json_type_string)) {
            snprintf(why, sizeof why, "labels[%zu]", i);
            st = bad_chart(t, line, cname, why);
        } else if (!(chart->labels[i] = strdup(json_object_get_string(l)))) {
            st = tmpl_nomem(t);
        } else if (!v) {
            chart->values[i] = NAN; /* not reported: no bar (its label says why) */
        } else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
            chart->values[i] = json_object_get_double(v);
        } else if (json_object_is_type(v, json_type_string) && numeric_text(json_object_get_string(v))
                   && !strchr(json_object_get_string(v), ',') && !strchr(json_object_get_string(v), '%')) {
            chart->values[i] = strtod(json_object_get_string(v), NULL);
        } else {
            snprintf(why, sizeof why, "values[%zu]", i);
            st = bad_chart(t, line, cname, why);
        }
    }
    if (st != HZ_OK) {
        /* labels past the failure are NULL; doc_chart_free frees each entry. */
        doc_chart_free(chart);
        return st;
    }
    *out = chart;
    return HZ_OK;
}

/* ------------------------------------------------------------------ */
/* Expansion.                                                          */

static hz_status render_directive(tmpl *t, const tnode *node)
{
    directive d = {.kind = node->dir};
    hz_status st = HZ_OK;
    static const char *const kinds[] = {"table", "chart", "pagebreak", "annex"};
    if (node->dir == DIR_TABLE || node->dir == DIR_CHART) {
        struct json_object *group = json_member(t->root, node->dir == DIR_TABLE ? "tables" : "charts");
        struct json_object *src = NULL;
        if (!json_object_is_type(group, json_type_object) ||
            !json_object_object_get_ex(group, node->name, &src))
            return tmpl_fail(t, HZ_ERR_TEMPLATE,
                             node->dir == DIR_TABLE ? HZ_M_REPORT_TEMPLATE_UNKNOWN_TABLE
                                                    : HZ_M_REPORT_TEMPLATE_UNKNOWN_CHART,
                             node->line, node->name, NULL);
        st = node->dir == DIR_TABLE ? build_table(t, node->line, node->name, src, &d.table)
                                    : build_chart(t, node->line, node->name, src, &d.chart);
        if (st != HZ_OK)
            return st;
    }
    if (!hz_array_reserve(&t->dirs, &t->capdirs, t->ndirs + 1, sizeof *t->dirs)) {
        doc_table_free(d.table);
        doc_chart_free(d.chart);
        return tmpl_nomem(t);
    }
    t->dirs[t->ndirs++] = d;
    bool ok = true;
    if (t->out.len && t->out.data[t->out.len - 1] != '\n')
        ok = hz_buf_puts(&t->out, "\n");
    ok = ok && hz_buf_printf(&t->out, TMPL_MARKER "%zu:%s%s%s-->\n", t->ndirs - 1,
                             kinds[node->dir], *node->name ? ":" : "", node->name);
    return ok ? HZ_OK : tmpl_nomem(t);
}

static hz_status render_range(tmpl *t, size_t from, size_t to);

static hz_status render_body(tmpl *t, const tnode *node, size_t at, struct json_object *value,
                             bool loop, size_t index, size_t count)
{
    t->depth++;
    t->stack[t->depth] = (frame){value, loop, index, count};
    hz_status st = render_range(t, at + 1, node->end);
    t->depth--;
    return st;
}

static hz_status render_range(tmpl *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const tnode *node = &t->nodes.items[i];
        if (++t->steps > TMPL_MAX_STEPS || t->out.len > TMPL_MAX_OUTPUT) {
            char bytes[32], steps[32];
            snprintf(bytes, sizeof bytes, "%u", (unsigned)TMPL_MAX_OUTPUT);
            snprintf(steps, sizeof steps, "%u", (unsigned)TMPL_MAX_STEPS);
            return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_TOO_LARGE, node->line,
                             bytes, steps);
        }
        switch (node->kind) {
        case TN_TEXT:
            if (!hz_buf_append(&t->out, node->text, node->len))
                return tmpl_nomem(t);
            break;
        case TN_VAR: case TN_RAW: {
            char num[64];
            const char *text = NULL;
            struct json_object *v = NULL;
            if (tmpl_helper(t, node->name, num, sizeof num)) {
                text = num;
            } else if (!tmpl_resolve(t, node->name, &v)) {
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER,
                                 node->line, node->name, NULL);
            } else if (!format_scalar(v, num, sizeof num, &text)) {
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_NOT_SCALAR,
                                 node->line, node->name, NULL);
            }
            bool ok = node->kind == TN_RAW ? hz_buf_puts(&t->out, text) : append_escaped(&t->out, text);
            if (!ok)
                return tmpl_nomem(t);
            break;
        }
        case TN_SECTION: case TN_INVERTED: {
            struct json_object *v = NULL;
            bool found = tmpl_resolve(t, node->name, &v);
            hz_status st = HZ_OK;
            if (node->kind == TN_INVERTED) {
                if (!found || !truthy(v))
                    st = render_body(t, node, i, t->stack[t->depth].value, false, 0, 0);
            } else if (!found) {
                return tmpl_fail(t, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER,
                                 node->line, node->name, NULL);
            } else if (json_object_is_type(v, json_type_array)) {
                size_t n = json_object_array_length(v);
                for (size_t k = 0; k < n && st == HZ_OK; k++)
                    st = render_body(t, node, i, json_object_array_get_idx(v, k), true, k, n);
            } else if (truthy(v)) {
                st = render_body(t, node, i, v, false, 0, 0);
            }
            if (st != HZ_OK)
                return st;
            i = node->end - 1;
            break;
        }
        case TN_DIRECTIVE: {
            hz_status st = render_directive(t, node);
            if (st != HZ_OK)
                return st;
            break;
        }
        }
    }
    return HZ_OK;
}

static hz_status tmpl_expand(tmpl *t, const char *text, const char *name,
                             struct json_object *context, hz_error *err)
{
    memset(t, 0, sizeof *t);
    t->name = name ? name : "";
    t->err = err;
    t->root = context;
    if (!text)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "report_template: no template text", NULL);
    if (!json_object_is_type(context, json_type_object))
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_REPORT_TEMPLATE_BAD_CONTEXT, t->name, NULL);
    t->stack[0] = (frame){context, false, 0, 0};
    hz_status st = tmpl_parse(t, text);
    if (st == HZ_OK)
        st = render_range(t, 0, t->nodes.count);
    if (st == HZ_OK && !t->out.data && !hz_buf_puts(&t->out, ""))
        st = tmpl_nomem(t);
    return st;
}

hz_status report_template_expand(const char *template_text, const char *name,
                                 struct json_object *context, char **out_markdown,
                                 hz_error *err)
{
    tmpl t;
    *out_markdown = NULL;
    hz_status st = tmpl_expand(&t, template_text, name, context, err);
    if (st == HZ_OK) {
        *out_markdown = t.out.data;
        t.out.data = NULL;
    }
    tmpl_free(&t);
    return st;
}

/* ------------------------------------------------------------------ */
/* Stage 2: cmark tree to hz_doc.                                     */

typedef struct mapper {
    tmpl *t;
    hz_doc *doc;
    bool after_title;   /* the previous block was a DOC_TITLE */
    bool after_head;    /* ... a DOC_TITLE or DOC_SUBTITLE (主送机关 may follow) */
    bool in_quote;
} mapper;

/* CJK ideographs, kana, full-width forms and CJK punctuation: no space is
 * needed where a soft line break meets them. */
static bool is_wide(int32_t cp)
{
    return cp >= 0x2E80 || (cp >= 0x2000 && cp <= 0x206F);
}

static int32_t last_cp(const hz_buf *b)
{
    if (!b->len)
        return -1;
    size_t i = b->len - 1;
    while (i > 0 && ((unsigned char)b->data[i] & 0xC0) == 0x80)
        i--;
    const char *p = b->data + i;
    return hz_utf8_next(&p, b->data + b->len);
}

typedef struct inline_text {
    hz_buf buf;
    bool pending_break;
    bool keep_lines;
    bool ok;
} inline_text;

static void inline_put(inline_text *it, const char *s)
{
    if (!*s || !it->ok)
        return;
    if (it->pending_break && it->buf.len) {
        const char *p = s;
        int32_t next = hz_utf8_next(&p, s + strlen(s));
        int32_t prev = last_cp(&it->buf);
        if (it->keep_lines)
            it->ok = hz_buf_puts(&it->buf, "\n");
        else if (prev != ' ' && next != ' ' && !is_wide(prev) && !is_wide(next))
            it->ok = hz_buf_puts(&it->buf, " ");
    }
    it->pending_break = false;
    it->ok = it->ok && hz_buf_puts(&it->buf, s);
}

static void inline_collect(inline_text *it, cmark_node *node)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT: case CMARK_NODE_CODE:
            inline_put(it, cmark_node_get_literal(c));
            break;
        case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
            it->pending_break = true;
            break;
        case CMARK_NODE_HTML_INLINE:
            break;
        default:
            inline_collect(it, c);
            break;
        }
    }
}

/* Plain text of a block's inlines (malloc'd), or NULL on out-of-memory. */
static char *inline_text_of(cmark_node *node, bool keep_lines)
{
    inline_text it = {.keep_lines = keep_lines, .ok = true};
    inline_collect(&it, node);
    if (it.ok && !it.buf.data)
        it.ok = hz_buf_puts(&it.buf, "");
    if (!it.ok) {
        hz_buf_free(&it.buf);
        return NULL;
    }
    return it.buf.data;
}

static hz_status map_add(mapper *m, doc_block_kind kind, char *text)
{
    if (!text)
        return tmpl_nomem(m->t);
    doc_block *b = doc_add_text(m->doc, kind, text);
    if (b && kind == DOC_TITLE && !m->doc->title)
        m->doc->title = strdup(text);
    bool ok = b && (kind != DOC_TITLE || m->doc->title);
    free(text);
    m->after_title = kind == DOC_TITLE;
    m->after_head = kind == DOC_TITLE || kind == DOC_SUBTITLE;
    return ok ? HZ_OK : tmpl_nomem(m->t);
}

static hz_status map_html(mapper *m, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit || strncmp(lit, TMPL_MARKER, strlen(TMPL_MARKER)) != 0)
        return HZ_OK; /* raw HTML has no place in the report */
    char *end;
    unsigned long idx = strtoul(lit + strlen(TMPL_MARKER), &end, 10);
    if (end == lit + strlen(TMPL_MARKER) || idx >= m->t->ndirs)
        return hz_error_set(m->t->err, HZ_ERR_INTERNAL, HZ_M_INTERNAL, "report_template: bad marker", NULL);
    directive *d = &m->t->dirs[idx];
    doc_block *b = NULL;
    m->after_title = m->after_head = false;
    switch (d->kind) {
    case DIR_TABLE:
        if (!d->table)
            return hz_error_set(m->t->err, HZ_ERR_INTERNAL, HZ_M_INTERNAL, "report_template: marker reused", NULL);
        b = doc_add_table(m->doc, d->table);
        d->table = NULL;
        break;
    case DIR_CHART:
        if (!d->chart)
            return hz_error_set(m->t->err, HZ_ERR_INTERNAL, HZ_M_INTERNAL, "report_template: marker reused", NULL);
        b = doc_add_chart(m->doc, d->chart);
        d->chart = NULL;
        break;
    case DIR_PAGEBREAK:
        b = doc_add_break(m->doc, DOC_PAGE_BREAK);
        break;
    case DIR_ANNEX:
        b = doc_add_break(m->doc, DOC_ANNEX_BREAK);
        break;
    }
    return b ? HZ_OK : tmpl_nomem(m->t);
}

static hz_status map_block(mapper *m, cmark_node *node);

static hz_status map_children(mapper *m, cmark_node *node)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        hz_status st = map_block(m, c);
        if (st != HZ_OK)
            return st;
    }
    return HZ_OK;
}

static hz_status map_paragraph(mapper *m, cmark_node *node)
{
    if (m->in_quote)
        return map_add(m, DOC_SIGNATURE, inline_text_of(node, true));
    cmark_node *only = cmark_node_first_child(node);
    bool subtitle = m->after_title && only && !cmark_node_next(only) &&
                    cmark_node_get_type(only) == CMARK_NODE_EMPH;
    char *text = inline_text_of(node, false);
    if (text && !*text) {
        free(text);
        return HZ_OK;
    }
    if (subtitle)
        return map_add(m, DOC_SUBTITLE, text);
    if (!text)
        return tmpl_nomem(m->t);
    /* 主送机关 ("河南省市场监督管理局：") and 附件 lines are set flush left. */
    size_t len = strlen(text), colon = strlen("：");
    bool recipient = m->after_head && len > colon && strcmp(text + len - colon, "：") == 0;
    bool annex = strncmp(text, "附件", strlen("附件")) == 0;
    return map_add(m, recipient || annex ? DOC_PLAIN : DOC_PARAGRAPH, text);
}

static hz_status map_list(mapper *m, cmark_node *list)
{
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    long n = cmark_node_get_list_start(list);
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item), n++) {
        bool first = true;
        for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
            hz_status st;
            if (first && cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH) {
                char *body = inline_text_of(c, false);
                if (!body)
                    return tmpl_nomem(m->t);
                hz_buf b = {0};
                bool ok = ordered ? hz_buf_printf(&b, "%ld．%s", n, body) : hz_buf_puts(&b, body);
                free(body);
                if (!ok) {
                    hz_buf_free(&b);
                    return tmpl_nomem(m->t);
                }
                st = map_add(m, DOC_LIST_ITEM, b.data);
            } else {
                st = map_block(m, c);
            }
            first = false;
            if (st != HZ_OK)
                return st;
        }
    }
    return HZ_OK;
}

static hz_status map_block(mapper *m, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_HEADING: {
        int level = cmark_node_get_heading_level(node);
        doc_block_kind kind = level == 1 ? DOC_TITLE : level == 2 ? DOC_HEADING1
                            : level == 3 ? DOC_HEADING2 : DOC_HEADING3;
        return map_add(m, kind, inline_text_of(node, false));
    }
    case CMARK_NODE_PARAGRAPH:
        return map_paragraph(m, node);
    case CMARK_NODE_BLOCK_QUOTE: {
        bool was = m->in_quote;
        m->in_quote = true;
        hz_status st = map_children(m, node);
        m->in_quote = was;
        return st;
    }
    case CMARK_NODE_LIST:
        return map_list(m, node);
    case CMARK_NODE_THEMATIC_BREAK:
        m->after_title = m->after_head = false;
        return doc_add_break(m->doc, DOC_PAGE_BREAK) ? HZ_OK : tmpl_nomem(m->t);
    case CMARK_NODE_CODE_BLOCK: {
        const char *lit = cmark_node_get_literal(node);
        char *text = strdup(lit ? lit : "");
        if (text) {
            size_t len = strlen(text);
            while (len && text[len - 1] == '\n')
                text[--len] = '\0';
        }
        return map_add(m, DOC_PLAIN, text);
    }
    case CMARK_NODE_HTML_BLOCK:
        return map_html(m, node);
    default:
        return map_children(m, node);
    }
}

static void doc_info_from_context(hz_doc *doc, struct json_object *context)
{
    struct json_object *campaign = json_member(context, "campaign");
    struct json_object *report = json_member(context, "report");
    struct json_object *authority = json_member(campaign, "authority");
    if (json_object_is_type(authority, json_type_string))
        doc->author = strdup(json_object_get_string(authority));
    struct json_object *final = json_member(report, "final");
    doc->draft = json_object_is_type(final, json_type_boolean) && !json_object_get_boolean(final);
    struct json_object *date = json_member(report, "date");
    hz_date d;
    if (json_object_is_type(date, json_type_string) && hz_date_parse(json_object_get_string(date), &d))
        doc->created = d;
    struct json_object *title = json_member(report, "title");
    if (!doc->title && json_object_is_type(title, json_type_string))
        doc->title = strdup(json_object_get_string(title));
}

hz_status report_template_render(const char *template_text, const char *template_name,
                                 struct json_object *context, hz_doc **out, hz_error *err)
{
    *out = NULL;
    tmpl t;
    hz_status st = tmpl_expand(&t, template_text, template_name, context, err);
    if (st != HZ_OK) {
        tmpl_free(&t);
        return st;
    }
    cmark_node *root = cmark_parse_document(t.out.data, t.out.len, CMARK_OPT_DEFAULT);
    hz_doc *doc = root ? doc_new() : NULL;
    if (!root)
        st = hz_error_set(err, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_MARKDOWN, t.name, NULL);
    else if (!doc)
        st = tmpl_nomem(&t);
    if (st == HZ_OK) {
        mapper m = {.t = &t, .doc = doc};
        st = map_block(&m, root);
    }
    if (st == HZ_OK)
        doc_info_from_context(doc, context);
    if (root)
        cmark_node_free(root);
    tmpl_free(&t);
    if (st != HZ_OK) {
        doc_free(doc);
        return st;
    }
    *out = doc;
    return HZ_OK;
}

hz_status report_template_render_file(const char *path, struct json_object *context,
                                      hz_doc **out, hz_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, path, strerror(errno), NULL);
    hz_buf text = {0};
    char chunk[8192];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = hz_buf_append(&text, chunk, n);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (!ok) {
        hz_buf_free(&text);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    if (failed) {
        hz_buf_free(&text);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, path, strerror(EIO), NULL);
    }
    if (text.data && strlen(text.data) != text.len) {
        hz_buf_free(&text);
        return hz_error_set(err, HZ_ERR_TEMPLATE, HZ_M_REPORT_TEMPLATE_NOT_UTF8, path, "1", NULL);
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    hz_status st = report_template_render(text.data ? text.data : "", base, context, out, err);
    hz_buf_free(&text);
    return st;
}
