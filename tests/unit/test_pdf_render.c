/* test_pdf_render.c - render a hand-built report and inspect it with poppler. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_text.h"
#include "pdf_fonts.h"
#include "pdf_render.h"
#include "report_doc.h"

static const char *const UNITS[] = {"魏都区", "建安区", "鄢陵县", "襄城县",
                                    "禹州市", "长葛市", "许昌经济技术开发区"};

static hz_doc *build_doc(bool draft)
{
    hz_doc *doc = doc_new();
    cr_assert_not_null(doc);
    doc->title = strdup("许昌市打击侵犯知识产权犯罪专项治理工作报告");
    doc->author = strdup("许昌市市场监督管理局");
    doc->created = hz_date_from_ymd(2022, 12, 20);
    doc->draft = draft;
    cr_assert_not_null(doc_add_text(doc, DOC_TITLE,
                                    "许昌市市场监督管理局关于2022年打击侵犯知识产权"
                                    "犯罪专项治理工作情况的报告"));
    cr_assert_not_null(doc_add_text(doc, DOC_SUBTITLE, "（2022年12月20日）"));
    cr_assert_not_null(doc_add_text(doc, DOC_PLAIN, "河南省市场监督管理局："));
    cr_assert_not_null(doc_add_text(doc, DOC_HEADING1, "一、工作开展情况"));
    for (int i = 0; i < 4; i++)
        cr_assert_not_null(doc_add_text(
            doc, DOC_PARAGRAPH,
            "按照省局统一部署，全市各级市场监管部门以“双打”为抓手，聚焦重点商品、"
            "实体市场、电子商务和申请环节，全年共立案查处侵犯知识产权案件123件，"
            "涉案金额1,234.56万元，同比增长12.5%；移送司法机关7件（其中跨区域案件3件）。"
            "Trademark enforcement cases rose to 45 in total."));
    cr_assert_not_null(doc_add_text(doc, DOC_HEADING2, "（一）重点商品执法"));
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH,
                                    "围绕抗疫防护用品、食品、电子产品等重点商品开展执法检查。"));

    doc_table *t = doc_table_new(62, 4, 1);
    cr_assert_not_null(t);
    t->caption = strdup("表1 各单位案件查处情况");
    doc_table_set(t, 0, 0, "单位");
    doc_table_set(t, 0, 1, "立案数（件）");
    doc_table_set(t, 0, 2, "涉案金额（万元）");
    doc_table_set(t, 0, 3, "罚没金额（万元）");
    t->align[1] = t->align[2] = t->align[3] = DOC_ALIGN_RIGHT;
    for (int row = 1; row <= 60; row++) {
        char name[64], a[32], b[32], c[32];
        snprintf(name, sizeof name, "%s%03d", UNITS[row % 7], row);
        snprintf(a, sizeof a, "%d", row * 3);
        snprintf(b, sizeof b, "%d.%02d", row * 101, row % 100);
        snprintf(c, sizeof c, "%d.5", row * 7);
        doc_table_set(t, (size_t)row, 0, name);
        doc_table_set(t, (size_t)row, 1, a);
        doc_table_set(t, (size_t)row, 2, b);
        doc_table_set(t, (size_t)row, 3, c);
    }
    doc_table_set(t, 61, 0, "合计");
    doc_table_set(t, 61, 1, "5490");
    doc_table_set(t, 61, 2, "184,830.00");
    doc_table_set(t, 61, 3, "12,840.0");
    t->last_row_total = true;
    cr_assert_not_null(doc_add_table(doc, t));

    doc_chart *ch = doc_chart_new(7);
    cr_assert_not_null(ch);
    ch->title = strdup("各单位立案数");
    ch->value_label = strdup("立案数（件）");
    ch->decimals = 0;
    for (size_t i = 0; i < 7; i++) {
        ch->labels[i] = strdup(UNITS[i]);
        ch->values[i] = (double)(i * 7 + 3);
    }
    cr_assert_not_null(doc_add_chart(doc, ch));
    cr_assert_not_null(doc_add_text(doc, DOC_SIGNATURE, "许昌市市场监督管理局\n2022年12月20日"));

    cr_assert_not_null(doc_add_break(doc, DOC_ANNEX_BREAK));
    cr_assert_not_null(doc_add_text(doc, DOC_PLAIN, "附件1"));
    doc_table *w = doc_table_new(3, 9, 1);
    cr_assert_not_null(w);
    w->caption = strdup("附表 分类别案件统计");
    static const char *const heads[] = {"单位", "商标侵权假冒", "地理标志侵权", "假冒专利",
                                        "专利代理违法", "电子商务", "实体市场",
                                        "涉案金额（万元）", "罚没金额（万元）"};
    for (size_t c = 0; c < 9; c++) {
        doc_table_set(w, 0, c, heads[c]);
        doc_table_set(w, 1, c, c == 0 ? "魏都区" : "8");
        doc_table_set(w, 2, c, c == 0 ? "合计" : "77");
        if (c > 0)
            w->align[c] = DOC_ALIGN_RIGHT;
    }
    w->last_row_total = true;
    cr_assert_not_null(doc_add_table(doc, w));
    return doc;
}

static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run %s", cmd);
    hz_buf buf = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        cr_assert(hz_buf_append(&buf, chunk, n));
    pclose(p);
    cr_assert_not_null(buf.data, "no output from %s", cmd);
    return buf.data;
}

static void temp_path(char *buf, size_t size, const char *tag)
{
    snprintf(buf, size, "/tmp/hz_test_pdf_%ld_%s.pdf", (long)getpid(), tag);
}

static void render_ok(const hz_doc *doc, const char *path)
{
    hz_error err = {0};
    hz_status st = pdf_render(doc, NULL, path, NULL, &err);
    char msg[1024];
    cr_assert_eq(st, HZ_OK, "render failed: %s", hz_error_render(&err, HZ_LANG_EN, msg, sizeof msg));
}

/* Index of the first page (0-based, pages split by \f) containing needle. */
static int page_of(char **pages, int npages, const char *needle)
{
    for (int i = 0; i < npages; i++)
        if (strstr(pages[i], needle))
            return i;
    return -1;
}

Test(pdf_render, text_page_numbers_and_repeated_table_header)
{
    hz_doc *doc = build_doc(false);
    char path[256], cmd[512];
    temp_path(path, sizeof path, "text");
    render_ok(doc, path);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>/dev/null", path);
    char *text = run_capture(cmd);

    cr_assert_not_null(strstr(text, "许昌市市场监督管理局关于"), "title missing:\n%s", text);
    cr_assert_not_null(strstr(text, "— 1 —"), "page number 1 missing");
    cr_assert_not_null(strstr(text, "— 2 —"), "page number 2 missing");
    cr_assert_not_null(strstr(text, "1,234.56"));
    cr_assert_not_null(strstr(text, "12.5%"));
    cr_assert_not_null(strstr(text, "184,830.00"));
    cr_assert_not_null(strstr(text, "各单位立案数"));

    char *pages[64];
    int npages = 0;
    for (char *p = text; p && npages < 64;) {
        pages[npages++] = p;
        char *ff = strchr(p, '\f');
        if (!ff)
            break;
        *ff = '\0';
        p = ff + 1;
    }
    while (npages > 0 && strspn(pages[npages - 1], " \n") == strlen(pages[npages - 1]))
        npages--; /* pdftotext ends every page with \f */
    cr_assert_geq(npages, 4);
    cr_assert_null(strstr(text, "稿"), "draft mark on a final document");
    int first = page_of(pages, npages, "魏都区007");
    int last = page_of(pages, npages, "长葛市envelope"); /* never present */
    cr_assert_eq(last, -1);
    last = page_of(pages, npages, "长葛市054");
    cr_assert_geq(first, 0);
    cr_assert_gt(last, first, "the table should span pages");
    cr_assert_not_null(strstr(pages[last], "涉案金额（万元）"),
                       "table header not repeated on page %d:\n%s", last + 1, pages[last]);
    cr_assert_not_null(strstr(pages[last], "— "));
    /* The annex table is on the last page (landscape). */
    cr_assert_not_null(strstr(pages[npages - 1], "专利代理违法"));
    free(text);
    doc_free(doc);
    remove(path);
}

Test(pdf_render, fonts_are_embedded_and_pages_landscape)
{
    hz_doc *doc = build_doc(true);
    char path[256], cmd[512];
    temp_path(path, sizeof path, "fonts");
    render_ok(doc, path);
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>/dev/null", path);
    char *out = run_capture(cmd);
    char *header = out;
    char *emb = strstr(header, "emb");
    cr_assert_not_null(emb, "%s", out);
    size_t col = (size_t)(emb - header);
    char *line = strchr(out, '\n');
    cr_assert_not_null(line);
    line = strchr(line + 1, '\n'); /* skip the ---- line */
    cr_assert_not_null(line);
    int fonts = 0;
    for (line++; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 0) {
            cr_assert_gt(len, col + 3);
            cr_assert_eq(strncmp(line + col, "yes", 3), 0, "font not embedded: %.*s", (int)len,
                         line);
            fonts++;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    cr_assert_geq(fonts, 3, "%s", out);
    free(out);

    snprintf(cmd, sizeof cmd, "pdfinfo -l 99 '%s' 2>/dev/null", path);
    char *info = run_capture(cmd);
    cr_assert_not_null(strstr(info, "595.276 x 841.89"), "%s", info);
    cr_assert_not_null(strstr(info, "841.89 x 595.276"), "no landscape page:\n%s", info);
    cr_assert_not_null(strstr(info, "Creator:         huizong"), "%s", info);
    free(info);

    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>/dev/null", path);
    char *text = run_capture(cmd);
    /* The diagonal mark is extracted character by character. */
    static const char *const mark[] = {"征", "求", "意", "见", "稿"};
    for (size_t i = 0; i < 5; i++)
        cr_assert_not_null(strstr(text, mark[i]), "draft mark character %s missing", mark[i]);
    free(text);
    doc_free(doc);
    remove(path);
}

/* libharu's own /ToUnicode is an encoding CMap (begincidrange) and its
 * CIDSystemInfo Ordering "Identity-H": pdf_fonts replaces both. qpdf finds
 * nothing, poppler prints nothing, and the extracted text is the text. */
Test(pdf_render, tounicode_cmap_and_cid_system_info_are_valid)
{
    hz_test_require("qpdf", "qpdf");
    hz_doc *doc = build_doc(false);
    char path[256];
    temp_path(path, sizeof path, "cmap");
    render_ok(doc, path);
    hz_run check = hz_test_run("qpdf --check '%s'", path);
    cr_expect_eq(check.exit_code, 0, "%s%s", check.out, check.err);
    cr_expect(strstr(check.out, "No syntax or stream encoding errors") != NULL, "%s", check.out);
    cr_expect(strstr(check.out, "WARNING") == NULL && check.err[0] == '\0', "%s%s", check.out,
              check.err);
    hz_run_free(&check);
    hz_run text = hz_test_run("pdftotext '%s' -", path);
    cr_expect_eq(text.exit_code, 0);
    cr_expect_str_eq(text.err, "", "poppler warns: %s", text.err);
    cr_expect(strstr(text.out, "河南省市场监督管理局：") != NULL, "%s", text.out);
    hz_run_free(&text);
    /* every font: a CMapType 2 bfrange table and Ordering (Identity) */
    hz_run objs = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | strings", path);
    cr_expect(strstr(objs.out, "begincidrange") == NULL, "an encoding CMap is left");
    cr_expect(strstr(objs.out, "/CMapType 2 def") != NULL);
    cr_expect(strstr(objs.out, "<4E00> <4EFF> <4E00>") != NULL, "no Unicode bfrange");
    cr_expect(strstr(objs.out, "/Ordering (Identity-H)") == NULL, "invalid Ordering left");
    cr_expect(strstr(objs.out, "/Ordering (Identity)") != NULL);
    hz_run_free(&objs);
    doc_free(doc);
    remove(path);
}

Test(pdf_render, two_renders_are_byte_identical)
{
    hz_doc *doc = build_doc(true);
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    hz_error err = {0};
    cr_assert_eq(pdf_render_memory(doc, NULL, &a, &alen, NULL, &err), HZ_OK);
    cr_assert_eq(pdf_render_memory(doc, NULL, &b, &blen, NULL, &err), HZ_OK);
    cr_assert_gt(alen, 1000);
    cr_assert_eq(alen, blen);
    cr_assert_eq(memcmp(a, b, alen), 0);
    cr_assert_eq(memcmp(a, "%PDF-", 5), 0);

    char p1[256], p2[256];
    temp_path(p1, sizeof p1, "same1");
    temp_path(p2, sizeof p2, "same2");
    render_ok(doc, p1);
    render_ok(doc, p2);
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    cr_assert_not_null(f1);
    cr_assert_not_null(f2);
    unsigned char *c = malloc(alen + 1), *d = malloc(alen + 1);
    cr_assert_eq(fread(c, 1, alen + 1, f1), alen);
    cr_assert_eq(fread(d, 1, alen + 1, f2), alen);
    cr_assert_eq(memcmp(c, a, alen), 0);
    cr_assert_eq(memcmp(d, a, alen), 0);
    fclose(f1);
    fclose(f2);
    free(a);
    free(b);
    free(c);
    free(d);
    remove(p1);
    remove(p2);
    doc_free(doc);
}

Test(pdf_render, missing_font_family_is_reported)
{
    hz_doc *doc = build_doc(false);
    const char *body[] = {"No Such Family HZ"};
    pdf_fonts_spec spec = {.roles = {[PDF_FONT_BODY] = {body, 1}}};
    char path[256], tmp[300];
    temp_path(path, sizeof path, "nofont");
    hz_error err = {0};
    cr_assert_eq(pdf_render(doc, &spec, path, NULL, &err), HZ_ERR_NOT_FOUND);
    cr_assert_eq(err.msg, HZ_M_PDF_FONT_NOT_FOUND);
    cr_assert_str_eq(err.args[0], "No Such Family HZ");
    cr_assert_neq(access(path, F_OK), 0);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    cr_assert_neq(access(tmp, F_OK), 0);

    /* The configured fallback rescues it, and says so once. */
    hz_config *config = hz_test_config();
    const char *configured = config->report.font_fallbacks.items[0];
    hz_test_require_font(configured);
    const char *fallbacks[] = {"Also Missing HZ", configured};
    spec.fallbacks = fallbacks;
    spec.fallback_count = 2;
    unsigned char *out = NULL;
    size_t len = 0;
    pdf_render_report report;
    cr_assert_eq(pdf_render_memory(doc, &spec, &out, &len, &report, &err), HZ_OK);
    cr_assert_gt(len, 1000);
    cr_expect(report.fonts.substituted[PDF_FONT_BODY]);
    cr_expect_str_eq(report.fonts.files[PDF_FONT_BODY].family, configured);
    hz_error notice = {0};
    cr_expect(pdf_fonts_substitution(&report.fonts, PDF_FONT_BODY, &notice));
    cr_expect_eq(notice.msg, HZ_M_PDF_FONT_SUBSTITUTED);
    cr_expect_str_eq(notice.args[0], "body");
    cr_expect_str_eq(notice.args[1], "No Such Family HZ");
    cr_expect_str_eq(notice.args[2], configured);
    free(out);
    doc_free(doc);
    config_free(config);
}

/* Every role of the shipped configuration ends in an installed, packaged
 * family: a missing one names its package (deps/debian-packages.txt,
 * "# font: FAMILY"). */
Test(pdf_render, configured_fonts_are_installed)
{
    hz_config *config = hz_test_config();
    const hz_report_settings *r = &config->report;
    const hz_list *roles[] = {&r->font_title, &r->font_body, &r->font_heading1,
                              &r->font_heading2, &r->font_page};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_gt(roles[i]->count, 0);
        hz_test_require_font(roles[i]->items[roles[i]->count - 1]);
    }
    for (size_t i = 0; i < r->font_fallbacks.count; i++)
        hz_test_require_font(r->font_fallbacks.items[i]);
    config_free(config);
}

/* Uncompressed content streams of pdf (qpdf --qdf). */
static char *qdf_text(const char *pdf)
{
    hz_run r = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | strings", pdf);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *out = r.out;
    r.out = NULL;
    hz_run_free(&r);
    return out;
}

/* The bureau's font, when installed, is used as asked: a private fontconfig
 * file registers a packaged TrueType under the title family 方正小标宋简体
 * (as on the bureau's PCs). Without it the title is the light Song drawn
 * fill-then-stroke (rendering mode 2) so that it is still heavier. */
Test(pdf_render, preferred_family_is_used_when_installed)
{
    hz_test_require("qpdf", "qpdf");
    pdf_font_file song;
    hz_error err = {0};
    hz_test_require_font("AR PL SungtiL GB");
    cr_assert_eq(pdf_fonts_find("AR PL SungtiL GB", NULL, 0, &song, &err), HZ_OK);
    hz_doc *doc = build_doc(false);

    char path[256];
    temp_path(path, sizeof path, "fallback-title");
    pdf_render_report report;
    cr_assert_eq(pdf_render(doc, NULL, path, &report, &err), HZ_OK);
    cr_expect(report.fonts.substituted[PDF_FONT_TITLE], "方正小标宋简体 is installed here?");
    char *content = qdf_text(path);
    cr_expect(strstr(content, "2 Tr") != NULL, "a substitute title is not stroked");
    free(content);
    remove(path);

    char *dir = hz_test_tempdir("fontconfig");
    char font[600], conf[600], cache[600];
    snprintf(font, sizeof font, "%s/bureau.ttf", dir);
    snprintf(conf, sizeof conf, "%s/fonts.conf", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    cr_assert_eq(symlink(song.path, font), 0);
    FILE *f = fopen(conf, "w");
    cr_assert_not_null(f);
    fprintf(f,
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
            "<fontconfig>\n"
            "  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n"
            "  <dir>%s</dir>\n  <cachedir>%s</cachedir>\n"
            "  <match target=\"scan\">\n"
            "    <test name=\"file\" compare=\"contains\"><string>%s</string></test>\n"
            "    <edit name=\"family\" mode=\"assign\" binding=\"strong\">"
            "<string>方正小标宋简体</string></edit>\n"
            "  </match>\n</fontconfig>\n",
            dir, cache, dir);
    fclose(f);
    cr_assert_eq(setenv("FONTCONFIG_FILE", conf, 1), 0);

    pdf_font_resolution res;
    cr_assert_eq(pdf_fonts_resolve(NULL, &res, &err), HZ_OK);
    cr_expect_str_eq(res.files[PDF_FONT_TITLE].family, "方正小标宋简体");
    cr_expect_str_eq(res.files[PDF_FONT_TITLE].path, font);
    cr_expect(!res.substituted[PDF_FONT_TITLE]);
    hz_error notice = {0};
    cr_expect(!pdf_fonts_substitution(&res, PDF_FONT_TITLE, &notice));
    cr_expect(res.substituted[PDF_FONT_BODY], "仿宋_GB2312 is not in the fixture");

    temp_path(path, sizeof path, "bureau-title");
    cr_assert_eq(pdf_render(doc, NULL, path, &report, &err), HZ_OK);
    cr_expect(!report.fonts.substituted[PDF_FONT_TITLE]);
    content = qdf_text(path);
    cr_expect(strstr(content, "2 Tr") == NULL, "the bureau's own title font is stroked");
    free(content);
    unsetenv("FONTCONFIG_FILE");
    remove(path);
    hz_run rm = hz_test_run("rm -rf '%s'", dir);
    hz_run_free(&rm);
    free(dir);
    doc_free(doc);
}

/* A character the role's font lacks (喆 is not in GB 2312, so not in AR PL
 * SungtiL GB) is drawn from a font that has it; one that no font has is
 * reported, never silently an empty box. */
Test(pdf_render, glyphs_come_from_a_font_that_has_them)
{
    hz_doc *doc = doc_new();
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "王喆同志负责。"));
    char path[256];
    temp_path(path, sizeof path, "coverage");
    pdf_render_report report;
    hz_error err = {0};
    cr_assert_eq(pdf_render(doc, NULL, path, &report, &err), HZ_OK);
    cr_expect_eq(report.missing_count, 0);
    hz_run text = hz_test_run("pdftotext '%s' -", path);
    cr_expect(strstr(text.out, "王喆同志负责。") != NULL, "%s", text.out);
    cr_expect_str_eq(text.err, "");
    hz_run_free(&text);
    remove(path);
    doc_free(doc);

    doc = doc_new();
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "私用\xee\x80\x80区"));
    cr_assert_eq(pdf_render(doc, NULL, path, &report, &err), HZ_OK);
    cr_expect_eq(report.missing_count, 1);
    cr_expect_eq(report.missing[0], 0xE000u);
    remove(path);
    doc_free(doc);
}

Test(pdf_render, incomplete_fonts_are_refused)
{
    cr_assert(pdf_fonts_is_refused("WenQuanYi Micro Hei", "/x/wqy-microhei.ttc"));
    cr_assert(pdf_fonts_is_refused("Droid Sans Fallback", "/x/DroidSansFallbackFull.ttf"));
    cr_assert(pdf_fonts_is_refused("Noto Sans CJK SC", "/x/NotoSansCJK-Regular.otf"));
    cr_assert(!pdf_fonts_is_refused("AR PL SungtiL GB", "/x/gbsn00lp.ttf"));
    hz_config *config = hz_test_config();
    const char *configured = config->report.font_fallbacks.items[0];
    hz_test_require_font(configured);
    pdf_font_file f;
    hz_error err = {0};
    cr_assert_eq(pdf_fonts_find(configured, NULL, 0, &f, &err), HZ_OK);
    cr_assert_str_eq(f.family, configured);
    config_free(config);
}

/* A landscape page's number sits where the portrait pages have theirs once
 * the sheet is turned: drawn turned, along the landscape page's left edge
 * (GB/T 9704 横排表格). */
Test(pdf_render, landscape_page_number_as_on_portrait_pages)
{
    hz_doc *doc = build_doc(false);
    char path[256];
    temp_path(path, sizeof path, "landscape-number");
    render_ok(doc, path);
    hz_run info = hz_test_run("pdfinfo -l 99 '%s' | awk '/^Page.*size/ && $4 > $6 {print $2; exit}'",
                              path);
    int page = atoi(info.out);
    hz_run_free(&info);
    cr_assert_gt(page, 0, "no landscape page");
    hz_run box = hz_test_run("pdftotext -f %d -l %d -bbox '%s' - | grep '>%d</word>'", page, page,
                             path, page);
    cr_assert_eq(box.exit_code, 0, "no page number on page %d", page);
    double xmin = atof(strstr(box.out, "xMin=\"") + 6);
    cr_expect_lt(xmin, 80, "not at the left edge: %s", box.out);
    /* turned: "—", N and "—" one above the other, at the same x */
    char xs[64];
    snprintf(xs, sizeof xs, "%.6f", xmin);
    hz_run_free(&box);
    hz_run stack = hz_test_run("pdftotext -f %d -l %d -bbox '%s' - | grep -c 'xMin=\"%s\"'", page,
                               page, path, xs);
    cr_expect_geq(atoi(stack.out), 3, "not turned: %s", stack.out);
    hz_run_free(&stack);
    remove(path);
    doc_free(doc);
}

/* xMin and xMax of the first word equal to word on page 1 (pdftotext -bbox). */
static bool word_box(const char *pdf, const char *word, double *x0, double *x1, double *y0)
{
    hz_run r = hz_test_run("pdftotext -f 1 -l 1 -bbox '%s' - | grep -m1 '>%s</word>'", pdf, word);
    bool ok = r.exit_code == 0 && strstr(r.out, "xMin");
    if (ok) {
        *x0 = atof(strstr(r.out, "xMin=\"") + 6);
        *x1 = atof(strstr(r.out, "xMax=\"") + 6);
        *y0 = atof(strstr(r.out, "yMin=\"") + 6);
    }
    hz_run_free(&r);
    return ok;
}

/* A two-level header is drawn as spanning cells: "立案数（件）" centred over
 * its three sub-columns, "单位" over both header rows; a table that would
 * leave one data row (and the total) on its last page breaks earlier; no
 * cell word is split. */
Test(pdf_render, two_level_header_spans_and_rows_stay_together)
{
    hz_doc *doc = doc_new();
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "各单位数据对比如下。"));
    size_t data = 25; /* page 1 holds 24 of them: one and the total would be left */
    doc_table *t = doc_table_new(2 + data + 1, 4, 2);
    static const char *const head[2][4] = {{"单位", "立案数（件）", "", ""},
                                           {"", "阶段小结", "年度总结", "增量"}};
    for (size_t r = 0; r < 2; r++)
        for (size_t c = 0; c < 4; c++)
            doc_table_set(t, r, c, head[r][c]);
    for (size_t r = 2; r < 2 + data; r++) {
        doc_table_set(t, r, 0, r % 2 ? "申请注册环节" : "许昌经济技术开发区");
        doc_table_set(t, r, 1, "21");
        doc_table_set(t, r, 2, "53");
        doc_table_set(t, r, 3, "32");
    }
    doc_table_set(t, 2 + data, 0, "合计");
    t->last_row_total = true;
    cr_assert_not_null(doc_add_table(doc, t));
    char path[256];
    temp_path(path, sizeof path, "spans");
    render_ok(doc, path);
    double l0, l1, ly, a0, a1, ay, c0, c1, cy, u0, u1, uy;
    cr_assert(word_box(path, "立案数（件）", &l0, &l1, &ly));
    cr_assert(word_box(path, "阶段小结", &a0, &a1, &ay));
    cr_assert(word_box(path, "增量", &c0, &c1, &cy));
    cr_assert(word_box(path, "单位", &u0, &u1, &uy));
    double mid = (l0 + l1) / 2, span_mid = (a0 + c1) / 2;
    cr_expect(mid > a1 && mid < c0, "label not over its columns: %f (%f..%f)", mid, a1, c0);
    cr_expect(fabs(mid - span_mid) < 25, "label not centred: %f vs %f", mid, span_mid);
    cr_expect(uy > ly + 3 && uy < ay, "单位 not centred over both rows: %f %f %f", ly, uy, ay);
    /* the last page carries at least three rows, none split */
    hz_run last = hz_test_run("pdftotext -layout -f 2 -l 2 '%s' - | grep -c -e 申请注册环节 "
                              "-e 许昌经济技术开发区 -e 合计", path);
    cr_expect_geq(atoi(last.out), 3, "rows on the last page: %s", last.out);
    hz_run_free(&last);
    hz_run split = hz_test_run("pdftotext '%s' - | grep -c -x -e 申请注册环 -e 节", path);
    cr_expect_eq(atoi(split.out), 0, "a cell word is split");
    hz_run_free(&split);
    remove(path);
    doc_free(doc);
}

/* A table whose words do not fit the portrait block even at 9 pt goes on a
 * landscape page of its own (GB/T 9704 横排表格); the text after it is on
 * a portrait page again. */
Test(pdf_render, wide_table_turns_to_a_landscape_page)
{
    hz_doc *doc = doc_new();
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "各单位指标如下。"));
    cr_assert(doc_add_word(doc, "许昌经济技术开发区")); /* a unit name: never broken */
    size_t cols = 7; /* 7 x 9 characters: wider than 156 mm at 9 pt, within 225 mm */
    doc_table *t = doc_table_new(3, cols, 1);
    for (size_t c = 0; c < cols; c++) {
        doc_table_set(t, 0, c, "许昌经济技术开发区");
        doc_table_set(t, 1, c, "123456");
        doc_table_set(t, 2, c, "7890");
    }
    cr_assert_not_null(doc_add_table(doc, t));
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "表后的正文。"));
    char path[256];
    temp_path(path, sizeof path, "turned");
    render_ok(doc, path);
    hz_run info = hz_test_run("pdfinfo -l 9 '%s' | awk '/^Page.*size/ {print ($4 > $6) ? \"L\" : \"P\"}' "
                              "| tr -d '\\n'", path);
    cr_expect_str_eq(info.out, "PLP", "page orientations");
    hz_run_free(&info);
    hz_run p2 = hz_test_run("pdftotext -f 2 -l 2 '%s' -", path);
    cr_expect(strstr(p2.out, "许昌经济技术开发区") != NULL, "the table is not on page 2");
    hz_run_free(&p2);
    hz_run p3 = hz_test_run("pdftotext -f 3 -l 3 '%s' -", path);
    cr_expect(strstr(p3.out, "表后的正文。") != NULL, "the text after it: %s", p3.out);
    hz_run_free(&p3);
    remove(path);
    doc_free(doc);
}

/* Pages whose text is nothing but the page number (and the draft mark):
 * pdftotext page by page. */
static int pages_without_text(const char *pdf)
{
    hz_run info = hz_test_run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf);
    int pages = atoi(info.out), empty = 0;
    hz_run_free(&info);
    for (int p = 1; p <= pages; p++) {
        hz_run t = hz_test_run("pdftotext -f %d -l %d '%s' - | grep -v -x -e '\\s*' "
                               "-e '— [0-9]* —' -e '[征求意见稿]' | wc -l", p, p, pdf);
        empty += atoi(t.out) == 0;
        hz_run_free(&t);
    }
    return empty;
}

/* A wide table right after a page break: the break opens the landscape
 * page itself, no portrait page is left empty before it. */
Test(pdf_render, wide_table_after_a_page_break_leaves_no_empty_page)
{
    hz_doc *doc = doc_new();
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "各单位指标见附表。"));
    cr_assert(doc_add_word(doc, "许昌经济技术开发区"));
    cr_assert_not_null(doc_add_break(doc, DOC_PAGE_BREAK));
    size_t cols = 7;
    doc_table *t = doc_table_new(3, cols, 1);
    for (size_t c = 0; c < cols; c++) {
        doc_table_set(t, 0, c, "许昌经济技术开发区");
        doc_table_set(t, 1, c, "123456");
        doc_table_set(t, 2, c, "7890");
    }
    cr_assert_not_null(doc_add_table(doc, t));
    cr_assert_not_null(doc_add_break(doc, DOC_PAGE_BREAK));
    cr_assert_not_null(doc_add_text(doc, DOC_PARAGRAPH, "表后的正文。"));
    char path[256];
    temp_path(path, sizeof path, "breakwide");
    render_ok(doc, path);
    hz_run info = hz_test_run("pdfinfo -l 9 '%s' | awk '/^Page.*size/ {print ($4 > $6) ? \"L\" : \"P\"}' "
                              "| tr -d '\\n'", path);
    cr_expect_str_eq(info.out, "PLP", "page orientations");
    hz_run_free(&info);
    cr_expect_eq(pages_without_text(path), 0);
    remove(path);
    doc_free(doc);
}

/* A unit that did not report (NAN) has no bar: the chart's filled bars,
 * counted in the content stream by their colour, are the reported ones;
 * its label still says 未报. */
Test(pdf_render, chart_draws_no_bar_for_an_unreported_unit)
{
    hz_doc *doc = doc_new();
    doc_chart *ch = doc_chart_new(4);
    cr_assert_not_null(ch);
    ch->title = strdup("各单位立案数");
    static const char *const labels[] = {"魏都区", "建安区", "许昌经济技术开发区（未报）",
                                         "长葛市"};
    const double values[] = {12, 0, NAN, 7};
    for (size_t i = 0; i < 4; i++) {
        ch->labels[i] = strdup(labels[i]);
        ch->values[i] = values[i];
    }
    cr_assert_not_null(doc_add_chart(doc, ch));
    char path[256];
    temp_path(path, sizeof path, "nobar");
    render_ok(doc, path);
    hz_run bars = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | "
                              "grep -a -A1 -x '0.27 0.45 0.7 rg' | grep -a -c ' re$'", path);
    cr_expect_eq(atoi(bars.out), 3, "bars drawn: %s", bars.out);
    hz_run_free(&bars);
    hz_run text = hz_test_run("pdftotext '%s' -", path);
    cr_expect(strstr(text.out, "（未报）") != NULL, "%s", text.out);
    cr_expect(strstr(text.out, "12") != NULL && strstr(text.out, "7") != NULL);
    hz_run_free(&text);
    remove(path);
    doc_free(doc);
}

/* A chart's rotated labels (many units, narrow slots) and the diagonal
 * mark take each glyph from a face that has it: 喆 is not in the body
 * face (AR PL SungtiL GB); the text is still extracted whole and no
 * character is reported missing. */
Test(pdf_render, rotated_labels_and_mark_use_covering_faces)
{
    hz_doc *doc = doc_new();
    doc->draft = true;
    size_t n = 24;
    doc_chart *ch = doc_chart_new(n);
    for (size_t i = 0; i < n; i++) {
        char label[64];
        snprintf(label, sizeof label, "王喆服务站%02zu", i);
        ch->labels[i] = strdup(label);
        ch->values[i] = (double)i;
    }
    cr_assert_not_null(doc_add_chart(doc, ch));
    char path[256];
    temp_path(path, sizeof path, "rotated");
    pdf_render_report report;
    hz_error err = {0};
    cr_assert_eq(pdf_render(doc, NULL, path, &report, &err), HZ_OK);
    cr_expect_eq(report.missing_count, 0);
    /* the 喆 of the labels is shown in a font other than the body's: the
     * text object that draws U+5586 sets a font that also draws no other
     * label glyph of the body's range */
    hz_run q = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -B3 '<5586>' "
                           "| grep -a -c ' Tf$'", path);
    cr_expect_geq(atoi(q.out), (long)n, "%s", q.out);
    hz_run_free(&q);
    remove(path);
    doc_free(doc);
}

Test(pdf_render, unwritable_path_leaves_nothing)
{
    hz_doc *doc = build_doc(false);
    hz_error err = {0};
    cr_assert_eq(pdf_render(doc, NULL, "/nonexistent-dir-hz/out.pdf", NULL, &err), HZ_ERR_IO);
    cr_assert_eq(err.msg, HZ_M_PDF_WRITE);
    cr_assert_neq(access("/nonexistent-dir-hz/out.pdf.tmp", F_OK), 0);
    doc_free(doc);
}

Test(pdf_render, empty_document_has_one_page)
{
    hz_doc *doc = doc_new();
    unsigned char *out = NULL;
    size_t len = 0;
    hz_error err = {0};
    cr_assert_eq(pdf_render_memory(doc, NULL, &out, &len, NULL, &err), HZ_OK);
    cr_assert_gt(len, 100);
    bool found = false;
    for (size_t i = 0; i + 8 <= len && !found; i++)
        found = memcmp(out + i, "/Count 1", 8) == 0;
    cr_assert(found);
    free(out);
    doc_free(doc);
}
