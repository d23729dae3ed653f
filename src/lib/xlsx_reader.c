/*
 * xlsx_reader.c - streaming, defensive .xlsx reader (see xlsx_reader.h).
 *
 * Layout: a generic "part stream" (zip entry -> limit accounting -> UTF-8/NUL
 * check -> expat) that every part goes through, then one handler set per
 * part type: package rels, workbook, workbook rels, styles, shared strings
 * and worksheets. Whole parts (workbook, rels, styles, strings) are pumped to
 * the end at open time; a worksheet is pumped until the parser suspends
 * itself at the end of a row that has cells.
 *
 * Element and attribute names are matched by their local name (after the
 * last ':'), because prefixed documents (<x:c>) exist and a namespace-aware
 * parser would reject files with sloppy declarations that Excel accepts.
 */
#include "xlsx_reader.h"

#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>
#include "fsutil.h"
#include "hz_text.h"
#include "xlsx_sheet_scan.h"

#define XR_CHUNK (64u * 1024u)
/* Small parts compress extremely well without being dangerous; the ratio
 * only matters once a part is big enough to hurt. */
#define XR_RATIO_FLOOR (1024u * 1024u)
#define XR_SNIFF (64u * 1024u)
#define XR_MEMORY_NAME "(memory)"
/* Longest markup token (tag with its attributes, comment, processing
 * instruction, declaration) accepted. expat 2.5 rescans an unfinished token
 * from its start whenever a chunk arrives, so one token of n bytes costs
 * n^2 / (2 * XR_CHUNK): a 64 MiB attribute takes about a minute. Real
 * workbooks have tags of a few hundred bytes; text and CDATA content is
 * streamed by expat and not limited here (max_cell_chars covers it). */
#define XR_MAX_TOKEN (1024u * 1024u)

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

typedef struct xr_buf {
    char *data;
    size_t len, cap;
} xr_buf;

static bool buf_reserve(xr_buf *b, size_t extra)
{
    if (b->cap > b->len && extra < b->cap - b->len)
        return true; /* room for extra bytes and the NUL: every cell's case */
    if (extra > SIZE_MAX / 2 - b->len)
        return false;
    return hz_array_reserve(&b->data, &b->cap, b->len + extra + 1, 1);
}

static bool buf_append(xr_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static void buf_clear(xr_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static char *xr_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr_get(const char **attrs, const char *name)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(local_name(attrs[i]), name) == 0)
            return attrs[i + 1];
    return NULL;
}

/* Plain decimal digits only (no sign, no spaces); false on overflow. */
static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Reads "_xHHHH_" at s (n bytes available); -1 when it is not one. */
static long escape_at(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hz_hex_digit((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Decodes the OOXML "_xHHHH_" escapes in place (the output is never longer
 * than the input); returns the new length. _x0000_ and lone surrogates stay
 * literal because they cannot be represented in a C string / valid UTF-8. */
static size_t unescape_ooxml(char *s, size_t n)
{
    size_t r = 0, w = 0;
    while (r < n) {
        long cp = s[r] == '_' ? escape_at(s + r, n - r) : -1;
        if (cp > 0 && (cp < 0xD800 || cp > 0xDFFF)) {
            w += (size_t)hz_utf8_encode((int32_t)cp, s + w);
            r += 7;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = escape_at(s + r + 7, n - r - 7);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                unsigned long full = 0x10000ul + (((unsigned long)cp - 0xD800ul) << 10) +
                                     ((unsigned long)lo - 0xDC00ul);
                w += (size_t)hz_utf8_encode((int32_t)full, s + w);
                r += 14;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    s[w] = '\0';
    return w;
}

/* ------------------------------------------------------------------ */
/* Book                                                                */

typedef struct xr_sheet_ref {
    char *name;
    char *rid;
    char *part;
} xr_sheet_ref;

typedef struct xr_rel {
    char *id, *target, *type;
    bool external;
} xr_rel;

typedef struct xr_rels {
    xr_rel *items;
    size_t count, cap;
} xr_rels;

struct xlsx_book {
    zip_t *zip;
    char *display;            /* path, or "(memory)", for messages */
    hz_limits limits;
    xr_sheet_ref *sheets;
    size_t sheet_count, sheet_cap;
    bool date1904;
    char *sst_part;           /* NULL when the workbook has none */
    xr_buf sst_pool;          /* every shared string, NUL-terminated */
    size_t *sst_off, *sst_len;
    size_t sst_count, sst_cap, sst_len_cap;
    bool *xf_date;            /* cellXfs index -> is a date format */
    size_t xf_count;
    xlsx_sheet *open_sheet;
};

void xlsx_limits_default(hz_limits *limits)
{
    limits->max_entry_bytes = 64ull * 1024 * 1024;
    limits->max_total_bytes = 256ull * 1024 * 1024;
    limits->max_ratio = 200;
    limits->max_entries = 1000;
    limits->max_cell_chars = 32767;
    limits->max_rows = 1048576;
    limits->max_cols = 16384;
    limits->max_shared_strings = 2000000;
    limits->max_xml_depth = 64;
    limits->max_text_bytes = 64ull * 1024 * 1024;
    limits->max_issues_per_rule = 100;
}

/* A zero field means "not configured": it takes the default. */
static void limits_merge(hz_limits *dst, const hz_limits *src)
{
    xlsx_limits_default(dst);
    if (!src)
        return;
#define XR_TAKE(f) if (src->f) dst->f = src->f
    XR_TAKE(max_entry_bytes);
    XR_TAKE(max_total_bytes);
    XR_TAKE(max_ratio);
    XR_TAKE(max_entries);
    XR_TAKE(max_cell_chars);
    XR_TAKE(max_rows);
    XR_TAKE(max_cols);
    XR_TAKE(max_shared_strings);
    XR_TAKE(max_xml_depth);
    XR_TAKE(max_text_bytes);
    XR_TAKE(max_issues_per_rule);
#undef XR_TAKE
}

/* ------------------------------------------------------------------ */
/* Part stream                                                         */

typedef struct xr_stream xr_stream;
/* name: the element's local name (after its last ':'). */
typedef void (*xr_start_fn)(xr_stream *xs, const char *name, const char **attrs);
typedef void (*xr_end_fn)(xr_stream *xs, const char *name);

struct xr_stream {
    xlsx_book *book;
    char *part;
    zip_file_t *zf;
    XML_Parser parser;        /* every part but worksheets */
    xlsx_scan *scan;          /* worksheets (xlsx_sheet_scan.h) */
    char *chunk;
    uint64_t declared, inflated;
    unsigned depth;
    xlsx_bytecheck check;     /* the expat path's byte check */
    bool final_fed, suspended, finished, want_suspend;
    hz_status status;
    hz_error error;
    xr_start_fn on_start;
    xr_end_fn on_end;
    void (*on_text)(xr_stream *xs, const char *s, int len);
    void *user;
};

static void xs_fail(xr_stream *xs, hz_status status, hz_msg_id msg, const char *a3,
                    const char *a4)
{
    if (xs->status != HZ_OK)
        return;
    xs->status = status;
    hz_error_set(&xs->error, status, msg, xs->book->display, xs->part, a3, a4, NULL);
    if (xs->parser)
        XML_StopParser(xs->parser, XML_FALSE);
}

/* The line of the event being handled, on either path. */
static unsigned long xs_line(const xr_stream *xs)
{
    if (xs->scan)
        return xlsx_scan_line(xs->scan);
    return (unsigned long)XML_GetCurrentLineNumber(xs->parser);
}

static void xs_fail_line(xr_stream *xs, hz_status status, hz_msg_id msg, const char *a3)
{
    char line[32];
    snprintf(line, sizeof line, "%lu", xs_line(xs));
    if (a3)
        xs_fail(xs, status, msg, a3, line);
    else
        xs_fail(xs, status, msg, line, NULL);
}

static void xs_fail_nomem(xr_stream *xs)
{
    if (xs->status != HZ_OK)
        return;
    xs->status = HZ_ERR_NOMEM;
    hz_error_set(&xs->error, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (xs->parser)
        XML_StopParser(xs->parser, XML_FALSE);
}

/* Asks the parser to return to the caller after the current event. */
static void xs_suspend(xr_stream *xs)
{
    if (xs->parser)
        XML_StopParser(xs->parser, XML_TRUE);
    else
        xs->want_suspend = true;
}

static hz_status xs_report(const xr_stream *xs, hz_error *err)
{
    if (err)
        *err = xs->error;
    return xs->status;
}

/* Depth limit, then the part's handler; false once the stream failed. */
static bool xs_on_start(xr_stream *xs, const char *local, const char **attrs)
{
    if (xs->status != HZ_OK)
        return false;
    if (++xs->depth > xs->book->limits.max_xml_depth) {
        char lim[32];
        snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_xml_depth);
        xs_fail_line(xs, HZ_ERR_LIMIT, HZ_M_XLSX_DEPTH, lim);
        return false;
    }
    if (xs->on_start)
        xs->on_start(xs, local, attrs);
    return xs->status == HZ_OK;
}

static bool xs_on_end(xr_stream *xs, const char *local)
{
    if (xs->status != HZ_OK)
        return false;
    xs->depth--;
    if (xs->on_end)
        xs->on_end(xs, local);
    return xs->status == HZ_OK;
}

static void XMLCALL xs_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xs_on_start(ud, local_name(name), attrs);
}

static void XMLCALL xs_end(void *ud, const XML_Char *name)
{
    xs_on_end(ud, local_name(name));
}

static void XMLCALL xs_text(void *ud, const XML_Char *s, int len)
{
    xr_stream *xs = ud;
    if (xs->status != HZ_OK || !xs->on_text)
        return;
    xs->on_text(xs, s, len);
}

static xlsx_scan_action xs_scan_after(xr_stream *xs, bool ok)
{
    if (!ok)
        return XLSX_SCAN_STOP;
    if (xs->want_suspend) {
        xs->want_suspend = false;
        return XLSX_SCAN_SUSPEND;
    }
    return XLSX_SCAN_GO;
}

static xlsx_scan_action xs_scan_start(void *ud, const char *name, const char *local,
                                      const char **attrs)
{
    (void)name;
    return xs_scan_after(ud, xs_on_start(ud, local, attrs));
}

static xlsx_scan_action xs_scan_end(void *ud, const char *name, const char *local)
{
    (void)name;
    return xs_scan_after(ud, xs_on_end(ud, local));
}

static xlsx_scan_action xs_scan_text(void *ud, const char *s, size_t len)
{
    xr_stream *xs = ud;
    if (xs->status == HZ_OK && xs->on_text)
        xs->on_text(xs, s, (int)len); /* pieces never exceed the scanner's buffer */
    return xs_scan_after(xs, xs->status == HZ_OK);
}

static void XMLCALL xs_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    xr_stream *xs = ud;
    xs_fail_line(xs, HZ_ERR_FORMAT, HZ_M_XLSX_DOCTYPE, NULL);
}

/* Every part is read as UTF-8 (the parser is created for UTF-8, which
 * overrides a declaration), so the byte checks hold for every part; a part
 * that declares another encoding is refused rather than read differently
 * from what it says. */
static void XMLCALL xs_xmldecl(void *ud, const XML_Char *version, const XML_Char *encoding,
                               int standalone)
{
    (void)version, (void)standalone;
    xr_stream *xs = ud;
    if (encoding && strcasecmp(encoding, "UTF-8") != 0 && strcasecmp(encoding, "UTF8") != 0) {
        char shown[40];
        snprintf(shown, sizeof shown, "%.32s", encoding);
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_PART_ENCODING, shown, NULL);
    }
}

static void xs_close(xr_stream *xs)
{
    if (xs->parser)
        XML_ParserFree(xs->parser);
    xlsx_scan_free(xs->scan);
    if (xs->zf)
        zip_fclose(xs->zf);
    free(xs->chunk);
    free(xs->part);
    xs->parser = NULL;
    xs->scan = NULL;
    xs->zf = NULL;
    xs->chunk = NULL;
    xs->part = NULL;
}

static long long xs_scan_read(void *ud, char *buf, size_t cap);

/* Opens part for parsing, with the worksheet scanner when sheet is true,
 * with expat otherwise. When the part does not exist: with required the
 * result is HZ_M_XLSX_MISSING_PART, otherwise HZ_ERR_NOT_FOUND without
 * touching err. */
static hz_status xs_open(xr_stream *xs, xlsx_book *book, const char *part, bool required,
                         bool sheet, hz_error *err)
{
    memset(xs, 0, sizeof *xs);
    xs->book = book;
    xlsx_bytecheck_init(&xs->check, XR_MAX_TOKEN);
    zip_int64_t idx = zip_name_locate(book->zip, part, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required)
            return HZ_ERR_NOT_FOUND;
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_MISSING_PART, book->display, part,
                            NULL);
    }
    xs->part = xr_strdup(part);
    bool made;
    if (sheet) {
        xlsx_scan_handlers h = {xs, xs_scan_start, xs_scan_end, xs_scan_text, xs_scan_read};
        made = xlsx_scan_new(&h, XR_MAX_TOKEN, &xs->scan) == HZ_OK;
    } else {
        xs->chunk = malloc(XR_CHUNK);
        xs->parser = XML_ParserCreate("UTF-8");
        made = xs->chunk && xs->parser;
    }
    if (!xs->part || !made) {
        xs_close(xs);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(book->zip, (zip_uint64_t)idx, 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE)) {
        hz_status s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_READ, book->display, part,
                                   zip_strerror(book->zip), NULL);
        xs_close(xs);
        return s;
    }
    xs->declared = st.size;
    xs->zf = zip_fopen_index(book->zip, (zip_uint64_t)idx, 0);
    if (!xs->zf) {
        hz_status s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_READ, book->display, part,
                                   zip_strerror(book->zip), NULL);
        xs_close(xs);
        return s;
    }
    if (xs->parser) {
        XML_SetUserData(xs->parser, xs);
        XML_SetElementHandler(xs->parser, xs_start, xs_end);
        XML_SetCharacterDataHandler(xs->parser, xs_text);
        XML_SetStartDoctypeDeclHandler(xs->parser, xs_doctype);
        XML_SetXmlDeclHandler(xs->parser, xs_xmldecl);
    }
    return HZ_OK;
}

/* Accounts for n freshly inflated bytes against the size limits and the
 * directory's claim (n == 0: the part has ended). */
static bool xs_count(xr_stream *xs, size_t n)
{
    char num[32];
    xs->inflated += n;
    if (xs->inflated > xs->book->limits.max_entry_bytes) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)xs->book->limits.max_entry_bytes);
        xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_ENTRY_TOO_LARGE, num, NULL);
        return false;
    }
    if (xs->inflated > xs->declared) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)xs->declared);
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_MISMATCH, num, NULL);
        return false;
    }
    if (n == 0 && xs->inflated < xs->declared) {
        char got[32];
        snprintf(got, sizeof got, "%llu", (unsigned long long)xs->inflated);
        snprintf(num, sizeof num, "%llu", (unsigned long long)xs->declared);
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_SIZE_SHORT, got, num);
        return false;
    }
    return true;
}

/* The byte-level refusals, shared by both paths. */
static void xs_fail_bytes(xr_stream *xs, xlsx_scan_error e, unsigned long line_no)
{
    char line[32], lim[32];
    snprintf(line, sizeof line, "%lu", line_no);
    switch (e) {
    case XLSX_SCAN_E_UTF16:
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_PART_UTF16, NULL, NULL);
        break;
    case XLSX_SCAN_E_UTF8:
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_UTF8, line, NULL);
        break;
    case XLSX_SCAN_E_NUL:
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_NUL_BYTE, line, NULL);
        break;
    case XLSX_SCAN_E_TOKEN:
        snprintf(lim, sizeof lim, "%u", (unsigned)XR_MAX_TOKEN);
        xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOKEN_TOO_LONG, lim, line);
        break;
    default:
        break;
    }
}

/* Accounts for n freshly inflated bytes: limits, then the byte check. */
static bool xs_account(xr_stream *xs, const unsigned char *p, size_t n)
{
    if (!xs_count(xs, n))
        return false;
    xlsx_scan_error e = xlsx_bytecheck_feed(&xs->check, p, n);
    if (e != XLSX_SCAN_E_NONE) {
        xs_fail_bytes(xs, e, xs->check.line);
        return false;
    }
    return true;
}

/* The scanner's reads: inflated straight into its buffer, counted. */
static long long xs_scan_read(void *ud, char *buf, size_t cap)
{
    xr_stream *xs = ud;
    zip_int64_t n = zip_fread(xs->zf, buf, cap);
    if (n < 0) {
        xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_READ, zip_file_strerror(xs->zf), NULL);
        return -1;
    }
    if (!xs_count(xs, (size_t)n))
        return -1;
    return (long long)n;
}

/* The scanner path of xs_pump. */
static hz_status xs_pump_scan(xr_stream *xs, hz_error *err)
{
    hz_status s = xlsx_scan_run(xs->scan);
    if (xs->status == HZ_OK && s != HZ_OK) {
        /* the scanner's own refusal (a handler's or a read's is already
         * in xs->error) */
        xlsx_scan_error e = xlsx_scan_error_kind(xs->scan);
        unsigned long line_no = xlsx_scan_line(xs->scan);
        char line[32];
        snprintf(line, sizeof line, "%lu", line_no);
        switch (e) {
        case XLSX_SCAN_E_XML:
            xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_XML, line, xlsx_scan_error_text(xs->scan));
            break;
        case XLSX_SCAN_E_DOCTYPE:
            xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_DOCTYPE, line, NULL);
            break;
        case XLSX_SCAN_E_ENCODING:
            xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_PART_ENCODING, xlsx_scan_error_text(xs->scan),
                    NULL);
            break;
        case XLSX_SCAN_E_NOMEM:
            xs_fail_nomem(xs);
            break;
        case XLSX_SCAN_E_UTF16:
        case XLSX_SCAN_E_UTF8:
        case XLSX_SCAN_E_NUL:
        case XLSX_SCAN_E_TOKEN:
            xs_fail_bytes(xs, e, line_no);
            break;
        default:
            xs_fail(xs, HZ_ERR_INTERNAL, HZ_M_XLSX_XML, line, "scanner stopped");
            break;
        }
    }
    if (xs->status != HZ_OK)
        return xs_report(xs, err);
    if (xlsx_scan_done(xs->scan))
        xs->finished = true;
    return HZ_OK;
}

/* Parses until the handlers suspend the parser or the part ends. */
static hz_status xs_pump(xr_stream *xs, hz_error *err)
{
    if (xs->scan)
        return xs->finished ? HZ_OK : xs_pump_scan(xs, err);
    while (xs->status == HZ_OK && !xs->finished) {
        enum XML_Status st;
        if (xs->suspended) {
            xs->suspended = false;
            st = XML_ResumeParser(xs->parser);
        } else {
            zip_int64_t n = zip_fread(xs->zf, xs->chunk, XR_CHUNK);
            if (n < 0) {
                xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_READ, zip_file_strerror(xs->zf), NULL);
                break;
            }
            if (!xs_account(xs, (const unsigned char *)xs->chunk, (size_t)n))
                break;
            xs->final_fed = n == 0;
            st = XML_Parse(xs->parser, xs->chunk, (int)n, n == 0);
        }
        if (st == XML_STATUS_ERROR) {
            if (xs->status == HZ_OK) {
                char line[32];
                snprintf(line, sizeof line, "%lu",
                         (unsigned long)XML_GetCurrentLineNumber(xs->parser));
                xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_XML, line,
                        XML_ErrorString(XML_GetErrorCode(xs->parser)));
            }
            break;
        }
        if (xs->status != HZ_OK)
            break;
        if (st == XML_STATUS_SUSPENDED) {
            xs->suspended = true;
            return HZ_OK;
        }
        if (xs->final_fed)
            xs->finished = true;
    }
    if (xs->status != HZ_OK)
        return xs_report(xs, err);
    return HZ_OK;
}

/* Parses a whole part with the given handlers: with expat, as every part
 * but the worksheets (the scanner is for worksheets only, issue 19). */
static hz_status parse_part(xlsx_book *book, const char *part, bool required,
                            xr_start_fn on_start, xr_end_fn on_end,
                            void (*on_text)(xr_stream *, const char *, int), void *user,
                            hz_error *err)
{
    xr_stream xs;
    hz_status s = xs_open(&xs, book, part, required, false, err);
    if (s != HZ_OK)
        return s;
    xs.on_start = on_start;
    xs.on_end = on_end;
    xs.on_text = on_text;
    xs.user = user;
    s = xs_pump(&xs, err);
    xs_close(&xs);
    return s;
}

/* ------------------------------------------------------------------ */
/* Relationships                                                       */

static void rels_free(xr_rels *rels)
{
    for (size_t i = 0; i < rels->count; i++) {
        free(rels->items[i].id);
        free(rels->items[i].target);
        free(rels->items[i].type);
    }
    free(rels->items);
    memset(rels, 0, sizeof *rels);
}

static void rels_start(xr_stream *xs, const char *name, const char **attrs)
{
    xr_rels *rels = xs->user;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = attr_get(attrs, "Id"), *target = attr_get(attrs, "Target");
    const char *type = attr_get(attrs, "Type"), *mode = attr_get(attrs, "TargetMode");
    if (!id || !target)
        return;
    /* Same reasoning as for sheets: each target is a part (entry). */
    if (rels->count >= xs->book->limits.max_entries) {
        char lim[32];
        snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_entries);
        xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_RELS, lim, NULL);
        return;
    }
    if (!hz_array_reserve(&rels->items, &rels->cap, rels->count + 1, sizeof *rels->items)) {
        xs_fail_nomem(xs);
        return;
    }
    xr_rel *r = &rels->items[rels->count];
    r->id = xr_strdup(id);
    r->target = xr_strdup(target);
    r->type = xr_strdup(type ? type : "");
    r->external = mode && strcmp(mode, "External") == 0;
    rels->count++;
    if (!r->id || !r->target || !r->type)
        xs_fail_nomem(xs);
}

static const xr_rel *rels_find_id(const xr_rels *rels, const char *id)
{
    for (size_t i = 0; i < rels->count; i++)
        if (strcmp(rels->items[i].id, id) == 0)
            return &rels->items[i];
    return NULL;
}

static const xr_rel *rels_find_type(const xr_rels *rels, const char *suffix)
{
    for (size_t i = 0; i < rels->count; i++)
        if (!rels->items[i].external && ends_with(rels->items[i].type, suffix))
            return &rels->items[i];
    return NULL;
}

/* Resolves a relationship target against the folder of the source part
 * ("xl/" for xl/workbook.xml): absolute targets start at the package root;
 * "." and ".." segments are folded. NULL when it climbs above the root. */
static char *resolve_target(const char *base_dir, const char *target)
{
    size_t bl = strlen(base_dir), tl = strlen(target);
    char *joined = malloc(bl + tl + 2);
    if (!joined)
        return NULL;
    if (target[0] == '/') {
        memcpy(joined, target + 1, tl); /* includes the NUL */
    } else {
        memcpy(joined, base_dir, bl);
        memcpy(joined + bl, target, tl + 1);
    }
    /* Fold segments into out. */
    char *out = malloc(strlen(joined) + 1);
    if (!out) {
        free(joined);
        return NULL;
    }
    size_t w = 0;
    char *save = NULL;
    for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            if (w == 0) {
                free(joined);
                free(out);
                return NULL;
            }
            while (w > 0 && out[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
            continue;
        }
        if (w > 0)
            out[w++] = '/';
        size_t sl = strlen(seg);
        memcpy(out + w, seg, sl);
        w += sl;
    }
    out[w] = '\0';
    free(joined);
    if (w == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* "xl/workbook.xml" -> "xl/" ; "workbook.xml" -> "". */
static char *part_dir(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part) + 1 : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, part, n);
        d[n] = '\0';
    }
    return d;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static char *rels_part_of(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dl = slash ? (size_t)(slash - part) + 1 : 0;
    const char *base = part + dl;
    size_t n = dl + strlen("_rels/") + strlen(base) + strlen(".rels") + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s_rels/%s.rels", (int)dl, part, base);
    return p;
}

/* ------------------------------------------------------------------ */
/* Workbook                                                            */

typedef struct wb_ctx {
    bool in_sheets;
} wb_ctx;

static void wb_start(xr_stream *xs, const char *name, const char **attrs)
{
    wb_ctx *c = xs->user;
    xlsx_book *b = xs->book;
    if (strcmp(name, "workbookPr") == 0) {
        const char *v = attr_get(attrs, "date1904");
        if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))
            b->date1904 = true;
    } else if (strcmp(name, "sheets") == 0) {
        c->in_sheets = true;
    } else if (c->in_sheets && strcmp(name, "sheet") == 0) {
        const char *sname = attr_get(attrs, "name"), *rid = attr_get(attrs, "id");
        if (!sname || !rid || !*sname) {
            xs_fail_line(xs, HZ_ERR_FORMAT, HZ_M_XLSX_SHEET_ENTRY, NULL);
            return;
        }
        /* Every sheet is a zip entry of its own, so a longer list is not a
         * real workbook; the bound also keeps the name and relationship
         * lookups (quadratic in the sheet count) fast. */
        if (b->sheet_count >= b->limits.max_entries) {
            char lim[32];
            snprintf(lim, sizeof lim, "%u", (unsigned)b->limits.max_entries);
            xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_SHEETS, lim, NULL);
            return;
        }
        if (!hz_array_reserve(&b->sheets, &b->sheet_cap, b->sheet_count + 1,
                              sizeof *b->sheets)) {
            xs_fail_nomem(xs);
            return;
        }
        xr_sheet_ref *r = &b->sheets[b->sheet_count++];
        r->name = xr_strdup(sname);
        r->rid = xr_strdup(rid);
        r->part = NULL;
        if (!r->name || !r->rid)
            xs_fail_nomem(xs);
    }
}

static void wb_end(xr_stream *xs, const char *name)
{
    wb_ctx *c = xs->user;
    if (strcmp(name, "sheets") == 0)
        c->in_sheets = false;
}

/* ------------------------------------------------------------------ */
/* Styles                                                              */

static bool builtin_date_format(uint64_t id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom number format shows a date or time when it has a date/time token
 * outside quoted literals, backslash escapes, _x / *x spacing and [...]
 * sections (colours, locales, conditions), except elapsed-time [h] [mm] [ss]. */
static bool format_code_is_date(const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == '"') {
            s++;
            while (*s && *s != '"')
                s++;
            if (!*s)
                break;
            continue;
        }
        if (c == '[') {
            const char *e = strchr(s, ']');
            if (!e)
                break;
            bool elapsed = e > s + 1;
            for (const char *p = s + 1; p < e; p++)
                if (!strchr("hHmMsS", *p))
                    elapsed = false;
            if (elapsed)
                return true;
            s = e;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            if (s[1])
                s++;
            continue;
        }
        if ((c == 'G' || c == 'g') && strncmp(s + 1, "eneral", 6) == 0) {
            s += 6;
            continue;
        }
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's')
            return true;
    }
    return false;
}

typedef struct st_fmt {
    uint64_t id;
    size_t seq;       /* document order: a later definition wins */
    bool is_date;
} st_fmt;

static int st_fmt_cmp(const void *a, const void *b)
{
    const st_fmt *x = a, *y = b;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

typedef struct st_ctx {
    bool in_numfmts, in_cellxfs;
    st_fmt *fmts;
    size_t fmt_count, fmt_cap;
    uint64_t *xf_fmt;
    size_t xf_count, xf_cap;
} st_ctx;

static void st_start(xr_stream *xs, const char *name, const char **attrs)
{
    st_ctx *c = xs->user;
    if (strcmp(name, "numFmts") == 0)
        c->in_numfmts = true;
    else if (strcmp(name, "cellXfs") == 0)
        c->in_cellxfs = true;
    else if (c->in_numfmts && strcmp(name, "numFmt") == 0) {
        uint64_t id;
        const char *code = attr_get(attrs, "formatCode");
        if (!parse_u64(attr_get(attrs, "numFmtId"), &id) || !code)
            return;
        if (!hz_array_reserve(&c->fmts, &c->fmt_cap, c->fmt_count + 1, sizeof *c->fmts)) {
            xs_fail_nomem(xs);
            return;
        }
        c->fmts[c->fmt_count] = (st_fmt){id, c->fmt_count, format_code_is_date(code)};
        c->fmt_count++;
    } else if (c->in_cellxfs && strcmp(name, "xf") == 0) {
        uint64_t id = 0;
        if (!parse_u64(attr_get(attrs, "numFmtId"), &id))
            id = 0;
        if (!hz_array_reserve(&c->xf_fmt, &c->xf_cap, c->xf_count + 1, sizeof *c->xf_fmt)) {
            xs_fail_nomem(xs);
            return;
        }
        c->xf_fmt[c->xf_count++] = id;
    }
}

static void st_end(xr_stream *xs, const char *name)
{
    st_ctx *c = xs->user;
    if (strcmp(name, "numFmts") == 0)
        c->in_numfmts = false;
    else if (strcmp(name, "cellXfs") == 0)
        c->in_cellxfs = false;
}

static hz_status load_styles(xlsx_book *b, const char *part, hz_error *err)
{
    st_ctx c = {0};
    hz_status s = parse_part(b, part, false, st_start, st_end, NULL, &c, err);
    if (s == HZ_ERR_NOT_FOUND)
        s = HZ_OK;
    if (s == HZ_OK && c.xf_count) {
        b->xf_date = calloc(c.xf_count, sizeof *b->xf_date);
        if (!b->xf_date)
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        else {
            /* Sorted by id, keeping only the last definition of each id, so
             * that hostile styles with many formats stay O(n log n). */
            size_t nf = 0;
            if (c.fmt_count)
                qsort(c.fmts, c.fmt_count, sizeof *c.fmts, st_fmt_cmp);
            for (size_t k = 0; k < c.fmt_count; k++) {
                if (nf > 0 && c.fmts[nf - 1].id == c.fmts[k].id)
                    nf--;
                c.fmts[nf++] = c.fmts[k];
            }
            b->xf_count = c.xf_count;
            for (size_t i = 0; i < c.xf_count; i++) {
                uint64_t id = c.xf_fmt[i];
                /* A custom code with a built-in id overrides the built-in. */
                st_fmt key = {id, 0, false};
                size_t lo = 0, hi = nf;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (c.fmts[mid].id < key.id)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                b->xf_date[i] = lo < nf && c.fmts[lo].id == id ? c.fmts[lo].is_date
                                                               : builtin_date_format(id);
            }
        }
    }
    free(c.fmts);
    free(c.xf_fmt);
    return s;
}

/* ------------------------------------------------------------------ */
/* Shared strings                                                      */

typedef struct sst_ctx {
    bool in_si, in_t;
    unsigned rph;
    xr_buf cur;
    size_t raw_cap;
} sst_ctx;

static void sst_start(xr_stream *xs, const char *name, const char **attrs)
{
    (void)attrs;
    sst_ctx *c = xs->user;
    if (strcmp(name, "si") == 0) {
        c->in_si = true;
        c->rph = 0;
        buf_clear(&c->cur);
    } else if (c->in_si && strcmp(name, "rPh") == 0) {
        c->rph++;
    } else if (c->in_si && c->rph == 0 && strcmp(name, "t") == 0) {
        c->in_t = true;
    }
}

static void sst_too_long(xr_stream *xs)
{
    char idx[32], lim[32];
    snprintf(idx, sizeof idx, "%zu", xs->book->sst_count + 1);
    snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_cell_chars);
    xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_STRING_TOO_LONG, idx, lim);
}

static void sst_end(xr_stream *xs, const char *name)
{
    sst_ctx *c = xs->user;
    xlsx_book *b = xs->book;
    if (strcmp(name, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        if (c->rph)
            c->rph--;
    } else if (strcmp(name, "si") == 0 && c->in_si) {
        c->in_si = false;
        size_t len = c->cur.len ? unescape_ooxml(c->cur.data, c->cur.len) : 0;
        if (len > b->limits.max_cell_chars &&
            utf8_chars(c->cur.data, len) > b->limits.max_cell_chars) {
            sst_too_long(xs);
            return;
        }
        if (b->sst_count >= b->limits.max_shared_strings) {
            char lim[32];
            snprintf(lim, sizeof lim, "%u", (unsigned)b->limits.max_shared_strings);
            xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_STRINGS, lim, NULL);
            return;
        }
        if (!hz_array_reserve(&b->sst_off, &b->sst_cap, b->sst_count + 1, sizeof *b->sst_off) ||
            !hz_array_reserve(&b->sst_len, &b->sst_len_cap, b->sst_count + 1,
                              sizeof *b->sst_len)) {
            xs_fail_nomem(xs);
            return;
        }
        size_t at = b->sst_pool.len;
        if (!buf_append(&b->sst_pool, c->cur.data ? c->cur.data : "", len) ||
            !buf_append(&b->sst_pool, "", 1)) {
            xs_fail_nomem(xs);
            return;
        }
        b->sst_off[b->sst_count] = at;
        b->sst_len[b->sst_count] = len;
        b->sst_count++;
    }
}

static void sst_text(xr_stream *xs, const char *s, int len)
{
    sst_ctx *c = xs->user;
    if (!c->in_t)
        return;
    if (c->cur.len + (size_t)len > c->raw_cap) {
        sst_too_long(xs);
        return;
    }
    if (!buf_append(&c->cur, s, (size_t)len))
        xs_fail_nomem(xs);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void book_free(xlsx_book *b)
{
    if (!b)
        return;
    if (b->open_sheet)
        xlsx_sheet_close(b->open_sheet);
    if (b->zip)
        zip_discard(b->zip);
    for (size_t i = 0; i < b->sheet_count; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].rid);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    free(b->display);
    free(b->sst_part);
    free(b->sst_pool.data);
    free(b->sst_off);
    free(b->sst_len);
    free(b->xf_date);
    free(b);
}

void xlsx_book_close(xlsx_book *book)
{
    book_free(book);
}

/* Refuses what is recognisably not an xlsx from its first bytes. */
static hz_status sniff(const unsigned char *p, size_t n, const char *display, hz_error *err)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= 8 && memcmp(p, ole, 8) == 0) {
        /* Encrypted OOXML is an OLE container with an "EncryptionInfo"
         * stream; its directory entry names are UTF-16LE. */
        static const char name[] = "EncryptionInfo";
        size_t nl = sizeof name - 1;
        for (size_t i = 0; i + nl * 2 <= n; i++) {
            size_t k = 0;
            while (k < nl && p[i + 2 * k] == (unsigned char)name[k] && p[i + 2 * k + 1] == 0)
                k++;
            if (k == nl)
                return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ENCRYPTED, display, NULL);
        }
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_OLD_XLS, display, NULL);
    }
    if (n < 4 || p[0] != 'P' || p[1] != 'K' ||
        !((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_NOT_ZIP, display, NULL);
    return HZ_OK;
}

typedef struct xr_entry_name {
    const char *name;
    zip_uint64_t index;
} xr_entry_name;

static int entry_name_cmp(const void *a, const void *b)
{
    const xr_entry_name *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* Two entries whose names are equal, or equal ignoring case, make the
 * package ambiguous: parts are located ignoring case (as Excel does), and
 * another reader may take the other copy, so the city and the county would
 * see different workbooks. Sorting keeps this O(n log n). */
static hz_status check_entry_names(xlsx_book *b, zip_int64_t n, hz_error *err)
{
    if (n < 2)
        return HZ_OK;
    xr_entry_name *names = malloc((size_t)n * sizeof *names);
    if (!names)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(b->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        names[i] = (xr_entry_name){name ? name : "", (zip_uint64_t)i};
    }
    qsort(names, (size_t)n, sizeof *names, entry_name_cmp);
    hz_status s = HZ_OK;
    for (zip_int64_t i = 1; i < n && s == HZ_OK; i++)
        if (strcasecmp(names[i - 1].name, names[i].name) == 0)
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_DUP_ENTRY, b->display,
                             names[i - 1].name, names[i].name, NULL);
    free(names);
    return s;
}

static hz_status check_entries(xlsx_book *b, hz_error *err)
{
    char a[32], c[32];
    zip_int64_t n = zip_get_num_entries(b->zip, 0);
    if (n < 0)
        n = 0;
    if ((uint64_t)n > b->limits.max_entries) {
        snprintf(a, sizeof a, "%lld", (long long)n);
        snprintf(c, sizeof c, "%u", (unsigned)b->limits.max_entries);
        return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_ENTRIES, b->display, a, c,
                            NULL);
    }
    hz_status named = check_entry_names(b, n, err);
    if (named != HZ_OK)
        return named;
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(b->zip, (zip_uint64_t)i, 0, &st) != 0)
            return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_CORRUPT, b->display,
                                zip_strerror(b->zip), NULL);
        const char *name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "?";
        uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
        uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        if (size > b->limits.max_entry_bytes) {
            snprintf(a, sizeof a, "%llu", (unsigned long long)b->limits.max_entry_bytes);
            return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_XLSX_ENTRY_TOO_LARGE, b->display, name,
                                a, NULL);
        }
        total += size;
        if (total > b->limits.max_total_bytes) {
            snprintf(a, sizeof a, "%llu", (unsigned long long)b->limits.max_total_bytes);
            return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_XLSX_TOTAL_TOO_LARGE, b->display, a,
                                NULL);
        }
        if (size > XR_RATIO_FLOOR &&
            (comp == 0 || size / comp >= (uint64_t)b->limits.max_ratio + 1)) {
            snprintf(a, sizeof a, "%llu", comp ? (unsigned long long)(size / comp) : 0ull);
            if (!comp)
                snprintf(a, sizeof a, "%s", "∞");
            snprintf(c, sizeof c, "%u", (unsigned)b->limits.max_ratio);
            return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_XLSX_RATIO, b->display, name, a, c,
                                NULL);
        }
    }
    return HZ_OK;
}

/* The main part: from _rels/.rels when it names one, else xl/workbook.xml. */
static hz_status find_workbook(xlsx_book *b, char **out, hz_error *err)
{
    xr_rels rels = {0};
    *out = NULL;
    hz_status s = parse_part(b, "_rels/.rels", false, rels_start, NULL, NULL, &rels, err);
    if (s == HZ_ERR_NOT_FOUND)
        s = HZ_OK;
    if (s == HZ_OK) {
        const xr_rel *r = rels_find_type(&rels, "/officeDocument");
        if (r) {
            *out = resolve_target("", r->target);
            if (!*out)
                s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, b->display,
                                 "_rels/.rels", r->target, NULL);
        } else {
            *out = xr_strdup("xl/workbook.xml");
            if (!*out)
                s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
    }
    rels_free(&rels);
    return s;
}

/* An OpenDocument file (.ods, also a zip) names itself in its first entry,
 * "mimetype"; said plainly instead of "xl/workbook.xml is missing". */
static hz_status refuse_opendocument(xlsx_book *b, hz_error *err)
{
    static const char prefix[] = "application/vnd.oasis.opendocument";
    zip_int64_t index = zip_name_locate(b->zip, "mimetype", 0);
    if (index < 0)
        return HZ_OK;
    zip_file_t *f = zip_fopen_index(b->zip, (zip_uint64_t)index, 0);
    if (!f)
        return HZ_OK;
    char head[sizeof prefix];
    zip_int64_t n = zip_fread(f, head, sizeof prefix - 1);
    zip_fclose(f);
    if (n == (zip_int64_t)(sizeof prefix - 1) && !memcmp(head, prefix, sizeof prefix - 1))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_OPENDOCUMENT, b->display, NULL);
    return HZ_OK;
}

static hz_status book_load(xlsx_book *b, hz_error *err)
{
    char *wb = NULL, *wb_rels = NULL, *dir = NULL, *styles = NULL;
    xr_rels rels = {0};
    hz_status s = check_entries(b, err);
    if (s == HZ_OK)
        s = refuse_opendocument(b, err);
    if (s == HZ_OK)
        s = find_workbook(b, &wb, err);
    if (s == HZ_OK) {
        wb_ctx c = {0};
        s = parse_part(b, wb, true, wb_start, wb_end, NULL, &c, err);
    }
    if (s == HZ_OK && b->sheet_count == 0)
        s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_NO_SHEETS, b->display, NULL);
    if (s == HZ_OK) {
        wb_rels = rels_part_of(wb);
        dir = part_dir(wb);
        if (!wb_rels || !dir)
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    if (s == HZ_OK)
        s = parse_part(b, wb_rels, true, rels_start, NULL, NULL, &rels, err);
    for (size_t i = 0; s == HZ_OK && i < b->sheet_count; i++) {
        xr_sheet_ref *sh = &b->sheets[i];
        for (size_t k = 0; s == HZ_OK && k < i; k++)
            if (strcmp(b->sheets[k].name, sh->name) == 0)
                s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_SHEET_DUP, b->display,
                                 sh->name, NULL);
        if (s != HZ_OK)
            break;
        const xr_rel *r = rels_find_id(&rels, sh->rid);
        if (!r) {
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_SHEET_REL, b->display, sh->name,
                             sh->rid, wb_rels, NULL);
            break;
        }
        if (r->external) { /* a sheet outside the package is never read */
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, b->display, wb_rels,
                             r->target, NULL);
            break;
        }
        sh->part = resolve_target(dir, r->target);
        if (!sh->part)
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, b->display, wb_rels,
                             r->target, NULL);
    }
    if (s == HZ_OK) {
        const xr_rel *r = rels_find_type(&rels, "/styles");
        styles = resolve_target(dir, r ? r->target : "styles.xml");
        r = rels_find_type(&rels, "/sharedStrings");
        b->sst_part = resolve_target(dir, r ? r->target : "sharedStrings.xml");
        if (!styles || !b->sst_part)
            s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TARGET, b->display, wb_rels,
                             r ? r->target : "styles.xml", NULL);
    }
    if (s == HZ_OK)
        s = load_styles(b, styles, err);
    if (s == HZ_OK) {
        sst_ctx c = {0};
        c.raw_cap = (size_t)b->limits.max_cell_chars * 8 + 64;
        s = parse_part(b, b->sst_part, false, sst_start, sst_end, sst_text, &c, err);
        free(c.cur.data);
        if (s == HZ_ERR_NOT_FOUND) {
            free(b->sst_part);
            b->sst_part = NULL;
            s = HZ_OK;
        }
    }
    free(wb);
    free(wb_rels);
    free(dir);
    free(styles);
    rels_free(&rels);
    return s;
}

static hz_status book_new(const char *display, const hz_limits *limits, xlsx_book **out,
                          hz_error *err)
{
    xlsx_book *b = calloc(1, sizeof *b);
    if (b)
        b->display = xr_strdup(display);
    if (!b || !b->display) {
        free(b);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    limits_merge(&b->limits, limits);
    *out = b;
    return HZ_OK;
}

static hz_status zip_open_failed(const char *display, zip_error_t *ze, hz_error *err)
{
    int code = zip_error_code_zip(ze);
    hz_status s;
    if (code == ZIP_ER_MEMORY)
        s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    else if (code == ZIP_ER_INCONS)
        s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_INCONSISTENT, display,
                         zip_error_strerror(ze), NULL);
    else if (code == ZIP_ER_OPEN || code == ZIP_ER_READ)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, display, zip_error_strerror(ze), NULL);
    else /* the magic said zip, so a "not a zip" here means damaged/truncated */
        s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_CORRUPT, display,
                         zip_error_strerror(ze), NULL);
    return s;
}

hz_status xlsx_book_open(const char *path, const hz_limits *limits, xlsx_book **out,
                         hz_error *err)
{
    *out = NULL;
    int fd;
    hz_status s = fs_open_regular(path, &fd, err);
    if (s != HZ_OK)
        return s;
    unsigned char *head = malloc(XR_SNIFF);
    if (!head) {
        close(fd);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    ssize_t got = pread(fd, head, XR_SNIFF, 0);
    if (got < 0) {
        int saved = errno;
        free(head);
        close(fd);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, path, strerror(saved), NULL);
    }
    s = sniff(head, (size_t)got, path, err);
    free(head);
    if (s != HZ_OK) {
        close(fd);
        return s;
    }

    xlsx_book *b;
    s = book_new(path, limits, &b, err);
    if (s != HZ_OK) {
        close(fd);
        return s;
    }
    int code = 0;
    /* the descriptor checked by fs_open_regular is the one read (libzip
     * owns it from here); ZIP_CHECKCONS compares every local header with
     * the central directory */
    b->zip = zip_fdopen(fd, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!b->zip && code == ZIP_ER_EXISTS && lseek(fd, 0, SEEK_SET) == 0) {
        /* libzip's consistency check refuses a name that occurs twice
         * without saying which: opened again without it only to name them */
        int loose_code = 0;
        b->zip = zip_fdopen(fd, ZIP_RDONLY, &loose_code);
        if (b->zip) {
            s = check_entry_names(b, zip_get_num_entries(b->zip, 0), err);
            if (s == HZ_OK)
                s = hz_error_set(err, HZ_ERR_FORMAT, HZ_M_XLSX_ZIP_CORRUPT, path,
                                 zip_strerror(b->zip), NULL);
            book_free(b); /* closes fd */
            return s;
        }
    }
    if (!b->zip) {
        close(fd);
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        s = zip_open_failed(path, &ze, err);
        zip_error_fini(&ze);
        book_free(b);
        return s;
    }
    s = book_load(b, err);
    if (s != HZ_OK) {
        book_free(b);
        return s;
    }
    *out = b;
    return HZ_OK;
}

hz_status xlsx_book_open_memory(const void *data, size_t size, const hz_limits *limits,
                                xlsx_book **out, hz_error *err)
{
    *out = NULL;
    hz_status s = sniff(data, data ? size : 0, XR_MEMORY_NAME, err);
    if (s != HZ_OK)
        return s;
    xlsx_book *b;
    s = book_new(XR_MEMORY_NAME, limits, &b, err);
    if (s != HZ_OK)
        return s;
    void *copy = malloc(size);
    if (!copy) {
        book_free(b);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    memcpy(copy, data, size);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(copy, size, 1, &ze);
    if (!src) {
        free(copy);
        s = zip_open_failed(XR_MEMORY_NAME, &ze, err);
        zip_error_fini(&ze);
        book_free(b);
        return s;
    }
    b->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!b->zip && zip_error_code_zip(&ze) == ZIP_ER_EXISTS) {
        /* as in xlsx_book_open: opened again only to name the twins */
        zip_error_t loose_error;
        zip_error_init(&loose_error);
        zip_source_keep(src);
        b->zip = zip_open_from_source(src, ZIP_RDONLY, &loose_error);
        zip_error_fini(&loose_error);
        if (b->zip) {
            s = check_entry_names(b, zip_get_num_entries(b->zip, 0), err);
            if (s == HZ_OK)
                s = zip_open_failed(XR_MEMORY_NAME, &ze, err);
            zip_source_free(src); /* the reference kept above */
            zip_error_fini(&ze);
            book_free(b);
            return s;
        }
        zip_source_free(src); /* the reference kept above */
    }
    if (!b->zip) {
        zip_source_free(src);
        s = zip_open_failed(XR_MEMORY_NAME, &ze, err);
        zip_error_fini(&ze);
        book_free(b);
        return s;
    }
    zip_error_fini(&ze);
    s = book_load(b, err);
    if (s != HZ_OK) {
        book_free(b);
        return s;
    }
    *out = b;
    return HZ_OK;
}

size_t xlsx_book_sheet_count(const xlsx_book *book)
{
    return book ? book->sheet_count : 0;
}

const char *xlsx_book_sheet_name(const xlsx_book *book, size_t index)
{
    return book && index < book->sheet_count ? book->sheets[index].name : NULL;
}

static const xr_sheet_ref *find_sheet(const xlsx_book *book, const char *name)
{
    for (size_t i = 0; book && name && i < book->sheet_count; i++)
        if (strcmp(book->sheets[i].name, name) == 0)
            return &book->sheets[i];
    return NULL;
}

bool xlsx_book_has_sheet(const xlsx_book *book, const char *name)
{
    return find_sheet(book, name) != NULL;
}

bool xlsx_book_date1904(const xlsx_book *book)
{
    return book && book->date1904;
}

/* ------------------------------------------------------------------ */
/* Worksheet streaming                                                 */

typedef enum xr_ctype { CT_N, CT_S, CT_STR, CT_INLINE, CT_B, CT_E, CT_D } xr_ctype;

struct xlsx_sheet {
    xlsx_book *book;
    xr_stream xs;
    bool in_data;
    /* Current row. */
    bool in_row, row_fixed;
    uint32_t row;
    int64_t last_row;         /* -1 before the first row */
    bool have_col;
    uint32_t prev_col;
    /* Current cell. */
    bool in_cell, in_is, has_v, has_is, formula;
    int capture;              /* 0 none, 1 <v>, 2 <t> inside <is> */
    unsigned is_rph;
    uint32_t c_row, c_col;
    xr_ctype c_type;
    uint64_t c_style;
    xr_buf val;
    size_t raw_cap;
    /* Row being built / delivered. */
    xlsx_cell *cells;
    size_t *offs;             /* offset into pool, SIZE_MAX when text is elsewhere */
    size_t count, cap, offs_cap;
    xr_buf pool;
    xlsx_row out;
    bool row_ready, done;
    bool row_hidden;
    /* <mergeCells>, after <sheetData> */
    xlsx_range *merges;
    size_t merge_count, merge_total;
};

static void sh_fail_ref(xr_stream *xs, hz_status st, hz_msg_id msg, uint32_t row, uint32_t col,
                        const char *a4)
{
    char ref[24];
    xlsx_ref_format(row, col, ref, sizeof ref);
    xs_fail(xs, st, msg, ref, a4);
}

static void sh_fail_row_limit(xr_stream *xs, uint64_t row1)
{
    char r[32], lim[32];
    snprintf(r, sizeof r, "%llu", (unsigned long long)row1);
    snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_rows);
    xs_fail(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_ROWS, r, lim);
}

static void sh_fail_order(xr_stream *xs, uint64_t row1, int64_t last_row)
{
    char r[32], p[32];
    snprintf(r, sizeof r, "%llu", (unsigned long long)row1);
    snprintf(p, sizeof p, "%lld", (long long)last_row + 1);
    xs_fail(xs, HZ_ERR_FORMAT, HZ_M_XLSX_ROW_ORDER, r, p);
}

/* Takes row (0-based) as the current row if it is in order and in range. */
static bool sh_set_row(xr_stream *xs, xlsx_sheet *sh, uint64_t row)
{
    if ((int64_t)row <= sh->last_row) {
        sh_fail_order(xs, row + 1, sh->last_row);
        return false;
    }
    if (row >= xs->book->limits.max_rows) {
        sh_fail_row_limit(xs, row + 1);
        return false;
    }
    sh->row = (uint32_t)row;
    return true;
}

/* strcmp(a, b) == 0 for the one- to nine-letter names of worksheet
 * markup, inline: a call per attribute and element was a tenth of the
 * handlers' time (issue 19). */
static inline bool same_name(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* name is the one letter c (the names of cells and values) */
static inline bool name_is_letter(const char *name, char c)
{
    return name[0] == c && name[1] == '\0';
}

/* The attributes of one element in one pass (they come once per cell):
 * for each wanted local name, its first value, as attr_get finds it. */
static void attrs_pick(const char **attrs, const char *const *names, const char **out, size_t n)
{
    for (size_t k = 0; k < n; k++)
        out[k] = NULL;
    for (size_t i = 0; attrs[i]; i += 2) {
        /* the usual case, a one-letter name without prefix, needs no scan */
        const char *a = attrs[i][0] && !attrs[i][1] ? attrs[i] : local_name(attrs[i]);
        for (size_t k = 0; k < n; k++)
            if (!out[k] && a[0] == names[k][0] && same_name(a, names[k])) {
                out[k] = attrs[i + 1];
                break;
            }
    }
}

static void sh_row_start(xr_stream *xs, xlsx_sheet *sh, const char **attrs)
{
    static const char *const names[] = {"r", "hidden"};
    const char *v[2];
    attrs_pick(attrs, names, v, 2);
    const char *r = v[0], *hidden = v[1];
    sh->row_hidden = hidden && (!strcmp(hidden, "1") || !strcmp(hidden, "true"));
    sh->in_row = true;
    sh->count = 0;
    buf_clear(&sh->pool);
    sh->have_col = false;
    if (r) {
        uint64_t n;
        if (!parse_u64(r, &n) || n == 0 || n > (uint64_t)UINT32_MAX + 1) {
            char shown[40];
            snprintf(shown, sizeof shown, "%.32s", r);
            xs_fail_line(xs, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_REF, shown);
            return;
        }
        sh->row_fixed = true;
        sh_set_row(xs, sh, n - 1);
    } else {
        /* The first cell's reference may still tell the row. */
        sh->row_fixed = false;
        sh->row = (uint32_t)(sh->last_row + 1);
    }
}

static void sh_cell_start(xr_stream *xs, xlsx_sheet *sh, const char **attrs)
{
    /* attrs_pick of "r", "t" and "s", by their one letter: this runs for
     * every cell */
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; attrs[i]; i += 2) {
        const char *a = attrs[i][0] && !attrs[i][1] ? attrs[i] : local_name(attrs[i]);
        if (!a[0] || a[1])
            continue;
        const char **slot = a[0] == 'r' ? &r : a[0] == 't' ? &t : a[0] == 's' ? &s : NULL;
        if (slot && !*slot)
            *slot = attrs[i + 1];
    }
    uint32_t row = sh->row, col;
    if (r) {
        if (!xlsx_ref_parse(r, &row, &col)) {
            char shown[40];
            snprintf(shown, sizeof shown, "%.32s", r);
            xs_fail_line(xs, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_REF, shown);
            return;
        }
        if (!sh->row_fixed) {
            if (!sh_set_row(xs, sh, row))
                return;
        } else if (row != sh->row) {
            char rn[32];
            snprintf(rn, sizeof rn, "%llu", (unsigned long long)sh->row + 1);
            sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_CELL_ROW, row, col, rn);
            return;
        }
    } else {
        if (sh->have_col && sh->prev_col == UINT32_MAX) {
            char lim[32];
            snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_cols);
            sh_fail_ref(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_COLS, sh->row, sh->prev_col, lim);
            return;
        }
        col = sh->have_col ? sh->prev_col + 1 : 0;
        if (!sh->row_fixed && sh->row >= xs->book->limits.max_rows) {
            sh_fail_row_limit(xs, (uint64_t)sh->row + 1);
            return;
        }
    }
    sh->row_fixed = true;
    if (col >= xs->book->limits.max_cols) {
        char lim[32];
        snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_cols);
        sh_fail_ref(xs, HZ_ERR_LIMIT, HZ_M_XLSX_TOO_MANY_COLS, row, col, lim);
        return;
    }
    sh->have_col = true;
    sh->prev_col = col;
    sh->c_row = sh->row;
    sh->c_col = col;
    if (!t || name_is_letter(t, 'n'))
        sh->c_type = CT_N;
    else if (name_is_letter(t, 's'))
        sh->c_type = CT_S;
    else if (same_name(t, "str"))
        sh->c_type = CT_STR;
    else if (same_name(t, "inlineStr"))
        sh->c_type = CT_INLINE;
    else if (same_name(t, "b"))
        sh->c_type = CT_B;
    else if (same_name(t, "e"))
        sh->c_type = CT_E;
    else if (same_name(t, "d"))
        sh->c_type = CT_D;
    else {
        char shown[40];
        snprintf(shown, sizeof shown, "%.32s", t);
        sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_TYPE, row, col, shown);
        return;
    }
    if (!parse_u64(s, &sh->c_style))
        sh->c_style = 0;
    sh->in_cell = true;
    sh->in_is = sh->has_v = sh->has_is = sh->formula = false;
    sh->capture = 0;
    sh->is_rph = 0;
    buf_clear(&sh->val);
}

/* <mergeCell ref="A1:B2">: kept when well-formed; a malformed one is not
 * a reason to refuse the sheet (the merge only changes how it looks). */
static void sh_merge(xr_stream *xs, xlsx_sheet *sh, const char **attrs)
{
    const char *ref = attr_get(attrs, "ref");
    const char *colon = ref ? strchr(ref, ':') : NULL;
    char first[32];
    xlsx_range m;
    if (!colon || (size_t)(colon - ref) >= sizeof first)
        return;
    memcpy(first, ref, (size_t)(colon - ref));
    first[colon - ref] = '\0';
    if (!xlsx_ref_parse(first, &m.first_row, &m.first_col) ||
        !xlsx_ref_parse(colon + 1, &m.last_row, &m.last_col) || m.last_row < m.first_row ||
        m.last_col < m.first_col)
        return;
    sh->merge_total++;
    if (sh->merge_count >= XLSX_MAX_MERGES)
        return;
    if (!sh->merges) {
        sh->merges = calloc(XLSX_MAX_MERGES, sizeof *sh->merges);
        if (!sh->merges) {
            xs_fail_nomem(xs);
            return;
        }
    }
    sh->merges[sh->merge_count++] = m;
}

static void sh_start(xr_stream *xs, const char *name, const char **attrs)
{
    xlsx_sheet *sh = xs->user;
    if (!sh->in_data) {
        if (same_name(name, "sheetData"))
            sh->in_data = true;
        else if (same_name(name, "mergeCell"))
            sh_merge(xs, sh, attrs);
        return;
    }
    if (!sh->in_row) {
        if (same_name(name, "row"))
            sh_row_start(xs, sh, attrs);
        return;
    }
    if (!sh->in_cell) {
        if (name_is_letter(name, 'c'))
            sh_cell_start(xs, sh, attrs);
        return;
    }
    if (sh->in_is) {
        if (same_name(name, "rPh"))
            sh->is_rph++;
        else if (sh->is_rph == 0 && same_name(name, "t"))
            sh->capture = 2;
        return;
    }
    if (name_is_letter(name, 'v')) {
        buf_clear(&sh->val);
        sh->capture = 1;
    } else if (same_name(name, "f")) {
        sh->formula = true;
    } else if (same_name(name, "is")) {
        buf_clear(&sh->val);
        sh->in_is = true;
    }
}

/* The common number, [-]digits[.digits] with at most 15 digits in all:
 * the integer of its digits and the power of ten are exact doubles, so one
 * IEEE division gives the correctly rounded value, the one strtod gives
 * (Clinger's fast path). false: anything else, for the full parse. */
static bool parse_number_simple(const char *s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    bool negative = *s == '-';
    s += negative;
    uint64_t m = 0;
    unsigned digits = 0, fraction = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        m = m * 10 + (uint64_t)(*s - '0');
    if (digits == 0)
        return false;
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++, fraction++)
            m = m * 10 + (uint64_t)(*s - '0');
        if (fraction == 0)
            return false;
    }
    if (*s || digits + fraction > 15)
        return false;
    double v = (double)m / pow10[fraction];
    *out = negative ? -v : v;
    return true;
}

static bool parse_number(const char *s, double *out)
{
    if (parse_number_simple(s, out))
        return true;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (!*s)
        return false;
    /* strtod would also take "nan", "inf" and hex floats. */
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE \t\r\n", *p))
            return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE)
        return false;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end)
        return false;
    *out = v;
    return true;
}

static void sh_bad_value(xr_stream *xs, xlsx_sheet *sh)
{
    char shown[48];
    snprintf(shown, sizeof shown, "%.40s", sh->val.data ? sh->val.data : "");
    sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_BAD_VALUE, sh->c_row, sh->c_col, shown);
}

static void sh_cell_end(xr_stream *xs, xlsx_sheet *sh)
{
    xlsx_book *b = xs->book;
    xlsx_cell cell = {sh->c_row, sh->c_col, XLSX_CELL_EMPTY, 0.0, "", 0, false, sh->formula};
    size_t off = SIZE_MAX;
    const char *v = sh->val.data ? sh->val.data : "";
    bool text = false;
    sh->in_cell = false;
    switch (sh->c_type) {
    case CT_S: {
        uint64_t idx;
        if (!sh->has_v || sh->val.len == 0)
            break;
        if (!parse_u64(v, &idx)) {
            sh_bad_value(xs, sh);
            return;
        }
        if (!b->sst_part) {
            sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_NO_SHARED_STRINGS, sh->c_row, sh->c_col,
                        NULL);
            return;
        }
        if (idx >= b->sst_count) {
            sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_SST_INDEX, sh->c_row, sh->c_col, v);
            return;
        }
        cell.type = XLSX_CELL_STRING;
        cell.text = b->sst_pool.data + b->sst_off[idx];
        cell.text_len = b->sst_len[idx];
        break;
    }
    case CT_INLINE:
        if (!sh->has_is && !sh->has_v)
            break;
        cell.type = XLSX_CELL_STRING;
        text = true;
        break;
    case CT_STR:
    case CT_D:
        if (!sh->has_v)
            break;
        cell.type = XLSX_CELL_STRING;
        text = true;
        break;
    case CT_E:
        if (!sh->has_v)
            break;
        cell.type = XLSX_CELL_ERROR;
        text = true;
        break;
    case CT_B:
        if (!sh->has_v || sh->val.len == 0)
            break;
        if (same_name(v, "1") || same_name(v, "true"))
            cell.number = 1;
        else if (same_name(v, "0") || same_name(v, "false"))
            cell.number = 0;
        else {
            sh_bad_value(xs, sh);
            return;
        }
        cell.type = XLSX_CELL_BOOL;
        break;
    case CT_N:
        if (!sh->has_v || sh->val.len == 0)
            break;
        if (!parse_number(v, &cell.number)) {
            sh_bad_value(xs, sh);
            return;
        }
        cell.type = XLSX_CELL_NUMBER;
        cell.is_date = sh->c_style < b->xf_count && b->xf_date[sh->c_style];
        break;
    }
    if (text) {
        size_t len = sh->val.len ? unescape_ooxml(sh->val.data, sh->val.len) : 0;
        /* characters never outnumber bytes: only a long text is counted */
        if (len > b->limits.max_cell_chars && utf8_chars(v, len) > b->limits.max_cell_chars) {
            char lim[32];
            snprintf(lim, sizeof lim, "%u", (unsigned)b->limits.max_cell_chars);
            sh_fail_ref(xs, HZ_ERR_LIMIT, HZ_M_XLSX_CELL_TOO_LONG, sh->c_row, sh->c_col, lim);
            return;
        }
        off = sh->pool.len;
        if (!buf_append(&sh->pool, v, len) || !buf_append(&sh->pool, "", 1)) {
            xs_fail_nomem(xs);
            return;
        }
        cell.text_len = len;
    }
    /* More cells than columns means some column repeats. */
    if (sh->count >= b->limits.max_cols) {
        sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_DUP_CELL, sh->c_row, sh->c_col, NULL);
        return;
    }
    if ((sh->count >= sh->cap &&
         !hz_array_reserve(&sh->cells, &sh->cap, sh->count + 1, sizeof *sh->cells)) ||
        (sh->count >= sh->offs_cap &&
         !hz_array_reserve(&sh->offs, &sh->offs_cap, sh->count + 1, sizeof *sh->offs))) {
        xs_fail_nomem(xs);
        return;
    }
    sh->cells[sh->count] = cell;
    sh->offs[sh->count] = off;
    sh->count++;
}

static int cell_cmp(const void *a, const void *b)
{
    uint32_t x = ((const xlsx_cell *)a)->col, y = ((const xlsx_cell *)b)->col;
    return (x > y) - (x < y);
}

static void sh_row_end(xr_stream *xs, xlsx_sheet *sh)
{
    sh->in_row = false;
    sh->last_row = sh->row;
    if (sh->count == 0)
        return;
    bool sorted = true;
    for (size_t i = 0; i < sh->count; i++) {
        if (sh->offs[i] != SIZE_MAX)
            sh->cells[i].text = sh->pool.data + sh->offs[i];
        if (i > 0 && sh->cells[i].col <= sh->cells[i - 1].col)
            sorted = false;
    }
    if (!sorted) {
        qsort(sh->cells, sh->count, sizeof *sh->cells, cell_cmp);
        for (size_t i = 1; i < sh->count; i++)
            if (sh->cells[i].col == sh->cells[i - 1].col) {
                sh_fail_ref(xs, HZ_ERR_FORMAT, HZ_M_XLSX_DUP_CELL, sh->row, sh->cells[i].col,
                            NULL);
                return;
            }
    }
    sh->out.row = sh->row;
    sh->out.cells = sh->cells;
    sh->out.count = sh->count;
    sh->out.hidden = sh->row_hidden;
    sh->row_ready = true;
    xs_suspend(xs);
}

static void sh_end(xr_stream *xs, const char *name)
{
    xlsx_sheet *sh = xs->user;
    if (!sh->in_data)
        return;
    if (sh->in_cell) {
        if (sh->in_is) {
            if (same_name(name, "t"))
                sh->capture = 0;
            else if (same_name(name, "rPh") && sh->is_rph)
                sh->is_rph--;
            else if (same_name(name, "is")) {
                sh->in_is = false;
                sh->has_is = true;
            }
            return;
        }
        if (name_is_letter(name, 'v')) {
            sh->capture = 0;
            sh->has_v = true;
        } else if (name_is_letter(name, 'c')) {
            sh_cell_end(xs, sh);
        }
        return;
    }
    if (sh->in_row) {
        if (same_name(name, "row"))
            sh_row_end(xs, sh);
        return;
    }
    if (same_name(name, "sheetData"))
        sh->in_data = false;
}

static void sh_text(xr_stream *xs, const char *s, int len)
{
    xlsx_sheet *sh = xs->user;
    if (!sh->capture)
        return;
    if (sh->val.len + (size_t)len > sh->raw_cap) {
        char lim[32];
        snprintf(lim, sizeof lim, "%u", (unsigned)xs->book->limits.max_cell_chars);
        sh_fail_ref(xs, HZ_ERR_LIMIT, HZ_M_XLSX_CELL_TOO_LONG, sh->c_row, sh->c_col, lim);
        return;
    }
    if (!buf_append(&sh->val, s, (size_t)len))
        xs_fail_nomem(xs);
}

hz_status xlsx_sheet_open(xlsx_book *book, const char *name, xlsx_sheet **out, hz_error *err)
{
    *out = NULL;
    const xr_sheet_ref *ref = find_sheet(book, name);
    if (!ref)
        return hz_error_set(err, HZ_ERR_NOT_FOUND, HZ_M_XLSX_SHEET_NOT_FOUND,
                            book ? book->display : "", name ? name : "", NULL);
    if (book->open_sheet)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_XLSX_SHEET_BUSY, book->display, NULL);
    xlsx_sheet *sh = calloc(1, sizeof *sh);
    if (!sh)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    hz_status s = xs_open(&sh->xs, book, ref->part, true, true, err);
    if (s != HZ_OK) {
        free(sh);
        return s;
    }
    sh->book = book;
    sh->last_row = -1;
    sh->raw_cap = (size_t)book->limits.max_cell_chars * 8 + 64;
    sh->xs.on_start = sh_start;
    sh->xs.on_end = sh_end;
    sh->xs.on_text = sh_text;
    sh->xs.user = sh;
    book->open_sheet = sh;
    *out = sh;
    return HZ_OK;
}

hz_status xlsx_sheet_next_row(xlsx_sheet *sheet, const xlsx_row **row, hz_error *err)
{
    *row = NULL;
    if (sheet->xs.status != HZ_OK)
        return xs_report(&sheet->xs, err);
    if (sheet->done)
        return HZ_OK;
    sheet->row_ready = false;
    hz_status s = xs_pump(&sheet->xs, err);
    if (s != HZ_OK)
        return s;
    if (sheet->row_ready)
        *row = &sheet->out;
    else
        sheet->done = true;
    return HZ_OK;
}

void xlsx_sheet_close(xlsx_sheet *sheet)
{
    if (!sheet)
        return;
    if (sheet->book && sheet->book->open_sheet == sheet)
        sheet->book->open_sheet = NULL;
    xs_close(&sheet->xs);
    free(sheet->val.data);
    free(sheet->pool.data);
    free(sheet->cells);
    free(sheet->offs);
    free(sheet->merges);
    free(sheet);
}

const xlsx_range *xlsx_sheet_merges(const xlsx_sheet *sheet, size_t *count, size_t *total)
{
    *count = sheet ? sheet->merge_count : 0;
    if (total)
        *total = sheet ? sheet->merge_total : 0;
    return sheet ? sheet->merges : NULL;
}

/* ------------------------------------------------------------------ */
/* References                                                          */

const char *xlsx_col_format(uint32_t col, char *buf, size_t size)
{
    char tmp[8];
    size_t n = 0;
    uint64_t c = (uint64_t)col + 1;
    while (c > 0 && n < sizeof tmp) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    if (!buf || size == 0)
        return buf;
    if (n + 1 > size) {
        buf[0] = '\0';
        return buf;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

const char *xlsx_ref_format(uint32_t row, uint32_t col, char *buf, size_t size)
{
    char letters[8], digits[16];
    if (!buf || size == 0)
        return buf;
    /* by hand, not snprintf: the submission reader formats the reference
     * of every cell it checks (bench/: 3% of a consolidation's time went
     * to snprintf here) */
    size_t nl = 0, nd = 0;
    for (uint64_t c = (uint64_t)col + 1; c > 0 && nl < sizeof letters; c /= 26)
        letters[nl++] = (char)('A' + --c % 26);
    for (size_t i = 0; i < nl / 2; i++) {
        char t = letters[i];
        letters[i] = letters[nl - 1 - i];
        letters[nl - 1 - i] = t;
    }
    unsigned long long r = (unsigned long long)row + 1;
    do {
        digits[nd++] = (char)('0' + r % 10);
        r /= 10;
    } while (r > 0);
    /* cut to size like snprintf */
    size_t n = 0;
    for (size_t i = 0; i < nl && n + 1 < size; i++)
        buf[n++] = letters[i];
    for (size_t i = 0; i < nd && n + 1 < size; i++)
        buf[n++] = digits[nd - 1 - i];
    buf[n] = '\0';
    return buf;
}

bool xlsx_ref_parse(const char *ref, uint32_t *row, uint32_t *col)
{
    if (!ref)
        return false;
    const char *p = ref;
    uint64_t c = 0, r = 0;
    int letters = 0, digits = 0;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        int v = (*p >= 'a' ? *p - 'a' : *p - 'A') + 1;
        c = c * 26 + (uint64_t)v;
        if (++letters > 7 || c > (uint64_t)UINT32_MAX + 1)
            return false;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        r = r * 10 + (uint64_t)(*p - '0');
        if (++digits > 10 || r > (uint64_t)UINT32_MAX + 1)
            return false;
    }
    if (!letters || !digits || r == 0 || *p)
        return false;
    if (row)
        *row = (uint32_t)(r - 1);
    if (col)
        *col = (uint32_t)(c - 1);
    return true;
}
