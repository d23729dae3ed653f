/* pdf_fonts.c - fontconfig lookup and libharu loading of the report fonts. */
#include "pdf_fonts.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <fontconfig/fontconfig.h>
#include "hz_text.h"

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static bool family_refused(const char *family)
{
    /* Prefix match also catches "WenQuanYi Micro Hei Mono". */
    static const char *const bad[] = {"WenQuanYi Micro Hei", "Droid Sans Fallback",
                                      "文泉驿微米黑", "文泉驛微米黑"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strncasecmp(family, bad[i], strlen(bad[i])) == 0)
            return true;
    return false;
}

bool pdf_fonts_is_refused(const char *family, const char *path)
{
    if (family && family_refused(family))
        return true;
    if (path && (ends_with_ci(path, ".otf") || ends_with_ci(path, ".otc")))
        return true;
    return false;
}

typedef enum match_result { MATCH_NONE, MATCH_OK, MATCH_REFUSED } match_result;

/* Looks family up in config; fills out when an exact, usable match exists. */
static match_result match_family(FcConfig *config, const char *family, pdf_font_file *out)
{
    FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, (const FcChar8 *)family,
                                    (char *)NULL);
    if (!pat)
        return MATCH_NONE;
    FcConfigSubstitute(config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *match = FcFontMatch(config, pat, &res);
    FcPatternDestroy(pat);
    if (!match)
        return MATCH_NONE;

    match_result result = MATCH_NONE;
    bool same = false, refused = false;
    FcChar8 *name = NULL;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (strcasecmp((const char *)name, family) == 0)
            same = true;
        if (family_refused((const char *)name))
            refused = true;
    }
    FcChar8 *file = NULL;
    int index = 0;
    FcChar8 *format = NULL;
    if (same && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        if (FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch)
            index = 0;
        if (FcPatternGetString(match, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
            strcmp((const char *)format, "CFF") == 0)
            refused = true;
        if (pdf_fonts_is_refused(family, (const char *)file))
            refused = true;
        hz_strlcpy_utf8(out->family, family, sizeof out->family);
        hz_strlcpy_utf8(out->path, (const char *)file, sizeof out->path);
        out->index = index;
        result = refused ? MATCH_REFUSED : MATCH_OK;
    }
    FcPatternDestroy(match);
    return result;
}

hz_status pdf_fonts_find(const char *family, const char *const *fallbacks,
                         size_t fallback_count, pdf_font_file *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    if (!family || !*family)
        return hz_error_set(err, HZ_ERR_NOT_FOUND, HZ_M_PDF_FONT_NOT_FOUND, "", NULL);
    /* A private config: no global fontconfig state is touched or kept. */
    FcConfig *config = FcInitLoadConfigAndFonts();
    if (!config)
        return hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_PDF_FONTCONFIG, NULL);

    pdf_font_file refused_file;
    memset(&refused_file, 0, sizeof refused_file);
    match_result first = match_family(config, family, out);
    if (first == MATCH_REFUSED)
        refused_file = *out;
    hz_status st = HZ_OK;
    if (first != MATCH_OK) {
        bool found = false;
        for (size_t i = 0; i < fallback_count && !found; i++)
            if (fallbacks[i] && *fallbacks[i] &&
                match_family(config, fallbacks[i], out) == MATCH_OK)
                found = true;
        if (!found) {
            memset(out, 0, sizeof *out);
            if (first == MATCH_REFUSED)
                st = hz_error_set(err, HZ_ERR_CONFIG, HZ_M_PDF_FONT_INCOMPLETE, family,
                                  refused_file.path, NULL);
            else
                st = hz_error_set(err, HZ_ERR_NOT_FOUND, HZ_M_PDF_FONT_NOT_FOUND, family,
                                  NULL);
        }
    }
    FcConfigDestroy(config);
    return st;
}

hz_status pdf_fonts_load(HPDF_Doc pdf, const pdf_font_file *file, HPDF_Font *out,
                         hz_error *err)
{
    *out = NULL;
    if (pdf_fonts_is_refused(file->family, file->path))
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_PDF_FONT_INCOMPLETE, file->family,
                            file->path, NULL);
    const char *name;
    if (ends_with_ci(file->path, ".ttc"))
        name = HPDF_LoadTTFontFromFile2(pdf, file->path, (HPDF_UINT)file->index, HPDF_TRUE);
    else
        name = HPDF_LoadTTFontFromFile(pdf, file->path, HPDF_TRUE);
    HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
    if (!font) {
        char code[32];
        snprintf(code, sizeof code, "%04lX", (unsigned long)HPDF_GetError(pdf));
        HPDF_ResetError(pdf);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_PDF_FONT_LOAD, file->path, code, NULL);
    }
    *out = font;
    return HZ_OK;
}
