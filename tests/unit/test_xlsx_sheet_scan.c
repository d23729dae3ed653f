/*
 * test_xlsx_sheet_scan.c - the worksheet scanner (xlsx_sheet_scan.h), rule
 * by rule: what it delivers (names, decoded attributes, text with line
 * ends normalised, CDATA), each well-formedness rule, references, the byte
 * rules (UTF-8, NUL, UTF-16), DOCTYPE and encoding, the token limit, and
 * that neither the size of the reads nor suspending changes the answer.
 * fuzz/fuzz_sheet_scan.c holds it to expat on generated input; these are
 * the cases written down.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_sheet_scan.h"

typedef struct run {
    const char *data;
    size_t size, off, step;
    bool suspend;
    int stop_at;          /* STOP at the n-th start (1-based), 0 never */
    int starts;
    char log[8192];
    size_t len;
    bool in_text;
    hz_status status;
    xlsx_scan_error kind;
    char text[64];
    unsigned long line;
} run;

static void put(run *r, const char *s, size_t n)
{
    cr_assert_lt(r->len + n, sizeof r->log, "log overflow");
    memcpy(r->log + r->len, s, n);
    r->len += n;
    r->log[r->len] = '\0';
}

static xlsx_scan_action on_start(void *ud, const char *name, const char *local,
                                 const char **attrs)
{
    run *r = ud;
    r->in_text = false;
    put(r, "<", 1);
    put(r, name, strlen(name));
    if (strcmp(local, name) != 0) {
        put(r, "|", 1);
        put(r, local, strlen(local));
    }
    for (size_t i = 0; attrs[i]; i += 2) {
        put(r, " ", 1);
        put(r, attrs[i], strlen(attrs[i]));
        put(r, "=[", 2);
        put(r, attrs[i + 1], strlen(attrs[i + 1]));
        put(r, "]", 1);
    }
    put(r, ">", 1);
    return ++r->starts == r->stop_at ? XLSX_SCAN_STOP : XLSX_SCAN_GO;
}

static xlsx_scan_action on_end(void *ud, const char *name, const char *local)
{
    run *r = ud;
    (void)local;
    r->in_text = false;
    put(r, "</", 2);
    put(r, name, strlen(name));
    put(r, ">", 1);
    return r->suspend ? XLSX_SCAN_SUSPEND : XLSX_SCAN_GO;
}

static xlsx_scan_action on_text(void *ud, const char *s, size_t n)
{
    run *r = ud;
    cr_assert_gt(n, 0, "empty text delivered");
    if (!r->in_text)
        put(r, "{", 1);
    else
        r->len--; /* join with the previous piece: drop its '}' */
    put(r, s, n);
    put(r, "}", 1);
    r->in_text = true;
    return XLSX_SCAN_GO;
}

static long long on_read(void *ud, char *buf, size_t cap)
{
    run *r = ud;
    size_t n = r->size - r->off;
    if (n > r->step)
        n = r->step;
    if (n > cap)
        n = cap;
    memcpy(buf, r->data + r->off, n);
    r->off += n;
    return (long long)n;
}

static void scan_n(run *r, const char *data, size_t size, size_t step, size_t max_token)
{
    r->data = data;
    r->size = size;
    r->step = step;
    xlsx_scan_handlers h = {r, on_start, on_end, on_text, on_read};
    xlsx_scan *sc = NULL;
    cr_assert_eq(xlsx_scan_new(&h, max_token, &sc), HZ_OK);
    int rounds = 0;
    while ((r->status = xlsx_scan_run(sc)) == HZ_OK && !xlsx_scan_done(sc))
        cr_assert_lt(++rounds, 100000, "no progress");
    r->kind = xlsx_scan_error_kind(sc);
    snprintf(r->text, sizeof r->text, "%s", xlsx_scan_error_text(sc));
    r->line = xlsx_scan_line(sc);
    xlsx_scan_free(sc);
}

/* Scans s with the given token limit in 64 KiB reads; then again a byte
 * at a time, and suspending at every end: the same verdict and events. */
static run scan_lim(const char *s, size_t len, size_t max_token)
{
    run a = {0}, b = {0}, c = {0};
    scan_n(&a, s, len, 64 * 1024, max_token);
    scan_n(&b, s, len, 1, max_token);
    c.suspend = true;
    scan_n(&c, s, len, 3, max_token);
    cr_assert_eq(a.status, b.status, "%s: read size changes the status", s);
    cr_assert_eq(a.status, c.status, "%s: suspending changes the status", s);
    if (a.status == HZ_OK) {
        cr_assert_str_eq(a.log, b.log, "%s: read size changes the events", s);
        cr_assert_str_eq(a.log, c.log, "%s: suspending changes the events", s);
    }
    return a;
}

static run scan(const char *s)
{
    return scan_lim(s, strlen(s), 1024 * 1024);
}

static void accepts(const char *s, const char *events)
{
    run r = scan(s);
    cr_assert_eq(r.status, HZ_OK, "%s: refused (%d: %s)", s, (int)r.kind, r.text);
    cr_assert(xlsx_scan_error_kind(NULL) == XLSX_SCAN_E_NONE);
    if (events)
        cr_assert_str_eq(r.log, events, "%s", s);
}

static void refuses_bytes(const char *s, size_t len, xlsx_scan_error kind, const char *text)
{
    run r = scan_lim(s, len, 1024 * 1024);
    cr_assert_neq(r.status, HZ_OK, "%s: accepted", s);
    cr_assert_eq(r.kind, kind, "%s: kind %d, want %d (%s)", s, (int)r.kind, (int)kind, r.text);
    if (text)
        cr_assert_str_eq(r.text, text, "%s", s);
}

static void refuses(const char *s, xlsx_scan_error kind, const char *text)
{
    refuses_bytes(s, strlen(s), kind, text);
}

static const char E_INVALID[] = "not well-formed (invalid token)";

Test(sheet_scan, delivers_names_attributes_and_text)
{
    accepts("<x:worksheet xmlns:x=\"u\"><x:c r=\"A1\" t='s'><x:v>12</x:v></x:c></x:worksheet>",
            "<x:worksheet|worksheet xmlns:x=[u]><x:c|c r=[A1] t=[s]><x:v|v>{12}</x:v></x:c>"
            "</x:worksheet>");
    /* no namespace processing: any colons, the local name after the last */
    accepts("<a:b:c/>", "<a:b:c|c></a:b:c>");
    accepts("<:a/>", "<:a|a></:a>");
    accepts("<w  >\n<e /></w >", "<w>{\n}<e></e></w>");
    accepts("<w\n\ta = \"1\"\r\nb\t=\t'2'\n/>", "<w a=[1] b=[2]></w>");
}

Test(sheet_scan, attribute_values_as_expat_normalises_them)
{
    /* references replaced; tab, LF, CR and CR LF become one space each;
     * a referenced white-space character stays what it is */
    accepts("<w a=\"x&amp;y&lt;&gt;&quot;&apos;\" b=\"1\t2\n3\r\n4\r5\" c=\"&#10;&#x9;&#13;\"/>",
            "<w a=[x&y<>\"'] b=[1 2 3 4 5] c=[\n\t\r]></w>");
    accepts("<w a='say \"hi\"' b=\"it's\"/>", "<w a=[say \"hi\"] b=[it's]></w>");
    accepts("<w a=\"&#x4E2D;&#20013;&#x10FFFF;\"/>",
            "<w a=[\xe4\xb8\xad\xe4\xb8\xad\xf4\x8f\xbf\xbf]></w>");
    accepts("<w a=\"\"/>", "<w a=[]></w>");
    accepts("<w a=\"1>2\"/>", "<w a=[1>2]></w>");
}

Test(sheet_scan, text_line_ends_references_cdata)
{
    accepts("<w>a\r\nb\rc\nd</w>", "<w>{a\nb\nc\nd}</w>");
    accepts("<w>&lt;&#65;&#x42;&amp;</w>", "<w>{<AB&}</w>");
    accepts("<w><![CDATA[<not a tag> & ]] ]>\r\n]]></w>", "<w>{<not a tag> & ]] ]>\n}</w>");
    accepts("<w>a]b]]c>d</w>", "<w>{a]b]]c>d}</w>");
    accepts("<w>&#13;</w>", "<w>{\r}</w>");
    accepts("<w>\xe4\xb8\xad\xf0\x9f\x98\x80</w>", "<w>{\xe4\xb8\xad\xf0\x9f\x98\x80}</w>");
}

Test(sheet_scan, prolog_epilog_comments_pis)
{
    accepts("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
            "<!-- c --><?pi data?><w><!--x--><?p?></w>\n<!-- after -->\n<?q r?>\n",
            "<w></w>");
    accepts("<?xml version='1.0' encoding='utf8'?><w/>", "<w></w>");
    accepts("<?xml version=\"1.0\"?><w/>", "<w></w>");
    accepts("<?xml version=\"1.0\" standalone='no' ?><w/>", NULL);
    accepts("<?xml-stylesheet x?><w/>", NULL);
    accepts("<!----><w/>", NULL);
    accepts("<w><!-- - --></w>", NULL);
    /* non-ASCII names by expat's tables */
    accepts("<\xe4\xb8\xad\xe6\x96\x87 \xc3\xa9=\"1\"/>",
            "<\xe4\xb8\xad\xe6\x96\x87 \xc3\xa9=[1]></\xe4\xb8\xad\xe6\x96\x87>");
}

Test(sheet_scan, well_formedness)
{
    refuses("<w><a></b></w>", XLSX_SCAN_E_XML, "mismatched tag");
    refuses("<w><a></w>", XLSX_SCAN_E_XML, "mismatched tag");
    refuses("<w><a>", XLSX_SCAN_E_XML, "no element found");
    refuses("", XLSX_SCAN_E_XML, "no element found");
    refuses("  \n", XLSX_SCAN_E_XML, "no element found");
    refuses("<w", XLSX_SCAN_E_XML, "unclosed token");
    refuses("<w a=\"1", XLSX_SCAN_E_XML, "unclosed token");
    refuses("<w/><w/>", XLSX_SCAN_E_XML, "junk after document element");
    refuses("<w/>x", XLSX_SCAN_E_XML, "junk after document element");
    refuses("x<w/>", XLSX_SCAN_E_XML, "syntax error");
    refuses("</w>", XLSX_SCAN_E_XML, "syntax error");
    refuses("<w a=\"1\"b=\"2\"/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w a=1/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w a/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w a=\"<\"/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w =\"1\"/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<1w/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w/ >", XLSX_SCAN_E_XML, E_INVALID);
    refuses("< w/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w></ w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>]]></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><!-- a -- b --></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><!-x--></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><![CDATA[x]]></w", XLSX_SCAN_E_XML, "unclosed token");
    refuses("<w><![CDATA[x</w>", XLSX_SCAN_E_XML, "unclosed CDATA section");
    refuses("<w><![CDAT[x]]></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<![CDATA[x]]><w/>", XLSX_SCAN_E_XML, "syntax error");
    refuses("<w><!DOCTYPE x></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w\x01/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>\x01</w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>\xef\xbf\xbf</w>", XLSX_SCAN_E_XML, E_INVALID); /* U+FFFF */
    refuses("<w a=\"\xef\xbf\xbe\"/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<\xf0\x9f\x98\x80/>", XLSX_SCAN_E_XML, E_INVALID); /* never a name in expat */
    /* duplicate attributes, by the name as written, few or many */
    refuses("<w a=\"1\" b=\"2\" a=\"3\"/>", XLSX_SCAN_E_XML, "duplicate attribute");
    accepts("<w x:a=\"1\" y:a=\"2\"/>", NULL);
    char many[2048];
    size_t n = (size_t)snprintf(many, sizeof many, "<w");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, " a%d=\"%d\"", i, i);
    snprintf(many + n, sizeof many - n, "/>");
    accepts(many, NULL);
    snprintf(many + n, sizeof many - n, " a57=\"x\"/>");
    refuses(many, XLSX_SCAN_E_XML, "duplicate attribute");
}

/* The plain path of a cell's tag (one space before each attribute, "=\"",
 * plain ASCII values) hands every other shape to the full lexer: each
 * variant here leaves it at a different point and must come out as the
 * full lexer reads it. */
Test(sheet_scan, plain_tags_and_what_leaves_the_plain_path)
{
    accepts("<w><c r=\"A1\" s=\"3\" t=\"s\"><v>7</v></c><c r=\"B1\"/></w>",
            "<w><c r=[A1] s=[3] t=[s]><v>{7}</v></c><c r=[B1]></c></w>");
    accepts("<w><c  r=\"A1\"/></w>", "<w><c r=[A1]></c></w>");          /* two spaces */
    accepts("<w><c r=\"A1\" /></w>", "<w><c r=[A1]></c></w>");         /* space, then / */
    accepts("<w><c r=\"A1\" ></c></w>", "<w><c r=[A1]></c></w>");       /* space, then > */
    accepts("<w><c\tr=\"A1\"/></w>", "<w><c r=[A1]></c></w>");         /* tab */
    accepts("<w><c\nr=\"A1\"/></w>", "<w><c r=[A1]></c></w>");         /* line break */
    accepts("<w><c r = \"A1\"/></w>", "<w><c r=[A1]></c></w>");        /* blanks around = */
    accepts("<w><c r='A1'/></w>", "<w><c r=[A1]></c></w>");             /* single quotes */
    accepts("<w><c r=\"A'1\"/></w>", "<w><c r=[A'1]></c></w>");         /* the other quote */
    accepts("<w><c r=\"A&amp;1\"/></w>", "<w><c r=[A&1]></c></w>");     /* a reference */
    accepts("<w><c r=\"A\t1\"/></w>", "<w><c r=[A 1]></c></w>");        /* tab in a value */
    accepts("<w><c r=\"\xe4\xb8\xad\"/></w>", "<w><c r=[\xe4\xb8\xad]></c></w>");
    accepts("<w><c \xc3\xa9=\"1\"/></w>", "<w><c \xc3\xa9=[1]></c></w>"); /* non-ASCII name */
    accepts("<w><c x:r=\"1\" r=\"2\"/></w>", "<w><c x:r=[1] r=[2]></c></w>");
    accepts("<w><c r=\"\"/></w>", "<w><c r=[]></c></w>");
    refuses("<w><c r=\"1\" r=\"2\"/></w>", XLSX_SCAN_E_XML, "duplicate attribute");
    refuses("<w><c r=\"1\"s=\"2\"/></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><c r=\"1\"/ ></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><c r=\"<\"/></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><c r=\"1\"></d></w>", XLSX_SCAN_E_XML, "mismatched tag");
    refuses("<w><c r=\"1\"></cc></w>", XLSX_SCAN_E_XML, "mismatched tag");
    refuses("<w><c r=\"1\"", XLSX_SCAN_E_XML, "unclosed token");
    /* 16 attributes on the plain path, 17 by the full lexer; a duplicate
     * among either */
    for (int count = 15; count <= 18; count++) {
        char tag[1024], want[1024];
        size_t n = (size_t)snprintf(tag, sizeof tag, "<w><c");
        size_t m = (size_t)snprintf(want, sizeof want, "<w><c");
        for (int i = 0; i < count; i++) {
            n += (size_t)snprintf(tag + n, sizeof tag - n, " a%d=\"%d\"", i, i);
            m += (size_t)snprintf(want + m, sizeof want - m, " a%d=[%d]", i, i);
        }
        snprintf(tag + n, sizeof tag - n, "/></w>");
        snprintf(want + m, sizeof want - m, "></c></w>");
        accepts(tag, want);
        snprintf(tag + n, sizeof tag - n, " a%d=\"x\"/></w>", count - 1);
        refuses(tag, XLSX_SCAN_E_XML, "duplicate attribute");
    }
}

Test(sheet_scan, xml_declaration)
{
    refuses(" <?xml version=\"1.0\"?><w/>", XLSX_SCAN_E_XML,
            "XML or text declaration not at start of entity");
    refuses("<w><?xml version=\"1.0\"?></w>", XLSX_SCAN_E_XML,
            "XML or text declaration not at start of entity");
    refuses("<?XML version=\"1.0\"?><w/>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w><?xMl x?></w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<?xml?><w/>", XLSX_SCAN_E_XML, "XML declaration not well-formed");
    refuses("<?xml encoding=\"UTF-8\"?><w/>", XLSX_SCAN_E_XML, "XML declaration not well-formed");
    refuses("<?xml version=\"1.0\" standalone=\"maybe\"?><w/>", XLSX_SCAN_E_XML,
            "XML declaration not well-formed");
    refuses("<?xml version=\"1.0\" encoding=\"8bit\"?><w/>", XLSX_SCAN_E_XML,
            "XML declaration not well-formed");
    refuses("<?xml version=\"1.0\"encoding=\"UTF-8\"?><w/>", XLSX_SCAN_E_XML,
            "XML declaration not well-formed");
    refuses("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><w/>", XLSX_SCAN_E_ENCODING,
            "ISO-8859-1");
    refuses("<?xml version=\"1.0\" encoding=\"GB18030\"?><w/>", XLSX_SCAN_E_ENCODING, "GB18030");
}

Test(sheet_scan, references)
{
    refuses("<w>&nbsp;</w>", XLSX_SCAN_E_XML, "undefined entity");
    refuses("<w a=\"&foo;\"/>", XLSX_SCAN_E_XML, "undefined entity");
    refuses("<w>&amp</w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>& </w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>&#;</w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>&#X41;</w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>&#x;</w>", XLSX_SCAN_E_XML, E_INVALID);
    refuses("<w>&#12a;</w>", XLSX_SCAN_E_XML, E_INVALID);
    static const char *bad[] = {"&#0;", "&#x0;", "&#1;", "&#x1F;", "&#xD800;", "&#xDFFF;",
                                "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#1114112;",
                                "&#99999999999999999999;"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[128];
        snprintf(doc, sizeof doc, "<w>%s</w>", bad[i]);
        refuses(doc, XLSX_SCAN_E_XML, "reference to invalid character number");
        snprintf(doc, sizeof doc, "<w a=\"%s\"/>", bad[i]);
        refuses(doc, XLSX_SCAN_E_XML, "reference to invalid character number");
    }
    accepts("<w>&#x000041;&#0065;</w>", "<w>{AA}</w>");
}

Test(sheet_scan, bytes)
{
    refuses("<w>over\xc0\xaflong</w>", XLSX_SCAN_E_UTF8, NULL);
    refuses("<w>\xed\xa0\x80</w>", XLSX_SCAN_E_UTF8, NULL);      /* surrogate */
    refuses("<w>\xf4\x90\x80\x80</w>", XLSX_SCAN_E_UTF8, NULL);  /* above U+10FFFF */
    refuses("<w>\xf5\x80\x80\x80</w>", XLSX_SCAN_E_UTF8, NULL);
    refuses("<w>\x80</w>", XLSX_SCAN_E_UTF8, NULL);
    refuses("<w a=\"\xe4\xb8\"/>", XLSX_SCAN_E_UTF8, NULL);
    refuses("<w/>\n\xe4\xb8", XLSX_SCAN_E_UTF8, NULL);           /* cut at the end */
    refuses_bytes("<w>a\0b</w>", 10, XLSX_SCAN_E_NUL, NULL);
    refuses_bytes("\xff\xfe<\0w\0/\0>\0", 10, XLSX_SCAN_E_UTF16, NULL);
    refuses_bytes("\xfe\xff\0<\0w\0/\0>", 10, XLSX_SCAN_E_UTF16, NULL);
    refuses_bytes("<\0w\0/\0>\0", 8, XLSX_SCAN_E_UTF16, NULL);
    refuses_bytes("\0<\0w\0/\0>", 8, XLSX_SCAN_E_UTF16, NULL);
    /* a refusal of bytes comes before any event of the same read */
    run r = scan("<w><a/>\n\n\xff</w>");
    cr_assert_eq(r.kind, XLSX_SCAN_E_UTF8);
    cr_assert_eq(r.line, 3);
    run full = {0};
    scan_n(&full, "<w><a/>\xff</w>", 11, 64 * 1024, 1 << 20);
    cr_assert_str_eq(full.log, "", "events before a refused read: %s", full.log);
}

Test(sheet_scan, doctype_refused)
{
    refuses("<!DOCTYPE w [<!ENTITY x \"y\">]><w>&x;</w>", XLSX_SCAN_E_DOCTYPE, NULL);
    refuses("<?xml version=\"1.0\"?>\n<!DOCTYPE w SYSTEM \"file:///etc/passwd\"><w/>",
            XLSX_SCAN_E_DOCTYPE, NULL);
    run r = scan("<?xml version=\"1.0\"?>\n<!DOCTYPE w><w/>");
    cr_assert_eq(r.line, 2);
    refuses("<!ELEMENT w ANY><w/>", XLSX_SCAN_E_XML, "syntax error");
    refuses("<w/><!DOCTYPE w>", XLSX_SCAN_E_XML, "junk after document element");
}

Test(sheet_scan, token_limit)
{
    /* a tag, comment or PI of max_token bytes passes, one more is refused;
     * text and CDATA content are streamed and not limited */
    char doc[512];
    const size_t lim = 64;
    /* "<w a=\"" + x * k + "\"/>" is k + 9 bytes */
    size_t k = lim - 9;
    int n = snprintf(doc, sizeof doc, "<w a=\"%.*s\"/>", (int)k, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    cr_assert_eq(scan_lim(doc, (size_t)n, lim).status, HZ_OK);
    n = snprintf(doc, sizeof doc, "<w a=\"%.*s\"/>", (int)k + 1, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    run r = scan_lim(doc, (size_t)n, lim);
    cr_assert_eq(r.status, HZ_ERR_LIMIT);
    cr_assert_eq(r.kind, XLSX_SCAN_E_TOKEN);
    n = snprintf(doc, sizeof doc, "<w>\n<!--%.*s--></w>", (int)lim, "---------------------------------------------------------------------------");
    r = scan_lim(doc, (size_t)n, lim);
    cr_assert_eq(r.kind, XLSX_SCAN_E_XML, "'--' inside a comment first: %s", r.text);
    n = snprintf(doc, sizeof doc, "<w>\n<!--%.*s--></w>", (int)lim, "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
    r = scan_lim(doc, (size_t)n, lim);
    cr_assert_eq(r.kind, XLSX_SCAN_E_TOKEN);
    cr_assert_eq(r.line, 2);
    n = snprintf(doc, sizeof doc, "<w><?p %.*s?></w>", (int)lim, "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp");
    cr_assert_eq(scan_lim(doc, (size_t)n, lim).kind, XLSX_SCAN_E_TOKEN);
    /* whatever lies past the limit (here a quote never closed), the token
     * is too long */
    n = snprintf(doc, sizeof doc, "<w a=\"%.*s<", (int)lim, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
    cr_assert_eq(scan_lim(doc, (size_t)n, lim).kind, XLSX_SCAN_E_TOKEN);
    n = snprintf(doc, sizeof doc, "<w><![CDATA[%.*s%.*s]]>%.*s%.*s</w>", 100,
                 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", 100,
                 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", 100,
                 "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt", 100,
                 "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt");
    cr_assert_eq(scan_lim(doc, (size_t)n, lim).status, HZ_OK);
}

Test(sheet_scan, handler_stop_and_lines)
{
    run r = {0};
    r.stop_at = 2;
    const char *doc = "<w>\n<a/>\n<b/></w>";
    scan_n(&r, doc, strlen(doc), 64 * 1024, 1 << 20);
    cr_assert_eq(r.status, HZ_ERR_USAGE);
    cr_assert_eq(r.kind, XLSX_SCAN_E_STOPPED);
    cr_assert_eq(r.line, 2, "line of the event: %lu", r.line);
    r = scan("<w>\n\n<a></b></w>");
    cr_assert_eq(r.line, 3);
    cr_assert_str_eq(r.text, "mismatched tag");
}

Test(sheet_scan, byte_check_of_the_expat_path)
{
    xlsx_bytecheck c;
    const char *ok = "<w a=\"1\">text text text text\n<b/><!-- c --><![CDATA[<<<]]></w>";
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)ok, strlen(ok)), XLSX_SCAN_E_NONE);
    cr_assert_eq(xlsx_bytecheck_feed(&c, NULL, 0), XLSX_SCAN_E_NONE);
    cr_assert_eq(c.line, 2);
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)"<w>\n\n\xc0\xaf", 7), XLSX_SCAN_E_UTF8);
    cr_assert_eq(c.line, 3);
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)"<w>abcdefghijk\0", 15), XLSX_SCAN_E_NUL);
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)"\xff\xfe<\0", 4), XLSX_SCAN_E_UTF16);
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)"<w>\xe4\xb8", 5), XLSX_SCAN_E_NONE);
    cr_assert_eq(xlsx_bytecheck_feed(&c, NULL, 0), XLSX_SCAN_E_UTF8);
    /* the token limit, inside a tag of long runs the fast path takes */
    char tag[200];
    memset(tag, 'a', sizeof tag);
    tag[0] = '<';
    xlsx_bytecheck_init(&c, 64);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)tag, 64), XLSX_SCAN_E_NONE);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)tag + 1, 1), XLSX_SCAN_E_TOKEN);
    xlsx_bytecheck_init(&c, 64);
    tag[63] = '>';
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)tag, 64), XLSX_SCAN_E_NONE);
    cr_assert_eq(xlsx_bytecheck_feed(&c, (const unsigned char *)"text", 4), XLSX_SCAN_E_NONE);
}

/* Feeds doc to a fresh byte check in pieces of `size` bytes, each alone in
 * a buffer followed by bytes that are invalid UTF-8: a check that reads
 * past its piece refuses (and ASan sees the read). */
static xlsx_scan_error bytecheck_in_pieces(const char *doc, size_t len, size_t first,
                                           size_t size)
{
    xlsx_bytecheck c;
    xlsx_bytecheck_init(&c, 64);
    xlsx_scan_error e = XLSX_SCAN_E_NONE;
    for (size_t off = 0; off < len && e == XLSX_SCAN_E_NONE;) {
        size_t n = off == 0 ? first : size;
        if (n > len - off)
            n = len - off;
        unsigned char *piece = malloc(n + 8);
        cr_assert_not_null(piece);
        memcpy(piece, doc + off, n);
        memset(piece + n, 0xC0, 8);
        e = xlsx_bytecheck_feed(&c, piece, n);
        free(piece);
        off += n;
    }
    return e == XLSX_SCAN_E_NONE ? xlsx_bytecheck_feed(&c, NULL, 0) : e;
}

Test(sheet_scan, byte_check_in_pieces_of_every_size)
{
    /* shared strings: short tags between runs of Chinese text, a quoted
     * attribute, a tag longer than a word */
    const char *doc = "<sst count=\"3\"><si><t>\xe5\x8a\x9e\xe7\x90\x86</t></si>"
                      "<si><t xml:space=\"preserve\"> a </t></si><si><t>b</t></si></sst>";
    size_t len = strlen(doc);
    for (size_t first = 1; first <= len; first++)
        for (size_t size = 1; size <= 9; size++)
            cr_assert_eq(bytecheck_in_pieces(doc, len, first, size), XLSX_SCAN_E_NONE,
                         "first piece %zu, then %zu", first, size);
    /* the token limit is kept however the tag is cut */
    char tag[80];
    memset(tag, 'a', sizeof tag);
    tag[0] = '<';
    for (size_t size = 1; size <= 9; size++)
        cr_assert_eq(bytecheck_in_pieces(tag, sizeof tag, size, size), XLSX_SCAN_E_TOKEN);
}
