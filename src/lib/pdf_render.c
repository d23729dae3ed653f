/* pdf_render.c - GB/T 9704 style layout of an hz_doc with libharu. */
#include "pdf_render.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf.h>
#include "hz_text.h"
#include "pdf_fonts.h"
#include "pdf_linebreak.h"
#include "pdf_wordbreak.h"

#define MM (72.0 / 25.4)
#define A4_W 595.276
#define A4_H 841.89
#define BODY_SIZE 16.0
#define TITLE_SIZE 22.0
#define PAGENO_SIZE 14.0
#define LINES_PER_PAGE 22
#define CHARS_PER_LINE 28
#define EPS 0.01
#define CHART_MIN_FRACTION 0.6
#define MAX_JUSTIFY_EM 0.25 /* widest extra space between characters */

typedef struct face {
    HPDF_Font font;          /* NULL until first used (fallback faces) */
    const char *def_name;    /* libharu font program name */
    const pdf_font_file *file;
    float *cache;            /* advance per 1000 em for the BMP; < 0 = not measured yet */
    unsigned char *covers;   /* per BMP code point: 0 unknown, 1 has glyph, 2 lacks it */
    bool heavy;              /* drawn fill-then-stroke (a light face standing in for 小标宋) */
} face;

#define FACE_MAX (PDF_FONT_ROLES + PDF_FONT_EXTRA_MAX)

struct render;
typedef struct measure {
    struct render *r;
    face *f;
    double size;
    double track; /* extra advance after every character (points) */
} measure;

typedef struct render {
    HPDF_Doc pdf;
    HPDF_STATUS haru_error;  /* first error libharu reported */
    HPDF_STATUS haru_detail;
    hz_status st;            /* first error of ours (err already filled) */
    hz_error *err;
    face faces[FACE_MAX];    /* the roles (pdf_font_role order), then fallbacks */
    size_t face_count;
    face *title, *body, *h1, *h2, *pageno;
    pdf_font_resolution fonts;
    uint32_t missing[16];    /* characters no face has (reported once each) */
    size_t missing_count;
    HPDF_Page page;
    int page_no;
    bool landscape;          /* orientation of the current page */
    bool want_landscape;     /* orientation for the next page */
    bool force_new;          /* a break asked for a new page */
    bool page_empty;         /* nothing placed on the current page yet */
    double pw, ph;           /* page size */
    double left, top;        /* text block left x and top y */
    double bw, bh;           /* text block width and height */
    double y;                /* height of the block used so far */
    double pitch;            /* body line pitch */
    double body_track;       /* tracking that makes 28 characters fill a line */
    const hz_doc *doc;
    double tail_keep;        /* height kept on the page of a paragraph's last
                                two lines (the 落款 after it) */
    const doc_chart *pending_chart; /* moved past the text that fills the page */
    pdf_words words;         /* doc->words */
    pdf_words_index *words_index; /* of words, owned */
    pdf_lines lines;         /* scratch */
} render;

static void on_haru_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    render *r = user;
    if (!r->haru_error) {
        r->haru_error = error;
        r->haru_detail = detail;
    }
}

static bool failed(const render *r)
{
    return r->st != HZ_OK || r->haru_error != 0;
}

static void fail_nomem(render *r)
{
    if (r->st == HZ_OK)
        r->st = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

/* ---- measuring ------------------------------------------------------- */

static bool face_covers(render *r, face *f, uint32_t cp)
{
    if (cp < 0x20 || cp == ' ')
        return true;
    if (cp > 0xFFFF)
        return false;
    if (!f->covers[cp])
        f->covers[cp] = pdf_fonts_has_glyph(r->pdf, f->def_name, cp) ? 1 : 2;
    return f->covers[cp] == 1;
}

/* The face that draws cp for a run styled in f: f itself when it has the
 * glyph, else the first role face, then fallback face, that has it (a font
 * that lacks a glyph is never used for it). */
static face *face_for(render *r, face *f, uint32_t cp)
{
    if (face_covers(r, f, cp))
        return f;
    for (size_t i = 0; i < r->face_count; i++) {
        face *g = &r->faces[i];
        if (g != f && face_covers(r, g, cp)) {
            if (!g->font) {
                hz_error ignored = {0};
                if (pdf_fonts_load(r->pdf, g->file, &g->font, &ignored) != HZ_OK)
                    continue;
            }
            return g;
        }
    }
    bool known = false;
    for (size_t i = 0; i < r->missing_count; i++)
        known = known || r->missing[i] == cp;
    if (!known && r->missing_count < sizeof r->missing / sizeof r->missing[0])
        r->missing[r->missing_count++] = cp;
    return f;
}

static double face_units_raw(face *f, uint32_t cp)
{
    if (cp < 0x20)
        return 0;
    if (cp < 0x10000 && f->cache && f->cache[cp] >= 0)
        return f->cache[cp];
    char buf[8];
    int n = hz_utf8_encode((int32_t)cp, buf);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f->font, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
    double units = tw.width;
    if (cp < 0x10000 && f->cache)
        f->cache[cp] = (float)units;
    return units;
}

static double measure_cp(void *ctx, uint32_t cp)
{
    measure *m = ctx;
    return face_units_raw(face_for(m->r, m->f, cp), cp) * m->size / 1000.0 + m->track;
}

static double measure_text(measure *m, const char *text, size_t len)
{
    double w = 0;
    size_t pos = 0;
    while (pos < len)
        w += measure_cp(m, pdf_utf8_decode(text, len, &pos));
    return w;
}

/* max_gap > 0: the text is justified, and a long number or code that
 * would leave more than max_gap between characters is split (¼ em rule). */
static bool break_text(render *r, measure *m, const char *text, double max_width,
                       double indent, double max_gap)
{
    if (failed(r))
        return false;
    hz_status st = pdf_linebreak_justified(text, strlen(text), measure_cp, m, max_width, indent,
                                           max_gap, &r->lines, r->err);
    if (st != HZ_OK) {
        r->st = st;
        return false;
    }
    return true;
}

/* Breaks text only between words (pdf_wordbreak) into balanced lines; a
 * piece that is wider than the line even alone falls back to the
 * character breaker rather than running over. */
static bool break_words(render *r, measure *m, const char *text, double max_width)
{
    if (failed(r))
        return false;
    hz_status st = pdf_wordbreak(text, strlen(text), &r->words, true, measure_cp, m, max_width,
                                 &r->lines, r->err);
    if (st != HZ_OK) {
        r->st = st;
        return false;
    }
    for (size_t i = 0; i < r->lines.count; i++)
        if (r->lines.items[i].width > max_width + EPS)
            return break_text(r, m, text, max_width, 0, 0);
    return true;
}

/* ---- drawing primitives ---------------------------------------------- */

/* Draws one run of a single face with its left end at x and baseline y,
 * turned by the angle whose cosine and sine are (c, s) (1, 0: upright). */
static void show_run(render *r, face *f, double size, double char_space, double c, double s,
                     double x, double y, const char *text)
{
    if (f->heavy) {
        /* 小标宋 stand-in: the light Song outlined by a thin stroke. */
        HPDF_Page_GSave(r->page);
        HPDF_Page_SetLineWidth(r->page, (HPDF_REAL)(size * 0.035));
        HPDF_Page_SetGrayStroke(r->page, 0);
    }
    HPDF_Page_BeginText(r->page);
    HPDF_Page_SetFontAndSize(r->page, f->font, (HPDF_REAL)size);
    HPDF_Page_SetCharSpace(r->page, (HPDF_REAL)char_space);
    if (f->heavy)
        HPDF_Page_SetTextRenderingMode(r->page, HPDF_FILL_THEN_STROKE);
    if (c == 1 && s == 0) {
        HPDF_Page_TextOut(r->page, (HPDF_REAL)x, (HPDF_REAL)y, text);
    } else {
        HPDF_Page_SetTextMatrix(r->page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s,
                                (HPDF_REAL)c, (HPDF_REAL)x, (HPDF_REAL)y);
        HPDF_Page_ShowText(r->page, text);
    }
    if (f->heavy)
        HPDF_Page_SetTextRenderingMode(r->page, HPDF_FILL);
    HPDF_Page_EndText(r->page);
    if (f->heavy)
        HPDF_Page_GRestore(r->page);
}

/* Draws text[0, len) with its left end at x and baseline y, each character
 * in the first face that has its glyph (runs of one face are one TextOut).
 * Invalid UTF-8 and control characters are replaced, so libharu only sees
 * clean text. */
static void draw_text_spaced(render *r, face *f, double size, double char_space,
                             double tight_space, double c, double s, double x, double y,
                             const char *text, size_t len);

static void draw_text(render *r, face *f, double size, double char_space, double x,
                      double y, const char *text, size_t len)
{
    draw_text_spaced(r, f, size, char_space, char_space, 1, 0, x, y, text, len);
}

/* draw_text along the direction (c, s): the rotated chart labels, the
 * diagonal mark and the turned page numbers take their glyphs from the
 * faces that have them like all other text. */
static void draw_text_turned(render *r, face *f, double size, double char_space, double c,
                             double s, double x, double y, const char *text, size_t len)
{
    draw_text_spaced(r, f, size, char_space, char_space, c, s, x, y, text, len);
}

static bool is_narrow_cp(uint32_t cp)
{
    return !pdf_linebreak_is_wide(cp);
}

/* The general case: char_space after every character except between two
 * narrow ones (the digits of a number, a Latin word), which get
 * tight_space, so a justified line is spread at its Chinese characters
 * and its numbers stay closed up. Runs of one face and one class are one
 * TextOut. */
static void draw_text_spaced(render *r, face *f, double size, double char_space,
                             double tight_space, double c, double s, double x, double y,
                             const char *text, size_t len)
{
    if (failed(r) || len == 0)
        return;
    char *buf = malloc(len * 3 + 4);
    if (!buf) {
        fail_nomem(r);
        return;
    }
    size_t pos = 0, n = 0;
    face *run_face = NULL;
    bool run_narrow = false;
    double run_x = 0, run_w = 0; /* along the baseline from (x, y) */
    while (pos < len || n > 0) {
        uint32_t cp = 0;
        face *g = run_face;
        bool narrow = run_narrow;
        if (pos < len) {
            cp = pdf_utf8_decode(text, len, &pos);
            if (cp < 0x20)
                cp = ' ';
            g = face_for(r, f, cp);
            narrow = is_narrow_cp(cp);
        }
        double run_space = run_narrow ? tight_space : char_space;
        if (n > 0 && (g != run_face || narrow != run_narrow || cp == 0)) {
            buf[n] = '\0';
            show_run(r, run_face, size, run_space, c, s, x + c * run_x, y + s * run_x, buf);
            /* the gap after the run's last character: tight only between
             * two narrow ones */
            run_x += run_w - run_space + (run_narrow && narrow ? tight_space : char_space);
            run_w = 0;
            n = 0;
        }
        if (cp == 0)
            break;
        run_face = g;
        run_narrow = narrow;
        n += (size_t)hz_utf8_encode((int32_t)cp, buf + n);
        run_w += face_units_raw(g, cp) * size / 1000.0 + (narrow ? tight_space : char_space);
    }
    free(buf);
}

static void draw_page_furniture(render *r)
{
    if (r->doc->draft) {
        static const char mark[] = "征求意见稿";
        double size = r->landscape ? 90.0 : 100.0;
        measure m = {r, r->h1, size, 0};
        double w = measure_text(&m, mark, strlen(mark));
        double angle = atan2(r->ph, r->pw);
        double c = cos(angle), s = sin(angle);
        double x = r->pw / 2 - c * w / 2 + s * size * 0.35;
        double y = r->ph / 2 - s * w / 2 - c * size * 0.35;
        HPDF_Page_GSave(r->page);
        HPDF_Page_SetGrayFill(r->page, 0.85f);
        draw_text_turned(r, r->h1, size, 0, c, s, x, y, mark, strlen(mark));
        HPDF_Page_GRestore(r->page);
    }
    /* "— N —": its top 7 mm below the text block, one character in from the
     * outer edge of the block (right on odd pages, left on even). */
    char num[64];
    snprintf(num, sizeof num, "— %d —", r->page_no);
    measure m = {r, r->pageno, PAGENO_SIZE, 0};
    double w = measure_text(&m, num, strlen(num));
    double left = 28 * MM, bw = 156 * MM, top = A4_H - 37 * MM, bh = 225 * MM;
    double base = top - bh - 7 * MM - PAGENO_SIZE * 0.85;
    double x = (r->page_no % 2 == 1) ? left + bw - PAGENO_SIZE - w : left + PAGENO_SIZE;
    if (!r->landscape) {
        draw_text(r, r->pageno, PAGENO_SIZE, 0, x, base, num, strlen(num));
        return;
    }
    /* GB/T 9704 横排表格: the sheet is read turned, the table's top at the
     * portrait page's left edge; the number sits where it sits on the
     * portrait pages, so it is drawn turned, along the landscape left edge:
     * portrait (x, y) is landscape (y, A4_W - x). */
    draw_text_turned(r, r->pageno, PAGENO_SIZE, 0, 0, -1, base, A4_W - x, num, strlen(num));
}

static void flush_chart(render *r);

static void new_page(render *r, bool landscape)
{
    if (failed(r))
        return;
    r->page = HPDF_AddPage(r->pdf);
    if (!r->page)
        return;
    r->landscape = landscape;
    r->want_landscape = landscape;
    r->force_new = false;
    r->page_no++;
    if (landscape) {
        r->pw = A4_H;
        r->ph = A4_W;
        r->bw = 225 * MM;
        r->bh = 156 * MM;
        r->left = (r->pw - r->bw) / 2;
        r->top = r->ph - (r->ph - r->bh) / 2;
    } else {
        r->pw = A4_W;
        r->ph = A4_H;
        r->bw = 156 * MM;
        r->bh = 225 * MM;
        r->left = 28 * MM;
        r->top = r->ph - 37 * MM;
    }
    HPDF_Page_SetWidth(r->page, (HPDF_REAL)r->pw);
    HPDF_Page_SetHeight(r->page, (HPDF_REAL)r->ph);
    r->y = 0;
    r->page_empty = true;
    draw_page_furniture(r);
    flush_chart(r); /* a chart that waited for this page goes on top */
}

/* Makes sure h points of the block are free, starting a page if needed. */
static void ensure_room(render *r, double h)
{
    if (failed(r))
        return;
    if (!r->page || (r->force_new && !(r->page_empty && r->landscape == r->want_landscape)))
        new_page(r, r->want_landscape);
    else if (r->force_new)
        r->force_new = false;
    else if (r->y + h > r->bh + EPS && !r->page_empty)
        new_page(r, r->landscape);
}

static double remaining(const render *r)
{
    return r->page ? r->bh - r->y : 0;
}

/* Baseline of a line of the given height whose top is at block offset y. */
static double baseline_at(const render *r, double y, double line_h, double size)
{
    return r->top - y - line_h / 2 - size * 0.35;
}

/* ---- text blocks ----------------------------------------------------- */

typedef enum text_align { TA_JUSTIFY, TA_LEFT, TA_CENTER, TA_RIGHT } text_align;

typedef struct text_style {
    face *f;
    double size;
    double track;
    double indent;      /* first-line indent */
    double right_inset; /* space kept free at the right */
    double line_h;
    text_align align;
} text_style;

static void draw_line(render *r, const text_style *s, const char *text, const pdf_line *ln,
                      double x0, double avail, double baseline)
{
    double cs = s->track;
    double visible = ln->width - s->track; /* no tracking after the last glyph */
    double x = x0;
    switch (s->align) {
    case TA_JUSTIFY:
        if (!ln->hard && ln->chars > 1) {
            /* The space goes between Chinese characters (and between them
             * and a number), not between the digits of a number. */
            size_t tight = 0, pos = ln->start;
            bool prev = is_narrow_cp(pdf_utf8_decode(text, ln->end, &pos));
            while (pos < ln->end) {
                bool cur = is_narrow_cp(pdf_utf8_decode(text, ln->end, &pos));
                tight += prev && cur;
                prev = cur;
            }
            size_t gaps = ln->chars - 1 - tight;
            double glyphs = ln->width - (double)ln->chars * s->track;
            double spread =
                gaps ? (avail - glyphs - (double)tight * s->track) / (double)gaps : 0;
            /* A line that would need more than a quarter em between its
             * characters (a long number or code moved to the next line)
             * stays short rather than letter-spaced. */
            if (gaps && spread - s->track <= s->size * MAX_JUSTIFY_EM + EPS) {
                draw_text_spaced(r, s->f, s->size, spread, s->track, 1, 0, x, baseline,
                                 text + ln->start, ln->end - ln->start);
                return;
            }
        }
        break;
    case TA_LEFT:
        break;
    case TA_CENTER:
        x = x0 + (avail - visible) / 2;
        break;
    case TA_RIGHT:
        x = x0 + avail - visible;
        break;
    }
    draw_text(r, s->f, s->size, cs, x, baseline, text + ln->start, ln->end - ln->start);
}

/* Places already broken lines (r->lines) of text; keep_extra is the height
 * that must fit below the first `keep_lines` lines on the same page. */
/* Start of the code point before byte offset pos. */
static size_t prev_cp(const char *text, size_t pos)
{
    while (pos > 0 && ((unsigned char)text[--pos] & 0xC0) == 0x80)
        ;
    return pos;
}

static bool is_ideograph_cp(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* A paragraph's last line holding a single ideograph (with punctuation,
 * "下。") takes the previous line's last character (and what may not be
 * separated from it), which leaves that line one character short. */
static void avoid_orphan(render *r, const text_style *s, const char *text, pdf_line *lines,
                         size_t count)
{
    if (count < 2 || s->align != TA_JUSTIFY)
        return;
    pdf_line *last = &lines[count - 1], *prev = &lines[count - 2];
    size_t ideographs = 0;
    for (size_t pos = last->start; pos < last->end;)
        ideographs += is_ideograph_cp(pdf_utf8_decode(text, last->end, &pos));
    if (ideographs != 1)
        return;
    for (size_t pos = prev->end; pos < last->start; pos++)
        if (text[pos] != ' ' && text[pos] != '\t')
            return; /* only blanks between the two lines */
    measure m = {r, s->f, s->size, s->track};
    size_t cut = prev->end;
    for (int moved = 0; moved < 3 && cut > prev->start; moved++) {
        size_t at = prev_cp(text, cut), p = at;
        uint32_t cp = pdf_utf8_decode(text, cut, &p);
        size_t before = prev_cp(text, at), q = before;
        uint32_t prev_char = at > prev->start ? pdf_utf8_decode(text, at, &q) : 0;
        double w = measure_cp(&m, cp);
        prev->width -= w;
        last->width += w;
        prev->chars--;
        last->chars++;
        cut = at;
        /* keep going while the new first character may not start a line or
         * the new last one may not end it */
        if (!pdf_linebreak_no_start(cp) && !(prev_char && pdf_linebreak_no_end(prev_char)))
            break;
    }
    if (cut <= prev->start)
        return; /* would empty the line: leave it */
    if (last->start != prev->end) {
        /* the blank between them is drawn inside the last line now */
        size_t blanks = last->start - prev->end;
        last->chars += blanks;
        last->width += (double)blanks * measure_cp(&m, ' ');
    }
    prev->end = last->start = cut;
}

static void place_lines(render *r, const text_style *s, const char *text, size_t keep_lines,
                        double keep_extra)
{
    size_t count = r->lines.count;
    pdf_line *copy = NULL;
    if (count) {
        /* r->lines is scratch that draw calls do not touch, but copy anyway
         * so nested use stays safe. */
        copy = malloc(count * sizeof *copy);
        if (!copy) {
            fail_nomem(r);
            return;
        }
        memcpy(copy, r->lines.items, count * sizeof *copy);
        avoid_orphan(r, s, text, copy, count);
    }
    size_t tail_from = count >= 2 ? count - 2 : 0;
    for (size_t i = 0; i < count && !failed(r); i++) {
        double need = s->line_h;
        if (i == 0) {
            size_t k = keep_lines < count ? keep_lines : count;
            need = (double)(k ? k : 1) * s->line_h + keep_extra;
        }
        if (r->tail_keep > 0 && i == tail_from) {
            double tail = (double)(count - i) * s->line_h + r->tail_keep;
            if (tail > need)
                need = tail;
        }
        /* Only keep together what can fit on one page at all. */
        if (need > r->bh)
            need = s->line_h;
        ensure_room(r, need);
        if (failed(r))
            break;
        double avail = r->bw - s->right_inset;
        double x0 = r->left;
        double a = avail;
        if (i == 0) {
            x0 += s->indent;
            a -= s->indent;
        }
        draw_line(r, s, text, &copy[i], x0, a, baseline_at(r, r->y, s->line_h, s->size));
        r->y += s->line_h;
        r->page_empty = false;
    }
    free(copy);
}

static void layout_text(render *r, const text_style *s, const char *text, size_t keep_lines,
                        double keep_extra)
{
    measure m = {r, s->f, s->size, s->track};
    ensure_room(r, 0); /* the page decides the block width */
    if (!break_text(r, &m, text, r->bw - s->right_inset, s->indent,
                    s->align == TA_JUSTIFY ? s->size * MAX_JUSTIFY_EM : 0))
        return;
    place_lines(r, s, text, keep_lines, keep_extra);
}

/* Title: centred, broken only between words into balanced lines. */
static void layout_title(render *r, const char *text)
{
    text_style s = {r->title, TITLE_SIZE, 0, 0, 0, TITLE_SIZE * 1.5, TA_CENTER};
    measure m = {r, s.f, s.size, 0};
    ensure_room(r, 0);
    double maxw = r->bw - 2 * TITLE_SIZE; /* a title does not run edge to edge */
    if (!break_words(r, &m, text, maxw))
        return;
    place_lines(r, &s, text, r->lines.count, 0);
}

/* ---- tables ---------------------------------------------------------- */

typedef struct table_layout {
    double size, line_h, pad_x, pad_y;
    double *w;      /* column widths */
    double *row_h;  /* row heights */
    double total_w;
    /* header cells: span of each origin cell, 0 for a covered one */
    size_t *hspan, *vspan;
} table_layout;

static void table_layout_free(table_layout *tl)
{
    free(tl->w);
    free(tl->row_h);
    free(tl->hspan);
    free(tl->vspan);
}

static face *cell_face(render *r, const doc_table *t, size_t row)
{
    if (row < t->header_rows)
        return r->h1;
    if (t->last_row_total && row + 1 == t->rows && row >= t->header_rows)
        return r->h1;
    return r->body;
}

static const char *cell_text(const doc_table *t, size_t row, size_t col)
{
    const char *s = t->cells ? t->cells[row * t->cols + col] : NULL;
    return s ? s : "";
}

/* Two-level headers as spanning cells: in a header row above the last, a
 * label followed by empty cells that have sub-labels below spans them
 * ("立案数（件）" over 阶段小结 | 年度总结 | 增量); a label with only empty
 * cells below it spans down ("单位"). */
static bool header_spans(const doc_table *t, table_layout *tl)
{
    size_t hdr = t->header_rows < t->rows ? t->header_rows : t->rows;
    size_t n = hdr * t->cols;
    tl->hspan = calloc(n ? n : 1, sizeof *tl->hspan);
    tl->vspan = calloc(n ? n : 1, sizeof *tl->vspan);
    bool *covered = calloc(n ? n : 1, sizeof *covered);
    if (!tl->hspan || !tl->vspan || !covered) {
        free(covered);
        return false;
    }
    for (size_t row = 0; row < hdr; row++) {
        for (size_t c = 0; c < t->cols; c++) {
            if (covered[row * t->cols + c])
                continue;
            size_t hs = 1, vs = 1;
            if (*cell_text(t, row, c)) {
                while (row + 1 < hdr && c + hs < t->cols && !*cell_text(t, row, c + hs) &&
                       !covered[row * t->cols + c + hs] && *cell_text(t, row + 1, c + hs))
                    hs++;
                for (bool empty = true; row + vs < hdr && empty;) {
                    for (size_t k = c; k < c + hs; k++)
                        empty = empty && !*cell_text(t, row + vs, k);
                    if (empty)
                        vs++;
                }
            }
            tl->hspan[row * t->cols + c] = hs;
            tl->vspan[row * t->cols + c] = vs;
            for (size_t i = row; i < row + vs; i++)
                for (size_t k = c; k < c + hs; k++)
                    if (i != row || k != c)
                        covered[i * t->cols + k] = true;
        }
    }
    free(covered);
    return true;
}

/* Widest line of text (split at '\n') at size. */
static double natural_width(measure *m, const char *text)
{
    double best = 0, cur = 0;
    size_t len = strlen(text), pos = 0;
    while (pos < len) {
        uint32_t cp = pdf_utf8_decode(text, len, &pos);
        if (cp == '\n') {
            cur = 0;
            continue;
        }
        cur += measure_cp(m, cp);
        if (cur > best)
            best = cur;
    }
    return best;
}

/* Column widths from content: each column at least as wide as the widest
 * piece of its cells that may not break (a word, a number), the rest
 * spread by natural widths. Tries 12, 10.5 and 9 pt. false (without an
 * error) when even the words do not fit the block at 9 pt. */
static bool table_widths(render *r, const doc_table *t, table_layout *tl, bool *fits)
{
    size_t cols = t->cols;
    double *nat = calloc(cols, sizeof *nat);
    double *minw = calloc(cols, sizeof *minw);
    bool *fixed = calloc(cols, sizeof *fixed);
    if (!nat || !minw || !fixed) {
        free(nat);
        free(minw);
        free(fixed);
        fail_nomem(r);
        return false;
    }
    static const double sizes[] = {12.0, 10.5, 9.0};
    double sum = 0, min_sum = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        tl->size = sizes[k];
        tl->pad_x = tl->size * 0.35;
        tl->pad_y = tl->size * 0.3;
        tl->line_h = tl->size * 1.35;
        sum = min_sum = 0;
        for (size_t c = 0; c < cols; c++) {
            nat[c] = minw[c] = 2 * tl->size; /* room for at least two characters */
            for (size_t row = 0; row < t->rows; row++) {
                if (row < t->header_rows && tl->hspan[row * cols + c] != 1)
                    continue; /* a spanning label is measured over its columns */
                measure m = {r, cell_face(r, t, row), tl->size, 0};
                const char *text = cell_text(t, row, c);
                double w = natural_width(&m, text);
                if (w > nat[c])
                    nat[c] = w;
                w = pdf_wordbreak_widest(text, strlen(text), &r->words, true, measure_cp, &m);
                if (w > minw[c])
                    minw[c] = w;
            }
            nat[c] += 2 * tl->pad_x + 0.5;
            minw[c] += 2 * tl->pad_x + 0.5;
            sum += nat[c];
            min_sum += minw[c];
        }
        if (sum <= r->bw || min_sum <= r->bw)
            break;
    }
    *fits = min_sum <= r->bw + EPS;
    if (sum <= r->bw) {
        /* Spread the spare width so the table spans the text block. */
        for (size_t c = 0; c < cols; c++)
            tl->w[c] = nat[c] + (r->bw - sum) * nat[c] / sum;
    } else {
        /* Every column gets its widest word; the width left is shared
         * max-min fairly: the columns that need least more get all of it
         * (a short status column keeps its natural width), the widest
         * ones share the rest equally and wrap at word boundaries. Last
         * resort when even the words do not fit: two characters. */
        if (min_sum > r->bw)
            for (size_t c = 0; c < cols; c++)
                minw[c] = 2 * tl->size + 2 * tl->pad_x + 0.5;
        double left = r->bw;
        for (size_t c = 0; c < cols; c++) {
            tl->w[c] = minw[c];
            left -= minw[c];
            fixed[c] = nat[c] <= minw[c];
        }
        while (left > EPS) {
            size_t open = 0;
            double smallest = 0;
            for (size_t c = 0; c < cols; c++) {
                if (fixed[c])
                    continue;
                double need = nat[c] - tl->w[c];
                if (open == 0 || need < smallest)
                    smallest = need;
                open++;
            }
            if (open == 0)
                break;
            double share = left / (double)open;
            double step = smallest < share ? smallest : share;
            for (size_t c = 0; c < cols; c++) {
                if (fixed[c])
                    continue;
                tl->w[c] += step;
                left -= step;
                if (nat[c] - tl->w[c] <= EPS)
                    fixed[c] = true;
            }
        }
    }
    free(nat);
    free(minw);
    free(fixed);
    tl->total_w = 0;
    for (size_t c = 0; c < cols; c++)
        tl->total_w += tl->w[c];
    return true;
}

/* Width of a header cell spanning hs columns from c. */
static double span_width(const table_layout *tl, size_t c, size_t hs)
{
    double w = 0;
    for (size_t k = c; k < c + hs; k++)
        w += tl->w[k];
    return w;
}

static bool table_rows(render *r, const doc_table *t, table_layout *tl)
{
    for (size_t row = 0; row < t->rows && !failed(r); row++) {
        size_t max_lines = 1;
        for (size_t c = 0; c < t->cols; c++) {
            size_t hs = 1;
            if (row < t->header_rows) {
                hs = tl->hspan[row * t->cols + c];
                if (hs == 0 || tl->vspan[row * t->cols + c] != 1)
                    continue; /* covered, or its height is shared by rows */
            }
            measure m = {r, cell_face(r, t, row), tl->size, 0};
            if (!break_words(r, &m, cell_text(t, row, c), span_width(tl, c, hs) - 2 * tl->pad_x))
                return false;
            if (r->lines.count > max_lines)
                max_lines = r->lines.count;
        }
        tl->row_h[row] = (double)max_lines * tl->line_h + 2 * tl->pad_y;
    }
    return !failed(r);
}

static bool table_measure(render *r, const doc_table *t, table_layout *tl, bool *fits)
{
    tl->w = calloc(t->cols, sizeof *tl->w);
    tl->row_h = calloc(t->rows ? t->rows : 1, sizeof *tl->row_h);
    if (!tl->w || !tl->row_h || !header_spans(t, tl)) {
        fail_nomem(r);
        return false;
    }
    return table_widths(r, t, tl, fits) && table_rows(r, t, tl);
}

/* Draws one cell box of width w, height h with its text. */
static void draw_cell(render *r, const doc_table *t, const table_layout *tl, size_t row,
                      size_t c, double x, double top, double w, double h)
{
    HPDF_Page_Rectangle(r->page, (HPDF_REAL)x, (HPDF_REAL)(top - h), (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Stroke(r->page);
    const char *text = cell_text(t, row, c);
    face *f = cell_face(r, t, row);
    measure m = {r, f, tl->size, 0};
    if (!break_words(r, &m, text, w - 2 * tl->pad_x))
        return;
    text_align al = TA_CENTER;
    if (row >= t->header_rows && t->align) {
        al = t->align[c] == DOC_ALIGN_RIGHT    ? TA_RIGHT
             : t->align[c] == DOC_ALIGN_CENTER ? TA_CENTER
                                               : TA_LEFT;
    }
    text_style s = {f, tl->size, 0, 0, 0, tl->line_h, al};
    double block = (double)r->lines.count * tl->line_h;
    double ytop = top - (h - block) / 2;
    for (size_t i = 0; i < r->lines.count; i++) {
        double base = ytop - (double)i * tl->line_h - tl->line_h / 2 - tl->size * 0.35;
        draw_line(r, &s, text, &r->lines.items[i], x + tl->pad_x, w - 2 * tl->pad_x, base);
    }
}

static void draw_table_row(render *r, const doc_table *t, const table_layout *tl, size_t row)
{
    double x = r->left + (r->bw - tl->total_w) / 2;
    double top = r->top - r->y;
    HPDF_Page_SetLineWidth(r->page, 0.6f);
    HPDF_Page_SetGrayStroke(r->page, 0);
    for (size_t c = 0; c < t->cols && !failed(r); c++) {
        double w = tl->w[c], h = tl->row_h[row];
        if (row < t->header_rows) {
            size_t hs = tl->hspan[row * t->cols + c], vs = tl->vspan[row * t->cols + c];
            if (hs > 0) {
                w = span_width(tl, c, hs);
                h = 0;
                for (size_t i = row; i < row + vs && i < t->rows; i++)
                    h += tl->row_h[i];
                draw_cell(r, t, tl, row, c, x, top, w, h);
            }
            x += tl->w[c];
            continue;
        }
        draw_cell(r, t, tl, row, c, x, top, w, h);
        x += w;
    }
    r->y += tl->row_h[row];
    r->page_empty = false;
}

/* Data rows kept together at a table's start and end: never one row (or a
 * row and the total) alone on a page. */
#define TABLE_KEEP_ROWS 3

static void layout_table(render *r, const doc_table *t)
{
    if (!t || t->cols == 0 || t->rows == 0)
        return;
    /* Measured for the page the table will start on before that page is
     * opened: a table too wide for the portrait block after a page break
     * then opens a landscape page, never an empty portrait one. */
    bool opening = !r->page || (r->force_new &&
                                !(r->page_empty && r->landscape == r->want_landscape));
    bool land = opening ? r->want_landscape : r->landscape;
    double saved_bw = r->bw;
    r->bw = land ? 225 * MM : 156 * MM;
    table_layout tl = {0};
    bool fits = true;
    if (!table_measure(r, t, &tl, &fits)) {
        r->bw = saved_bw;
        table_layout_free(&tl);
        return;
    }
    bool turned = false;
    if (!fits && !land && !failed(r)) {
        /* GB/T 9704 横排表格: a table wider than the portrait block goes
         * on landscape pages of its own. */
        table_layout_free(&tl);
        memset(&tl, 0, sizeof tl);
        r->bw = 225 * MM;
        turned = true;
        if (!table_measure(r, t, &tl, &fits)) {
            r->bw = saved_bw;
            table_layout_free(&tl);
            return;
        }
        if (opening || (r->page_empty && r->landscape)) {
            r->force_new = true;
            r->want_landscape = true;
        } else {
            new_page(r, true);
        }
    }
    r->bw = saved_bw;
    ensure_room(r, 0);
    size_t hdr = t->header_rows < t->rows ? t->header_rows : t->rows;
    double header_h = 0;
    for (size_t i = 0; i < hdr; i++)
        header_h += tl.row_h[i];
    text_style cap = {r->h1, 14.0, 0, 0, 0, r->pitch, TA_CENTER};
    double cap_h = 0;
    if (t->caption && *t->caption) {
        measure m = {r, cap.f, cap.size, 0};
        if (break_text(r, &m, t->caption, r->bw, 0, 0))
            cap_h = (double)r->lines.count * cap.line_h;
    }
    size_t data = t->rows - hdr;
    size_t first_rows = data < TABLE_KEEP_ROWS ? data : TABLE_KEEP_ROWS;
    double first = 0;
    for (size_t i = hdr; i < hdr + first_rows; i++)
        first += tl.row_h[i];
    double keep = cap_h + header_h + first;
    if (keep > r->bh)
        keep = 0;
    ensure_room(r, keep);
    if (cap_h > 0)
        layout_text(r, &cap, t->caption, (size_t)-1, header_h + first);
    for (size_t i = 0; i < hdr && !failed(r); i++)
        draw_table_row(r, t, &tl, i);
    for (size_t row = hdr; row < t->rows && !failed(r); row++) {
        bool need_page = r->y + tl.row_h[row] > r->bh + EPS && r->y > header_h + EPS;
        if (!need_page) {
            /* Would the rows after this page be fewer than TABLE_KEEP_ROWS?
             * Then break earlier, so the last page carries enough of them. */
            double y = r->y;
            size_t k = row;
            while (k < t->rows && y + tl.row_h[k] <= r->bh + EPS)
                y += tl.row_h[k++];
            size_t rest = t->rows - k;
            if (rest > 0 && rest < TABLE_KEEP_ROWS && k - row <= TABLE_KEEP_ROWS - rest &&
                row > hdr + TABLE_KEEP_ROWS - 1 && r->y > header_h + EPS)
                need_page = true;
        }
        if (need_page) {
            new_page(r, r->landscape);
            for (size_t i = 0; i < hdr && !failed(r); i++)
                draw_table_row(r, t, &tl, i);
        }
        draw_table_row(r, t, &tl, row);
    }
    r->y += r->pitch / 2;
    if (turned) {
        /* back to portrait for what follows */
        r->force_new = true;
        r->want_landscape = false;
    }
    table_layout_free(&tl);
}

/* ---- charts ---------------------------------------------------------- */

static void format_number(char *buf, size_t size, double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v))
        v = 0;
    snprintf(buf, size, "%.*f", decimals, v);
    if (strcmp(buf, "-0") == 0 || strspn(buf, "-0.") == strlen(buf))
        if (buf[0] == '-')
            memmove(buf, buf + 1, strlen(buf));
}

static void fill_rect(render *r, double x, double y, double w, double h)
{
    HPDF_Page_Rectangle(r->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(r->page);
}

static void stroke_line(render *r, double x1, double y1, double x2, double y2)
{
    HPDF_Page_MoveTo(r->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(r->page, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(r->page);
}

static void draw_centered(render *r, face *f, double size, double cx, double base,
                          const char *text)
{
    measure m = {r, f, size, 0};
    double w = measure_text(&m, text, strlen(text));
    draw_text(r, f, size, 0, cx - w / 2, base, text, strlen(text));
}

/* A category label's trailing parenthetical ("许昌经济技术开发区（未报）") goes
 * on a line of its own rather than being split inside it; caller frees. */
static char *chart_label_lines(const char *label)
{
    size_t n = strlen(label);
    const char *open = strstr(label, "（");
    const char *close = "）";
    if (!open || open == label || n < strlen(close) ||
        strcmp(label + n - strlen(close), close) != 0)
        return hz_strdup(label);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t head = (size_t)(open - label);
    memcpy(out, label, head);
    out[head] = '\n';
    memcpy(out + head + 1, open, n - head + 1);
    return out;
}

/* Height of a chart at full size, and the part of it that is not the plot
 * (title, axis label, value texts, category labels) and so does not shrink. */
static double chart_full_height(const render *r)
{
    return r->bh / 3 < 150 ? 150 : r->bh / 3;
}

static double chart_fixed_height(const doc_chart *ch)
{
    double title_h = (ch->title && *ch->title) ? 22 : 0;
    double vlabel_h = (ch->value_label && *ch->value_label) ? 14 : 0;
    return title_h + vlabel_h + 14 + 3 * 11 + 6;
}

static void draw_chart(render *r, const doc_chart *ch, double h);

/* A chart that does not fit the rest of the page shrinks to it when its
 * plot keeps at least 60 % of its height there; otherwise it waits
 * (r->pending_chart) while the text after it fills the page, and opens the
 * next page. */
static void layout_chart(render *r, const doc_chart *ch, bool may_wait)
{
    if (!ch || ch->count == 0 || !ch->values || !ch->labels)
        return;
    ensure_room(r, 0);
    double h = chart_full_height(r);
    if (h > remaining(r) && !r->page_empty) {
        double fixed = chart_fixed_height(ch);
        double room = remaining(r) - r->pitch / 2;
        if (room - fixed >= CHART_MIN_FRACTION * (h - fixed)) {
            h = room;
        } else if (may_wait && !r->pending_chart) {
            r->pending_chart = ch;
            return;
        } else {
            new_page(r, r->landscape);
        }
    }
    draw_chart(r, ch, h);
}

/* Draws a chart that waited for the next page (called by new_page, or
 * before a block that may not flow past it). */
static void flush_chart(render *r)
{
    const doc_chart *ch = r->pending_chart;
    if (!ch)
        return;
    r->pending_chart = NULL;
    layout_chart(r, ch, false);
}

static void draw_chart(render *r, const doc_chart *ch, double h)
{
    if (failed(r))
        return;
    const double small = 9.0;
    double top = r->top - r->y;
    double bottom = top - h;
    double x0 = r->left, w = r->bw;
    size_t n = ch->count;

    /* Value range and "nice" ticks (1, 2, 5 x 10^k). */
    double vmin = 0, vmax = 0;
    for (size_t i = 0; i < n; i++) {
        double v = isfinite(ch->values[i]) ? ch->values[i] : 0;
        if (v > vmax) vmax = v;
        if (v < vmin) vmin = v;
    }
    if (vmax - vmin <= 0)
        vmax = 1;
    double rough = (vmax - vmin) / 4;
    double mag = pow(10, floor(log10(rough)));
    double norm = rough / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    double tmax = ceil(vmax / step - 1e-9) * step;
    double tmin = floor(vmin / step + 1e-9) * step;
    int tick_dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

    measure ms = {r, r->body, small, 0};
    double tick_w = 0;
    char buf[64];
    for (double t = tmin; t <= tmax + step / 2; t += step) {
        format_number(buf, sizeof buf, t, tick_dec);
        double tw = measure_text(&ms, buf, strlen(buf));
        if (tw > tick_w)
            tick_w = tw;
    }
    double title_h = (ch->title && *ch->title) ? 22 : 0;
    double vlabel_h = (ch->value_label && *ch->value_label) ? 14 : 0;
    double axis_x = x0 + tick_w + 8;
    double plot_w = x0 + w - 6 - axis_x;
    double slot = n ? plot_w / (double)n : plot_w;

    /* Category labels: wrapped under each bar, rotated when slots are narrow. */
    bool rotate = slot < 2 * small + 4;
    size_t max_lines = 1;
    double max_label_w = 0;
    for (size_t i = 0; i < n && !failed(r); i++) {
        const char *label = ch->labels[i] ? ch->labels[i] : "";
        double lw = measure_text(&ms, label, strlen(label));
        if (lw > max_label_w)
            max_label_w = lw;
        if (!rotate) {
            char *lines = chart_label_lines(label);
            if (!lines) {
                fail_nomem(r);
                return;
            }
            bool ok = break_text(r, &ms, lines, slot - 4, 0, 0);
            free(lines);
            if (!ok)
                return;
            if (r->lines.count > max_lines)
                max_lines = r->lines.count;
        }
    }
    if (!rotate && max_lines > 3)
        rotate = true;
    double label_h = rotate ? fmin(max_label_w * 0.71 + 8, h / 3) : (double)max_lines * 11 + 6;

    double plot_top = top - title_h - vlabel_h - 14; /* 14: room for value texts */
    double plot_bottom = bottom + label_h;
    if (plot_top - plot_bottom < 30)
        plot_bottom = plot_top - 30;
    double scale = (plot_top - plot_bottom) / (tmax - tmin);
    double zero_y = plot_bottom + (0 - tmin) * scale;

    if (title_h > 0)
        draw_centered(r, r->h1, 14.0, x0 + w / 2, top - 16, ch->title);
    if (vlabel_h > 0)
        draw_text(r, r->body, small, 0, x0, top - title_h - 10, ch->value_label,
                  strlen(ch->value_label));

    /* Grid and ticks. */
    HPDF_Page_SetLineWidth(r->page, 0.4f);
    for (double t = tmin; t <= tmax + step / 2; t += step) {
        double y = plot_bottom + (t - tmin) * scale;
        HPDF_Page_SetGrayStroke(r->page, 0.8f);
        stroke_line(r, axis_x, y, axis_x + plot_w, y);
        HPDF_Page_SetGrayStroke(r->page, 0);
        stroke_line(r, axis_x - 3, y, axis_x, y);
        format_number(buf, sizeof buf, t, tick_dec);
        double tw = measure_text(&ms, buf, strlen(buf));
        draw_text(r, r->body, small, 0, axis_x - 5 - tw, y - small * 0.35, buf, strlen(buf));
    }
    HPDF_Page_SetLineWidth(r->page, 0.8f);
    HPDF_Page_SetGrayStroke(r->page, 0);
    stroke_line(r, axis_x, plot_bottom, axis_x, plot_top);
    stroke_line(r, axis_x, zero_y, axis_x + plot_w, zero_y);

    for (size_t i = 0; i < n && !failed(r); i++) {
        double cx = axis_x + slot * ((double)i + 0.5);
        /* A missing value (a unit that did not report) has no bar and no
         * value text: only its label, which says so. */
        if (isfinite(ch->values[i])) {
            double v = ch->values[i];
            /* a few categories do not make slabs: at most 3 em of the 12 pt
             * table text wide */
            double bar_w = fmin(slot * 0.6, 36.0);
            double y1 = zero_y, y2 = zero_y + v * scale;
            HPDF_Page_SetRGBFill(r->page, 0.27f, 0.45f, 0.70f);
            fill_rect(r, cx - bar_w / 2, fmin(y1, y2), bar_w, fabs(y2 - y1));
            HPDF_Page_SetGrayFill(r->page, 0);
            format_number(buf, sizeof buf, v, ch->decimals);
            /* Narrow bars get smaller value texts rather than overlapping ones. */
            double vsize = small;
            double vw = measure_text(&ms, buf, strlen(buf));
            if (vw > slot - 2 && vw > 0)
                vsize = fmax(4.5, small * (slot - 2) / vw);
            double vb = v >= 0 ? y2 + 3 : y2 - vsize - 1;
            draw_centered(r, r->body, vsize, cx, vb, buf);
        }

        const char *label = ch->labels[i] ? ch->labels[i] : "";
        if (rotate) {
            double lw = measure_text(&ms, label, strlen(label));
            double c = sqrt(0.5), s = sqrt(0.5);
            double ex = cx + small * 0.3, ey = plot_bottom - 4; /* label's end point */
            double sx = ex - c * lw, sy = ey - s * lw;
            draw_text_turned(r, r->body, small, 0, c, s, sx, sy, label, strlen(label));
        } else {
            char *lines = chart_label_lines(label);
            if (!lines) {
                fail_nomem(r);
                return;
            }
            if (!break_text(r, &ms, lines, slot - 4, 0, 0)) {
                free(lines);
                return;
            }
            text_style s = {r->body, small, 0, 0, 0, 11, TA_CENTER};
            for (size_t k = 0; k < r->lines.count; k++)
                draw_line(r, &s, lines, &r->lines.items[k], cx - slot / 2 + 2, slot - 4,
                          plot_bottom - 4 - (double)(k + 1) * 11 + 2.5);
            free(lines);
        }
    }
    r->y += h + r->pitch / 2;
    r->page_empty = false;
}

/* ---- document -------------------------------------------------------- */

static const char *block_text(const doc_block *b)
{
    return b->text ? b->text : "";
}

#define ANNEX_MAX 32

/* "附件1：统计表" (or "附件1 统计表", "附件1") at the top of an annex page:
 * *number_len is the byte length of "附件1", *title the rest. */
static bool annex_label(const doc_block *b, const doc_block *prev, size_t *number_len,
                        const char **title)
{
    static const char word[] = "附件";
    if (!b->text || (b->kind != DOC_PLAIN && b->kind != DOC_PARAGRAPH) || !prev ||
        (prev->kind != DOC_ANNEX_BREAK && prev->kind != DOC_PAGE_BREAK) ||
        strncmp(b->text, word, sizeof word - 1) != 0)
        return false;
    const char *p = b->text + sizeof word - 1;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    *number_len = (size_t)(p - b->text);
    if (strncmp(p, "：", strlen("：")) == 0)
        p += strlen("：");
    else if (*p == ':')
        p++;
    while (*p == ' ')
        p++;
    *title = p;
    return true;
}

static bool doc_mentions(const hz_doc *doc, const char *needle)
{
    for (size_t i = 0; i < doc->count; i++)
        if (doc->blocks[i].text && strstr(doc->blocks[i].text, needle))
            return true;
    return false;
}

/* Lines of a signature block ('\n'-separated). */
static size_t text_lines(const char *text)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* 附件说明 after the body: "附件：1．统计表", the next annexes aligned under
 * the first title; a single annex is named without a number. */
static void layout_annex_note(render *r, const text_style *body, double two_chars,
                              const char *const *titles, size_t count)
{
    if (count == 0)
        return;
    if (r->page && !r->page_empty)
        r->y += r->pitch; /* an empty line after the body */
    measure m = {r, body->f, body->size, body->track};
    double hang = measure_text(&m, "附件：", strlen("附件："));
    text_style s = *body;
    s.align = TA_LEFT;
    for (size_t i = 0; i < count && !failed(r); i++) {
        char line[1024];
        if (count == 1)
            snprintf(line, sizeof line, "附件：%s", titles[i]);
        else
            snprintf(line, sizeof line, "%s%zu．%s", i == 0 ? "附件：" : "", i + 1, titles[i]);
        s.indent = two_chars + (i == 0 ? 0 : hang);
        /* all of it on one page */
        layout_text(r, &s, line, (size_t)-1, i == 0 ? (double)(count - 1) * r->pitch : 0);
    }
}

static bool is_body_text(const doc_block *b)
{
    return b && (b->kind == DOC_PARAGRAPH || b->kind == DOC_LIST_ITEM || b->kind == DOC_PLAIN);
}

/* Lines block b takes in the body style. */
static size_t body_lines(render *r, const text_style *body, double two_chars,
                         const doc_block *b)
{
    measure m = {r, body->f, body->size, body->track};
    double indent = b->kind == DOC_PLAIN ? 0 : two_chars;
    if (!r->page ||
        !break_text(r, &m, block_text(b), r->bw, indent, body->size * MAX_JUSTIFY_EM))
        return 0;
    return r->lines.count;
}

static void layout_blocks(render *r)
{
    const hz_doc *doc = r->doc;
    text_style body = {r->body, BODY_SIZE, r->body_track, 0, 0, r->pitch, TA_JUSTIFY};
    double two_chars = 2 * (BODY_SIZE + r->body_track);
    /* The annexes, for the 附件说明 before the 落款. */
    const char *annex_titles[ANNEX_MAX];
    size_t annexes = 0;
    for (size_t i = 1; i < doc->count && annexes < ANNEX_MAX; i++) {
        size_t nlen;
        const char *title;
        if (annex_label(&doc->blocks[i], &doc->blocks[i - 1], &nlen, &title))
            annex_titles[annexes++] = title;
    }
    if (doc_mentions(doc, "附件："))
        annexes = 0; /* the template writes its own */
    bool annex_note_done = false;
    bool draft_mark = doc->draft && !doc_mentions(doc, "征求意见稿");
    for (size_t i = 0; i < doc->count && !failed(r); i++) {
        const doc_block *b = &doc->blocks[i];
        /* a waiting chart stays in its section: only running text flows
         * past it */
        if (r->pending_chart && b->kind != DOC_PARAGRAPH && b->kind != DOC_LIST_ITEM &&
            b->kind != DOC_PLAIN)
            flush_chart(r);
        const doc_block *prev = i > 0 ? &doc->blocks[i - 1] : NULL;
        const doc_block *next = i + 1 < doc->count ? &doc->blocks[i + 1] : NULL;
        bool after_title = i > 0 && (doc->blocks[i - 1].kind == DOC_TITLE ||
                                     doc->blocks[i - 1].kind == DOC_SUBTITLE);
        if (after_title && b->kind != DOC_SUBTITLE && b->kind != DOC_TITLE && r->page &&
            !r->page_empty && b->kind != DOC_PAGE_BREAK && b->kind != DOC_ANNEX_BREAK)
            r->y += r->pitch; /* one empty line under the title */
        /* Headings need what the next block keeps together below them: a
         * paragraph's first two lines (or a table/chart start). */
        double keep_extra = 2 * r->pitch;
        if (next && (next->kind == DOC_TABLE || next->kind == DOC_CHART))
            keep_extra = 3 * r->pitch;
        /* The 落款 never stands alone: the last two lines of the text before
         * it stay on its page, with the 附件说明 between them. */
        r->tail_keep = 0;
        const doc_block *sig = next && next->kind == DOC_SIGNATURE ? next : NULL;
        double before_sig = 0;
        if (!sig && is_body_text(b)) {
            /* "特此报告。" alone, and the template's own 附件说明, between
             * this block and the 落款: this block's last lines go with
             * them */
            double lines_between = 0;
            for (size_t j = i + 1; j < doc->count && j <= i + 4; j++) {
                const doc_block *c = &doc->blocks[j];
                if (c->kind == DOC_SIGNATURE) {
                    sig = c;
                    before_sig = lines_between * r->pitch;
                    break;
                }
                size_t nl = is_body_text(c) ? body_lines(r, &body, two_chars, c) : 0;
                bool note = is_body_text(c) && !strncmp(block_text(c), "附件：", strlen("附件："));
                if (nl == 0 || (nl > 1 && !note))
                    break;
                lines_between += (double)nl + (note ? 1 : 0); /* the empty line before it */
            }
        }
        if (sig && is_body_text(b))
            r->tail_keep = before_sig + (double)(1 + text_lines(block_text(sig))) * r->pitch +
                           (annexes && !annex_note_done ? (double)(1 + annexes) * r->pitch : 0);
        text_style s = body;
        size_t annex_number_len;
        const char *annex_title;
        if (annex_label(b, prev, &annex_number_len, &annex_title)) {
            /* 附件1 in 黑体 at the top left, no colon; its title centred
             * below in the title face */
            char number[64];
            snprintf(number, sizeof number, "%.*s", (int)annex_number_len, b->text);
            s.f = r->h1;
            s.track = 0;
            s.align = TA_LEFT;
            layout_text(r, &s, number, (size_t)-1, 2 * r->pitch);
            if (*annex_title) {
                text_style t = {r->title, TITLE_SIZE * 0.8, 0, 0, 0, r->pitch * 1.3, TA_CENTER};
                layout_text(r, &t, annex_title, (size_t)-1, r->pitch);
            }
            continue;
        }
        switch (b->kind) {
        case DOC_TITLE:
            layout_title(r, block_text(b));
            if (draft_mark && !(next && next->kind == DOC_TITLE)) {
                /* the 征求意见稿 text mark under the title (the diagonal one
                 * is on every page) */
                s.f = r->h2;
                s.track = 0;
                s.align = TA_CENTER;
                layout_text(r, &s, "（征求意见稿）", 0, 0);
                draft_mark = false;
            }
            break;
        case DOC_SUBTITLE:
            s.f = r->h2;
            s.track = 0;
            s.align = TA_CENTER;
            layout_text(r, &s, block_text(b), 0, 0);
            break;
        case DOC_HEADING1:
        case DOC_HEADING2:
        case DOC_HEADING3:
            s.f = b->kind == DOC_HEADING1 ? r->h1 : b->kind == DOC_HEADING2 ? r->h2
                                                                               : r->body;
            s.indent = two_chars;
            layout_text(r, &s, block_text(b), (size_t)-1, next ? keep_extra : 0);
            break;
        case DOC_PARAGRAPH:
        case DOC_LIST_ITEM:
            s.indent = two_chars;
            layout_text(r, &s, block_text(b), 2, 0);
            break;
        case DOC_PLAIN:
            layout_text(r, &s, block_text(b), 1, 0);
            break;
        case DOC_SIGNATURE:
            if (annexes && !annex_note_done) {
                layout_annex_note(r, &body, two_chars, annex_titles, annexes);
                annex_note_done = true;
            }
            s.align = TA_RIGHT;
            s.right_inset = two_chars;
            if (r->page && !r->page_empty)
                r->y += r->pitch; /* an empty line before the signature */
            layout_text(r, &s, block_text(b), (size_t)-1, 0);
            break;
        case DOC_TABLE:
            layout_table(r, b->table);
            break;
        case DOC_CHART:
            layout_chart(r, b->chart, true);
            break;
        case DOC_PAGE_BREAK:
            r->force_new = true;
            r->want_landscape = false;
            break;
        case DOC_ANNEX_BREAK:
            r->force_new = true;
            r->want_landscape = true;
            break;
        }
    }
    r->tail_keep = 0;
    flush_chart(r);
    if (!failed(r) && !r->page)
        new_page(r, false);
}

static hz_status load_fonts(render *r, const pdf_fonts_spec *spec)
{
    hz_status st = pdf_fonts_resolve(spec, &r->fonts, r->err);
    if (st != HZ_OK)
        return st;
    const pdf_font_file *files[FACE_MAX];
    size_t n = 0;
    for (int role = 0; role < PDF_FONT_ROLES; role++)
        files[n++] = &r->fonts.files[role];
    for (size_t i = 0; i < r->fonts.extra_count; i++)
        files[n++] = &r->fonts.extra[i];
    for (size_t i = 0; i < n; i++) {
        face *f = &r->faces[i];
        f->file = files[i];
        /* The same file twice (e.g. one Song for title and body) is one font. */
        for (size_t j = 0; j < i; j++)
            if (strcmp(files[i]->path, files[j]->path) == 0 &&
                files[i]->index == files[j]->index) {
                f->font = r->faces[j].font;
                f->def_name = r->faces[j].def_name;
            }
        if (!f->def_name) {
            f->def_name = pdf_fonts_load_def(r->pdf, files[i]);
            if (!f->def_name) {
                char code[32];
                snprintf(code, sizeof code, "%04lX", (unsigned long)HPDF_GetError(r->pdf));
                HPDF_ResetError(r->pdf);
                r->haru_error = 0;
                return hz_error_set(r->err, HZ_ERR_FORMAT, HZ_M_PDF_FONT_LOAD, files[i]->path,
                                    code, NULL);
            }
        }
        /* Role faces are fonts from the start; fallbacks only once a glyph
         * needs them (an unused font would still be embedded). */
        if (i < PDF_FONT_ROLES && !f->font) {
            st = pdf_fonts_load(r->pdf, files[i], &f->font, r->err);
            if (st != HZ_OK)
                return st;
        }
        f->cache = malloc(0x10000 * sizeof(float));
        f->covers = calloc(0x10000, 1);
        if (!f->cache || !f->covers)
            return hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        for (size_t k = 0; k < 0x10000; k++)
            f->cache[k] = -1.0f;
        r->face_count = i + 1;
    }
    r->title = &r->faces[PDF_FONT_TITLE];
    r->body = &r->faces[PDF_FONT_BODY];
    r->h1 = &r->faces[PDF_FONT_HEADING1];
    r->h2 = &r->faces[PDF_FONT_HEADING2];
    r->pageno = &r->faces[PDF_FONT_PAGE_NUMBER];
    /* A substitute title face is a light one (no bold Song is packaged):
     * drawn heavier so the title still stands out from the body. */
    r->title->heavy = r->fonts.substituted[PDF_FONT_TITLE];
    return HZ_OK;
}

static void set_info(render *r)
{
    const hz_doc *doc = r->doc;
    if (doc->title && *doc->title)
        HPDF_SetInfoAttr(r->pdf, HPDF_INFO_TITLE, doc->title);
    if (doc->author && *doc->author)
        HPDF_SetInfoAttr(r->pdf, HPDF_INFO_AUTHOR, doc->author);
    HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR, "huizong");
    HPDF_SetInfoAttr(r->pdf, HPDF_INFO_PRODUCER, "huizong " HZ_VERSION " (libharu)");
    if (doc->created != HZ_DATE_NONE) {
        int y, m, d;
        hz_date_to_ymd(doc->created, &y, &m, &d);
        HPDF_Date date = {y, m, d, 0, 0, 0, 'Z', 0, 0};
        HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_CREATION_DATE, date);
    }
}

static hz_status haru_status(render *r)
{
    char code[32], detail[32];
    snprintf(code, sizeof code, "%04lX", (unsigned long)r->haru_error);
    snprintf(detail, sizeof detail, "%lu", (unsigned long)r->haru_detail);
    return hz_error_set(r->err, HZ_ERR_INTERNAL, HZ_M_PDF_LIBHARU, code, detail, NULL);
}

/* Where a finished PDF goes: called with its bytes in order, total being
 * the whole size (known before the first call). */
typedef hz_status (*save_sink)(void *user, const unsigned char *data, size_t len, size_t total,
                               hz_error *err);

/* Lays doc out and hands the saved PDF to sink in pieces: libharu keeps the
 * whole file in its own stream, so a second copy of it is never made (22 MB
 * at national scale, issue 19). */
static hz_status render_save(const hz_doc *doc, const pdf_fonts_spec *fonts, save_sink sink,
                             void *user, pdf_render_report *report, hz_error *err)
{
    if (report)
        memset(report, 0, sizeof *report);
    if (!doc)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_PDF_BAD_DOC, "NULL", NULL);
    render *r = calloc(1, sizeof *r);
    if (!r)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    r->err = err;
    r->doc = doc;
    r->words = (pdf_words){(const char *const *)doc->words, doc->word_count, NULL};
    hz_status st = pdf_words_index_build(&r->words, &r->words_index, err);
    if (st != HZ_OK) {
        free(r);
        return st;
    }
    r->words.index = r->words_index;
    r->pitch = 225 * MM / LINES_PER_PAGE;
    r->body_track = (156 * MM - CHARS_PER_LINE * BODY_SIZE) / CHARS_PER_LINE;
    if (r->body_track > 0)
        r->body_track = 0;
    r->pdf = HPDF_New(on_haru_error, r);
    if (!r->pdf) {
        st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        goto done;
    }
    /* Order matters: compression is fixed per font/page at creation. */
    HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(r->pdf);
    HPDF_SetCurrentEncoder(r->pdf, "UTF-8");
    if (r->haru_error) {
        st = haru_status(r);
        goto done;
    }
    st = load_fonts(r, fonts);
    if (st != HZ_OK)
        goto done;
    set_info(r);
    layout_blocks(r);
    if (r->st != HZ_OK) {
        st = r->st;
        goto done;
    }
    if (!r->haru_error)
        HPDF_SaveToStream(r->pdf);
    if (r->haru_error) {
        st = haru_status(r);
        goto done;
    }
    size_t size = HPDF_GetStreamSize(r->pdf), got = 0;
    unsigned char piece[1 << 16];
    while (got < size) {
        HPDF_UINT32 chunk = (HPDF_UINT32)(size - got < sizeof piece ? size - got : sizeof piece);
        HPDF_STATUS rs = HPDF_ReadFromStream(r->pdf, piece, &chunk);
        if (chunk > 0) {
            st = sink(user, piece, chunk, size, err);
            if (st != HZ_OK)
                goto done;
        }
        got += chunk;
        if (rs != HPDF_OK || chunk == 0)
            break;
    }
    if (got != size) {
        st = haru_status(r);
        goto done;
    }
    if (report) {
        report->fonts = r->fonts;
        report->missing_count = r->missing_count;
        memcpy(report->missing, r->missing, sizeof report->missing);
    }
done:
    if (r->pdf)
        HPDF_Free(r->pdf);
    for (size_t i = 0; i < FACE_MAX; i++) {
        free(r->faces[i].cache);
        free(r->faces[i].covers);
    }
    pdf_lines_free(&r->lines);
    pdf_words_index_free(r->words_index);
    free(r);
    return st;
}

typedef struct memory_sink {
    unsigned char *buf;
    size_t len;
} memory_sink;

static hz_status to_memory(void *user, const unsigned char *data, size_t len, size_t total,
                           hz_error *err)
{
    memory_sink *m = user;
    if (!m->buf && !(m->buf = malloc(total ? total : 1)))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    memcpy(m->buf + m->len, data, len);
    m->len += len;
    return HZ_OK;
}

hz_status pdf_render_memory(const hz_doc *doc, const pdf_fonts_spec *fonts,
                            unsigned char **out, size_t *out_len, pdf_render_report *report,
                            hz_error *err)
{
    *out = NULL;
    *out_len = 0;
    memory_sink m = {0};
    hz_status st = render_save(doc, fonts, to_memory, &m, report, err);
    if (st != HZ_OK) {
        free(m.buf);
        return st;
    }
    if (!m.buf && !(m.buf = malloc(1)))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    *out = m.buf;
    *out_len = m.len;
    return HZ_OK;
}

typedef struct file_sink {
    FILE *fp;
    const char *path;
} file_sink;

static hz_status to_file(void *user, const unsigned char *data, size_t len, size_t total,
                         hz_error *err)
{
    (void)total;
    file_sink *f = user;
    if (fwrite(data, 1, len, f->fp) != len)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_PDF_WRITE, f->path, strerror(errno), NULL);
    return HZ_OK;
}

hz_status pdf_render(const hz_doc *doc, const pdf_fonts_spec *fonts, const char *path,
                     pdf_render_report *report, hz_error *err)
{
    if (!path || !*path)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_PDF_WRITE, "", "empty path", NULL);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    /* opened before the layout: a folder that cannot be written fails at
     * once, not after the whole document */
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        hz_status st = hz_error_set(err, HZ_ERR_IO, HZ_M_PDF_WRITE, tmp, strerror(errno), NULL);
        free(tmp);
        return st;
    }
    file_sink f = {fp, tmp};
    hz_status st = render_save(doc, fonts, to_file, &f, report, err);
    int saved = errno;
    if (fclose(fp) != 0 && st == HZ_OK) {
        saved = errno;
        st = hz_error_set(err, HZ_ERR_IO, HZ_M_PDF_WRITE, tmp, strerror(saved), NULL);
    }
    if (st == HZ_OK && rename(tmp, path) != 0) {
        saved = errno;
        st = hz_error_set(err, HZ_ERR_IO, HZ_M_PDF_WRITE, path, strerror(saved), NULL);
    }
    if (st != HZ_OK)
        remove(tmp);
    free(tmp);
    return st;
}
