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

/* Writes the ToUnicode CMap of a Type0 font whose character codes are
 * Unicode code points (libharu's UTF-8 encoder with Identity-H): one bfrange
 * per high byte, the surrogate block left out. At most 100 ranges per
 * beginbfrange block (the CMap specification's limit). */
static HPDF_STATUS write_tounicode(HPDF_Stream s)
{
    static const char head[] =
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    static const char tail[] = "endcmap\n"
                               "CMapName currentdict /CMap defineresource pop\n"
                               "end\n"
                               "end\n";
    HPDF_STATUS st = HPDF_Stream_WriteStr(s, head);
    unsigned highs[256];
    size_t n = 0;
    for (unsigned hi = 0; hi < 256; hi++)
        if (hi < 0xD8 || hi > 0xDF)
            highs[n++] = hi;
    for (size_t i = 0; i < n && st == HPDF_OK; i += 100) {
        size_t block = n - i < 100 ? n - i : 100;
        char line[64];
        snprintf(line, sizeof line, "%zu beginbfrange\n", block);
        st = HPDF_Stream_WriteStr(s, line);
        for (size_t k = 0; k < block && st == HPDF_OK; k++) {
            unsigned hi = highs[i + k];
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
            st = HPDF_Stream_WriteStr(s, line);
        }
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(s, tail);
    return st;
}

/* libharu 2.3.0 attaches its *encoding* CMap (a begincidrange table) as
 * /ToUnicode and writes the encoding name "Identity-H" as the descendant's
 * CIDSystemInfo Ordering; poppler warns on every page and pdfbox-based tools
 * cannot extract the text. Both objects are rewritten in place through the
 * object API, so the bytes stay reproducible. */
static bool fix_font_objects(HPDF_Font font)
{
    HPDF_Dict type0 = (HPDF_Dict)font;
    HPDF_Dict cmap = HPDF_Dict_GetItem(type0, "ToUnicode", HPDF_OCLASS_DICT);
    if (!cmap || !cmap->stream)
        return false;
    HPDF_MemStream_FreeData(cmap->stream);
    if (write_tounicode(cmap->stream) != HPDF_OK)
        return false;
    /* The stream's dictionary still describes the encoding CMap. */
    HPDF_Dict cmap_info = HPDF_Dict_GetItem(cmap, "CIDSystemInfo", HPDF_OCLASS_DICT);
    if (cmap_info) {
        HPDF_String ucs = HPDF_String_New(cmap->mmgr, "UCS", NULL);
        if (!ucs || HPDF_Dict_Add(cmap_info, "Ordering", ucs) != HPDF_OK)
            return false;
    }
    if (HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS") != HPDF_OK)
        return false;
    HPDF_Array descendants = HPDF_Dict_GetItem(type0, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid = descendants ? HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict info = cid ? HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT) : NULL;
    if (!info)
        return false;
    HPDF_String registry = HPDF_String_New(info->mmgr, "Adobe", NULL);
    HPDF_String ordering = HPDF_String_New(info->mmgr, "Identity", NULL);
    if (!registry || !ordering)
        return false;
    return HPDF_Dict_Add(info, "Registry", registry) == HPDF_OK &&
           HPDF_Dict_Add(info, "Ordering", ordering) == HPDF_OK &&
           HPDF_Dict_AddNumber(info, "Supplement", 0) == HPDF_OK;
}

const char *pdf_font_role_name(pdf_font_role role)
{
    static const char *const names[PDF_FONT_ROLES] = {"title", "body", "heading1", "heading2",
                                                      "page"};
    return role < PDF_FONT_ROLES ? names[role] : "";
}

static const char *const DEFAULT_TITLE[] = {"方正小标宋简体", "方正小标宋_GBK",
                                            "AR PL SungtiL GB"};
static const char *const DEFAULT_BODY[] = {"仿宋_GB2312", "仿宋", "AR PL SungtiL GB"};
static const char *const DEFAULT_HEADING1[] = {"黑体", "WenQuanYi Zen Hei"};
static const char *const DEFAULT_HEADING2[] = {"楷体_GB2312", "楷体", "AR PL KaitiM GB"};
static const char *const DEFAULT_PAGE[] = {"宋体", "AR PL UMing CN"};

static pdf_font_choice default_choice(pdf_font_role role)
{
#define CHOICE(a) ((pdf_font_choice){a, sizeof a / sizeof a[0]})
    switch (role) {
    case PDF_FONT_TITLE: return CHOICE(DEFAULT_TITLE);
    case PDF_FONT_BODY: return CHOICE(DEFAULT_BODY);
    case PDF_FONT_HEADING1: return CHOICE(DEFAULT_HEADING1);
    case PDF_FONT_HEADING2: return CHOICE(DEFAULT_HEADING2);
    default: return CHOICE(DEFAULT_PAGE);
    }
#undef CHOICE
}

hz_status pdf_fonts_resolve(const pdf_fonts_spec *spec, pdf_font_resolution *out,
                            hz_error *err)
{
    memset(out, 0, sizeof *out);
    const char *const *fallbacks = spec ? spec->fallbacks : NULL;
    size_t nfallbacks = spec && spec->fallbacks ? spec->fallback_count : 0;
    for (int role = 0; role < PDF_FONT_ROLES; role++) {
        pdf_font_choice c = spec ? spec->roles[role] : (pdf_font_choice){NULL, 0};
        if (!c.families || c.count == 0)
            c = default_choice((pdf_font_role)role);
        /* The role's own list, then the general fallbacks. */
        const char *tail[64];
        size_t ntail = 0;
        for (size_t i = 1; i < c.count && ntail < 64; i++)
            tail[ntail++] = c.families[i];
        for (size_t i = 0; i < nfallbacks && ntail < 64; i++)
            tail[ntail++] = fallbacks[i];
        const char *first = c.families[0] ? c.families[0] : "";
        hz_strlcpy_utf8(out->requested[role], first, sizeof out->requested[role]);
        hz_status st = pdf_fonts_find(first, tail, ntail, &out->files[role], err);
        if (st != HZ_OK)
            return st;
        out->substituted[role] = strcasecmp(out->files[role].family, first) != 0;
    }
    for (size_t i = 0; i < nfallbacks && out->extra_count < PDF_FONT_EXTRA_MAX; i++) {
        hz_error ignored = {0};
        if (fallbacks[i] && *fallbacks[i] &&
            pdf_fonts_find(fallbacks[i], NULL, 0, &out->extra[out->extra_count], &ignored) ==
                HZ_OK)
            out->extra_count++;
    }
    return HZ_OK;
}

bool pdf_fonts_substitution(const pdf_font_resolution *res, pdf_font_role role,
                            hz_error *notice)
{
    if (role >= PDF_FONT_ROLES || !res->substituted[role])
        return false;
    hz_error_set(notice, HZ_OK, HZ_M_PDF_FONT_SUBSTITUTED, pdf_font_role_name(role),
                 res->requested[role], res->files[role].family, NULL);
    return true;
}

const char *pdf_fonts_load_def(HPDF_Doc pdf, const pdf_font_file *file)
{
    if (pdf_fonts_is_refused(file->family, file->path))
        return NULL;
    const char *name;
    if (ends_with_ci(file->path, ".ttc"))
        name = HPDF_LoadTTFontFromFile2(pdf, file->path, (HPDF_UINT)file->index, HPDF_TRUE);
    else
        name = HPDF_LoadTTFontFromFile(pdf, file->path, HPDF_TRUE);
    return name;
}

bool pdf_fonts_has_glyph(HPDF_Doc pdf, const char *def_name, uint32_t cp)
{
    if (cp > 0xFFFF)
        return false; /* libharu 2.3.0 draws the BMP only */
    if (cp < 0x20)
        return true;
    HPDF_FontDef def = HPDF_GetFontDef(pdf, def_name);
    return def && HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != 0;
}

hz_status pdf_fonts_load(HPDF_Doc pdf, const pdf_font_file *file, HPDF_Font *out,
                         hz_error *err)
{
    *out = NULL;
    if (pdf_fonts_is_refused(file->family, file->path))
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_PDF_FONT_INCOMPLETE, file->family,
                            file->path, NULL);
    const char *name = pdf_fonts_load_def(pdf, file);
    HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
    if (font && !fix_font_objects(font))
        font = NULL;
    if (!font) {
        char code[32];
        snprintf(code, sizeof code, "%04lX", (unsigned long)HPDF_GetError(pdf));
        HPDF_ResetError(pdf);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_PDF_FONT_LOAD, file->path, code, NULL);
    }
    *out = font;
    return HZ_OK;
}
