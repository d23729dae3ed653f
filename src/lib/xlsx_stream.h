/*
 * xlsx_stream.h - worksheet XML (SpreadsheetML <row>/<c> elements) written
 * at memcpy speed for the long sheets of the city workbook (issue 19).
 *
 * No printf per cell: cell references, integers and fixed-point decimals
 * are formatted by the small functions below; text is copied with the XML
 * escapes libxlsxwriter uses (&amp; &lt; &gt;; control characters other
 * than tab and newline as _xHHHH_; xml:space="preserve" when the text
 * starts or ends with white space), as an inline string (t="inlineStr"),
 * which is what libxlsxwriter's constant-memory mode writes, or as a
 * shared string's index. Cells carry
 * the style index (s=) of a libxlsxwriter format (lxw_format_get_xf_index),
 * so they share the workbook's styles.
 *
 * The bytes go through a buffer to a sink (deflate_chunks_write, in the
 * workbook writer). The first sink error is kept: later calls do nothing
 * and xlsx_stream_close returns it.
 */
#ifndef HZ_XLSX_STREAM_H
#define HZ_XLSX_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

/* Decimal digits of v, with '-' when negative; out needs 21 bytes. Returns
 * the length (no NUL is written). */
size_t xlsx_stream_format_int(char *out, int64_t v);

/* v / 10^scale in plain decimal, trailing zeros and point dropped
 * (12500 with scale 4: "1.25"; -5 with scale 4: "-0.0005"). The text reads
 * back (strtod) as the double nearest to the exact value, the same double
 * as v / 10^scale computed in floating point. scale 0..9; out needs 32
 * bytes. Returns the length. */
size_t xlsx_stream_format_decimal(char *out, int64_t v, int scale);

/* A1-style reference of 0-based row and column ("A1", "XFD1048576"); out
 * needs 16 bytes. Returns the length. */
size_t xlsx_stream_format_cellref(char *out, uint32_t row, uint32_t col);

typedef hz_status (*xlsx_stream_sink)(void *ctx, const void *data, size_t len, hz_error *err);

typedef struct xlsx_stream xlsx_stream;

hz_status xlsx_stream_open(xlsx_stream **out, xlsx_stream_sink sink, void *ctx, hz_error *err);

/* Bytes copied as they are (the parts of the sheet around <sheetData>). */
void xlsx_stream_raw(xlsx_stream *xs, const char *data, size_t len);

/* <row r="row+1"> ... </row>; cells in between, in column order. */
void xlsx_stream_row_begin(xlsx_stream *xs, uint32_t row);
void xlsx_stream_row_end(xlsx_stream *xs);

/* A text cell; NULL or "" writes nothing. xf < 0: no style attribute. */
void xlsx_stream_string(xlsx_stream *xs, uint32_t col, const char *text, int xf);

/* A number cell of an integer (counts, date serials). */
void xlsx_stream_int(xlsx_stream *xs, uint32_t col, int64_t v, int xf);

/* A number cell of the fixed-point v / 10^scale (amounts). */
void xlsx_stream_decimal(xlsx_stream *xs, uint32_t col, int64_t v, int scale, int xf);

/* A text cell by its index in the workbook's shared strings (t="s"): for
 * the texts a long sheet repeats on every row, a third of the bytes of an
 * inline string and of their deflate. */
void xlsx_stream_shared(xlsx_stream *xs, uint32_t col, uint32_t index, int xf);

/* A styled empty cell (<c r=".." s=".."/>). */
void xlsx_stream_blank(xlsx_stream *xs, uint32_t col, int xf);

/* Flushes the buffer to the sink and frees xs; the first error of the
 * stream, or HZ_OK. */
hz_status xlsx_stream_close(xlsx_stream *xs, hz_error *err);

/* Frees xs without flushing. NULL is allowed. */
void xlsx_stream_free(xlsx_stream *xs);

#endif
