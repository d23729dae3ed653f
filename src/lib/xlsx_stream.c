/* xlsx_stream.c - worksheet XML at memcpy speed; see xlsx_stream.h. */
#include "xlsx_stream.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE (256u * 1024)
#define ROOM 128 /* the longest fixed piece written without a check */

struct xlsx_stream {
    xlsx_stream_sink sink;
    void *ctx;
    hz_status status;
    hz_error error;
    char row[12];              /* digits of the current row number */
    size_t row_len;
    size_t len;
    char buf[BUF_SIZE];
};

size_t xlsx_stream_format_int(char *out, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    /* negate as unsigned so INT64_MIN works */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

size_t xlsx_stream_format_decimal(char *out, int64_t v, int scale)
{
    if (scale <= 0 || scale > 9)
        return xlsx_stream_format_int(out, v);
    uint64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = u / div, fp = u % div;
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    len += xlsx_stream_format_int(out + len, (int64_t)ip);
    if (fp) {
        char frac[12];
        for (int i = scale - 1; i >= 0; i--) {
            frac[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        int n = scale;
        while (n > 0 && frac[n - 1] == '0')
            n--;
        out[len++] = '.';
        memcpy(out + len, frac, (size_t)n);
        len += (size_t)n;
    }
    return len;
}

size_t xlsx_stream_format_cellref(char *out, uint32_t row, uint32_t col)
{
    char letters[8];
    size_t n = 0;
    uint32_t c = col + 1;
    while (c) {
        uint32_t r = (c - 1) % 26;
        letters[n++] = (char)('A' + r);
        c = (c - 1) / 26;
    }
    size_t len = 0;
    while (n)
        out[len++] = letters[--n];
    return len + xlsx_stream_format_int(out + len, (int64_t)row + 1);
}

hz_status xlsx_stream_open(xlsx_stream **out, xlsx_stream_sink sink, void *ctx, hz_error *err)
{
    xlsx_stream *xs = malloc(sizeof *xs);
    *out = xs;
    if (!xs)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    xs->sink = sink;
    xs->ctx = ctx;
    xs->status = HZ_OK;
    xs->len = 0;
    xs->row_len = 1;
    xs->row[0] = '1';
    return HZ_OK;
}

static void flush(xlsx_stream *xs)
{
    if (xs->status == HZ_OK && xs->len > 0)
        xs->status = xs->sink(xs->ctx, xs->buf, xs->len, &xs->error);
    xs->len = 0;
}

/* Makes sure ROOM bytes fit in the buffer. */
static inline char *reserve(xlsx_stream *xs)
{
    if (xs->len + ROOM > BUF_SIZE)
        flush(xs);
    return xs->buf + xs->len;
}

static void put(xlsx_stream *xs, const char *data, size_t len)
{
    while (len > 0) {
        size_t room = BUF_SIZE - xs->len;
        if (room == 0) {
            flush(xs);
            room = BUF_SIZE;
        }
        size_t n = len < room ? len : room;
        memcpy(xs->buf + xs->len, data, n);
        xs->len += n;
        data += n;
        len -= n;
    }
}

void xlsx_stream_raw(xlsx_stream *xs, const char *data, size_t len)
{
    put(xs, data, len);
}

#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) += sizeof(s) - 1)

void xlsx_stream_row_begin(xlsx_stream *xs, uint32_t row)
{
    xs->row_len = xlsx_stream_format_int(xs->row, (int64_t)row + 1);
    char *p = reserve(xs), *start = p;
    LIT(p, "<row r=\"");
    memcpy(p, xs->row, xs->row_len);
    p += xs->row_len;
    LIT(p, "\">");
    xs->len += (size_t)(p - start);
}

void xlsx_stream_row_end(xlsx_stream *xs)
{
    char *p = reserve(xs);
    memcpy(p, "</row>", 6);
    xs->len += 6;
}

/* <c r="REF" s="XF" -- the caller closes the tag. */
static char *cell_open(xlsx_stream *xs, char *p, uint32_t col, int xf)
{
    LIT(p, "<c r=\"");
    char letters[8];
    size_t n = 0;
    for (uint32_t c = col + 1; c; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    while (n)
        *p++ = letters[--n];
    memcpy(p, xs->row, xs->row_len);
    p += xs->row_len;
    *p++ = '"';
    if (xf >= 0) {
        LIT(p, " s=\"");
        p += xlsx_stream_format_int(p, xf);
        *p++ = '"';
    }
    return p;
}

/* Bytes that need an escape: & < > and the control characters that
 * libxlsxwriter writes as _xHHHH_ (all below 0x20 except tab and newline). */
static inline bool special(unsigned char c)
{
    return c == '&' || c == '<' || c == '>' || (c < 0x20 && c != '\t' && c != '\n');
}

static inline bool blank_end(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

void xlsx_stream_string(xlsx_stream *xs, uint32_t col, const char *text, int xf)
{
    if (!text || !*text)
        return;
    size_t tlen = strlen(text);
    char *p = reserve(xs), *start = p;
    p = cell_open(xs, p, col, xf);
    if (blank_end((unsigned char)text[0]) || blank_end((unsigned char)text[tlen - 1]))
        LIT(p, " t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    else
        LIT(p, " t=\"inlineStr\"><is><t>");
    xs->len += (size_t)(p - start);
    const char *run = text, *end = text + tlen;
    for (const char *q = text; q < end; q++) {
        unsigned char c = (unsigned char)*q;
        if (!special(c))
            continue;
        put(xs, run, (size_t)(q - run));
        run = q + 1;
        char esc[8];
        size_t n;
        if (c == '&')
            memcpy(esc, "&amp;", n = 5);
        else if (c == '<')
            memcpy(esc, "&lt;", n = 4);
        else if (c == '>')
            memcpy(esc, "&gt;", n = 4);
        else {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(esc, "_x00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            esc[6] = '_';
            n = 7;
        }
        put(xs, esc, n);
    }
    put(xs, run, (size_t)(end - run));
    p = reserve(xs);
    memcpy(p, "</t></is></c>", 13);
    xs->len += 13;
}

static void number(xlsx_stream *xs, uint32_t col, int64_t v, int scale, int xf)
{
    char *p = reserve(xs), *start = p;
    p = cell_open(xs, p, col, xf);
    LIT(p, "><v>");
    p += xlsx_stream_format_decimal(p, v, scale);
    LIT(p, "</v></c>");
    xs->len += (size_t)(p - start);
}

void xlsx_stream_int(xlsx_stream *xs, uint32_t col, int64_t v, int xf)
{
    number(xs, col, v, 0, xf);
}

void xlsx_stream_decimal(xlsx_stream *xs, uint32_t col, int64_t v, int scale, int xf)
{
    number(xs, col, v, scale, xf);
}

void xlsx_stream_shared(xlsx_stream *xs, uint32_t col, uint32_t index, int xf)
{
    char *p = reserve(xs), *start = p;
    p = cell_open(xs, p, col, xf);
    LIT(p, " t=\"s\"><v>");
    p += xlsx_stream_format_int(p, (int64_t)index);
    LIT(p, "</v></c>");
    xs->len += (size_t)(p - start);
}

void xlsx_stream_blank(xlsx_stream *xs, uint32_t col, int xf)
{
    char *p = reserve(xs), *start = p;
    p = cell_open(xs, p, col, xf);
    LIT(p, "/>");
    xs->len += (size_t)(p - start);
}

hz_status xlsx_stream_close(xlsx_stream *xs, hz_error *err)
{
    flush(xs);
    hz_status st = xs->status;
    if (st != HZ_OK && err)
        *err = xs->error;
    free(xs);
    return st;
}

void xlsx_stream_free(xlsx_stream *xs)
{
    free(xs);
}
