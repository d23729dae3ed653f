/*
 * hz_text.h - small UTF-8 and string helpers shared by the modules.
 */
#ifndef HZ_TEXT_H
#define HZ_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Growable byte buffer; always NUL-terminated once anything is appended. */
typedef struct hz_buf {
    char *data;
    size_t len;
    size_t cap;
} hz_buf;

bool hz_buf_append(hz_buf *buf, const char *data, size_t len);
bool hz_buf_puts(hz_buf *buf, const char *text);
bool hz_buf_printf(hz_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool hz_buf_vprintf(hz_buf *buf, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void hz_buf_free(hz_buf *buf);

/* true when text[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool hz_utf8_valid(const char *text, size_t len);
/* Number of code points (text must be valid UTF-8). */
size_t hz_utf8_length(const char *text);
/* Decodes one code point at *p, advancing it; returns -1 on bad input. */
int32_t hz_utf8_next(const char **p, const char *end);
/* Encodes cp into out (4 bytes room); returns bytes written (0 on error). */
int hz_utf8_encode(int32_t cp, char *out);

/* Copies src into dst (size bytes), truncating at a character boundary. */
void hz_strlcpy_utf8(char *dst, const char *src, size_t size);

/* Trims ASCII blanks and U+3000 / U+00A0 at both ends, in place. */
char *hz_trim(char *text);

/* strdup that returns NULL on NULL. */
char *hz_strdup(const char *text);

#endif
