/*
 * pdf_fonts.h - find the report's CJK fonts with fontconfig and load them
 * into a libharu document.
 *
 * A family is looked up by its fontconfig family name and must match
 * exactly (fontconfig always returns *some* font; a silent substitute would
 * produce a PDF full of blanks). When the family is missing, the fallbacks
 * are tried in order. Fonts that libharu 2.3.0 renders incompletely are
 * refused: WenQuanYi Micro Hei and Droid Sans Fallback (composite glyphs are
 * dropped) and CFF-based OpenType (.otf/.otc, libharu needs glyf/loca).
 */
#ifndef HZ_PDF_FONTS_H
#define HZ_PDF_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <hpdf.h>
#include "hz_status.h"

/* Default families (Debian packages fonts-arphic-gbsn00lp, fonts-wqy-zenhei,
 * fonts-arphic-gkai00mp). */
#define PDF_FONT_DEFAULT_SONG "AR PL SungtiL GB"
#define PDF_FONT_DEFAULT_HEI "WenQuanYi Zen Hei"
#define PDF_FONT_DEFAULT_KAI "AR PL KaitiM GB"

typedef struct pdf_font_file {
    char family[256]; /* the family actually used (requested or a fallback) */
    char path[4096];
    int index;        /* face index inside a .ttc */
} pdf_font_file;

/*
 * Resolves family (or, when it is missing or unusable, the first usable of
 * fallbacks[0..fallback_count)) to a font file. Errors:
 *   HZ_ERR_NOT_FOUND / HZ_M_PDF_FONT_NOT_FOUND {1}=family  - nothing found;
 *   HZ_ERR_CONFIG / HZ_M_PDF_FONT_INCOMPLETE {1}=family {2}=file - the
 *     requested family exists but libharu cannot render it completely and
 *     no fallback worked;
 *   HZ_ERR_INTERNAL / HZ_M_PDF_FONTCONFIG - fontconfig failed to start.
 */
hz_status pdf_fonts_find(const char *family, const char *const *fallbacks,
                         size_t fallback_count, pdf_font_file *out, hz_error *err);

/* true when libharu 2.3.0 is known to lose glyphs of this family/file. */
bool pdf_fonts_is_refused(const char *family, const char *path);

/*
 * Loads file into pdf (embedded, UTF-8 encoder; the caller must already
 * have called HPDF_UseUTFEncodings) and returns the font handle. Errors:
 * HZ_ERR_FORMAT / HZ_M_PDF_FONT_LOAD {1}=path {2}=libharu error (hex).
 */
hz_status pdf_fonts_load(HPDF_Doc pdf, const pdf_font_file *file, HPDF_Font *out,
                         hz_error *err);

#endif
