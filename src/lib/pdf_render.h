/*
 * pdf_render.h - lay out an hz_doc as a PDF after GB/T 9704-2012.
 *
 * Page: A4 portrait, top margin 37 mm, binding (left) margin 28 mm, text
 * block 156 x 225 mm, 22 lines per page (line pitch 225/22 mm). Body text
 * 16 pt in the song face with a slight negative tracking so that exactly
 * 28 full-width characters fill a line, first-line indent of two
 * characters, justified lines except a paragraph's last. Title 22 pt,
 * centred, wrapped to balanced lines. DOC_HEADING1 in hei, DOC_HEADING2 in
 * kai, DOC_HEADING3 in song; headings are kept with the next line.
 * DOC_PLAIN has no indent; DOC_SIGNATURE lines (split at '\n') follow one
 * empty line and are right-aligned, two characters in from the right edge.
 * Page numbers "— N —" 14 pt, 7 mm below the text block, at the outer edge
 * (right on odd pages, left on even) one character in from the block edge.
 *
 * Orientation: DOC_ANNEX_BREAK starts a landscape A4 page (text block
 * 225 x 156 mm, centred on the page); every following page stays landscape
 * until a DOC_PAGE_BREAK, which starts a portrait page again (or the end of
 * the document). A break at the top of a still-empty page does not leave a
 * blank page behind.
 *
 * Tables: ruled grid, 12 pt (10.5 pt when the natural widths do not fit;
 * then columns shrink proportionally and cells wrap), caption centred above,
 * header rows repeated on every page, totals row in hei, column alignment
 * from doc_table.align. A table wider than the portrait block is measured
 * before its page is opened, so a page break before it opens the landscape
 * page directly (no empty page). Charts: vector bar charts about a third of
 * the text block high; one that does not fit shrinks to the rest of the page
 * when its plot keeps at least 60 % of its height, otherwise it waits while
 * the running text after it fills the page and opens the next page (it is
 * placed before any heading, table, break or 落款 that follows). A missing
 * value (NAN: a unit that did not report) has no bar and no value text.
 *
 * Every character, including the turned ones (rotated chart labels, the
 * page numbers of landscape pages, the diagonal mark), is drawn in the
 * first face that has its glyph, starting with its role's face: chart
 * texts in the body face, the chart title and the diagonal mark in the
 * level-1 heading face (黑体), page numbers in the page-number face (宋体).
 * Justified lines are spread between Chinese characters (and between them
 * and numbers), never between the digits of a number, at most ¼ em.
 *
 * Draft documents carry a diagonal light-grey 征求意见稿 mark on every page.
 * Document info: title, author, creator "huizong", creation date from
 * doc->created (none when HZ_DATE_NONE). Nothing depends on the clock: the
 * same doc and fonts give byte-identical files.
 */
#ifndef HZ_PDF_RENDER_H
#define HZ_PDF_RENDER_H

#include <stddef.h>
#include "hz_status.h"
#include "report_doc.h"
#include "pdf_fonts.h"

/* What a render used: each role's font (and whether it is a substitute,
 * pdf_fonts_substitution gives the notice) and the characters that no
 * installed font could draw. */
typedef struct pdf_render_report {
    pdf_font_resolution fonts;
    uint32_t missing[16];
    size_t missing_count;
} pdf_render_report;

/*
 * Renders doc to path: written to path + ".tmp" and renamed, so a failed
 * run leaves no partial file (the temporary file is removed). fonts may be
 * NULL for the defaults; report (may be NULL) receives the fonts used.
 * Errors: font errors of pdf_fonts.h,
 * HZ_ERR_INTERNAL / HZ_M_PDF_LIBHARU {1}=error (hex) {2}=detail,
 * HZ_ERR_IO / HZ_M_PDF_WRITE {1}=path {2}=strerror,
 * HZ_ERR_NOMEM / HZ_M_NOMEM.
 */
hz_status pdf_render(const hz_doc *doc, const pdf_fonts_spec *fonts, const char *path,
                     pdf_render_report *report, hz_error *err);

/* Same, into a malloc'd buffer (*out, *out_len; the caller frees *out). */
hz_status pdf_render_memory(const hz_doc *doc, const pdf_fonts_spec *fonts,
                            unsigned char **out, size_t *out_len, pdf_render_report *report,
                            hz_error *err);

#endif
