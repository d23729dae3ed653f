/* hash.c - SHA-256 with nettle; see hash.h. */
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "fsutil.h"
#include "hz_text.h"

static void hash_digest_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char hex[65])
{
    hz_hex_encode(digest, SHA256_DIGEST_SIZE, hex);
}

hz_status hash_file_sha256(const char *path, char hex[65], uint64_t *size, hz_error *err)
{
    if (hex)
        hex[0] = '\0';
    if (size)
        *size = 0;
    if (!path || !hex)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_CONSOLIDATE_HASH_READ, path ? path : "", "NULL", NULL);
    FILE *f;
    hz_status opened = fs_fopen_regular(path, &f, err);
    if (opened != HZ_OK && err && err->msg == HZ_M_IO_OPEN) {
        char reason[HZ_ERROR_ARG_SIZE];
        snprintf(reason, sizeof reason, "%s", err->args[1]);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_HASH_READ, path, reason, NULL);
    }
    if (opened != HZ_OK)
        return opened;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint8_t buf[65536];
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sha256_update(&ctx, n, buf);
        total += n;
    }
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_HASH_READ, path, strerror(saved), NULL);
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    hash_digest_to_hex(digest, hex);
    if (size)
        *size = total;
    return HZ_OK;
}

void hash_buffer_sha256(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    if (len)
        sha256_update(&ctx, len, (const uint8_t *)data);
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    hash_digest_to_hex(digest, hex);
}
