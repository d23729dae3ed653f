/*
 * xlsx_sheet_scan.c - the worksheet scanner and the byte check (see
 * xlsx_sheet_scan.h).
 *
 * The scanner follows expat 2.5's tokenizer (xmltok_impl.c) and the parts
 * of its parser the reader uses (xmlparse.c: storeAtts, doContent,
 * processXmlDecl) rule by rule; where a comment says "as expat", the rule
 * and its corner cases were taken from there. Every byte goes through one
 * class table; a markup token is lexed in one pass that only records where
 * its pieces are, and is decoded in place once it is known to be whole, so
 * a token cut by the end of the buffer is simply lexed again after a read.
 */
#include "xlsx_sheet_scan.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hz_text.h"

#define SC_READ (64u * 1024u)

/* ------------------------------------------------------------------ */
/* Byte classes                                                        */

enum {
    K_OTHER = 0, /* printable ASCII with no role */
    K_NMSTRT,    /* A-Z a-z _ : (colon: no namespace processing) */
    K_NAME,      /* 0-9 . - */
    K_S,         /* space, tab */
    K_LF,
    K_CR,
    K_LT,
    K_GT,
    K_AMP,
    K_QUOT,
    K_APOS,
    K_EQ,
    K_SOL,
    K_EXCL,
    K_QUEST,
    K_RSQB,
    K_LSQB,
    K_SEMI,
    K_NUM,
    K_NONXML,    /* C0 controls other than tab, LF, CR */
    K_NUL,
    K_HIGH       /* 0x80-0xFF: a UTF-8 sequence */
};

static unsigned char byte_class(unsigned c)
{
    if (c >= 0x80)
        return K_HIGH;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':')
        return K_NMSTRT;
    if ((c >= '0' && c <= '9') || c == '.' || c == '-')
        return K_NAME;
    switch (c) {
    case ' ': case '\t': return K_S;
    case '\n': return K_LF;
    case '\r': return K_CR;
    case '<': return K_LT;
    case '>': return K_GT;
    case '&': return K_AMP;
    case '"': return K_QUOT;
    case '\'': return K_APOS;
    case '=': return K_EQ;
    case '/': return K_SOL;
    case '!': return K_EXCL;
    case '?': return K_QUEST;
    case ']': return K_RSQB;
    case '[': return K_LSQB;
    case ';': return K_SEMI;
    case '#': return K_NUM;
    case 0: return K_NUL;
    default: return c < 0x20 ? K_NONXML : K_OTHER;
    }
}

/* Built once per scanner (a few hundred cycles): a constant table would
 * be 256 hand-written entries, this is the rule. */
typedef struct sc_tables {
    unsigned char cls[256];
    unsigned char text_stop[256]; /* content text: byte needs a look */
    unsigned char attr_stop[256]; /* attribute value: byte needs a look */
    unsigned char name[256];      /* ASCII name character: NM_CHAR, NM_START */
} sc_tables;

enum { NM_CHAR = 1, NM_START = 2 };

static void tables_init(sc_tables *t)
{
    for (unsigned c = 0; c < 256; c++) {
        unsigned char k = byte_class(c);
        t->cls[c] = k;
        t->text_stop[c] = k == K_LT || k == K_AMP || k == K_CR || k == K_LF || k == K_RSQB ||
                          k == K_NONXML || k == K_NUL || k == K_HIGH;
        t->attr_stop[c] = k == K_LT || k == K_AMP || k == K_CR || k == K_LF || k == K_QUOT ||
                          k == K_APOS || k == K_NONXML || k == K_NUL || k == K_HIGH ||
                          c == '\t';
        t->name[c] = k == K_NMSTRT ? NM_START | NM_CHAR : k == K_NAME ? NM_CHAR : 0;
    }
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

enum { U8_BAD = 0, U8_MORE = -1, U8_NONXML = -2 };

/* One byte of the byte check, shared by the scanner and the expat path:
 * UTF-8 without overlongs, surrogates or anything above U+10FFFF (need, lo
 * and hi carry an unfinished sequence from byte to byte), no NUL; counts
 * lines. */
static inline xlsx_scan_error u8_check_byte(unsigned char c, int *need, unsigned char *lo,
                                            unsigned char *hi, unsigned long *line)
{
    if (*need) {
        if (c < *lo || c > *hi)
            return XLSX_SCAN_E_UTF8;
        *lo = 0x80;
        *hi = 0xBF;
        (*need)--;
        return XLSX_SCAN_E_NONE;
    }
    if (c < 0x80) {
        if (c == '\n')
            (*line)++;
        else if (c == 0)
            return XLSX_SCAN_E_NUL;
        return XLSX_SCAN_E_NONE;
    }
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        *need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        *need = 2;
        if (c == 0xE0)
            *lo = 0xA0;
        if (c == 0xED)
            *hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        *need = 3;
        if (c == 0xF0)
            *lo = 0x90;
        if (c == 0xF4)
            *hi = 0x8F;
    } else {
        return XLSX_SCAN_E_UTF8;
    }
    return XLSX_SCAN_E_NONE;
}

/* Past the two- and three-byte UTF-8 sequences from p[i] on that
 * u8_check_byte passes with no condition beyond "continuation bytes"
 * (C2..DF, E1..EC, EE, EF: not E0 or ED, whose second byte is bounded),
 * at a few instructions each: the Chinese text of shared strings and cells.
 * No such sequence holds a newline, NUL or markup byte. */
static inline size_t u8_skip_plain(const unsigned char *p, size_t i, size_t n)
{
    for (;;) {
        if (i + 3 <= n && p[i] >= 0xE1 && p[i] <= 0xEF && p[i] != 0xED &&
            (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80)
            i += 3;
        else if (i + 2 <= n && p[i] >= 0xC2 && p[i] <= 0xDF && (p[i + 1] & 0xC0) == 0x80)
            i += 2;
        else
            return i;
    }
}

/* Length of the UTF-8 sequence at p (avail bytes there, p[0] >= 0x80):
 * 2..4, U8_BAD, U8_MORE (cut by the end of the buffer), U8_NONXML (U+FFFE,
 * U+FFFF: valid UTF-8 that expat refuses as a character), by the byte
 * check's own step. */
static int u8_seq(const unsigned char *p, size_t avail)
{
    if (p[0] < 0x80)
        return U8_BAD; /* only the bytes of a sequence come here */
    int need = 0;
    unsigned char lo = 0, hi = 0;
    unsigned long line = 0;
    size_t k = 0;
    do {
        if (k >= avail)
            return U8_MORE;
        if (u8_check_byte(p[k++], &need, &lo, &hi, &line) != XLSX_SCAN_E_NONE)
            return U8_BAD;
    } while (need > 0);
    if (p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
        return U8_NONXML;
    return (int)k;
}

/* Whether the 2- or 3-byte character at p may start (start) or continue
 * an XML name, answered by expat itself on a two-element document, so the
 * scanner accepts exactly the non-ASCII names expat accepts (4-byte
 * characters are never name characters there). Real worksheets have none;
 * the answers are kept per character in *cache (one byte per BMP code
 * point, allocated at the first question), so a hostile part pays for at
 * most one parse per distinct character. false when memory runs out: the
 * name is then refused, never wrongly accepted. */
enum { NAME_KNOWN_START = 1, NAME_OK_START = 2, NAME_KNOWN_CHAR = 4, NAME_OK_CHAR = 8 };

static bool expat_accepts_name(const unsigned char *p, int len, bool start)
{
    char doc[16];
    size_t n = 0;
    doc[n++] = '<';
    if (!start)
        doc[n++] = 'a';
    memcpy(doc + n, p, (size_t)len);
    n += (size_t)len;
    memcpy(doc + n, "/>", 2);
    n += 2;
    XML_Parser parser = XML_ParserCreate("UTF-8");
    if (!parser)
        return false;
    bool ok = XML_Parse(parser, doc, (int)n, 1) == XML_STATUS_OK;
    XML_ParserFree(parser);
    return ok;
}

static bool u8_is_name(unsigned char **cache, const unsigned char *p, int len, bool start)
{
    if (len != 2 && len != 3)
        return false;
    const char *q = (const char *)p;
    int32_t cp = hz_utf8_next(&q, (const char *)p + len);
    if (cp < 0 || cp > 0xFFFF)
        return false;
    if (!*cache && !(*cache = calloc(0x10000, 1)))
        return false;
    unsigned char *known = *cache + (unsigned)cp;
    unsigned char known_bit = start ? NAME_KNOWN_START : NAME_KNOWN_CHAR;
    unsigned char ok_bit = start ? NAME_OK_START : NAME_OK_CHAR;
    if (!(*known & known_bit))
        *known |= known_bit | (expat_accepts_name(p, len, start) ? ok_bit : 0);
    return (*known & ok_bit) != 0;
}

/* ------------------------------------------------------------------ */
/* The scanner                                                         */

enum { W_PROLOG, W_CONTENT, W_CDATA, W_EPILOG, W_DONE };

/* Result of one step. */
enum { R_OK, R_NEED, R_FAIL, R_SUSPEND };

typedef struct sc_att {
    size_t name, name_end;   /* offsets from the token start */
    size_t val, val_end;
    bool plain;              /* no reference, no tab/CR/LF: no decoding */
} sc_att;

struct xlsx_scan {
    xlsx_scan_handlers h;
    size_t max_token;
    sc_tables t;
    char *buf;
    size_t len, pos, cap;
    bool eof, began, suspended, read_any;
    uint64_t base;           /* offset in the part of buf[0] */
    uint64_t decl_at;        /* where an XML declaration may be */
    /* byte validation of each read (see sc_validate) */
    int v_need;
    unsigned char v_lo, v_hi;
    unsigned long v_line;
    int where;
    unsigned long line, ev_line;
    /* open elements: names back to back, NUL-terminated; offsets */
    char *names;
    size_t names_len, names_cap;
    unsigned char *name_cache; /* u8_is_name's answers, NULL until asked */
    size_t *open;
    size_t depth, open_cap;
    /* the tag being lexed */
    sc_att *att;
    size_t natt, att_cap;
    const char **attrs;
    size_t attrs_cap;
    size_t *order;
    size_t order_cap;
    /* failure */
    hz_status status;
    xlsx_scan_error error;
    char error_text[64];
};

hz_status xlsx_scan_new(const xlsx_scan_handlers *handlers, size_t max_token, xlsx_scan **out)
{
    *out = NULL;
    xlsx_scan *sc = calloc(1, sizeof *sc);
    if (!sc)
        return HZ_ERR_NOMEM;
    sc->h = *handlers;
    sc->max_token = max_token ? max_token : SIZE_MAX / 4;
    tables_init(&sc->t);
    sc->line = 1;
    sc->v_line = 1;
    sc->where = W_PROLOG;
    if (!hz_array_reserve(&sc->buf, &sc->cap, SC_READ + 1, 1)) {
        free(sc);
        return HZ_ERR_NOMEM;
    }
    *out = sc;
    return HZ_OK;
}

void xlsx_scan_free(xlsx_scan *sc)
{
    if (!sc)
        return;
    free(sc->buf);
    free(sc->names);
    free(sc->name_cache);
    free(sc->open);
    free(sc->att);
    free(sc->attrs);
    free(sc->order);
    free(sc);
}

bool xlsx_scan_done(const xlsx_scan *sc)
{
    return sc && sc->where == W_DONE && sc->status == HZ_OK;
}

unsigned long xlsx_scan_line(const xlsx_scan *sc)
{
    return sc ? sc->ev_line : 0;
}

xlsx_scan_error xlsx_scan_error_kind(const xlsx_scan *sc)
{
    return sc ? sc->error : XLSX_SCAN_E_NONE;
}

const char *xlsx_scan_error_text(const xlsx_scan *sc)
{
    return sc ? sc->error_text : "";
}

/* Records the first failure; line is where it is. */
static int sc_fail(xlsx_scan *sc, xlsx_scan_error e, unsigned long line, const char *text)
{
    if (sc->status != HZ_OK)
        return R_FAIL;
    sc->error = e;
    sc->ev_line = line;
    switch (e) {
    case XLSX_SCAN_E_TOKEN: sc->status = HZ_ERR_LIMIT; break;
    case XLSX_SCAN_E_READ: sc->status = HZ_ERR_IO; break;
    case XLSX_SCAN_E_NOMEM: sc->status = HZ_ERR_NOMEM; break;
    case XLSX_SCAN_E_STOPPED: sc->status = HZ_ERR_USAGE; break;
    default: sc->status = HZ_ERR_FORMAT; break;
    }
    hz_strlcpy_utf8(sc->error_text, text ? text : "", sizeof sc->error_text);
    return R_FAIL;
}

static int sc_xml(xlsx_scan *sc, unsigned long line, const char *text)
{
    return sc_fail(sc, XLSX_SCAN_E_XML, line, text);
}

static const char E_TOKEN_TEXT[] = "not well-formed (invalid token)";

/* Line of byte b[i], counting from the token start at s whose line is l. */
static unsigned long line_at(const xlsx_scan *sc, size_t s, unsigned long l, size_t i)
{
    for (size_t k = s; k < i && k < sc->len; k++)
        if (sc->buf[k] == '\n')
            l++;
    return l;
}

/*
 * A byte at i stopped the lexer where it wanted something else: as the
 * byte check runs before expat, an invalid UTF-8 sequence or a NUL is
 * reported as such; anything else is expat's "invalid token". R_NEED when
 * the sequence at i is cut by the end of the buffer.
 */
static int sc_bad(xlsx_scan *sc, size_t i, unsigned long line, const char *text)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    if (i >= sc->len)
        return sc->eof ? sc_xml(sc, line, "unclosed token") : R_NEED;
    if (b[i] == 0)
        return sc_fail(sc, XLSX_SCAN_E_NUL, line, NULL);
    if (b[i] >= 0x80) {
        int k = u8_seq(b + i, sc->len - i);
        if (k == U8_MORE && !sc->eof)
            return R_NEED;
        if (k == U8_MORE || k == U8_BAD)
            return sc_fail(sc, XLSX_SCAN_E_UTF8, line, NULL);
    }
    return sc_xml(sc, line, text);
}

static int sc_bad_byte(xlsx_scan *sc, size_t i, unsigned long line)
{
    return sc_bad(sc, i, line, E_TOKEN_TEXT);
}

/* A token starting at s ran into the end of the buffer. */
static int sc_need(xlsx_scan *sc, size_t s, unsigned long line)
{
    if (sc->len - s > sc->max_token)
        return sc_fail(sc, XLSX_SCAN_E_TOKEN, line_at(sc, s, line, s + sc->max_token), NULL);
    if (sc->eof)
        return sc_xml(sc, line_at(sc, s, line, sc->len), "unclosed token");
    return R_NEED;
}

/* Whole-token length check, as the byte check counts it ('<' to '>'). */
static inline int sc_token_len(xlsx_scan *sc, size_t s, size_t end, unsigned long line)
{
    if (end - s > sc->max_token)
        return sc_fail(sc, XLSX_SCAN_E_TOKEN, line_at(sc, s, line, s + sc->max_token), NULL);
    return R_OK;
}

#define SC_ONES 0x0101010101010101ull
#define SC_HIGHS 0x8080808080808080ull
#define SC_LOWS 0x7F7F7F7F7F7F7F7Full

/* High bit of each byte of w that is zero, exactly (no borrow into the
 * neighbours, so the bits can be counted). */
static inline uint64_t zero_bytes(uint64_t w)
{
    return ~(((w & SC_LOWS) + SC_LOWS) | w | SC_LOWS);
}

static inline unsigned popcount64(uint64_t w)
{
    unsigned n = 0;
    for (; w; w &= w - 1)
        n++;
    return n;
}



/*
 * Checks a fresh read before any of it is scanned, as the byte check runs
 * over a chunk before expat parses it: valid UTF-8 and no NUL anywhere in
 * it, or the scan fails there, with no event from that read. ASCII without
 * NUL is checked eight bytes at a time. A sequence cut by the end of a
 * read is finished by the next one (at the end of the part it is invalid).
 */
static int sc_validate(xlsx_scan *sc, const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n == 0 && sc->v_need)
        return sc_fail(sc, XLSX_SCAN_E_UTF8, sc->v_line, NULL);
    while (i < n) {
        if (sc->v_need == 0) {
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if ((w & SC_HIGHS) || zero_bytes(w))
                    break;
                sc->v_line += popcount64(zero_bytes(w ^ (SC_ONES * '\n')));
                i += 8;
            }
            if (i >= n)
                break;
            size_t past = u8_skip_plain(p, i, n);
            if (past != i) {
                i = past;
                continue;
            }
        }
        unsigned char c = p[i++];
        xlsx_scan_error e = u8_check_byte(c, &sc->v_need, &sc->v_lo, &sc->v_hi, &sc->v_line);
        if (e != XLSX_SCAN_E_NONE)
            return sc_fail(sc, e, sc->v_line, NULL);
    }
    return R_OK;
}

/* Reads more input after the unconsumed bytes (moved to the front). */
static int sc_fill(xlsx_scan *sc)
{
    if (sc->pos > 0) {
        sc->base += sc->pos;
        memmove(sc->buf, sc->buf + sc->pos, sc->len - sc->pos);
        sc->len -= sc->pos;
        sc->pos = 0;
    }
    if (!hz_array_reserve(&sc->buf, &sc->cap, sc->len + SC_READ + 1, 1))
        return sc_fail(sc, XLSX_SCAN_E_NOMEM, sc->line, NULL);
    /* reads of SC_READ, like the expat path's chunks, so that a refusal
     * of bad bytes comes after the same rows on both paths */
    long long n = sc->h.read(sc->h.user, sc->buf + sc->len, SC_READ);
    if (n < 0 || n > (long long)SC_READ)
        return sc_fail(sc, XLSX_SCAN_E_READ, sc->line, NULL);
    if (!sc->read_any && n == 1) {
        /* the UTF-16 test needs two bytes, whatever the reads are */
        long long m = sc->h.read(sc->h.user, sc->buf + sc->len + 1, SC_READ - 1);
        if (m < 0 || m > (long long)SC_READ - 1)
            return sc_fail(sc, XLSX_SCAN_E_READ, sc->line, NULL);
        n += m;
    }
    const unsigned char *b = (const unsigned char *)sc->buf + sc->len;
    /* UTF-16 (a byte-order mark, or "<\0" / "\0<" without one) is refused
     * on the first read, as the byte check does, before its bytes are
     * taken for bad UTF-8 */
    if (!sc->read_any && n >= 2 &&
        ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) ||
         (b[0] == '<' && b[1] == 0) || (b[0] == 0 && b[1] == '<')))
        return sc_fail(sc, XLSX_SCAN_E_UTF16, 1, NULL);
    if (n > 0)
        sc->read_any = true;
    if (sc_validate(sc, b, (size_t)n) != R_OK)
        return R_FAIL;
    if (n == 0)
        sc->eof = true;
    sc->len += (size_t)n;
    return R_OK;
}

static int sc_act(xlsx_scan *sc, xlsx_scan_action a)
{
    if (a == XLSX_SCAN_STOP)
        return sc_fail(sc, XLSX_SCAN_E_STOPPED, sc->ev_line, NULL);
    if (a == XLSX_SCAN_SUSPEND)
        sc->suspended = true;
    return R_OK;
}

static int sc_emit(xlsx_scan *sc, const char *s, size_t n)
{
    if (n == 0 || !sc->h.on_text)
        return R_OK;
    return sc_act(sc, sc->h.on_text(sc->h.user, s, n));
}

/* Lexes a Name at b[*i] (the first character must be a name start): R_OK
 * with *i past it and *colon (when not NULL) the offset after its last
 * ':' (or the name start); R_NEED; or R_FAIL. */
static int lex_name_slow(xlsx_scan *sc, size_t *i, size_t *colon, unsigned long line)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t k = *i, n = sc->len;
    bool first = true;
    if (colon)
        *colon = k;
    for (;;) {
        if (k >= n)
            return R_NEED;
        unsigned char c = b[k], cl = sc->t.cls[c];
        if (cl == K_NMSTRT) {
            if (c == ':' && colon)
                *colon = k + 1;
            k++;
        } else if (cl == K_NAME && !first) {
            k++;
        } else if (cl == K_HIGH) {
            int len = u8_seq(b + k, n - k);
            if (len == U8_MORE)
                return sc->eof ? sc_fail(sc, XLSX_SCAN_E_UTF8, line, NULL) : R_NEED;
            if (len == U8_BAD)
                return sc_fail(sc, XLSX_SCAN_E_UTF8, line, NULL);
            if (len == U8_NONXML || !u8_is_name(&sc->name_cache, b + k, len, first))
                return first ? sc_xml(sc, line, E_TOKEN_TEXT) : (*i = k, R_OK);
            k += (size_t)len;
        } else {
            if (first)
                return sc_bad_byte(sc, k, line);
            *i = k;
            return R_OK;
        }
        first = false;
    }
}

/* lex_name, with the case of every real worksheet inline: an ASCII name
 * followed by an ASCII byte. */
static inline int lex_name(xlsx_scan *sc, size_t *i, size_t *colon, unsigned long line)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    const unsigned char *nm = sc->t.name;
    size_t k = *i, n = sc->len;
    if (k < n && (nm[b[k]] & NM_START)) {
        size_t after = k;
        for (; k < n && nm[b[k]]; k++)
            if (b[k] == ':')
                after = k + 1;
        if (k < n && b[k] < 0x80) {
            *i = k;
            if (colon)
                *colon = after;
            return R_OK;
        }
    }
    return lex_name_slow(sc, i, colon, line);
}

/* Lexes a reference after '&' at b[*i] ('&' included): R_OK with *i past
 * the ';', R_NEED or R_FAIL. Only the syntax (as expat's scanRef). */
static int lex_ref(xlsx_scan *sc, size_t *i, unsigned long line)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t k = *i + 1, n = sc->len;
    if (k >= n)
        return R_NEED;
    if (b[k] == '#') {
        k++;
        if (k >= n)
            return R_NEED;
        bool hex = b[k] == 'x';
        if (hex)
            k++;
        size_t digits = 0;
        for (;; k++, digits++) {
            if (k >= n)
                return R_NEED;
            unsigned char c = b[k];
            if (c == ';' && digits > 0)
                break;
            if (!((c >= '0' && c <= '9') ||
                  (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))))
                return sc_bad_byte(sc, k, line);
        }
        *i = k + 1;
        return R_OK;
    }
    int r = lex_name(sc, &k, NULL, line);
    if (r != R_OK)
        return r;
    if (k >= n)
        return R_NEED;
    if (b[k] != ';')
        return sc_bad_byte(sc, k, line);
    *i = k + 1;
    return R_OK;
}

/* Decodes the reference at s (lexed by lex_ref, ending at the ';' before
 * end) into out (room for 4 bytes): its length, or R_FAIL. */
static int decode_ref(xlsx_scan *sc, const char *s, const char *end, char *out,
                      unsigned long line)
{
    if (s[1] == '#') {
        bool hex = s[2] == 'x';
        uint32_t v = 0;
        for (const char *p = s + (hex ? 3 : 2); p < end - 1; p++) {
            int d = hex ? hz_hex_digit((unsigned char)*p) : *p - '0';
            v = hex ? (v << 4) | (uint32_t)d : v * 10 + (uint32_t)d;
            if (v >= 0x110000)
                return sc_xml(sc, line, "reference to invalid character number");
        }
        /* as expat's checkCharRefNumber */
        if ((v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF ||
            (v < 0x20 && v != 9 && v != 10 && v != 13))
            return sc_xml(sc, line, "reference to invalid character number");
        return hz_utf8_encode((int32_t)v, out);
    }
    size_t n = (size_t)(end - s) - 2;
    const char *name = s + 1;
    if (n == 2 && name[0] == 'l' && name[1] == 't')
        *out = '<';
    else if (n == 2 && name[0] == 'g' && name[1] == 't')
        *out = '>';
    else if (n == 3 && memcmp(name, "amp", 3) == 0)
        *out = '&';
    else if (n == 4 && memcmp(name, "quot", 4) == 0)
        *out = '"';
    else if (n == 4 && memcmp(name, "apos", 4) == 0)
        *out = '\'';
    else
        return sc_xml(sc, line, "undefined entity");
    return 1;
}

/* Checks the character at b[k] inside a comment, PI or CDATA section:
 * its length, 0 to stop (R_* in *r). */
static size_t lex_char(xlsx_scan *sc, size_t k, unsigned long line, int *r)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    unsigned char c = b[k], cl = sc->t.cls[c];
    if (cl == K_HIGH) {
        int len = u8_seq(b + k, sc->len - k);
        if (len >= 2)
            return (size_t)len;
        if (len == U8_MORE && !sc->eof)
            *r = R_NEED;
        else if (len == U8_NONXML)
            *r = sc_xml(sc, line, E_TOKEN_TEXT);
        else
            *r = sc_fail(sc, XLSX_SCAN_E_UTF8, line, NULL);
        return 0;
    }
    if (cl == K_NUL || cl == K_NONXML) {
        *r = sc_bad_byte(sc, k, line);
        return 0;
    }
    return 1;
}

/* What cmp_att_names compares: the lexed attributes of one token. */
typedef struct att_cmp_ctx {
    const sc_att *att;
    const char *tok;
} att_cmp_ctx;

static int cmp_att_names(const void *a, const void *b, const att_cmp_ctx *c)
{
    const sc_att *x = &c->att[*(const size_t *)a], *y = &c->att[*(const size_t *)b];
    size_t lx = x->name_end - x->name, ly = y->name_end - y->name;
    int d = memcmp(c->tok + x->name, c->tok + y->name, lx < ly ? lx : ly);
    return d ? d : (lx > ly) - (lx < ly);
}

/* Duplicate attribute names (as written: no namespace processing); the
 * caller has reserved sc->order for 2 * natt offsets when natt > 16. */
static bool atts_have_dup(xlsx_scan *sc, const char *tok)
{
    att_cmp_ctx ctx = {sc->att, tok};
    size_t n = sc->natt;
    if (n < 2)
        return false;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (sc->att[i].name_end - sc->att[i].name ==
                        sc->att[j].name_end - sc->att[j].name &&
                    tok[sc->att[i].name] == tok[sc->att[j].name] &&
                    memcmp(tok + sc->att[i].name, tok + sc->att[j].name,
                           sc->att[i].name_end - sc->att[i].name) == 0)
                    return true;
        return false;
    }
    /* A hostile tag can hold a hundred thousand attributes: sorted, not
     * compared pairwise. Insertion into a sorted order would be quadratic
     * too; a simple merge sort on offsets keeps it n log n. */
    size_t *a = sc->order, *tmp = sc->order + n;
    for (size_t i = 0; i < n; i++)
        a[i] = i;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t x = lo, y = mid, o = lo;
            while (x < mid || y < hi) {
                if (y >= hi || (x < mid && cmp_att_names(&a[x], &a[y], &ctx) <= 0))
                    tmp[o++] = a[x++];
                else
                    tmp[o++] = a[y++];
            }
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    for (size_t i = 1; i < n; i++)
        if (cmp_att_names(&a[i - 1], &a[i], &ctx) == 0)
            return true;
    return false;
}

/* Decodes attribute value [v, e) of tok in place, as expat normalises a
 * CDATA attribute: tab, LF, CR and CR LF become one space each, references
 * are replaced. Returns the new end, or NULL on failure. */
static char *decode_value(xlsx_scan *sc, char *v, char *e, unsigned long line)
{
    char *w = v;
    while (v < e) {
        char c = *v;
        if (c == '&') {
            char *semi = memchr(v, ';', (size_t)(e - v));
            char tmp[4];
            int n = decode_ref(sc, v, semi + 1, tmp, line);
            if (n <= 0)
                return NULL;
            memcpy(w, tmp, (size_t)n);
            w += n;
            v = semi + 1;
        } else if (c == '\t' || c == '\n') {
            *w++ = ' ';
            v++;
        } else if (c == '\r') {
            *w++ = ' ';
            v += v + 1 < e && v[1] == '\n' ? 2 : 1;
        } else {
            *w++ = *v++;
        }
    }
    return w;
}

/* How many attributes the plain path takes; a tag with more goes the
 * full way (and the duplicate test sorts them). */
#define SC_PLAIN_ATTS 16

/*
 * The attributes of nearly every worksheet tag (<c r="B2" s="3" t="s">),
 * from k (just past the element name) to the end of the tag: one space
 * before each, an ASCII name with '=' right after it, a value in double
 * quotes with no reference, line break, tab, quote or byte above 0x7F, and
 * '>' or "/>" right after the last. Fills sc->att and returns true with
 * *end past the tag; false for anything else, and then the full lexer
 * reads the tag from its start and gives the verdict (nothing here
 * refuses a tag, nothing here is kept).
 */
static bool lex_plain_attrs(xlsx_scan *sc, size_t s, size_t k, size_t *end, bool *empty)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    const unsigned char *nm = sc->t.name, *stop = sc->t.attr_stop;
    size_t n = sc->len, natt = 0;
    if (sc->att_cap < SC_PLAIN_ATTS &&
        !hz_array_reserve(&sc->att, &sc->att_cap, SC_PLAIN_ATTS, sizeof *sc->att))
        return false;
    for (;;) {
        if (k + 1 >= n)
            return false;
        unsigned char c = b[k];
        if (c == '>') {
            *end = k + 1;
            *empty = false;
            break;
        }
        if (c == '/') {
            if (b[k + 1] != '>')
                return false;
            *end = k + 2;
            *empty = true;
            break;
        }
        if (c != ' ' || !(nm[b[k + 1]] & NM_START) || natt == SC_PLAIN_ATTS)
            return false;
        sc_att *a = &sc->att[natt];
        a->name = ++k - s;
        while (k < n && nm[b[k]])
            k++;
        if (k + 1 >= n || b[k] != '=' || b[k + 1] != '"')
            return false;
        a->name_end = k - s;
        k += 2;
        a->val = k - s;
        while (k < n && !stop[b[k]])
            k++;
        if (k >= n || b[k] != '"')
            return false;
        a->val_end = k - s;
        a->plain = true;
        natt++;
        k++;
    }
    sc->natt = natt;
    return true;
}

/* A start tag at pos: '<' Name (S Attribute)* S? '/'? '>'. */
static int scan_start_tag(xlsx_scan *sc)
{
    const size_t s = sc->pos;
    const unsigned long line0 = sc->line;
    unsigned long line = line0;
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, k = s + 1, local;
    int r = lex_name(sc, &k, &local, line);
    if (r == R_NEED)
        return sc_need(sc, s, line0);
    if (r != R_OK)
        return r;
    size_t name_end = k;
    bool empty = false;
    size_t plain_end;
    if (b[k] < 0x80 && lex_plain_attrs(sc, s, k, &plain_end, &empty)) {
        k = plain_end;
        goto lexed;
    }
    sc->natt = 0;
    for (;;) {
        if (k >= n)
            return sc_need(sc, s, line0);
        unsigned char cl = sc->t.cls[b[k]];
        if (cl == K_GT) {
            k++;
            break;
        }
        if (cl == K_SOL) {
            if (k + 1 >= n)
                return sc_need(sc, s, line0);
            if (b[k + 1] != '>')
                return sc_bad_byte(sc, k + 1, line);
            empty = true;
            k += 2;
            break;
        }
        if (cl != K_S && cl != K_LF && cl != K_CR)
            return sc_bad_byte(sc, k, line) == R_NEED ? sc_need(sc, s, line0) : R_FAIL;
        /* S, then '>', '/', or an attribute */
        while (k < n && (cl = sc->t.cls[b[k]]) <= K_CR && cl >= K_S) {
            if (cl == K_LF)
                line++;
            k++;
        }
        if (k >= n)
            return sc_need(sc, s, line0);
        if (cl == K_GT || cl == K_SOL)
            continue;
        sc_att a;
        a.name = k - s;
        r = lex_name(sc, &k, NULL, line);
        if (r == R_NEED)
            return sc_need(sc, s, line0);
        if (r != R_OK)
            return r;
        a.name_end = k - s;
        while (k < n && (cl = sc->t.cls[b[k]]) <= K_CR && cl >= K_S) {
            if (cl == K_LF)
                line++;
            k++;
        }
        if (k >= n)
            return sc_need(sc, s, line0);
        if (b[k] != '=')
            return sc_bad_byte(sc, k, line) == R_NEED ? sc_need(sc, s, line0) : R_FAIL;
        k++;
        while (k < n && (cl = sc->t.cls[b[k]]) <= K_CR && cl >= K_S) {
            if (cl == K_LF)
                line++;
            k++;
        }
        if (k >= n)
            return sc_need(sc, s, line0);
        unsigned char q = b[k];
        if (q != '"' && q != '\'')
            return sc_bad_byte(sc, k, line) == R_NEED ? sc_need(sc, s, line0) : R_FAIL;
        k++;
        a.val = k - s;
        a.plain = true;
        for (;;) {
            while (k < n && !sc->t.attr_stop[b[k]])
                k++;
            if (k >= n)
                return sc_need(sc, s, line0);
            unsigned char c = b[k];
            if (c == q)
                break;
            cl = sc->t.cls[c];
            if (cl == K_QUOT || cl == K_APOS) {
                k++;
            } else if (cl == K_AMP) {
                r = lex_ref(sc, &k, line);
                if (r == R_NEED)
                    return sc_need(sc, s, line0);
                if (r != R_OK)
                    return r;
                a.plain = false;
            } else if (cl == K_LF || cl == K_CR || c == '\t') {
                if (cl == K_LF)
                    line++;
                a.plain = false;
                k++;
            } else if (cl == K_HIGH) {
                int len = u8_seq(b + k, n - k);
                if (len == U8_MORE && !sc->eof)
                    return sc_need(sc, s, line0);
                if (len < 2) {
                    r = len == U8_NONXML ? sc_xml(sc, line, E_TOKEN_TEXT)
                                         : sc_fail(sc, XLSX_SCAN_E_UTF8, line, NULL);
                    return r;
                }
                k += (size_t)len;
            } else { /* '<', NUL, controls */
                r = sc_bad_byte(sc, k, line);
                return r == R_NEED ? sc_need(sc, s, line0) : r;
            }
        }
        a.val_end = k - s;
        k++;
        if (k >= n)
            return sc_need(sc, s, line0);
        cl = sc->t.cls[b[k]];
        if (cl != K_S && cl != K_LF && cl != K_CR && cl != K_GT && cl != K_SOL) {
            r = sc_bad_byte(sc, k, line);
            return r == R_NEED ? sc_need(sc, s, line0) : r;
        }
        if (sc->natt >= sc->att_cap &&
            !hz_array_reserve(&sc->att, &sc->att_cap, sc->natt + 1, sizeof *sc->att))
            return sc_fail(sc, XLSX_SCAN_E_NOMEM, line, NULL);
        sc->att[sc->natt++] = a;
    }
lexed:
    r = sc_token_len(sc, s, k, line0);
    if (r != R_OK)
        return r;
    /* The token is whole: a root in the epilog is junk, as expat. */
    if (sc->where == W_EPILOG)
        return sc_xml(sc, line0, "junk after document element");
    sc->ev_line = line0;
    char *tok = sc->buf + s;
    if (sc->natt > 16 &&
        !hz_array_reserve(&sc->order, &sc->order_cap, 2 * sc->natt, sizeof *sc->order))
        return sc_fail(sc, XLSX_SCAN_E_NOMEM, line0, NULL);
    if (atts_have_dup(sc, tok))
        return sc_xml(sc, line0, "duplicate attribute");
    if (2 * sc->natt + 1 > sc->attrs_cap &&
        !hz_array_reserve(&sc->attrs, &sc->attrs_cap, 2 * sc->natt + 1, sizeof *sc->attrs))
        return sc_fail(sc, XLSX_SCAN_E_NOMEM, line0, NULL);
    for (size_t i = 0; i < sc->natt; i++) {
        sc_att *a = &sc->att[i];
        char *v = tok + a->val, *e = tok + a->val_end;
        if (!a->plain) {
            e = decode_value(sc, v, e, line0);
            if (!e)
                return R_FAIL;
        }
        *e = '\0';
        tok[a->name_end] = '\0';
        sc->attrs[2 * i] = tok + a->name;
        sc->attrs[2 * i + 1] = v;
    }
    sc->attrs[2 * sc->natt] = NULL;
    sc->buf[name_end] = '\0';
    const char *name = tok + 1, *lname = sc->buf + local;
    sc->pos = k;
    sc->line = line;
    if (sc->where == W_PROLOG)
        sc->where = W_CONTENT;
    if (sc->h.on_start && sc_act(sc, sc->h.on_start(sc->h.user, name, lname, sc->attrs)) != R_OK)
        return R_FAIL;
    if (empty) {
        if (sc->h.on_end && sc_act(sc, sc->h.on_end(sc->h.user, name, lname)) != R_OK)
            return R_FAIL;
        if (sc->depth == 0)
            sc->where = W_EPILOG;
        return R_OK;
    }
    size_t nl = name_end - (s + 1);
    if ((sc->names_len + nl + 1 > sc->names_cap &&
         !hz_array_reserve(&sc->names, &sc->names_cap, sc->names_len + nl + 1, 1)) ||
        (sc->depth + 1 > sc->open_cap &&
         !hz_array_reserve(&sc->open, &sc->open_cap, sc->depth + 1, sizeof *sc->open)))
        return sc_fail(sc, XLSX_SCAN_E_NOMEM, line0, NULL);
    sc->open[sc->depth++] = sc->names_len;
    /* worksheet names are one to three letters: no library call */
    if (nl < 8)
        for (size_t i = 0; i <= nl; i++)
            sc->names[sc->names_len + i] = name[i];
    else
        memcpy(sc->names + sc->names_len, name, nl + 1);
    sc->names_len += nl + 1;
    return R_OK;
}

/* An end tag at pos: "</" Name S? '>', matching the open element. */
static int scan_end_tag(xlsx_scan *sc)
{
    const size_t s = sc->pos;
    const unsigned long line0 = sc->line;
    unsigned long line = line0;
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, k = s + 2, local;
    int r = lex_name(sc, &k, &local, line);
    if (r == R_NEED)
        return sc_need(sc, s, line0);
    if (r != R_OK)
        return r;
    size_t name_end = k;
    unsigned char cl;
    while (k < n && (cl = sc->t.cls[b[k]]) <= K_CR && cl >= K_S) {
        if (cl == K_LF)
            line++;
        k++;
    }
    if (k >= n)
        return sc_need(sc, s, line0);
    if (b[k] != '>') {
        r = sc_bad_byte(sc, k, line);
        return r == R_NEED ? sc_need(sc, s, line0) : r;
    }
    k++;
    r = sc_token_len(sc, s, k, line0);
    if (r != R_OK)
        return r;
    if (sc->where != W_CONTENT || sc->depth == 0)
        return sc_xml(sc, line0, sc->where == W_EPILOG ? "junk after document element"
                                                       : "syntax error");
    const char *open = sc->names + sc->open[sc->depth - 1];
    size_t nl = name_end - (s + 2), open_len = sc->names_len - sc->open[sc->depth - 1] - 1;
    bool same = open_len == nl;
    if (same && nl < 8) {
        for (size_t i = 0; i < nl && same; i++)
            same = open[i] == sc->buf[s + 2 + i];
    } else if (same) {
        same = memcmp(open, sc->buf + s + 2, nl) == 0;
    }
    if (!same)
        return sc_xml(sc, line0, "mismatched tag");
    sc->buf[name_end] = '\0';
    sc->depth--;
    sc->names_len = sc->open[sc->depth];
    sc->pos = k;
    sc->line = line;
    sc->ev_line = line0;
    if (sc->depth == 0)
        sc->where = W_EPILOG;
    if (sc->h.on_end &&
        sc_act(sc, sc->h.on_end(sc->h.user, sc->buf + s + 2, sc->buf + local)) != R_OK)
        return R_FAIL;
    return R_OK;
}

/* A comment at pos: "<!--" Char* "-->", no "--" inside (as expat). */
static int scan_comment(xlsx_scan *sc)
{
    const size_t s = sc->pos;
    const unsigned long line0 = sc->line;
    unsigned long line = line0;
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, k = s + 4;
    for (;;) {
        if (k >= n)
            return sc_need(sc, s, line0);
        unsigned char c = b[k];
        if (c == '-') {
            if (k + 1 >= n)
                return sc_need(sc, s, line0);
            if (b[k + 1] == '-') {
                if (k + 2 >= n)
                    return sc_need(sc, s, line0);
                if (b[k + 2] != '>') {
                    int r = sc_bad_byte(sc, k + 2, line);
                    return r == R_NEED ? sc_need(sc, s, line0) : r;
                }
                k += 3;
                break;
            }
            k++;
            continue;
        }
        if (c == '\n')
            line++;
        int r = R_OK;
        size_t len = lex_char(sc, k, line, &r);
        if (!len)
            return r == R_NEED ? sc_need(sc, s, line0) : r;
        k += len;
    }
    int r = sc_token_len(sc, s, k, line0);
    if (r != R_OK)
        return r;
    sc->pos = k;
    sc->line = line;
    return R_OK;
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* expat's parsePseudoAttribute over [*p, end): 1 and *name NULL at the end
 * of the declaration, 1 with name/value, 0 when malformed. */
static int pseudo_attr(const char **p, const char *end, const char **name, size_t *name_len,
                       const char **val, size_t *val_len)
{
    const char *q = *p;
    *name = NULL;
    if (q == end)
        return 1;
    if (!is_space(*q))
        return 0;
    while (q < end && is_space(*q))
        q++;
    if (q == end)
        return 1;
    const char *nm = q;
    for (;;) {
        if (q == end || (unsigned char)*q >= 0x80)
            return 0;
        if (*q == '=')
            break;
        if (is_space(*q)) {
            const char *ne = q;
            while (q < end && is_space(*q))
                q++;
            if (q == end || *q != '=')
                return 0;
            if (ne == nm)
                return 0;
            *name_len = (size_t)(ne - nm);
            goto value;
        }
        q++;
    }
    if (q == nm)
        return 0;
    *name_len = (size_t)(q - nm);
value:
    q++;
    while (q < end && is_space(*q))
        q++;
    if (q == end || (*q != '"' && *q != '\''))
        return 0;
    char open = *q++;
    const char *v = q;
    for (;; q++) {
        if (q == end)
            return 0;
        if (*q == open)
            break;
        char c = *q;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return 0;
    }
    *name = nm;
    *val = v;
    *val_len = (size_t)(q - v);
    *p = q + 1;
    return 1;
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* The XML declaration's content after "<?xml" and before "?>" (expat's
 * doParseXmlDecl for a document entity), then the reader's rule: the part
 * is read as UTF-8, so another declared encoding is refused. */
static int parse_xml_decl(xlsx_scan *sc, const char *p, const char *end, unsigned long line)
{
    static const char bad[] = "XML declaration not well-formed";
    const char *name, *val;
    size_t nl = 0, vl = 0;
    if (!pseudo_attr(&p, end, &name, &nl, &val, &vl) || !name || !word_is(name, nl, "version"))
        return sc_xml(sc, line, bad);
    if (!pseudo_attr(&p, end, &name, &nl, &val, &vl))
        return sc_xml(sc, line, bad);
    if (!name)
        return R_OK;
    if (word_is(name, nl, "encoding")) {
        if (vl == 0 || !((val[0] >= 'a' && val[0] <= 'z') || (val[0] >= 'A' && val[0] <= 'Z')))
            return sc_xml(sc, line, bad);
        const char *enc = val;
        size_t enc_len = vl;
        if (!pseudo_attr(&p, end, &name, &nl, &val, &vl))
            return sc_xml(sc, line, bad);
        if (name && (!word_is(name, nl, "standalone") ||
                     !(word_is(val, vl, "yes") || word_is(val, vl, "no"))))
            return sc_xml(sc, line, bad);
        while (name && p < end && is_space(*p))
            p++;
        if (name && p != end)
            return sc_xml(sc, line, bad);
        if (!(enc_len == 5 && strncasecmp(enc, "UTF-8", 5) == 0) &&
            !(enc_len == 4 && strncasecmp(enc, "UTF8", 4) == 0)) {
            char shown[33];
            size_t m = enc_len < 32 ? enc_len : 32;
            memcpy(shown, enc, m);
            shown[m] = '\0';
            return sc_fail(sc, XLSX_SCAN_E_ENCODING, line, shown);
        }
        return R_OK;
    }
    if (!word_is(name, nl, "standalone") || !(word_is(val, vl, "yes") || word_is(val, vl, "no")))
        return sc_xml(sc, line, bad);
    while (p < end && is_space(*p))
        p++;
    return p == end ? R_OK : sc_xml(sc, line, bad);
}

/* A processing instruction at pos: "<?" Name (S Char*)? "?>". The target
 * "xml" is the XML declaration, only at the very start; any other case of
 * it is refused, as expat. */
static int scan_pi(xlsx_scan *sc, bool at_start)
{
    const size_t s = sc->pos;
    const unsigned long line0 = sc->line;
    unsigned long line = line0;
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, k = s + 2;
    int r = lex_name(sc, &k, NULL, line);
    if (r == R_NEED)
        return sc_need(sc, s, line0);
    if (r != R_OK)
        return r;
    size_t target_end = k;
    bool decl = false;
    if (target_end - (s + 2) == 3 && (b[s + 2] | 0x20) == 'x' && (b[s + 3] | 0x20) == 'm' &&
        (b[s + 4] | 0x20) == 'l') {
        if (b[s + 2] != 'x' || b[s + 3] != 'm' || b[s + 4] != 'l')
            return sc_xml(sc, line0, E_TOKEN_TEXT);
        decl = true;
    }
    if (k >= n)
        return sc_need(sc, s, line0);
    unsigned char cl = sc->t.cls[b[k]];
    if (cl == K_QUEST) {
        if (k + 1 >= n)
            return sc_need(sc, s, line0);
        if (b[k + 1] != '>') {
            r = sc_bad_byte(sc, k + 1, line);
            return r == R_NEED ? sc_need(sc, s, line0) : r;
        }
        k += 2;
    } else if (cl == K_S || cl == K_LF || cl == K_CR) {
        for (;;) {
            if (k >= n)
                return sc_need(sc, s, line0);
            if (b[k] == '?') {
                if (k + 1 >= n)
                    return sc_need(sc, s, line0);
                if (b[k + 1] == '>') {
                    k += 2;
                    break;
                }
                k++;
                continue;
            }
            if (b[k] == '\n')
                line++;
            size_t len = lex_char(sc, k, line, &r);
            if (!len)
                return r == R_NEED ? sc_need(sc, s, line0) : r;
            k += len;
        }
    } else {
        r = sc_bad_byte(sc, k, line);
        return r == R_NEED ? sc_need(sc, s, line0) : r;
    }
    r = sc_token_len(sc, s, k, line0);
    if (r != R_OK)
        return r;
    if (decl) {
        if (!at_start)
            return sc_xml(sc, line0, "XML or text declaration not at start of entity");
        r = parse_xml_decl(sc, sc->buf + target_end, sc->buf + k - 2, line0);
        if (r != R_OK)
            return r;
    }
    sc->pos = k;
    sc->line = line;
    return R_OK;
}

/* "<!" at pos: a comment anywhere, a CDATA section in content, a DOCTYPE
 * (refused for safety) in the prolog; anything else is malformed. */
static int scan_bang(xlsx_scan *sc)
{
    const size_t s = sc->pos;
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len;
    static const char cdata[] = "<![CDATA[", doctype[] = "<!DOCTYPE";
    if (s + 2 >= n)
        return sc_need(sc, s, sc->line);
    if (b[s + 2] == '-') {
        if (s + 3 >= n)
            return sc_need(sc, s, sc->line);
        if (b[s + 3] != '-') {
            int r = sc_bad_byte(sc, s + 3, sc->line);
            return r == R_NEED ? sc_need(sc, s, sc->line) : r;
        }
        return scan_comment(sc);
    }
    if (sc->where == W_CONTENT) {
        for (size_t i = 2; i < sizeof cdata - 1; i++) {
            if (s + i >= n)
                return sc_need(sc, s, sc->line);
            if (b[s + i] != (unsigned char)cdata[i]) {
                int r = sc_bad_byte(sc, s + i, sc->line);
                return r == R_NEED ? sc_need(sc, s, sc->line) : r;
            }
        }
        sc->pos = s + sizeof cdata - 1;
        sc->where = W_CDATA;
        return R_OK;
    }
    if (sc->where == W_PROLOG) {
        size_t i = 2;
        for (; i < sizeof doctype - 1 && s + i < n; i++)
            if (b[s + i] != (unsigned char)doctype[i])
                break;
        if (i == sizeof doctype - 1 && s + i >= n)
            return sc_need(sc, s, sc->line);
        if (i == sizeof doctype - 1 && is_space(b[s + i]))
            return sc_fail(sc, XLSX_SCAN_E_DOCTYPE, sc->line, NULL);
        if (s + i >= n)
            return sc_need(sc, s, sc->line);
        int r = sc_bad(sc, s + i, sc->line, "syntax error");
        return r == R_NEED ? sc_need(sc, s, sc->line) : r;
    }
    return sc_xml(sc, sc->line, "junk after document element");
}

/* Content text at pos, up to markup, a reference or the end of the buffer. */
static int scan_text(xlsx_scan *sc)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    const unsigned char *stop = sc->t.text_stop;
    size_t n = sc->len, i = sc->pos, start = i;
    int r;
    sc->ev_line = sc->line;
    for (;;) {
        while (i < n && !stop[b[i]])
            i++;
        if (i >= n)
            break;
        unsigned char c = b[i];
        if (c == '<' || c == '&')
            break;
        if (c == '\n') {
            sc->line++;
            i++;
        } else if (c >= 0x80) {
            int len = u8_seq(b + i, n - i);
            if (len >= 2) {
                i += (size_t)len;
                continue;
            }
            if (len == U8_MORE && !sc->eof)
                break;
            sc->pos = i;
            r = sc_emit(sc, sc->buf + start, i - start);
            if (r != R_OK)
                return r;
            return len == U8_NONXML ? sc_xml(sc, sc->line, E_TOKEN_TEXT)
                                    : sc_fail(sc, XLSX_SCAN_E_UTF8, sc->line, NULL);
        } else if (c == '\r') {
            if (i + 1 >= n && !sc->eof)
                break;
            r = sc_emit(sc, sc->buf + start, i - start);
            if (r != R_OK)
                return r;
            i += i + 1 < n && b[i + 1] == '\n' ? 2 : 1;
            if (b[i - 1] == '\n')
                sc->line++;
            start = i;
            r = sc_emit(sc, "\n", 1);
            if (r != R_OK)
                return r;
        } else if (c == ']') {
            /* "]]>" may not appear in content (as expat) */
            if (i + 1 < n && b[i + 1] != ']') {
                i++;
                continue;
            }
            if (i + 2 < n && b[i + 2] != '>') {
                i++;
                continue;
            }
            if (i + 2 >= n && !sc->eof)
                break;
            if (i + 2 >= n) {
                i++;
                continue;
            }
            return sc_xml(sc, sc->line, E_TOKEN_TEXT);
        } else {
            return sc_bad_byte(sc, i, sc->line);
        }
    }
    r = sc_emit(sc, sc->buf + start, i - start);
    sc->pos = i;
    if (r != R_OK)
        return r;
    if (i < n && b[i] == '&') {
        size_t k = i, len0 = sc->len;
        bool eof0 = sc->eof;
        if (len0 - i > sc->max_token + 1) { /* as sc_windowed */
            sc->len = i + sc->max_token + 1;
            sc->eof = false;
        }
        r = lex_ref(sc, &k, sc->line);
        if (r == R_NEED)
            r = sc_need(sc, i, sc->line);
        sc->len = len0;
        sc->eof = eof0;
        if (r == R_NEED)
            return R_NEED;
        if (r != R_OK)
            return r;
        char tmp[4];
        int len = decode_ref(sc, sc->buf + i, sc->buf + k, tmp, sc->line);
        if (len <= 0)
            return R_FAIL;
        sc->pos = k;
        return sc_emit(sc, tmp, (size_t)len);
    }
    if (i < n && b[i] != '<')
        return R_NEED; /* a cut sequence, CR or "]]" at the end of the buffer */
    return i >= n && !sc->eof ? R_NEED : R_OK;
}

/* CDATA section content at pos, up to "]]>" or the end of the buffer. */
static int scan_cdata(xlsx_scan *sc)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, i = sc->pos, start = i;
    int r;
    for (;;) {
        if (i >= n)
            break;
        unsigned char c = b[i];
        if (c == ']') {
            if (i + 2 >= n) {
                if (!sc->eof)
                    break;
                i++;
                continue;
            }
            if (b[i + 1] == ']' && b[i + 2] == '>') {
                r = sc_emit(sc, sc->buf + start, i - start);
                if (r != R_OK)
                    return r;
                sc->pos = i + 3;
                sc->where = W_CONTENT;
                return R_OK;
            }
            i++;
        } else if (c == '\r') {
            if (i + 1 >= n && !sc->eof)
                break;
            r = sc_emit(sc, sc->buf + start, i - start);
            if (r != R_OK)
                return r;
            i += i + 1 < n && b[i + 1] == '\n' ? 2 : 1;
            if (b[i - 1] == '\n')
                sc->line++;
            start = i;
            r = sc_emit(sc, "\n", 1);
            if (r != R_OK)
                return r;
        } else {
            if (c == '\n')
                sc->line++;
            size_t len = lex_char(sc, i, sc->line, &r);
            if (!len) {
                if (r == R_NEED)
                    break;
                return r;
            }
            i += len;
        }
    }
    r = sc_emit(sc, sc->buf + start, i - start);
    sc->pos = i;
    if (r != R_OK)
        return r;
    if (sc->eof && i >= n)
        return sc_xml(sc, sc->line, "unclosed CDATA section");
    return R_NEED;
}

/* Between markup outside the root element: white space only. */
static int scan_outside(xlsx_scan *sc)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len, i = sc->pos;
    while (i < n && is_space(b[i])) {
        if (b[i] == '\n')
            sc->line++;
        i++;
    }
    sc->pos = i;
    if (i >= n)
        return sc->eof ? R_OK : R_NEED;
    if (b[i] == '<')
        return R_OK;
    /* a valid character, misplaced: expat's wording for where it is */
    return sc_bad(sc, i, sc->line,
                  sc->where == W_EPILOG ? "junk after document element" : "syntax error");
}

/* The first bytes: a UTF-8 byte-order mark is skipped (as expat); UTF-16
 * was refused by sc_fill. */
static int scan_begin(xlsx_scan *sc)
{
    const unsigned char *b = (const unsigned char *)sc->buf;
    size_t n = sc->len;
    if (n < 3 && !sc->eof)
        return R_NEED;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        sc->pos = 3;
    sc->began = true;
    sc->decl_at = sc->pos;
    return R_OK;
}

/* Runs a token lexer seeing at most max_token + 1 bytes from s. */
static int sc_windowed(xlsx_scan *sc, size_t s, int (*lex)(xlsx_scan *))
{
    size_t len = sc->len;
    bool eof = sc->eof;
    if (len - s > sc->max_token + 1) {
        sc->len = s + sc->max_token + 1;
        sc->eof = false;
    }
    int r = lex(sc);
    sc->len = len;
    sc->eof = eof;
    return r;
}

static int scan_pi_start(xlsx_scan *sc)
{
    /* "<?xml" at the very start is the declaration */
    return scan_pi(sc, sc->base + sc->pos == sc->decl_at);
}

static int scan_step(xlsx_scan *sc)
{
    if (!sc->began)
        return scan_begin(sc);
    if (sc->where == W_CDATA)
        return scan_cdata(sc);
    if (sc->pos >= sc->len) {
        if (!sc->eof)
            return R_NEED;
        if (sc->where == W_EPILOG) {
            sc->where = W_DONE;
            return R_OK;
        }
        return sc_xml(sc, sc->line, "no element found");
    }
    const unsigned char *b = (const unsigned char *)sc->buf;
    if (b[sc->pos] != '<')
        return sc->where == W_CONTENT ? scan_text(sc) : scan_outside(sc);
    if (sc->pos + 1 >= sc->len)
        return sc_need(sc, sc->pos, sc->line);
    /* a token lexer sees at most max_token + 1 bytes from its '<': it is
     * then refused as too long whatever lies beyond its limit, however the
     * input was cut into reads (the verdict does not depend on the reads) */
    size_t len = sc->len;
    if (len - sc->pos > sc->max_token + 1)
        return sc_windowed(sc, sc->pos, b[sc->pos + 1] == '/'   ? scan_end_tag
                                        : b[sc->pos + 1] == '!' ? scan_bang
                                        : b[sc->pos + 1] == '?' ? scan_pi_start
                                                                : scan_start_tag);
    switch (b[sc->pos + 1]) {
    case '/':
        return scan_end_tag(sc);
    case '!':
        return scan_bang(sc);
    case '?':
        return scan_pi_start(sc);
    default:
        return scan_start_tag(sc);
    }
}

hz_status xlsx_scan_run(xlsx_scan *sc)
{
    sc->suspended = false;
    while (sc->status == HZ_OK && sc->where != W_DONE) {
        int r = scan_step(sc);
        if (r == R_FAIL)
            break;
        if (r == R_NEED) {
            if (sc_fill(sc) != R_OK)
                break;
            continue;
        }
        if (sc->suspended)
            return HZ_OK;
    }
    return sc->status;
}

/* ------------------------------------------------------------------ */
/* Byte check (the expat path)                                         */

enum { MK_TEXT, MK_OPEN, MK_TAG, MK_QUOTE, MK_BANG, MK_COMMENT, MK_PI, MK_CDATA };

void xlsx_bytecheck_init(xlsx_bytecheck *c, size_t max_token)
{
    memset(c, 0, sizeof *c);
    c->max_token = max_token;
    c->line = 1;
}

/* Markup lexing, just enough to know how long the current markup token
 * is: TEXT and CDATA content are streamed by expat and cost nothing; a
 * tag (quotes may hide '>'), comment, PI or declaration is one token for
 * expat, which rescans an unfinished token whenever a chunk arrives, and
 * must stay below max_token. Malformed markup is left for expat. */
static bool bc_markup(xlsx_bytecheck *x, unsigned char c)
{
    static const char cdata[] = "[CDATA[";
    switch (x->mk_state) {
    case MK_TEXT: /* c == '<' */
        x->mk_state = MK_OPEN;
        x->mk_len = 0;
        break;
    case MK_OPEN:
        x->mk_state = c == '!' ? MK_BANG : c == '?' ? MK_PI : MK_TAG;
        x->mk_match = 0;
        x->mk_quote = 0;
        if (c == '>')
            x->mk_state = MK_TEXT;
        break;
    case MK_TAG:
        if (c == '"' || c == '\'') {
            x->mk_state = MK_QUOTE;
            x->mk_quote = c;
        } else if (c == '>') {
            x->mk_state = MK_TEXT;
        }
        break;
    case MK_QUOTE:
        if (c == x->mk_quote)
            x->mk_state = MK_TAG;
        break;
    case MK_BANG: /* "<!--", "<![CDATA[" or a declaration; mk_match counts
                     the characters matched so far, mk_quote says of which */
        if (x->mk_match < 2 && c == '-' && (x->mk_match == 0 || x->mk_quote == '-')) {
            x->mk_quote = '-';
            if (++x->mk_match == 2) {
                x->mk_state = MK_COMMENT;
                x->mk_match = 0;
            }
        } else if (x->mk_quote != '-' && x->mk_match < sizeof cdata - 1 &&
                   c == (unsigned char)cdata[x->mk_match]) {
            x->mk_quote = '[';
            if (++x->mk_match == sizeof cdata - 1) {
                x->mk_state = MK_CDATA;
                x->mk_match = 0;
            }
        } else {
            x->mk_state = c == '>' ? MK_TEXT : MK_TAG;
        }
        break;
    case MK_COMMENT: /* ends at "-->" */
        if (c == '-')
            x->mk_match++;
        else if (c == '>' && x->mk_match >= 2)
            x->mk_state = MK_TEXT;
        else
            x->mk_match = 0;
        break;
    case MK_PI: /* ends at "?>" */
        if (c == '>' && x->mk_match)
            x->mk_state = MK_TEXT;
        x->mk_match = c == '?';
        break;
    case MK_CDATA: /* ends at "]]>"; the content is streamed */
        if (c == ']')
            x->mk_match++;
        else if (c == '>' && x->mk_match >= 2)
            x->mk_state = MK_TEXT;
        else
            x->mk_match = 0;
        x->mk_len = 0;
        return true;
    }
    return ++x->mk_len <= x->max_token;
}

/* Bytes of w that are zero (high bit set in the result): exact for the
 * test "is any byte zero", which is all it is used for. */
#define BC_ONES 0x0101010101010101ull
#define BC_HIGHS 0x8080808080808080ull
static inline uint64_t bc_zero(uint64_t w)
{
    return (w - BC_ONES) & ~w & BC_HIGHS;
}

xlsx_scan_error xlsx_bytecheck_feed(xlsx_bytecheck *x, const unsigned char *p, size_t n)
{
    if (!x->started && n > 0) {
        x->started = true;
        /* UTF-16 is legal XML, but no office suite writes it, and every
         * byte check below is a UTF-8 check: refused, with or without a
         * byte-order mark ("<\0" / "\0<" start a BOM-less one). */
        if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF) ||
                       (p[0] == '<' && p[1] == 0) || (p[0] == 0 && p[1] == '<')))
            return XLSX_SCAN_E_UTF16;
    }
    size_t i = 0;
    while (i < n) {
        /* Fast path: eight plain bytes at a time, in text (no '<', '\n',
         * NUL or byte >= 0x80) or inside a tag (no quote, '>', '\n', NUL
         * or byte >= 0x80, and room under the token limit). */
        if (x->u8_need == 0 && (x->mk_state == MK_TEXT || x->mk_state == MK_TAG)) {
            bool tag = x->mk_state == MK_TAG;
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                uint64_t bad = (w & BC_HIGHS) | bc_zero(w) | bc_zero(w ^ (BC_ONES * '\n'));
                if (tag)
                    bad |= bc_zero(w ^ (BC_ONES * '>')) | bc_zero(w ^ (BC_ONES * '"')) |
                           bc_zero(w ^ (BC_ONES * '\'')) |
                           (x->mk_len + 8 > x->max_token ? 1 : 0);
                else
                    bad |= bc_zero(w ^ (BC_ONES * '<'));
                if (bad)
                    break;
                if (tag)
                    x->mk_len += 8;
                i += 8;
            }
            if (i >= n)
                break;
            if (!tag) {
                size_t past = u8_skip_plain(p, i, n);
                if (past != i) {
                    i = past;
                    continue;
                }
            } else {
                /* the rest of a short tag (<si>, </t>) a byte at a time
                 * without the state machine: a name or blank byte only
                 * counts towards the limit, '>' ends the tag; a quote,
                 * line break, NUL or byte >= 0x80 takes the full step */
                unsigned char c;
                while (i < n && (c = p[i]) >= ' ' && c < 0x80 && c != '"' && c != '\'' &&
                       c != '>') {
                    if (++x->mk_len > x->max_token)
                        return XLSX_SCAN_E_TOKEN;
                    i++;
                }
                if (i >= n)
                    break;
                if (p[i] == '>') {
                    if (++x->mk_len > x->max_token)
                        return XLSX_SCAN_E_TOKEN;
                    x->mk_state = MK_TEXT;
                    i++;
                    continue;
                }
            }
        }
        unsigned char c = p[i++];
        if ((x->mk_state != MK_TEXT || c == '<') && !bc_markup(x, c))
            return XLSX_SCAN_E_TOKEN;
        xlsx_scan_error e = u8_check_byte(c, &x->u8_need, &x->u8_lo, &x->u8_hi, &x->line);
        if (e != XLSX_SCAN_E_NONE)
            return e;
    }
    if (n == 0 && x->u8_need)
        return XLSX_SCAN_E_UTF8;
    return XLSX_SCAN_E_NONE;
}
