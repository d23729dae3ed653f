/* seal.c - Ed25519 keys and the SHA256SUMS signature (see seal.h). */
#include "seal.h"
#include "hz_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>
#include "fsutil.h"

#define PRIVATE_HEAD "huizong-ed25519-private-key 1"
#define PUBLIC_HEAD "huizong-ed25519-public-key 1"
#define SIGNATURE_HEAD "huizong-ed25519-signature 1"
/* Key and signature files are a few hundred bytes; anything much larger is
 * not one of them (and is not read whole). */
#define SEAL_FILE_MAX 4096

static void fingerprint_of(const uint8_t key[SEAL_KEY_SIZE], char out[SEAL_FINGERPRINT_SIZE])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, SEAL_KEY_SIZE, key);
    sha256_digest(&ctx, sizeof digest, digest);
    char hex[2 * 16 + 1];
    hz_hex_encode(digest, 16, hex);
    snprintf(out, SEAL_FINGERPRINT_SIZE, "ed25519:sha256:%s", hex);
}

/* ---- reading the small line-based files ------------------------------- */

typedef struct seal_lines {
    char text[SEAL_FILE_MAX + 1];
    char *line[8];
    size_t count;
} seal_lines;

static hz_status split_lines(const char *data, size_t len, const char *name, seal_lines *out,
                             hz_error *err)
{
    if (len > SEAL_FILE_MAX)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "too large", NULL);
    memcpy(out->text, data, len);
    out->text[len] = '\0';
    if (memchr(out->text, '\0', len))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "NUL byte", NULL);
    out->count = 0;
    char *save = NULL;
    for (char *l = strtok_r(out->text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        if (out->count == sizeof out->line / sizeof out->line[0])
            return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "too many lines",
                                NULL);
        out->line[out->count++] = l;
    }
    return HZ_OK;
}

static hz_status read_small(const char *path, seal_lines *out, hz_error *err)
{
    int fd;
    hz_status s = fs_open_regular(path, &fd, err);
    if (s != HZ_OK)
        return s;
    char buf[SEAL_FILE_MAX + 1];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) > 0)
        len += (size_t)n;
    int failed = n < 0 ? errno : 0;
    close(fd);
    if (failed)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, path, strerror(failed), NULL);
    return split_lines(buf, len, path, out, err);
}

/* The value of "key VALUE" on line i, or NULL. */
static const char *field(const seal_lines *l, size_t i, const char *key)
{
    size_t k = strlen(key);
    if (i >= l->count || strncmp(l->line[i], key, k) != 0 || l->line[i][k] != ' ')
        return NULL;
    return l->line[i] + k + 1;
}

/* ---- keys ---------------------------------------------------------------- */

static bool write_all(int fd, const char *text)
{
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return fsync(fd) == 0;
}

/* Writes text into a new file path (O_EXCL: never over an existing one). */
static hz_status write_new(const char *path, const char *text, mode_t mode, hz_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return hz_error_set(err, HZ_ERR_IO, errno == EEXIST ? HZ_M_SEAL_KEY_EXISTS : HZ_M_IO_OPEN,
                            path, strerror(errno), NULL);
    bool ok = fchmod(fd, mode) == 0 && write_all(fd, text);
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(saved), NULL);
    }
    return HZ_OK;
}

hz_status seal_keygen(const char *path, seal_public_key *pub, hz_error *err)
{
    seal_private_key key;
    size_t got = 0;
    while (got < SEAL_KEY_SIZE) {
        ssize_t n = getrandom(key.seed + got, SEAL_KEY_SIZE - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return hz_error_set(err, HZ_ERR_IO, HZ_M_SEAL_RANDOM, strerror(errno), NULL);
        got += (size_t)n;
    }
    ed25519_sha512_public_key(key.pub.key, key.seed);
    fingerprint_of(key.pub.key, key.pub.fingerprint);
    char seed_hex[65], pub_hex[65], text[512];
    hz_hex_encode(key.seed, SEAL_KEY_SIZE, seed_hex);
    hz_hex_encode(key.pub.key, SEAL_KEY_SIZE, pub_hex);
    size_t n = strlen(path) + 5;
    char *pub_path = malloc(n);
    if (!pub_path)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    snprintf(pub_path, n, "%s.pub", path);
    /* the public file first: if the private one then exists already,
     * nothing of an earlier pair is touched */
    struct stat st;
    hz_status s = HZ_OK;
    if (lstat(path, &st) == 0)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_SEAL_KEY_EXISTS, path, strerror(EEXIST), NULL);
    if (s == HZ_OK) {
        snprintf(text, sizeof text, PUBLIC_HEAD "\npublic %s\nfingerprint %s\n", pub_hex,
                 key.pub.fingerprint);
        s = write_new(pub_path, text, 0644, err);
    }
    if (s == HZ_OK) {
        snprintf(text, sizeof text, PRIVATE_HEAD "\nseed %s\npublic %s\n", seed_hex, pub_hex);
        s = write_new(path, text, 0600, err);
        if (s != HZ_OK)
            unlink(pub_path);
    }
    memset(seed_hex, 0, sizeof seed_hex);
    memset(text, 0, sizeof text);
    memset(key.seed, 0, sizeof key.seed);
    free(pub_path);
    if (s == HZ_OK && pub)
        *pub = key.pub;
    return s;
}

hz_status seal_load_private_key(const char *path, seal_private_key *key, hz_error *err)
{
    seal_lines l;
    hz_status s = read_small(path, &l, err);
    if (s != HZ_OK)
        return s;
    if (l.count == 0 || strcmp(l.line[0], PRIVATE_HEAD) != 0)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_NOT_KEY, path, "private", NULL);
    const char *seed = field(&l, 1, "seed"), *pub = field(&l, 2, "public");
    uint8_t stated[SEAL_KEY_SIZE];
    if (!seed || !hz_hex_decode(seed, key->seed, SEAL_KEY_SIZE))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, path, "seed", NULL);
    if (!pub || !hz_hex_decode(pub, stated, SEAL_KEY_SIZE))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, path, "public", NULL);
    ed25519_sha512_public_key(key->pub.key, key->seed);
    if (memcmp(stated, key->pub.key, SEAL_KEY_SIZE) != 0) {
        memset(key->seed, 0, sizeof key->seed);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, path,
                            "seed and public key disagree", NULL);
    }
    fingerprint_of(key->pub.key, key->pub.fingerprint);
    memset(&l, 0, sizeof l);
    return HZ_OK;
}

hz_status seal_load_public_key(const char *path, seal_public_key *pub, hz_error *err)
{
    seal_lines l;
    hz_status s = read_small(path, &l, err);
    if (s != HZ_OK)
        return s;
    if (l.count > 0 && strcmp(l.line[0], PRIVATE_HEAD) == 0)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_PRIVATE_GIVEN, path, NULL);
    if (l.count == 0 || strcmp(l.line[0], PUBLIC_HEAD) != 0)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_NOT_KEY, path, "public", NULL);
    const char *key = field(&l, 1, "public"), *fp = field(&l, 2, "fingerprint");
    if (!key || !hz_hex_decode(key, pub->key, SEAL_KEY_SIZE))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, path, "public", NULL);
    fingerprint_of(pub->key, pub->fingerprint);
    if (!fp || strcmp(fp, pub->fingerprint) != 0)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, path,
                            "fingerprint and key disagree", NULL);
    return HZ_OK;
}

/* ---- signatures ---------------------------------------------------------- */

char *seal_sign_text(const seal_private_key *key, const void *data, size_t len)
{
    uint8_t sig[SEAL_SIGNATURE_SIZE];
    ed25519_sha512_sign(key->pub.key, key->seed, len, data, sig);
    char hex[2 * SEAL_SIGNATURE_SIZE + 1];
    hz_hex_encode(sig, sizeof sig, hex);
    size_t n = sizeof SIGNATURE_HEAD + SEAL_FINGERPRINT_SIZE + sizeof hex + 32;
    char *text = malloc(n);
    if (text)
        snprintf(text, n, SIGNATURE_HEAD "\nkey %s\nsignature %s\n", key->pub.fingerprint, hex);
    return text;
}

hz_status seal_parse_signature(const char *text, size_t len, const char *name,
                               seal_signature *sig, hz_error *err)
{
    seal_lines l;
    hz_status s = split_lines(text, len, name, &l, err);
    if (s != HZ_OK)
        return s;
    if (l.count == 0 || strcmp(l.line[0], SIGNATURE_HEAD) != 0)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "first line", NULL);
    const char *fp = field(&l, 1, "key"), *hex = field(&l, 2, "signature");
    if (!fp || strlen(fp) + 1 != SEAL_FINGERPRINT_SIZE)
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "key", NULL);
    memcpy(sig->key_fingerprint, fp, SEAL_FINGERPRINT_SIZE);
    if (!hex || !hz_hex_decode(hex, sig->signature, SEAL_SIGNATURE_SIZE))
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_SEAL_DAMAGED, name, "signature", NULL);
    return HZ_OK;
}

hz_status seal_verify(const seal_public_key *pub, const seal_signature *sig, const void *data,
                      size_t len, hz_error *err)
{
    if (strcmp(sig->key_fingerprint, pub->fingerprint) != 0)
        return hz_error_set(err, HZ_ERR_INVALID, HZ_M_SEAL_OTHER_KEY, sig->key_fingerprint,
                            pub->fingerprint, NULL);
    if (!ed25519_sha512_verify(pub->key, len, data, sig->signature))
        return hz_error_set(err, HZ_ERR_INVALID, HZ_M_SEAL_BAD, pub->fingerprint, NULL);
    return HZ_OK;
}
