/* hz_text.c - UTF-8 and buffer helpers. */
#include "hz_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool hz_buf_reserve(hz_buf *buf, size_t extra)
{
    if (buf->len + extra + 1 <= buf->cap)
        return true;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < buf->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *data = realloc(buf->data, cap);
    if (!data)
        return false;
    buf->data = data;
    buf->cap = cap;
    return true;
}

bool hz_buf_append(hz_buf *buf, const char *data, size_t len)
{
    if (!hz_buf_reserve(buf, len))
        return false;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return true;
}

bool hz_buf_puts(hz_buf *buf, const char *text)
{
    return hz_buf_append(buf, text, strlen(text));
}

bool hz_buf_vprintf(hz_buf *buf, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int need = vsnprintf(NULL, 0, fmt, ap);
    bool ok = need >= 0 && hz_buf_reserve(buf, (size_t)need);
    if (ok) {
        vsnprintf(buf->data + buf->len, (size_t)need + 1, fmt, again);
        buf->len += (size_t)need;
    }
    va_end(again);
    return ok;
}

bool hz_buf_printf(hz_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = hz_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return ok;
}

void hz_buf_free(hz_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

int32_t hz_utf8_next(const char **p, const char *end)
{
    const unsigned char *s = (const unsigned char *)*p;
    const unsigned char *e = (const unsigned char *)end;
    if (s >= e)
        return -1;
    unsigned char c = s[0];
    int32_t cp;
    int n;
    if (c < 0x80) {
        *p += 1;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1F; n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0F; n = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07; n = 3;
    } else {
        return -1;
    }
    if (e - s < n + 1)
        return -1;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *p += n + 1;
    return cp;
}

bool hz_utf8_valid(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end)
        if (hz_utf8_next(&p, end) < 0)
            return false;
    return true;
}

size_t hz_utf8_length(const char *text)
{
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++)
        if ((*s & 0xC0) != 0x80)
            n++;
    return n;
}

int hz_utf8_encode(int32_t cp, char *out)
{
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void hz_strlcpy_utf8(char *dst, const char *src, size_t size)
{
    if (!size)
        return;
    size_t len = strlen(src);
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static size_t blank_prefix(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n' || *u == '\v' || *u == '\f')
        return 1;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) /* U+3000 */
        return 3;
    if (u[0] == 0xC2 && u[1] == 0xA0) /* U+00A0 */
        return 2;
    return 0;
}

char *hz_trim(char *text)
{
    size_t skip = 0, n;
    while ((n = blank_prefix(text + skip)) > 0)
        skip += n;
    if (skip)
        memmove(text, text + skip, strlen(text + skip) + 1);
    size_t len = strlen(text);
    for (;;) {
        if (len >= 1 && blank_prefix(text + len - 1) == 1) {
            len -= 1;
        } else if (len >= 3 && blank_prefix(text + len - 3) == 3) {
            len -= 3;
        } else if (len >= 2 && blank_prefix(text + len - 2) == 2) {
            len -= 2;
        } else {
            break;
        }
        text[len] = '\0';
    }
    return text;
}

char *hz_strdup(const char *text)
{
    return text ? strdup(text) : NULL;
}
