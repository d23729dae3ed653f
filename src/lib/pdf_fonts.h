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
#include <stdint.h>
#include <hpdf.h>
#include "hz_status.h"

/* The roles of GB/T 9704: the title in 小标宋, the body in 仿宋, level-1
 * headings in 黑体, level-2 headings in 楷体, page numbers in 宋体. */
typedef enum pdf_font_role {
    PDF_FONT_TITLE,
    PDF_FONT_BODY,
    PDF_FONT_HEADING1,
    PDF_FONT_HEADING2,
    PDF_FONT_PAGE_NUMBER,
    PDF_FONT_ROLES
} pdf_font_role;

/* "title", "body", "heading1", "heading2", "page" (campaign.ini keys
 * font_<name>). */
const char *pdf_font_role_name(pdf_font_role role);

/* Families tried in order for one role; count 0 takes the defaults:
 *   title    方正小标宋简体, 方正小标宋_GBK, AR PL SungtiL GB
 *   body     仿宋_GB2312, 仿宋, AR PL SungtiL GB
 *   heading1 黑体, WenQuanYi Zen Hei
 *   heading2 楷体_GB2312, 楷体, AR PL KaitiM GB
 *   page     宋体, AR PL UMing CN
 * (the last of each is a Debian package: fonts-arphic-gbsn00lp,
 * fonts-wqy-zenhei, fonts-arphic-gkai00mp, fonts-arphic-uming). */
typedef struct pdf_font_choice {
    const char *const *families;
    size_t count;
} pdf_font_choice;

typedef struct pdf_fonts_spec {
    pdf_font_choice roles[PDF_FONT_ROLES];
    /* Families for characters that a role's font lacks (tried after the
     * other roles' fonts); also the last resort of every role. */
    const char *const *fallbacks;
    size_t fallback_count;
} pdf_fonts_spec;

#define PDF_FONT_EXTRA_MAX 8

typedef struct pdf_font_file {
    char family[256]; /* the family actually used (requested or a fallback) */
    char path[4096];
    int index;        /* face index inside a .ttc */
} pdf_font_file;

/* Which file each role uses and whether it is a substitute. */
typedef struct pdf_font_resolution {
    pdf_font_file files[PDF_FONT_ROLES];
    char requested[PDF_FONT_ROLES][256]; /* the role's first family */
    bool substituted[PDF_FONT_ROLES];    /* a later family is used */
    pdf_font_file extra[PDF_FONT_EXTRA_MAX]; /* spec->fallbacks found */
    size_t extra_count;
} pdf_font_resolution;

/*
 * Resolves every role of spec (NULL: all defaults) with fontconfig (which
 * honours FONTCONFIG_FILE; huizong itself reads no environment). A role
 * whose families are all missing takes the first usable of spec->fallbacks.
 * Errors as pdf_fonts_find, naming the role's first family.
 */
hz_status pdf_fonts_resolve(const pdf_fonts_spec *spec, pdf_font_resolution *out,
                            hz_error *err);

/* The substitution notice of role (HZ_M_PDF_FONT_SUBSTITUTED: {1} role,
 * {2} the family asked, {3} the family used) into err-like fields; false
 * when the role is not substituted. */
bool pdf_fonts_substitution(const pdf_font_resolution *res, pdf_font_role role,
                            hz_error *notice);

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

/* Loads only the font program of file (nothing is written to the PDF until
 * pdf_fonts_load creates the font), so glyph coverage can be asked first.
 * Returns the libharu font name or NULL. */
const char *pdf_fonts_load_def(HPDF_Doc pdf, const pdf_font_file *file);

/* true when the font program named def_name has a glyph for cp. */
bool pdf_fonts_has_glyph(HPDF_Doc pdf, const char *def_name, uint32_t cp);

#endif
