/* hz_text.c - UTF-8 and buffer helpers. */
#include "hz_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for extra more bytes and the terminating NUL: the string buffer is
 * a growable array of char. */
static bool hz_buf_reserve(hz_buf *buf, size_t extra)
{
    if (extra > SIZE_MAX - buf->len - 1)
        return false;
    return hz_array_reserve(&buf->data, &buf->cap, buf->len + extra + 1, 1);
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

bool hz_array_reserve(void *items_ptr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return true;
    if (elem_size == 0)
        return false;
    size_t grown = *cap ? *cap : 8;
    while (grown < need) {
        if (grown > SIZE_MAX / 2)
            return false;
        grown *= 2;
    }
    if (grown > SIZE_MAX / elem_size)
        return false;
    /* The pointer is read and written through memcpy so that one function
     * serves arrays of every element type without type punning. */
    void *items;
    memcpy(&items, items_ptr, sizeof items);
    void *p = realloc(items, grown * elem_size);
    if (!p)
        return false;
    memcpy(items_ptr, &p, sizeof p);
    *cap = grown;
    return true;
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

uint64_t hz_text_hash(const char *text, size_t len)
{
    uint64_t h = 14695981039346656037ull; /* the FNV offset basis */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
    return h;
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

size_t hz_trim_len(char *text, size_t len)
{
    /* most text has no blank at either end: a blank starts with an ASCII
     * blank, E3 (U+3000) or C2 (U+00A0) and ends with an ASCII blank, 80
     * or A0 */
    if (len == 0)
        return 0;
    unsigned char first = (unsigned char)text[0], last = (unsigned char)text[len - 1];
    if (first > ' ' && first != 0xE3 && first != 0xC2 && last > ' ' && last != 0x80 &&
        last != 0xA0)
        return len;
    size_t skip = 0, n;
    while (skip < len && (n = blank_prefix(text + skip)) > 0)
        skip += n;
    if (skip) {
        len -= skip;
        memmove(text, text + skip, len + 1);
    }
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
    return len;
}

char *hz_trim(char *text)
{
    hz_trim_len(text, strlen(text));
    return text;
}

char *hz_strdup(const char *text)
{
    return text ? strdup(text) : NULL;
}

/* ---- untrusted text ------------------------------------------------------ */

bool hz_char_unsafe(int32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return true;
    switch (cp) {
    case 0x00AD: /* soft hyphen */
    case 0x061C: /* Arabic letter mark */
    case 0x180E: /* Mongolian vowel separator */
    case 0xFEFF: /* BOM / zero-width no-break space */
        return true;
    default:
        break;
    }
    return (cp >= 0x200B && cp <= 0x200F) ||  /* zero-width, LRM, RLM */
           (cp >= 0x2028 && cp <= 0x202E) ||  /* line/para separators, embeddings, overrides */
           (cp >= 0x2060 && cp <= 0x206F) ||  /* word joiner, invisible operators, isolates */
           (cp >= 0xFFF9 && cp <= 0xFFFB) ||  /* interlinear annotation */
           (cp >= 0xE0000 && cp <= 0xE007F);  /* tag characters */
}

/* The bytes after which a character needs decoding to be judged: ASCII
 * controls and DEL; every lead byte that can begin an unsafe character
 * (C2: C1 controls, soft hyphen; D8: U+061C; E1: U+180E; E2: the U+20xx
 * marks; EF: U+FEFF, U+FFF9..FFFB; F3: tag characters) or an invalid or
 * overlong sequence (C0, C1, E0, ED, F0, F4, F5..FF, and a continuation
 * byte where a character should start). Any other lead byte followed by
 * the right number of continuation bytes is a valid, safe character. */
static bool lead_needs_decoding(unsigned char c)
{
    if (c < 0x20 || c == 0x7F)
        return true;
    if (c < 0x80)
        return false;
    if (c < 0xC2 || c >= 0xF3)
        return true;
    switch (c) {
    case 0xC2: case 0xD8: case 0xE0: case 0xE1: case 0xE2: case 0xED: case 0xEF: case 0xF0:
        return true;
    default:
        return false;
    }
}

bool hz_text_unsafe_or_invalid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text, *e = s + len;
    while (s < e) {
        unsigned char c = *s;
        if (c >= 0x20 && c < 0x7F) {
            s++;
            continue;
        }
        /* a run of CJK (U+3000..U+CFFF, U+E000..U+EFFF: leads E3..EC, EE,
         * which begin no unsafe character) in one tight loop */
        if ((c >= 0xE3 && c <= 0xEC) || c == 0xEE) {
            while (e - s >= 3 && ((*s >= 0xE3 && *s <= 0xEC) || *s == 0xEE) &&
                   (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
                s += 3;
            if (s >= e || (*s >= 0xE3 && *s <= 0xEC) || *s == 0xEE)
                return s < e; /* cut or broken sequence */
            continue;
        }
        if (lead_needs_decoding(c)) {
            const char *p = (const char *)s;
            int32_t cp = hz_utf8_next(&p, (const char *)e);
            if (cp < 0 || hz_char_unsafe(cp))
                return true;
            s = (const unsigned char *)p;
            continue;
        }
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if ((size_t)(e - s) < n)
            return true;
        for (size_t k = 1; k < n; k++)
            if ((s[k] & 0xC0) != 0x80)
                return true;
        s += n;
    }
    return false;
}

/* Appends text escaped; escape_unsafe false keeps unsafe characters (only
 * invalid bytes are escaped). */
static bool escape_into(hz_buf *out, const char *text, bool escape_unsafe)
{
    const char *p = text ? text : "", *end = p + strlen(p);
    if (!hz_buf_append(out, "", 0))
        return false;
    while (p < end) {
        const char *start = p;
        int32_t cp = hz_utf8_next(&p, end);
        bool ok;
        if (cp < 0) {
            ok = hz_buf_printf(out, "\\x%02x", (unsigned)(unsigned char)*start);
            p = start + 1;
        } else if (escape_unsafe && hz_char_unsafe(cp)) {
            if (cp < 0x20 || cp == 0x7F)
                ok = hz_buf_printf(out, "\\x%02x", (unsigned)cp);
            else if (cp > 0xFFFF)
                ok = hz_buf_printf(out, "\\U%08X", (unsigned)cp);
            else
                ok = hz_buf_printf(out, "\\u%04X", (unsigned)cp);
        } else {
            ok = hz_buf_append(out, start, (size_t)(p - start));
        }
        if (!ok)
            return false;
    }
    return true;
}

char *hz_text_escape(const char *text)
{
    hz_buf out = {0};
    if (!escape_into(&out, text, true)) {
        hz_buf_free(&out);
        return NULL;
    }
    return out.data;
}

const char *hz_text_escape_to(const char *text, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    char *e = hz_text_escape(text);
    hz_strlcpy_utf8(buf, e ? e : "", size);
    free(e);
    return buf;
}

char *hz_text_valid_utf8(const char *text)
{
    hz_buf out = {0};
    if (!escape_into(&out, text, false)) {
        hz_buf_free(&out);
        return NULL;
    }
    return out.data;
}

size_t hz_text_strip_unsafe(char *text)
{
    if (!text)
        return 0;
    size_t removed = 0;
    char *w = text;
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        const char *start = p;
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0) { /* not expected (the reader checks UTF-8): keep the byte */
            p = start + 1;
        } else if (hz_char_unsafe(cp)) {
            removed++;
            continue;
        }
        size_t n = (size_t)(p - start);
        memmove(w, start, n);
        w += n;
    }
    *w = '\0';
    return removed;
}

char *hz_json_escape_unsafe(const char *json)
{
    hz_buf out = {0};
    const char *p = json ? json : "", *end = p + strlen(p);
    bool ok = hz_buf_append(&out, "", 0);
    while (ok && p < end) {
        const char *start = p;
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0) {
            p = start + 1;
            ok = hz_buf_printf(&out, "\\u%04x", (unsigned)(unsigned char)*start);
        } else if (cp >= 0x80 && hz_char_unsafe(cp)) {
            if (cp > 0xFFFF) { /* a surrogate pair, as JSON writes it */
                int32_t v = cp - 0x10000;
                ok = hz_buf_printf(&out, "\\u%04x\\u%04x", (unsigned)(0xD800 + (v >> 10)),
                                   (unsigned)(0xDC00 + (v & 0x3FF)));
            } else {
                ok = hz_buf_printf(&out, "\\u%04x", (unsigned)cp);
            }
        } else {
            ok = hz_buf_append(&out, start, (size_t)(p - start));
        }
    }
    if (!ok) {
        hz_buf_free(&out);
        return NULL;
    }
    return out.data;
}

/* ------------------------------------------------------------------ hex */

void hz_hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int hz_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hz_hex_decode(const char *text, uint8_t *bytes, size_t n)
{
    if (strlen(text) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = hz_hex_digit((unsigned char)text[2 * i]);
        int lo = hz_hex_digit((unsigned char)text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}
