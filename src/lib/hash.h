/*
 * hash.h - SHA-256 of a file or a buffer (nettle), as lower-case hex.
 *
 * Used by the submission reader (sha256 of every submitted workbook, shown in
 * reports and archive SHA256SUMS) and by consolidation. The file is read in
 * chunks, so size is bounded only by the disk.
 */
#ifndef HZ_HASH_H
#define HZ_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

/* Hashes the file at path; hex receives 64 hex digits and a NUL. size (may
 * be NULL) receives the number of bytes read. HZ_ERR_IO when the file cannot
 * be opened or read (err names the path). */
hz_status hash_file_sha256(const char *path, char hex[65], uint64_t *size, hz_error *err);

/* Hashes len bytes of data; never fails. */
void hash_buffer_sha256(const void *data, size_t len, char hex[65]);

#endif
