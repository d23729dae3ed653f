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

/*
 * The one growable array of the project. items_ptr is the address of the
 * array pointer (a T ** passed as void *), *cap its capacity in elements.
 * Makes room for at least need elements of elem_size bytes, doubling so that
 * appending one at a time stays linear. Returns false, leaving the array and
 * *cap as they were, when memory runs out or the size would overflow. Usage:
 *     if (!hz_array_reserve(&list->items, &list->cap, list->count + 1, sizeof *list->items))
 *         return HZ_E_NOMEM;
 *     list->items[list->count++] = item;
 */
bool hz_array_reserve(void *items_ptr, size_t *cap, size_t need, size_t elem_size);

/* true when text[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool hz_utf8_valid(const char *text, size_t len);
/* Number of code points (text must be valid UTF-8). */
size_t hz_utf8_length(const char *text);
/* FNV-1a of text[0..len): for the tables that find a text by content
 * (not keyed: the callers confirm a match with a comparison). */
uint64_t hz_text_hash(const char *text, size_t len);
/* Decodes one code point at *p, advancing it; returns -1 on bad input. */
int32_t hz_utf8_next(const char **p, const char *end);
/* Encodes cp into out (4 bytes room); returns bytes written (0 on error). */
int hz_utf8_encode(int32_t cp, char *out);

/* Copies src into dst (size bytes), truncating at a character boundary. */
void hz_strlcpy_utf8(char *dst, const char *src, size_t size);

/* Trims ASCII blanks and U+3000 / U+00A0 at both ends, in place. */
char *hz_trim(char *text);
/* hz_trim of the len bytes at text (text[len] is its NUL), for a caller
 * that knows the length; returns the trimmed length. */
size_t hz_trim_len(char *text, size_t len);

/* strdup that returns NULL on NULL. */
char *hz_strdup(const char *text);

/* Untrusted text (DESIGN §9). A character is "unsafe" when it can change
 * what a reader sees without being seen itself: C0 and C1 controls, DEL,
 * bidi embeddings/overrides/isolates/marks and the invisible format
 * characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen,
 * invisible operators, Mongolian vowel separator, tag characters). */
bool hz_char_unsafe(int32_t cp);
/* true when the len bytes at text hold an unsafe character or are not
 * valid UTF-8: what decoding every character with hz_utf8_next and asking
 * hz_char_unsafe finds, at a few instructions a byte (cell text is mostly
 * ASCII and CJK, whose lead bytes can begin no unsafe character). */
bool hz_text_unsafe_or_invalid(const char *text, size_t len);
/* A new string with every unsafe character shown as an escape (\x1b for
 * C0/DEL, \u202E for the others) and every byte that is not valid UTF-8 as
 * \xNN; NULL on out-of-memory. Meant for terminals and text reports. */
char *hz_text_escape(const char *text);
/* Like hz_text_escape into buf (always NUL-terminated, cut at a whole
 * escape); returns buf. */
const char *hz_text_escape_to(const char *text, char *buf, size_t size);
/* A new string equal to text where it is valid UTF-8, with each invalid
 * byte shown as \xNN; NULL on out-of-memory. */
char *hz_text_valid_utf8(const char *text);
/* Removes the unsafe characters from valid UTF-8 text in place; returns
 * how many were removed. */
size_t hz_text_strip_unsafe(char *text);
/* Rewrites a JSON document so that unsafe characters inside its strings
 * appear as \uXXXX escapes (json-c writes them raw); NULL on
 * out-of-memory. json must be valid UTF-8. */
char *hz_json_escape_unsafe(const char *json);

/* Hexadecimal: out receives 2 * n lower-case digits and a NUL. */
void hz_hex_encode(const uint8_t *bytes, size_t n, char *out);
/* The value of one hex digit (either case), -1 when c is none. */
int hz_hex_digit(int c);
/* Exactly 2 * n hex digits to n bytes; false on any other text. */
bool hz_hex_decode(const char *text, uint8_t *bytes, size_t n);

#endif
