/*
 * zip_writer.h - a small zip container writer that copies the entries of
 * another zip unchanged and adds entries whose deflated bytes are streamed
 * in (issue 19: libxlsxwriter's parts joined with the fast case sheet).
 *
 * libzip cannot take already-compressed data, so the container is written
 * here: local headers without extra fields, no data descriptors (the sizes
 * and CRC of a streamed entry are patched into its local header once
 * known: the output must be seekable), a central directory and the end
 * record. Copied entries keep their bytes, method, CRC, DOS time and
 * attributes, so the output is as reproducible as the source. ZIP64 is not
 * written: an entry, offset or directory beyond 4 GiB - 1 is refused with
 * HZ_M_CONSOLIDATE_XLSX_ZIP64 instead of giving a broken file.
 *
 * The reading half (zip_writer_read_directory, zip_writer_inflate_entry)
 * reads the small, trusted zip that libxlsxwriter has just written: one
 * disk, no ZIP64, stored or deflated entries.
 */
#ifndef HZ_ZIP_WRITER_H
#define HZ_ZIP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "hz_status.h"

typedef struct zip_writer_entry {
    char *name;                /* owned */
    uint16_t version_made, version_needed, flags, method, mod_time, mod_date;
    uint16_t internal_attr;
    uint32_t external_attr;
    uint32_t crc32;
    uint64_t comp_size, size;
    uint64_t offset;           /* of the local header, in its own file */
} zip_writer_entry;

typedef struct zip_writer_directory {
    zip_writer_entry *items;
    size_t count, cap;
} zip_writer_directory;

/* Reads the central directory of src (path for messages). HZ_ERR_FORMAT
 * with HZ_M_CONSOLIDATE_XLSX_PARTS when it is not a plain zip. */
hz_status zip_writer_read_directory(FILE *src, const char *path, zip_writer_directory *dir,
                                    hz_error *err);
void zip_writer_directory_free(zip_writer_directory *dir);

/* The uncompressed bytes of entry e of src (at most max bytes, else
 * HZ_ERR_LIMIT), in a new NUL-terminated buffer. */
hz_status zip_writer_inflate_entry(FILE *src, const char *path, const zip_writer_entry *e,
                                   size_t max, char **data, size_t *len, hz_error *err);

typedef struct zip_writer zip_writer;

/* Starts a zip at the current position (0) of out, a seekable file opened
 * for writing; path names it in messages. */
hz_status zip_writer_open(zip_writer **zw, FILE *out, const char *path, hz_error *err);

/* Copies entry e of src (local header rewritten, data bytes unchanged). */
hz_status zip_writer_copy_entry(zip_writer *zw, FILE *src, const zip_writer_entry *e,
                                hz_error *err);

/* Begins a deflated entry named like, and with the time and attributes of,
 * templ; its compressed bytes follow through zip_writer_entry_data. */
hz_status zip_writer_begin_entry(zip_writer *zw, const zip_writer_entry *templ, hz_error *err);

/* Appends compressed bytes to the entry begun; the signature is a
 * deflate_chunks_sink (ctx is the zip_writer). */
hz_status zip_writer_entry_data(void *zw, const void *data, size_t len, hz_error *err);

/* Ends the entry begun: its CRC-32 and uncompressed size; the compressed
 * size is what zip_writer_entry_data received. */
hz_status zip_writer_end_entry(zip_writer *zw, uint32_t crc32, uint64_t size, hz_error *err);

/* Writes the central directory and end record and flushes out (out stays
 * open), then frees zw. */
hz_status zip_writer_finish(zip_writer *zw, hz_error *err);

/* Frees zw without finishing (after an error). NULL is allowed. */
void zip_writer_free(zip_writer *zw);

#endif
