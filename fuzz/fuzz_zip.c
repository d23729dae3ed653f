/*
 * fuzz_zip.c - structure-aware libFuzzer target for the zip container
 * (issue 15): the input is not a zip but a recipe for one, so that the
 * fuzzer spends its time on what the container can say rather than on
 * getting a checksum right. The harness writes the zip by hand (local
 * headers, optional data descriptors, central directory, end record) with
 * every field the recipe asks to lie about, then reads it as `huizong check`
 * does (xlsx_book_open_memory, every row of every sheet).
 *
 * Recipe: a sequence of entries, each
 *   byte 0  name: low 4 bits pick a package part (or a raw name from the
 *           data when 15), bit 4 upper-cases it (case-variant twin),
 *           bit 5 appends "x" (a near twin)
 *   byte 1  flags: bit 0 deflate, bit 1 data descriptor (sizes 0 in the
 *           local header, given after the data), bit 2 the part's template
 *           content followed by the data (so that valid workbooks are
 *           near), bit 3 a UTF-16LE BOM in front, bit 4 CRC off by one
 *   byte 2  size lie: 0 none, 1 directory larger, 2 directory smaller,
 *           3 local header larger, 4 local header smaller, 5 both larger,
 *           6 both smaller, 7 directory says 100 MiB
 *   byte 3-4 data length (little-endian, cut to what is left)
 *   data
 * Invariants beyond "no crash, no sanitizer report, no leak": a failure
 * carries a message; a container with two names equal ignoring case is
 * never opened; every delivered cell's text is NUL-terminated at text_len.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include "xlsx_reader.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define PREL "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""

static const struct part {
    const char *name, *content;
} parts[] = {
    {"[Content_Types].xml", HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
    {"_rels/.rels", HEAD "<Relationships " PREL "><Relationship Id=\"rId1\" Type=\"" REL
                    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
    {"xl/workbook.xml", HEAD "<workbook " NS " " RNS "><sheets><sheet name=\"S\" sheetId=\"1\" "
                        "r:id=\"rId1\"/><sheet name=\"T\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels", HEAD "<Relationships " PREL "><Relationship Id=\"rId1\" Type=\""
                                   REL "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship "
                                   "Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                                   "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" "
                                   "Target=\"sharedStrings.xml\"/></Relationships>"},
    {"xl/worksheets/sheet1.xml", HEAD "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\">"
                                 "<v>0</v></c><c r=\"B1\"><v>157.65</v></c></row></sheetData></worksheet>"},
    {"xl/worksheets/sheet2.xml", HEAD "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" "
                                 "t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>"},
    {"xl/sharedStrings.xml", HEAD "<sst " NS " count=\"1\" uniqueCount=\"1\"><si><t>汇总</t></si></sst>"},
    {"xl/styles.xml", HEAD "<styleSheet " NS "><cellXfs count=\"1\"><xf numFmtId=\"14\"/></cellXfs></styleSheet>"},
    {"docProps/core.xml", HEAD "<cp:coreProperties xmlns:cp=\"x\"/>"},
};
#define NPARTS (sizeof parts / sizeof parts[0])

typedef struct out {
    uint8_t *data;
    size_t len, cap;
} out;

static void put(out *o, const void *p, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + n)
            cap *= 2;
        o->data = realloc(o->data, cap);
        if (!o->data)
            abort();
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
}

static void put16(out *o, uint32_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(o, b, 2);
}

static void put32(out *o, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(o, b, 4);
}

typedef struct entry {
    char name[96];
    uint32_t crc, comp, size, offset, cd_size;
    uint16_t flags, method;
} entry;

#define MAX_ENTRIES 24

/* Raw deflate of in into a new buffer; *n its length. */
static uint8_t *deflate_raw(const uint8_t *in, size_t len, size_t *n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&z, (uLong)len) + 16;
    uint8_t *buf = malloc(cap);
    if (!buf)
        abort();
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    *n = z.total_out;
    deflateEnd(&z);
    return buf;
}

static uint32_t lie(uint32_t real, int mode, int where)
{
    /* where: 0 directory, 1 local header */
    switch (mode) {
    case 1: return where == 0 ? real + 37 : real;
    case 2: return where == 0 && real ? real - 1 : real;
    case 3: return where == 1 ? real + 37 : real;
    case 4: return where == 1 && real ? real - 1 : real;
    case 5: return real + 512;
    case 6: return real ? real / 2 : real;
    case 7: return where == 0 ? 100u << 20 : real;
    default: return real;
    }
}

static void read_all(xlsx_book *book)
{
    for (size_t i = 0; i < xlsx_book_sheet_count(book); i++) {
        xlsx_sheet *sh = NULL;
        hz_error err;
        if (xlsx_sheet_open(book, xlsx_book_sheet_name(book, i), &sh, &err) != HZ_OK)
            continue;
        const xlsx_row *row = NULL;
        while (xlsx_sheet_next_row(sh, &row, &err) == HZ_OK && row)
            for (size_t k = 0; k < row->count; k++)
                if (strlen(row->cells[k].text) != row->cells[k].text_len)
                    abort();
        xlsx_sheet_close(sh);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    entry es[MAX_ENTRIES];
    size_t ne = 0, at = 0;
    out z = {0};
    while (at + 5 <= size && ne < MAX_ENTRIES) {
        uint8_t name_sel = data[at], flags = data[at + 1], mode = data[at + 2] & 7;
        size_t len = (size_t)data[at + 3] | (size_t)data[at + 4] << 8;
        at += 5;
        if (len > size - at)
            len = size - at;
        const uint8_t *payload = data + at;
        at += len;
        entry *e = &es[ne++];
        memset(e, 0, sizeof *e);
        size_t pick = name_sel & 15;
        if (pick < NPARTS) {
            snprintf(e->name, sizeof e->name, "%s", parts[pick].name);
        } else { /* a raw name: up to 40 bytes of the payload */
            size_t n = len < 40 ? len : 40;
            memcpy(e->name, payload, n);
            e->name[n] = '\0';
            payload += n;
            len -= n;
        }
        if (name_sel & 16)
            for (char *p = e->name; *p; p++)
                if (*p >= 'a' && *p <= 'z' && (p - e->name) % 3 == 0)
                    *p = (char)(*p - 'a' + 'A');
        if ((name_sel & 32) && strlen(e->name) + 1 < sizeof e->name)
            strcat(e->name, "x");
        /* the entry's bytes */
        out body = {0};
        if (flags & 8)
            put(&body, "\xff\xfe", 2);
        if ((flags & 4) && pick < NPARTS)
            put(&body, parts[pick].content, strlen(parts[pick].content));
        if (len)
            put(&body, payload, len);
        e->size = (uint32_t)body.len;
        e->crc = (uint32_t)crc32(0, body.data, (uInt)body.len) + ((flags & 16) ? 1u : 0u);
        e->method = (flags & 1) ? 8 : 0;
        e->flags = (flags & 2) ? 8 : 0;
        uint8_t *stored = body.data;
        size_t stored_len = body.len;
        uint8_t *deflated = NULL;
        if (e->method == 8) {
            deflated = deflate_raw(body.data ? body.data : (const uint8_t *)"", body.len,
                                   &stored_len);
            stored = deflated;
        }
        e->comp = (uint32_t)stored_len;
        e->offset = (uint32_t)z.len;
        e->cd_size = lie(e->size, mode, 0);
        size_t nl = strlen(e->name);
        put32(&z, 0x04034b50);
        put16(&z, 20);
        put16(&z, e->flags);
        put16(&z, e->method);
        put16(&z, 0);
        put16(&z, 0x21); /* 1980-01-01 */
        put32(&z, e->flags ? 0 : e->crc);
        put32(&z, e->flags ? 0 : e->comp);
        put32(&z, e->flags ? 0 : lie(e->size, mode, 1));
        put16(&z, (uint32_t)nl);
        put16(&z, 0);
        put(&z, e->name, nl);
        if (stored_len)
            put(&z, stored, stored_len);
        if (e->flags) {
            put32(&z, 0x08074b50);
            put32(&z, e->crc);
            put32(&z, e->comp);
            put32(&z, lie(e->size, mode, 1));
        }
        free(body.data);
        free(deflated);
    }
    uint32_t cd_at = (uint32_t)z.len;
    for (size_t i = 0; i < ne; i++) {
        const entry *e = &es[i];
        size_t nl = strlen(e->name);
        put32(&z, 0x02014b50);
        put16(&z, 20);
        put16(&z, 20);
        put16(&z, e->flags);
        put16(&z, e->method);
        put16(&z, 0);
        put16(&z, 0x21);
        put32(&z, e->crc);
        put32(&z, e->comp);
        put32(&z, e->cd_size);
        put16(&z, (uint32_t)nl);
        put16(&z, 0);
        put16(&z, 0);
        put16(&z, 0);
        put16(&z, 0);
        put32(&z, 0);
        put32(&z, e->offset);
        put(&z, e->name, nl);
    }
    uint32_t cd_len = (uint32_t)z.len - cd_at;
    put32(&z, 0x06054b50);
    put16(&z, 0);
    put16(&z, 0);
    put16(&z, (uint32_t)ne);
    put16(&z, (uint32_t)ne);
    put32(&z, cd_len);
    put32(&z, cd_at);
    put16(&z, 0);

    hz_limits lim;
    xlsx_limits_default(&lim);
    lim.max_entry_bytes = 4u << 20;
    lim.max_total_bytes = 16u << 20;
    xlsx_book *book = NULL;
    hz_error err;
    if (xlsx_book_open_memory(z.data, z.len, &lim, &book, &err) == HZ_OK) {
        /* an archive with names equal ignoring case is never opened */
        for (size_t i = 0; i < ne; i++)
            for (size_t k = i + 1; k < ne; k++)
                if (strcasecmp(es[i].name, es[k].name) == 0)
                    abort();
        read_all(book);
        xlsx_book_close(book);
    } else {
        char buf[2048];
        hz_error_render(&err, HZ_LANG_EN, buf, sizeof buf);
        if (!buf[0])
            abort();
    }
    free(z.data);
    return 0;
}
