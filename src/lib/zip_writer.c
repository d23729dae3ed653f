/* zip_writer.c - the zip container of the joined workbook; see zip_writer.h. */
#include "zip_writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zlib.h>
#include "hz_text.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define LIMIT32 0xFFFFFFFFull
#define FLAG_DESCRIPTOR 0x0008u /* sizes in a data descriptor after the data */

struct zip_writer {
    FILE *out;
    const char *path;
    uint64_t pos;              /* bytes written so far */
    zip_writer_directory dir;  /* entries written, for the central directory */
    bool open_entry;           /* begin_entry without end_entry */
    uint64_t entry_data;       /* compressed bytes of the open entry */
};

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned char *put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    return p + 2;
}

static unsigned char *put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
    return p + 4;
}

static hz_status bad_part(const char *path, const char *part, hz_error *err)
{
    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_CONSOLIDATE_XLSX_PARTS, path, part, NULL);
}

static hz_status io_error(const char *path, hz_error *err)
{
    return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_XLSX_FAILED, path,
                        strerror(errno ? errno : EIO), NULL);
}

static bool read_at(FILE *f, uint64_t off, void *buf, size_t n)
{
    if (fseeko(f, (off_t)off, SEEK_SET) != 0)
        return false;
    return fread(buf, 1, n, f) == n;
}

void zip_writer_directory_free(zip_writer_directory *dir)
{
    for (size_t i = 0; i < dir->count; i++)
        free(dir->items[i].name);
    free(dir->items);
    memset(dir, 0, sizeof *dir);
}

hz_status zip_writer_read_directory(FILE *src, const char *path, zip_writer_directory *dir,
                                    hz_error *err)
{
    memset(dir, 0, sizeof *dir);
    if (fseeko(src, 0, SEEK_END) != 0)
        return io_error(path, err);
    off_t size = ftello(src);
    if (size < 22)
        return bad_part(path, "(end of central directory)", err);
    /* the end record is the last 22 bytes plus a comment of at most 64 KiB */
    size_t tail = size < 22 + 65535 ? (size_t)size : 22 + 65535;
    unsigned char *buf = malloc(tail);
    if (!buf)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (!read_at(src, (uint64_t)size - tail, buf, tail)) {
        free(buf);
        return io_error(path, err);
    }
    const unsigned char *end = NULL;
    for (size_t i = tail - 22 + 1; i-- > 0;)
        if (get32(buf + i) == SIG_END) {
            end = buf + i;
            break;
        }
    if (!end || get16(end + 4) != 0 || get16(end + 6) != 0) {
        free(buf);
        return bad_part(path, "(end of central directory)", err);
    }
    size_t count = get16(end + 10);
    uint32_t cd_size = get32(end + 12), cd_off = get32(end + 16);
    free(buf);
    if ((uint64_t)cd_off + cd_size > (uint64_t)size)
        return bad_part(path, "(central directory)", err);
    unsigned char *cd = malloc(cd_size ? cd_size : 1);
    if (!cd)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (!read_at(src, cd_off, cd, cd_size)) {
        free(cd);
        return io_error(path, err);
    }
    hz_status st = HZ_OK;
    size_t p = 0;
    for (size_t i = 0; i < count && st == HZ_OK; i++) {
        if (p + 46 > cd_size || get32(cd + p) != SIG_CENTRAL) {
            st = bad_part(path, "(central directory)", err);
            break;
        }
        const unsigned char *h = cd + p;
        size_t nlen = get16(h + 28), xlen = get16(h + 30), clen = get16(h + 32);
        if (p + 46 + nlen + xlen + clen > cd_size) {
            st = bad_part(path, "(central directory)", err);
            break;
        }
        if (!hz_array_reserve(&dir->items, &dir->cap, dir->count + 1, sizeof *dir->items)) {
            st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        zip_writer_entry *e = &dir->items[dir->count];
        memset(e, 0, sizeof *e);
        e->name = malloc(nlen + 1);
        if (!e->name) {
            st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        memcpy(e->name, h + 46, nlen);
        e->name[nlen] = '\0';
        dir->count++;
        e->version_made = get16(h + 4);
        e->version_needed = get16(h + 6);
        e->flags = get16(h + 8);
        e->method = get16(h + 10);
        e->mod_time = get16(h + 12);
        e->mod_date = get16(h + 14);
        e->crc32 = get32(h + 16);
        e->comp_size = get32(h + 20);
        e->size = get32(h + 24);
        e->internal_attr = get16(h + 36);
        e->external_attr = get32(h + 38);
        e->offset = get32(h + 42);
        if (e->comp_size == LIMIT32 || e->size == LIMIT32 || e->offset == LIMIT32 ||
            (e->flags & 0x0001) || (e->method != 0 && e->method != 8))
            st = bad_part(path, e->name, err); /* ZIP64, encrypted or another method */
        p += 46 + nlen + xlen + clen;
    }
    free(cd);
    if (st != HZ_OK)
        zip_writer_directory_free(dir);
    return st;
}

/* Offset of the data of e (after its local header). */
static hz_status data_offset(FILE *src, const char *path, const zip_writer_entry *e,
                             uint64_t *off, hz_error *err)
{
    unsigned char h[30];
    if (!read_at(src, e->offset, h, sizeof h))
        return io_error(path, err);
    if (get32(h) != SIG_LOCAL)
        return bad_part(path, e->name, err);
    *off = e->offset + 30 + get16(h + 26) + get16(h + 28);
    return HZ_OK;
}

hz_status zip_writer_inflate_entry(FILE *src, const char *path, const zip_writer_entry *e,
                                   size_t max, char **data, size_t *len, hz_error *err)
{
    *data = NULL;
    *len = 0;
    if (e->size > max)
        return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_CONSOLIDATE_XLSX_PARTS, path, e->name, NULL);
    uint64_t off;
    hz_status st = data_offset(src, path, e, &off, err);
    if (st != HZ_OK)
        return st;
    char *out = malloc((size_t)e->size + 1);
    unsigned char *in = malloc(e->comp_size ? (size_t)e->comp_size : 1);
    if (!out || !in) {
        free(out);
        free(in);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    if (!read_at(src, off, in, (size_t)e->comp_size)) {
        free(out);
        free(in);
        return io_error(path, err);
    }
    bool ok;
    if (e->method == 0) {
        ok = e->comp_size == e->size;
        if (ok)
            memcpy(out, in, (size_t)e->size);
    } else {
        z_stream z;
        memset(&z, 0, sizeof z);
        ok = inflateInit2(&z, -15) == Z_OK;
        if (ok) {
            z.next_in = in;
            z.avail_in = (uInt)e->comp_size;
            z.next_out = (unsigned char *)out;
            z.avail_out = (uInt)e->size;
            ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == e->size;
            inflateEnd(&z);
        }
    }
    free(in);
    ok = ok && (uint32_t)crc32(0L, (const unsigned char *)out, (uInt)e->size) == e->crc32;
    if (!ok) {
        free(out);
        return bad_part(path, e->name, err);
    }
    out[e->size] = '\0';
    *data = out;
    *len = (size_t)e->size;
    return HZ_OK;
}

hz_status zip_writer_open(zip_writer **out, FILE *f, const char *path, hz_error *err)
{
    zip_writer *zw = calloc(1, sizeof *zw);
    *out = zw;
    if (!zw)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    zw->out = f;
    zw->path = path;
    return HZ_OK;
}

static hz_status emit(zip_writer *zw, const void *data, size_t len, hz_error *err)
{
    if (len && fwrite(data, 1, len, zw->out) != len)
        return io_error(zw->path, err);
    zw->pos += len;
    return HZ_OK;
}

static hz_status too_large(zip_writer *zw, const char *part, hz_error *err)
{
    return hz_error_set(err, HZ_ERR_LIMIT, HZ_M_CONSOLIDATE_XLSX_ZIP64, zw->path, part, NULL);
}


/* The fields a local header and its central-directory record share, from
 * "version needed" to the uncompressed size (APPNOTE 4.3.7 and 4.3.12). */
static unsigned char *put_entry_fields(unsigned char *p, const zip_writer_entry *d)
{
    p = put16(p, d->version_needed);
    p = put16(p, d->flags);
    p = put16(p, d->method);
    p = put16(p, d->mod_time);
    p = put16(p, d->mod_date);
    p = put32(p, d->crc32);
    p = put32(p, (uint32_t)d->comp_size);
    return put32(p, (uint32_t)d->size);
}

/* Records e as written at the current position and writes its local header. */
static hz_status local_header(zip_writer *zw, const zip_writer_entry *e, hz_error *err)
{
    if (zw->pos > LIMIT32 - 1)
        return too_large(zw, e->name, err);
    size_t nlen = strlen(e->name);
    if (nlen > 0xFFFF)
        return bad_part(zw->path, e->name, err);
    if (!hz_array_reserve(&zw->dir.items, &zw->dir.cap, zw->dir.count + 1, sizeof *zw->dir.items))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    zip_writer_entry *d = &zw->dir.items[zw->dir.count];
    *d = *e;
    d->name = malloc(nlen + 1);
    if (!d->name)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    memcpy(d->name, e->name, nlen + 1);
    d->flags &= (uint16_t)~FLAG_DESCRIPTOR;
    d->offset = zw->pos;
    zw->dir.count++;
    unsigned char h[30], *p = h;
    p = put32(p, SIG_LOCAL);
    p = put_entry_fields(p, d);
    p = put16(p, (uint16_t)nlen);
    put16(p, 0);
    hz_status st = emit(zw, h, sizeof h, err);
    return st == HZ_OK ? emit(zw, d->name, nlen, err) : st;
}

hz_status zip_writer_copy_entry(zip_writer *zw, FILE *src, const zip_writer_entry *e,
                                hz_error *err)
{
    uint64_t off;
    hz_status st = data_offset(src, zw->path, e, &off, err);
    if (st == HZ_OK)
        st = local_header(zw, e, err);
    if (st != HZ_OK)
        return st;
    if (fseeko(src, (off_t)off, SEEK_SET) != 0)
        return io_error(zw->path, err);
    unsigned char buf[65536];
    uint64_t left = e->comp_size;
    while (left > 0 && st == HZ_OK) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        if (fread(buf, 1, n, src) != n)
            return bad_part(zw->path, e->name, err);
        st = emit(zw, buf, n, err);
        left -= n;
    }
    return st;
}

hz_status zip_writer_begin_entry(zip_writer *zw, const zip_writer_entry *templ, hz_error *err)
{
    zip_writer_entry e = *templ;
    e.method = 8;
    e.crc32 = 0;
    e.comp_size = e.size = 0;
    if (e.version_needed < 20)
        e.version_needed = 20; /* deflate */
    hz_status st = local_header(zw, &e, err);
    zw->open_entry = st == HZ_OK;
    zw->entry_data = 0;
    return st;
}

hz_status zip_writer_entry_data(void *ctx, const void *data, size_t len, hz_error *err)
{
    zip_writer *zw = ctx;
    if (zw->entry_data + len > LIMIT32 || zw->pos + len > LIMIT32)
        return too_large(zw, zw->dir.items[zw->dir.count - 1].name, err);
    zw->entry_data += len;
    return emit(zw, data, len, err);
}

hz_status zip_writer_end_entry(zip_writer *zw, uint32_t crc, uint64_t size, hz_error *err)
{
    if (!zw->open_entry)
        return hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_CONSOLIDATE_XLSX_PARTS, zw->path, "", NULL);
    zw->open_entry = false;
    zip_writer_entry *d = &zw->dir.items[zw->dir.count - 1];
    if (size > LIMIT32 - 1 || zw->entry_data > LIMIT32 - 1)
        return too_large(zw, d->name, err);
    d->crc32 = crc;
    d->size = size;
    d->comp_size = zw->entry_data;
    /* patch CRC and sizes (offset 14 of the local header) in place */
    unsigned char h[12], *p = h;
    p = put32(p, d->crc32);
    p = put32(p, (uint32_t)d->comp_size);
    put32(p, (uint32_t)d->size);
    if (fflush(zw->out) != 0 || fseeko(zw->out, (off_t)(d->offset + 14), SEEK_SET) != 0 ||
        fwrite(h, 1, sizeof h, zw->out) != sizeof h || fflush(zw->out) != 0 ||
        fseeko(zw->out, (off_t)zw->pos, SEEK_SET) != 0)
        return io_error(zw->path, err);
    return HZ_OK;
}

hz_status zip_writer_finish(zip_writer *zw, hz_error *err)
{
    hz_status st = HZ_OK;
    uint64_t cd_off = zw->pos;
    for (size_t i = 0; i < zw->dir.count && st == HZ_OK; i++) {
        const zip_writer_entry *d = &zw->dir.items[i];
        size_t nlen = strlen(d->name);
        unsigned char h[46], *p = h;
        p = put32(p, SIG_CENTRAL);
        p = put16(p, d->version_made);
        p = put_entry_fields(p, d);
        p = put16(p, (uint16_t)nlen);
        p = put16(p, 0); /* extra */
        p = put16(p, 0); /* comment */
        p = put16(p, 0); /* disk */
        p = put16(p, d->internal_attr);
        p = put32(p, d->external_attr);
        put32(p, (uint32_t)d->offset);
        st = emit(zw, h, sizeof h, err);
        if (st == HZ_OK)
            st = emit(zw, d->name, nlen, err);
    }
    uint64_t cd_size = zw->pos - cd_off;
    if (st == HZ_OK && (zw->pos + 22 > LIMIT32 || zw->dir.count > 0xFFFF))
        st = too_large(zw, "(central directory)", err);
    if (st == HZ_OK) {
        unsigned char h[22], *p = h;
        p = put32(p, SIG_END);
        p = put16(p, 0);
        p = put16(p, 0);
        p = put16(p, (uint16_t)zw->dir.count);
        p = put16(p, (uint16_t)zw->dir.count);
        p = put32(p, (uint32_t)cd_size);
        p = put32(p, (uint32_t)cd_off);
        put16(p, 0);
        st = emit(zw, h, sizeof h, err);
    }
    if (st == HZ_OK && fflush(zw->out) != 0)
        st = io_error(zw->path, err);
    zip_writer_free(zw);
    return st;
}

void zip_writer_free(zip_writer *zw)
{
    if (!zw)
        return;
    zip_writer_directory_free(&zw->dir);
    free(zw);
}
