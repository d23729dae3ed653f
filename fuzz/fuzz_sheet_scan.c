/*
 * fuzz_sheet_scan.c - differential libFuzzer target (issue 19): the same
 * bytes go to the worksheet scanner (xlsx_sheet_scan.h) and to what the
 * reader did before it, expat 2.5 behind the byte check with the reader's
 * settings (UTF-8 forced, no namespaces, DOCTYPE and non-UTF-8 declarations
 * refused, depth limit in the start handler). It aborts when they disagree
 * on accept/reject, or, when both accept, on the event stream (element
 * starts with their attributes, ends, character data joined) or on the cell
 * stream derived from it as the reader derives it (reference, type, value,
 * style of every <c>). The scanner runs twice: fed one byte per read, and
 * in 64 KiB reads with a suspension after every element end, so refills
 * and resumption are held to the same answer.
 *
 * One difference is allowed, and checked to be that one: the scanner
 * counts a reference (&...;) longer than max_token as a too-long token
 * (it bounds the buffer), where expat streams it.
 */
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "xlsx_sheet_scan.h"

#define FZ_MAX_TOKEN 300u
#define FZ_MAX_DEPTH 24u
#define FZ_CHUNK (64u * 1024u)

typedef struct fz_log {
    char *data;
    size_t len, cap;
    bool in_text;      /* last record is text: join */
    /* cell stream, as the reader sees a sheet */
    char *cells;
    size_t cells_len, cells_cap;
    int capture;       /* 1 in <v>, 2 in <t> of <is> */
    bool in_cell, in_is;
    unsigned rph;
    char ref[64], type[64], style[64];
    char *val;
    size_t val_len, val_cap;
    unsigned depth;
    bool failed;       /* a handler refused (depth, DOCTYPE, encoding) */
} fz_log;

static void put(char **d, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *len + n + 1)
            c *= 2;
        char *p = realloc(*d, c);
        if (!p)
            abort();
        *d = p;
        *cap = c;
    }
    memcpy(*d + *len, s, n);
    *len += n;
    (*d)[*len] = '\0';
}

static void log_put(fz_log *l, const char *s, size_t n)
{
    put(&l->data, &l->len, &l->cap, s, n);
}

static const char *local_of(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void copy_attr(char *dst, size_t size, const char **attrs, const char *local)
{
    dst[0] = '\x02'; /* absent */
    dst[1] = '\0';
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(local_of(attrs[i]), local) == 0) {
            snprintf(dst, size, "%s", attrs[i + 1]);
            return;
        }
}

/* Returns false when the handler refuses (as the reader's depth check). */
static bool ev_start(fz_log *l, const char *name, const char **attrs)
{
    if (++l->depth > FZ_MAX_DEPTH) {
        l->failed = true;
        return false;
    }
    l->in_text = false;
    log_put(l, "\x01S", 2);
    log_put(l, name, strlen(name));
    for (size_t i = 0; attrs[i]; i += 2) {
        log_put(l, "\x01A", 2);
        log_put(l, attrs[i], strlen(attrs[i]));
        log_put(l, "=", 1);
        log_put(l, attrs[i + 1], strlen(attrs[i + 1]));
    }
    const char *local = local_of(name);
    if (!l->in_cell && strcmp(local, "c") == 0) {
        l->in_cell = true;
        l->in_is = false;
        l->rph = 0;
        l->capture = 0;
        l->val_len = 0;
        copy_attr(l->ref, sizeof l->ref, attrs, "r");
        copy_attr(l->type, sizeof l->type, attrs, "t");
        copy_attr(l->style, sizeof l->style, attrs, "s");
    } else if (l->in_cell && l->in_is) {
        if (strcmp(local, "rPh") == 0)
            l->rph++;
        else if (l->rph == 0 && strcmp(local, "t") == 0)
            l->capture = 2;
    } else if (l->in_cell && strcmp(local, "v") == 0) {
        l->val_len = 0;
        l->capture = 1;
    } else if (l->in_cell && strcmp(local, "is") == 0) {
        l->val_len = 0;
        l->in_is = true;
    }
    return true;
}

static void ev_end(fz_log *l, const char *name)
{
    l->depth--;
    l->in_text = false;
    log_put(l, "\x01E", 2);
    log_put(l, name, strlen(name));
    const char *local = local_of(name);
    if (!l->in_cell)
        return;
    if (l->in_is) {
        if (strcmp(local, "t") == 0)
            l->capture = 0;
        else if (strcmp(local, "rPh") == 0 && l->rph)
            l->rph--;
        else if (strcmp(local, "is") == 0)
            l->in_is = false;
        return;
    }
    if (strcmp(local, "v") == 0) {
        l->capture = 0;
    } else if (strcmp(local, "c") == 0) {
        l->in_cell = false;
        char head[256];
        int n = snprintf(head, sizeof head, "%s\x01%s\x01%s\x01", l->ref, l->type, l->style);
        put(&l->cells, &l->cells_len, &l->cells_cap, head, (size_t)n);
        put(&l->cells, &l->cells_len, &l->cells_cap, l->val ? l->val : "", l->val_len);
        put(&l->cells, &l->cells_len, &l->cells_cap, "\n", 1);
    }
}

static void ev_text(fz_log *l, const char *s, size_t n)
{
    if (n == 0)
        abort(); /* the scanner never delivers empty text */
    if (!l->in_text)
        log_put(l, "\x01T", 2);
    l->in_text = true;
    log_put(l, s, n);
    if (l->capture)
        put(&l->val, &l->val_len, &l->val_cap, s, n);
}

static void log_free(fz_log *l)
{
    free(l->data);
    free(l->cells);
    free(l->val);
}

/* ---- expat, as the reader drove it ---- */

typedef struct fz_expat {
    XML_Parser p;
    fz_log log;
} fz_expat;

static void XMLCALL x_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    fz_expat *x = ud;
    if (x->log.failed)
        return;
    if (!ev_start(&x->log, name, attrs))
        XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL x_end(void *ud, const XML_Char *name)
{
    fz_expat *x = ud;
    if (!x->log.failed)
        ev_end(&x->log, name);
}

static void XMLCALL x_text(void *ud, const XML_Char *s, int len)
{
    fz_expat *x = ud;
    if (!x->log.failed && len > 0)
        ev_text(&x->log, s, (size_t)len);
}

static void XMLCALL x_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                              const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    fz_expat *x = ud;
    x->log.failed = true;
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL x_decl(void *ud, const XML_Char *version, const XML_Char *encoding,
                           int standalone)
{
    (void)version, (void)standalone;
    fz_expat *x = ud;
    if (encoding && strcasecmp(encoding, "UTF-8") != 0 && strcasecmp(encoding, "UTF8") != 0) {
        x->log.failed = true;
        XML_StopParser(x->p, XML_FALSE);
    }
}

/* true when accepted; the log is filled either way. */
static bool run_expat(const uint8_t *data, size_t size, fz_log *out)
{
    fz_expat x;
    memset(&x, 0, sizeof x);
    x.p = XML_ParserCreate("UTF-8");
    if (!x.p)
        abort();
    XML_SetUserData(x.p, &x);
    XML_SetElementHandler(x.p, x_start, x_end);
    XML_SetCharacterDataHandler(x.p, x_text);
    XML_SetStartDoctypeDeclHandler(x.p, x_doctype);
    XML_SetXmlDeclHandler(x.p, x_decl);
    xlsx_bytecheck bc;
    xlsx_bytecheck_init(&bc, FZ_MAX_TOKEN);
    bool ok = true;
    size_t off = 0;
    for (;;) {
        size_t n = size - off < FZ_CHUNK ? size - off : FZ_CHUNK;
        if (xlsx_bytecheck_feed(&bc, data + off, n) != XLSX_SCAN_E_NONE) {
            ok = false;
            break;
        }
        if (XML_Parse(x.p, (const char *)data + off, (int)n, n == 0) != XML_STATUS_OK ||
            x.log.failed) {
            ok = false;
            break;
        }
        if (n == 0)
            break;
        off += n;
    }
    XML_ParserFree(x.p);
    *out = x.log;
    return ok;
}

/* ---- the scanner ---- */

typedef struct fz_scan {
    const uint8_t *data;
    size_t size, off, step;
    bool suspend;
    fz_log log;
} fz_scan;

static xlsx_scan_action s_start(void *ud, const char *name, const char *local, const char **attrs)
{
    fz_scan *f = ud;
    if (strcmp(local, local_of(name)) != 0)
        abort();
    return ev_start(&f->log, name, attrs) ? XLSX_SCAN_GO : XLSX_SCAN_STOP;
}

static xlsx_scan_action s_end(void *ud, const char *name, const char *local)
{
    fz_scan *f = ud;
    if (strcmp(local, local_of(name)) != 0)
        abort();
    ev_end(&f->log, name);
    return f->suspend ? XLSX_SCAN_SUSPEND : XLSX_SCAN_GO;
}

static xlsx_scan_action s_text(void *ud, const char *s, size_t n)
{
    fz_scan *f = ud;
    ev_text(&f->log, s, n);
    return XLSX_SCAN_GO;
}

static long long s_read(void *ud, char *buf, size_t cap)
{
    fz_scan *f = ud;
    size_t n = f->size - f->off;
    if (n > f->step)
        n = f->step;
    if (n > cap)
        n = cap;
    memcpy(buf, f->data + f->off, n);
    f->off += n;
    return (long long)n;
}

static bool run_scan(const uint8_t *data, size_t size, size_t step, bool suspend, fz_log *out,
                     xlsx_scan_error *kind)
{
    fz_scan f;
    memset(&f, 0, sizeof f);
    f.data = data;
    f.size = size;
    f.step = step;
    f.suspend = suspend;
    xlsx_scan_handlers h = {&f, s_start, s_end, s_text, s_read};
    xlsx_scan *sc = NULL;
    if (xlsx_scan_new(&h, FZ_MAX_TOKEN, &sc) != HZ_OK)
        abort();
    hz_status s;
    size_t rounds = 0;
    while ((s = xlsx_scan_run(sc)) == HZ_OK && !xlsx_scan_done(sc))
        if (++rounds > size + 2)
            abort(); /* a suspension per element end at most */
    bool ok = s == HZ_OK;
    *kind = xlsx_scan_error_kind(sc);
    if (ok != (*kind == XLSX_SCAN_E_NONE))
        abort();
    if (!ok && xlsx_scan_error_kind(sc) == XLSX_SCAN_E_XML && !xlsx_scan_error_text(sc)[0])
        abort();
    xlsx_scan_free(sc);
    *out = f.log;
    return ok;
}

/* The allowed difference: a reference longer than the token limit. */
static bool has_long_reference(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] != '&')
            continue;
        size_t k = i + 1;
        while (k < n && d[k] != ';' && d[k] != '<' && d[k] != '&' && d[k] != '"' &&
               d[k] != '\'' && d[k] != '>' && d[k] > ' ')
            k++;
        if (k - i + 1 > FZ_MAX_TOKEN)
            return true;
    }
    return false;
}

static void compare(const char *what, bool ok_x, const fz_log *x, bool ok_s, const fz_log *s,
                    xlsx_scan_error kind, const uint8_t *data, size_t size)
{
    if (ok_x != ok_s) {
        if (!ok_s && kind == XLSX_SCAN_E_TOKEN && has_long_reference(data, size))
            return;
        fprintf(stderr, "%s: expat %s, scanner %s (kind %d)\n", what,
                ok_x ? "accepts" : "refuses", ok_s ? "accepts" : "refuses", (int)kind);
        abort();
    }
    if (!ok_x)
        return;
    if (x->cells_len != s->cells_len || (x->cells_len && memcmp(x->cells, s->cells, x->cells_len))) {
        fprintf(stderr, "%s: cell streams differ\nexpat:   %s\nscanner: %s\n", what,
                x->cells ? x->cells : "", s->cells ? s->cells : "");
        abort();
    }
    if (x->len != s->len || (x->len && memcmp(x->data, s->data, x->len))) {
        fprintf(stderr, "%s: event streams differ\nexpat:   %s\nscanner: %s\n", what,
                x->data ? x->data : "", s->data ? s->data : "");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_log lx, l1, l2;
    xlsx_scan_error k1, k2;
    bool ok_x = run_expat(data, size, &lx);
    bool ok1 = run_scan(data, size, 1, false, &l1, &k1);
    bool ok2 = run_scan(data, size, FZ_CHUNK, true, &l2, &k2);
    compare("byte reads", ok_x, &lx, ok1, &l1, k1, data, size);
    compare("64 KiB reads, suspending", ok_x, &lx, ok2, &l2, k2, data, size);
    /* Which refusal comes first may depend on the reads (bad bytes are
     * refused a read at a time, as the byte check refuses a chunk), so
     * only the verdicts are compared, above. */
    log_free(&lx);
    log_free(&l1);
    log_free(&l2);
    return 0;
}
