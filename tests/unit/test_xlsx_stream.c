/* test_xlsx_stream.c - the fast sheet writer's parts (issue 19): the cell
 * formatters and XML escapes of xlsx_stream, the chunked parallel deflate
 * (inflate round trip, chunk concatenation, CRC, independence from the
 * thread count, bounded chunks in flight, sink errors) and the zip container
 * (copied and streamed entries read back by libzip and by unzip). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "deflate_chunks.h"
#include "hz_test.h"
#include "xlsx_stream.h"
#include "zip_writer.h"

TestSuite(xlsx_stream);

/* ------------------------------------------------------------- formatters */

static const char *fmt_int(int64_t v)
{
    static char buf[32];
    buf[xlsx_stream_format_int(buf, v)] = '\0';
    return buf;
}

static const char *fmt_dec(int64_t v, int scale)
{
    static char buf[40];
    buf[xlsx_stream_format_decimal(buf, v, scale)] = '\0';
    return buf;
}

static const char *fmt_ref(uint32_t row, uint32_t col)
{
    static char buf[20];
    buf[xlsx_stream_format_cellref(buf, row, col)] = '\0';
    return buf;
}

Test(xlsx_stream, integers)
{
    cr_assert_str_eq(fmt_int(0), "0");
    cr_assert_str_eq(fmt_int(7), "7");
    cr_assert_str_eq(fmt_int(-7), "-7");
    cr_assert_str_eq(fmt_int(44855), "44855");
    cr_assert_str_eq(fmt_int(INT64_MAX), "9223372036854775807");
    cr_assert_str_eq(fmt_int(INT64_MIN), "-9223372036854775808");
    char buf[32];
    for (int64_t v = -100000; v <= 100000; v += 7) {
        snprintf(buf, sizeof buf, "%lld", (long long)v);
        cr_assert_str_eq(fmt_int(v), buf);
    }
}

Test(xlsx_stream, decimals_read_back_as_the_double)
{
    cr_assert_str_eq(fmt_dec(0, 4), "0");
    cr_assert_str_eq(fmt_dec(12500, 4), "1.25");
    cr_assert_str_eq(fmt_dec(19150, 4), "1.915");
    cr_assert_str_eq(fmt_dec(-5, 4), "-0.0005");
    cr_assert_str_eq(fmt_dec(-120000, 4), "-12");
    cr_assert_str_eq(fmt_dec(123456789012345, 4), "12345678901.2345");
    cr_assert_str_eq(fmt_dec(42, 0), "42");
    /* what openpyxl or Excel parse is the double libxlsxwriter wrote
     * (v / 10^4 in floating point) */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t v = (int64_t)(x % 2000000000000ull) - 1000000000000;
        if (i % 3 == 0)
            v %= 100000;
        double want = (double)v / 10000.0;
        double got = strtod(fmt_dec(v, 4), NULL);
        cr_assert(got == want, "%lld: %s reads %.17g, want %.17g", (long long)v, fmt_dec(v, 4),
                  got, want);
    }
}

Test(xlsx_stream, cell_references)
{
    cr_assert_str_eq(fmt_ref(0, 0), "A1");
    cr_assert_str_eq(fmt_ref(1, 25), "Z2");
    cr_assert_str_eq(fmt_ref(2, 26), "AA3");
    cr_assert_str_eq(fmt_ref(9, 701), "ZZ10");
    cr_assert_str_eq(fmt_ref(0, 702), "AAA1");
    cr_assert_str_eq(fmt_ref(1048575, 16383), "XFD1048576");
}

/* ------------------------------------------------------------- XML */

typedef struct membuf {
    char *data;
    size_t len, cap;
    int fail_after;            /* calls before the sink fails; < 0: never */
    int calls;
} membuf;

static hz_status mem_sink(void *ctx, const void *data, size_t len, hz_error *err)
{
    membuf *m = ctx;
    if (m->fail_after >= 0 && m->calls++ >= m->fail_after)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_NOMEM, NULL);
    if (m->len + len + 1 > m->cap) {
        m->cap = (m->len + len + 1) * 2;
        m->data = realloc(m->data, m->cap);
        cr_assert_not_null(m->data);
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return HZ_OK;
}

Test(xlsx_stream, cells_and_escapes)
{
    membuf m = {.fail_after = -1};
    xlsx_stream *xs;
    cr_assert_eq(xlsx_stream_open(&xs, mem_sink, &m, NULL), HZ_OK);
    xlsx_stream_row_begin(xs, 1);
    xlsx_stream_string(xs, 0, "A&B<c>\"'", 2);
    xlsx_stream_string(xs, 1, " lead", 2);
    xlsx_stream_string(xs, 2, "", 2);
    xlsx_stream_string(xs, 2, NULL, 2);
    xlsx_stream_string(xs, 3, "a\x01" "b\rc\td\n", -1);
    xlsx_stream_int(xs, 4, 44855, 3);
    xlsx_stream_decimal(xs, 5, 19150, 4, 4);
    xlsx_stream_blank(xs, 27, 5);
    xlsx_stream_string(xs, 28, "许昌市", 2);
    xlsx_stream_row_end(xs);
    cr_assert_eq(xlsx_stream_close(xs, NULL), HZ_OK);
    cr_assert_str_eq(m.data,
                     "<row r=\"2\">"
                     "<c r=\"A2\" s=\"2\" t=\"inlineStr\"><is><t>A&amp;B&lt;c&gt;\"'</t></is></c>"
                     "<c r=\"B2\" s=\"2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> lead</t></is></c>"
                     "<c r=\"D2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">a_x0001_b_x000D_c\td\n</t></is></c>"
                     "<c r=\"E2\" s=\"3\"><v>44855</v></c>"
                     "<c r=\"F2\" s=\"4\"><v>1.915</v></c>"
                     "<c r=\"AB2\" s=\"5\"/>"
                     "<c r=\"AC2\" s=\"2\" t=\"inlineStr\"><is><t>许昌市</t></is></c>"
                     "</row>");
    free(m.data);
}

Test(xlsx_stream, shared_string_cells)
{
    membuf m = {.fail_after = -1};
    xlsx_stream *xs;
    cr_assert_eq(xlsx_stream_open(&xs, mem_sink, &m, NULL), HZ_OK);
    xlsx_stream_row_begin(xs, 1048575);
    xlsx_stream_shared(xs, 0, 0, 1);
    xlsx_stream_shared(xs, 16383, UINT32_MAX, -1);
    xlsx_stream_row_end(xs);
    cr_assert_eq(xlsx_stream_close(xs, NULL), HZ_OK);
    cr_assert_str_eq(m.data,
                     "<row r=\"1048576\">"
                     "<c r=\"A1048576\" s=\"1\" t=\"s\"><v>0</v></c>"
                     "<c r=\"XFD1048576\" t=\"s\"><v>4294967295</v></c>"
                     "</row>");
    free(m.data);
}

Test(xlsx_stream, long_texts_cross_the_buffer)
{
    membuf m = {.fail_after = -1};
    xlsx_stream *xs;
    cr_assert_eq(xlsx_stream_open(&xs, mem_sink, &m, NULL), HZ_OK);
    size_t n = 700 * 1024;
    char *text = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 1000 == 999 ? '&' : (char)('a' + i % 26);
    text[n] = '\0';
    for (uint32_t r = 0; r < 3; r++) {
        xlsx_stream_row_begin(xs, r);
        xlsx_stream_string(xs, 0, text, 1);
        xlsx_stream_row_end(xs);
    }
    cr_assert_eq(xlsx_stream_close(xs, NULL), HZ_OK);
    size_t amps = n / 1000;
    size_t want_cell = strlen("<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t></t></is></c>") + n +
                       amps * 4;
    cr_assert_eq(m.len, 3 * (want_cell + strlen("<row r=\"1\"></row>")));
    cr_assert(strstr(m.data, "<row r=\"3\"><c r=\"A3\""));
    free(text);
    free(m.data);
}

Test(xlsx_stream, sink_error_is_kept)
{
    membuf m = {.fail_after = 0};
    xlsx_stream *xs;
    cr_assert_eq(xlsx_stream_open(&xs, mem_sink, &m, NULL), HZ_OK);
    for (uint32_t r = 0; r < 20000; r++) {
        xlsx_stream_row_begin(xs, r);
        xlsx_stream_string(xs, 0, "text text text text", 1);
        xlsx_stream_row_end(xs);
    }
    hz_error err;
    cr_assert_eq(xlsx_stream_close(xs, &err), HZ_ERR_IO);
    cr_assert_eq(m.calls, 1, "the sink is not called again after it failed");
    free(m.data);
}

/* ------------------------------------------------------------- deflate */

/* Sheet-like input: repetitive XML with varying numbers. */
static unsigned char *sample_input(size_t n)
{
    unsigned char *p = malloc(n);
    cr_assert_not_null(p);
    size_t i = 0;
    for (unsigned r = 0; i < n; r++) {
        char row[128];
        int k = snprintf(row, sizeof row, "<row r=\"%u\"><c r=\"A%u\"><v>%u</v></c></row>", r, r,
                         r * 2654435761u);
        for (int j = 0; j < k && i < n; j++)
            p[i++] = (unsigned char)row[j];
    }
    return p;
}

static unsigned char *inflate_all(const membuf *m, size_t expect, size_t *got)
{
    unsigned char *out = malloc(expect + 1);
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(inflateInit2(&z, -15), Z_OK);
    z.next_in = (unsigned char *)m->data;
    z.avail_in = (uInt)m->len;
    z.next_out = out;
    z.avail_out = (uInt)expect + 1;
    int rc = inflate(&z, Z_FINISH);
    cr_assert_eq(rc, Z_STREAM_END, "one valid deflate stream (rc %d)", rc);
    cr_assert_eq(z.avail_in, 0, "nothing after the final block");
    *got = z.total_out;
    inflateEnd(&z);
    return out;
}

static membuf run_deflate(const unsigned char *in, size_t n, size_t chunk, unsigned threads,
                          unsigned in_flight, size_t piece, deflate_chunks_result *res)
{
    membuf m = {.fail_after = -1};
    deflate_chunks_options opt = {.chunk_size = chunk, .level = 6, .threads = threads,
                                  .in_flight = in_flight};
    deflate_chunks *dc;
    cr_assert_eq(deflate_chunks_open(&dc, &opt, mem_sink, &m, NULL), HZ_OK);
    for (size_t off = 0; off < n; off += piece)
        cr_assert_eq(deflate_chunks_write(dc, in + off, n - off < piece ? n - off : piece, NULL),
                     HZ_OK);
    cr_assert_eq(deflate_chunks_finish(dc, res, NULL), HZ_OK);
    deflate_chunks_free(dc);
    return m;
}

Test(xlsx_stream, deflate_round_trip_and_crc)
{
    size_t n = 3 * 1000 * 1000 + 17;
    unsigned char *in = sample_input(n);
    uint32_t want_crc = (uint32_t)crc32(0L, in, (uInt)n);
    /* chunks of 64 KiB: 46 of them, the last one short */
    deflate_chunks_result r1, r2, r3;
    membuf a = run_deflate(in, n, 65536, 1, 0, 1000, &r1);
    membuf b = run_deflate(in, n, 65536, 4, 3, 77777, &r2);
    membuf c = run_deflate(in, n, 65536, 2, 0, n, &r3);
    cr_assert_eq(r1.crc32, want_crc);
    cr_assert_eq(r2.crc32, want_crc);
    cr_assert_eq(r1.in_bytes, n);
    cr_assert_eq(r1.out_bytes, a.len);
    cr_assert(a.len < n / 3, "it compresses (%zu of %zu)", a.len, n);
    /* the bytes depend on the input and chunk size, not on threads or the
     * pieces the input came in */
    cr_assert_eq(a.len, b.len);
    cr_assert_eq(memcmp(a.data, b.data, a.len), 0);
    cr_assert_eq(a.len, c.len);
    cr_assert_eq(memcmp(a.data, c.data, a.len), 0);
    size_t got;
    unsigned char *out = inflate_all(&b, n, &got);
    cr_assert_eq(got, n);
    cr_assert_eq(memcmp(out, in, n), 0);
    free(out);
    free(a.data);
    free(b.data);
    free(c.data);
    free(in);
}

Test(xlsx_stream, deflate_chunks_are_independent_and_concatenate)
{
    /* two chunks compressed alone, as the first and last of a stream,
     * concatenate into what deflate_chunks gives for both */
    size_t chunk = 50000, rest = 30000;
    unsigned char *in = sample_input(chunk + rest);
    deflate_chunks_result r;
    membuf whole = run_deflate(in, chunk + rest, chunk, 2, 0, 4096, &r);
    static unsigned char out[2][200000];
    size_t len[2];
    for (int k = 0; k < 2; k++) {
        z_stream z;
        memset(&z, 0, sizeof z);
        cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = in + k * chunk;
        z.avail_in = (uInt)(k == 0 ? chunk : rest);
        z.next_out = out[k];
        z.avail_out = sizeof out[k];
        deflate(&z, k == 0 ? Z_SYNC_FLUSH : Z_FINISH);
        len[k] = sizeof out[k] - z.avail_out;
        deflateEnd(&z);
    }
    /* a sync flush ends on the empty stored block 00 00 ff ff */
    cr_assert_eq(memcmp(out[0] + len[0] - 4, "\x00\x00\xff\xff", 4), 0);
    cr_assert_eq(whole.len, len[0] + len[1]);
    cr_assert_eq(memcmp(whole.data, out[0], len[0]), 0);
    cr_assert_eq(memcmp(whole.data + len[0], out[1], len[1]), 0);
    cr_assert_eq(r.crc32, (uint32_t)crc32_combine(crc32(0L, in, (uInt)chunk),
                                                  crc32(0L, in + chunk, (uInt)rest), (z_off_t)rest));
    free(whole.data);
    free(in);
}

Test(xlsx_stream, deflate_empty_and_exact_chunks)
{
    deflate_chunks_result r;
    membuf e = run_deflate(NULL, 0, 1024, 2, 0, 1, &r);
    cr_assert_eq(r.in_bytes, 0);
    cr_assert_eq(r.crc32, 0);
    size_t got;
    free(inflate_all(&e, 0, &got));
    cr_assert_eq(got, 0);
    /* input an exact multiple of the chunk: the last chunk is empty, the
     * stream still ends with a final block */
    unsigned char *in = sample_input(4096);
    membuf x = run_deflate(in, 4096, 1024, 3, 2, 1024, &r);
    unsigned char *out = inflate_all(&x, 4096, &got);
    cr_assert_eq(got, 4096);
    cr_assert_eq(memcmp(out, in, 4096), 0);
    free(out);
    free(in);
    free(e.data);
    free(x.data);
}

Test(xlsx_stream, deflate_sink_error_stops_the_stream)
{
    size_t n = 1 << 20;
    unsigned char *in = sample_input(n);
    membuf m = {.fail_after = 2};
    deflate_chunks_options opt = {.chunk_size = 16384, .threads = 2};
    deflate_chunks *dc;
    cr_assert_eq(deflate_chunks_open(&dc, &opt, mem_sink, &m, NULL), HZ_OK);
    hz_status st = HZ_OK;
    for (size_t off = 0; off < n && st == HZ_OK; off += 4096)
        st = deflate_chunks_write(dc, in + off, 4096, NULL);
    hz_error err;
    if (st == HZ_OK)
        st = deflate_chunks_finish(dc, NULL, &err);
    cr_assert_eq(st, HZ_ERR_IO);
    cr_assert_eq(deflate_chunks_write(dc, in, 10, NULL), HZ_ERR_IO, "the error is sticky");
    deflate_chunks_free(dc);
    cr_assert_eq(m.calls, 3);
    free(m.data);
    free(in);
}

/* ------------------------------------------------------------- zip */

static void make_source_zip(const char *path)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(z);
    static const char a[] = "first entry, stored";
    static char b[20000];
    memset(b, 'x', sizeof b);
    zip_source_t *sa = zip_source_buffer(z, a, sizeof a - 1, 0);
    zip_int64_t ia = zip_file_add(z, "a.txt", sa, 0);
    zip_set_file_compression(z, (zip_uint64_t)ia, ZIP_CM_STORE, 0);
    zip_source_t *sb = zip_source_buffer(z, b, sizeof b, 0);
    zip_file_add(z, "dir/b.xml", sb, 0);
    zip_source_t *sc = zip_source_buffer(z, "<x/>", 4, 0);
    zip_file_add(z, "c.xml", sc, 0);
    for (zip_uint64_t i = 0; i < 3; i++)
        zip_file_set_mtime(z, i, 315532800 + 86400, 0);
    cr_assert_eq(zip_close(z), 0);
}

Test(xlsx_stream, zip_copies_and_streams_entries)
{
    char *dir = hz_test_tempdir("xlsx-stream-zip");
    char src_path[4096], dst_path[4096];
    snprintf(src_path, sizeof src_path, "%s/src.zip", dir);
    snprintf(dst_path, sizeof dst_path, "%s/dst.zip", dir);
    make_source_zip(src_path);

    FILE *src = fopen(src_path, "rb");
    zip_writer_directory d;
    cr_assert_eq(zip_writer_read_directory(src, src_path, &d, NULL), HZ_OK);
    cr_assert_eq(d.count, 3);
    cr_assert_str_eq(d.items[1].name, "dir/b.xml");
    char *data;
    size_t len;
    cr_assert_eq(zip_writer_inflate_entry(src, src_path, &d.items[0], 1000, &data, &len, NULL),
                 HZ_OK);
    cr_assert_str_eq(data, "first entry, stored");
    free(data);
    cr_assert_eq(zip_writer_inflate_entry(src, src_path, &d.items[1], 100, &data, &len, NULL),
                 HZ_ERR_LIMIT);

    /* a copy with dir/b.xml replaced by a streamed entry of 3 MB */
    size_t n = 3000000;
    unsigned char *in = sample_input(n);
    FILE *out = fopen(dst_path, "wb");
    zip_writer *zw;
    cr_assert_eq(zip_writer_open(&zw, out, dst_path, NULL), HZ_OK);
    cr_assert_eq(zip_writer_copy_entry(zw, src, &d.items[0], NULL), HZ_OK);
    cr_assert_eq(zip_writer_begin_entry(zw, &d.items[1], NULL), HZ_OK);
    deflate_chunks_options opt = {.chunk_size = 1 << 20, .threads = 2};
    deflate_chunks *dc;
    cr_assert_eq(deflate_chunks_open(&dc, &opt, zip_writer_entry_data, zw, NULL), HZ_OK);
    cr_assert_eq(deflate_chunks_write(dc, in, n, NULL), HZ_OK);
    deflate_chunks_result r;
    cr_assert_eq(deflate_chunks_finish(dc, &r, NULL), HZ_OK);
    deflate_chunks_free(dc);
    cr_assert_eq(zip_writer_end_entry(zw, r.crc32, r.in_bytes, NULL), HZ_OK);
    cr_assert_eq(zip_writer_copy_entry(zw, src, &d.items[2], NULL), HZ_OK);
    cr_assert_eq(zip_writer_finish(zw, NULL), HZ_OK);
    cr_assert_eq(fclose(out), 0);
    fclose(src);

    /* libzip reads every entry back, CRCs checked, times and methods kept */
    int zerr;
    zip_t *z = zip_open(dst_path, ZIP_CHECKCONS, &zerr);
    cr_assert_not_null(z, "libzip opens it with consistency checks (error %d)", zerr);
    cr_assert_eq(zip_get_num_entries(z, 0), 3);
    zip_stat_t st;
    cr_assert_eq(zip_stat_index(z, 1, 0, &st), 0);
    cr_assert_str_eq(st.name, "dir/b.xml");
    cr_assert_eq(st.size, n);
    cr_assert_eq(st.comp_method, ZIP_CM_DEFLATE);
    zip_stat_t st0;
    cr_assert_eq(zip_stat_index(z, 0, 0, &st0), 0);
    cr_assert_eq(st0.comp_method, ZIP_CM_STORE);
    unsigned char *back = malloc(n);
    zip_file_t *f = zip_fopen_index(z, 1, 0);
    cr_assert_not_null(f);
    zip_int64_t got = 0, k;
    while ((k = zip_fread(f, back + got, n - (zip_uint64_t)got)) > 0)
        got += k;
    cr_assert_eq((size_t)got, n);
    cr_assert_eq(zip_fclose(f), 0, "CRC and size agree");
    cr_assert_eq(memcmp(back, in, n), 0);
    char small[64] = "";
    f = zip_fopen_index(z, 2, 0);
    cr_assert_eq(zip_fread(f, small, sizeof small), 4);
    zip_fclose(f);
    cr_assert_str_eq(small, "<x/>");
    zip_close(z);
    free(back);

    /* and so does Info-ZIP, byte for byte against the copied source */
    hz_run t = hz_test_run("unzip -tq '%s'", dst_path);
    cr_assert_eq(t.exit_code, 0, "unzip -t: %s", t.out);
    hz_run_free(&t);
    hz_run zs = hz_test_run("zipinfo -T '%s' a.txt", src_path);
    hz_run zd = hz_test_run("zipinfo -T '%s' a.txt", dst_path);
    cr_assert_eq(zs.exit_code, 0);
    cr_assert_eq(zd.exit_code, 0);
    cr_assert_str_eq(zd.out, zs.out, "same size, method and time");
    hz_run_free(&zs);
    hz_run_free(&zd);

    zip_writer_directory_free(&d);
    free(in);
    hz_test_rmtree(dir);
    free(dir);
}

Test(xlsx_stream, zip_refuses_what_needs_zip64)
{
    char *dir = hz_test_tempdir("xlsx-stream-zip64");
    char path[4096];
    snprintf(path, sizeof path, "%s/big.zip", dir);
    FILE *out = fopen(path, "wb");
    zip_writer *zw;
    cr_assert_eq(zip_writer_open(&zw, out, path, NULL), HZ_OK);
    zip_writer_entry e = {.name = "xl/worksheets/sheet6.xml", .version_needed = 20};
    cr_assert_eq(zip_writer_begin_entry(zw, &e, NULL), HZ_OK);
    cr_assert_eq(zip_writer_entry_data(zw, "abc", 3, NULL), HZ_OK);
    hz_error err;
    /* an uncompressed size of 4 GiB cannot be recorded without ZIP64 */
    cr_assert_eq(zip_writer_end_entry(zw, 0, 0x100000000ull, &err), HZ_ERR_LIMIT);
    cr_assert_eq(err.msg, HZ_M_CONSOLIDATE_XLSX_ZIP64);
    cr_assert_str_eq(err.args[1], "xl/worksheets/sheet6.xml");
    zip_writer_free(zw);
    fclose(out);
    hz_test_rmtree(dir);
    free(dir);
}
