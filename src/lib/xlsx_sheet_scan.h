/*
 * xlsx_sheet_scan.h - the worksheet XML scanner, and the byte check every
 * other XML part gets before expat.
 *
 * Worksheets are most of the bytes of a submission, and expat spent most
 * of the reading time on them (issue 19). The scanner reads a worksheet
 * part with the same guarantees the expat path gives (DESIGN §9): it
 * accepts exactly the well-formed documents expat 2.5 accepts as the reader
 * configures it (no namespace processing, UTF-8 forced, no DTD) and
 * delivers the same events: element starts with their attributes decoded
 * (the five predefined entities, character references, attribute-value
 * whitespace normalised to spaces), element ends, and character data with
 * CR LF / CR turned into LF and CDATA sections delivered as text. Comments
 * and processing instructions are checked and skipped. It refuses what the
 * byte check refuses for the expat path: invalid UTF-8, NUL, UTF-16 (with
 * or without a byte-order mark), a markup token longer than the limit; and
 * a DOCTYPE, and an XML declaration naming an encoding other than UTF-8.
 * fuzz/fuzz_sheet_scan.c holds the scanner to expat, differentially.
 *
 * The scanner pulls its input through a read callback and owns its buffer
 * (a markup token is parsed once it is whole in the buffer, so the buffer
 * holds at most one token beyond a read); names and attribute values are
 * terminated and decoded in place, so an event costs no allocation.
 * Handlers may suspend the scan (the reader stops after each row) and
 * resume it with the next xlsx_scan_run. Not thread-safe per object; any
 * number of objects may run at once.
 */
#ifndef HZ_XLSX_SHEET_SCAN_H
#define HZ_XLSX_SHEET_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

/* What a handler asks for after an event. */
typedef enum xlsx_scan_action {
    XLSX_SCAN_GO = 0,     /* carry on */
    XLSX_SCAN_SUSPEND,    /* return from xlsx_scan_run after this token */
    XLSX_SCAN_STOP        /* abandon the scan (the handler failed) */
} xlsx_scan_action;

/* Why a scan failed (xlsx_scan_error_kind). */
typedef enum xlsx_scan_error {
    XLSX_SCAN_E_NONE = 0,
    XLSX_SCAN_E_XML,      /* not well-formed: xlsx_scan_error_text says how */
    XLSX_SCAN_E_UTF8,     /* invalid UTF-8 */
    XLSX_SCAN_E_NUL,      /* a NUL byte */
    XLSX_SCAN_E_UTF16,    /* the part is UTF-16 (byte-order mark or "<\0") */
    XLSX_SCAN_E_ENCODING, /* the XML declaration names another encoding */
    XLSX_SCAN_E_DOCTYPE,  /* a DOCTYPE declaration */
    XLSX_SCAN_E_TOKEN,    /* a markup token longer than max_token */
    XLSX_SCAN_E_READ,     /* the read callback failed */
    XLSX_SCAN_E_NOMEM,
    XLSX_SCAN_E_STOPPED   /* a handler returned XLSX_SCAN_STOP */
} xlsx_scan_error;

/*
 * The callbacks. name is the qualified name as written ("x:c"), local the
 * part after its last ':' ("c"); attrs is NULL-terminated name/value pairs
 * in document order (names qualified). All strings are NUL-terminated and
 * valid until the handler returns. Text comes in pieces of any size
 * (possibly empty pieces are never delivered); len bytes at text, not
 * NUL-terminated. Any handler may be NULL.
 * read fills buf with up to cap bytes of the part: the count, 0 at its end,
 * -1 on failure (the scan then fails with XLSX_SCAN_E_READ).
 */
typedef struct xlsx_scan_handlers {
    void *user;
    xlsx_scan_action (*on_start)(void *user, const char *name, const char *local,
                                 const char **attrs);
    xlsx_scan_action (*on_end)(void *user, const char *name, const char *local);
    xlsx_scan_action (*on_text)(void *user, const char *text, size_t len);
    long long (*read)(void *user, char *buf, size_t cap);
} xlsx_scan_handlers;

typedef struct xlsx_scan xlsx_scan;

/* A scanner for one part. max_token bounds a tag, comment, processing
 * instruction or declaration (bytes from '<' to '>'), as the byte check
 * does for expat; read must not be NULL. HZ_ERR_NOMEM or HZ_OK. */
hz_status xlsx_scan_new(const xlsx_scan_handlers *handlers, size_t max_token, xlsx_scan **out);
void xlsx_scan_free(xlsx_scan *scan);

/*
 * Scans until a handler suspends, the document ends or it fails. HZ_OK when
 * suspended or finished (xlsx_scan_done tells which); on failure
 * HZ_ERR_FORMAT (not well-formed, UTF-8, NUL, UTF-16, encoding, DOCTYPE),
 * HZ_ERR_LIMIT (token), HZ_ERR_IO (read), HZ_ERR_NOMEM, or HZ_ERR_USAGE
 * when a handler stopped it; once failed it keeps returning that status.
 */
hz_status xlsx_scan_run(xlsx_scan *scan);
/* true once the whole document has been scanned and found well-formed. */
bool xlsx_scan_done(const xlsx_scan *scan);
/* The line (1-based, counting LF) of the token being delivered, for a
 * handler's own messages; after a failure, the line of the failure. */
unsigned long xlsx_scan_line(const xlsx_scan *scan);
xlsx_scan_error xlsx_scan_error_kind(const xlsx_scan *scan);
/* For XLSX_SCAN_E_XML: expat's wording of the problem ("mismatched tag",
 * "undefined entity", ...), so messages read the same on both paths; for
 * XLSX_SCAN_E_ENCODING: the declared encoding (at most 32 bytes); "" else. */
const char *xlsx_scan_error_text(const xlsx_scan *scan);

/*
 * The byte check of the expat path (DESIGN §9): every byte of a part is
 * valid UTF-8 and not NUL, the part is not UTF-16, and no markup token is
 * longer than max_token. Fed chunk by chunk (a final call with n == 0 at
 * the end of the part), it keeps its state across chunks. Plain text is
 * checked eight bytes at a time.
 */
typedef struct xlsx_bytecheck {
    size_t max_token;
    bool started;
    int u8_need;
    unsigned char u8_lo, u8_hi;
    int mk_state;
    unsigned char mk_quote;
    unsigned mk_match;
    uint64_t mk_len;
    unsigned long line;
} xlsx_bytecheck;

void xlsx_bytecheck_init(xlsx_bytecheck *check, size_t max_token);
/* XLSX_SCAN_E_NONE, or the first of XLSX_SCAN_E_UTF16 / _UTF8 / _NUL /
 * _TOKEN found; check->line is then the line of the offending byte. */
xlsx_scan_error xlsx_bytecheck_feed(xlsx_bytecheck *check, const unsigned char *p, size_t n);

#endif
