/*
 * seal.h - the archive's seal (DESIGN §8): Ed25519 keys and the signature
 * of SHA256SUMS, with nettle.
 *
 * SHA256SUMS lists the hash of every archived file, so whoever can rewrite
 * a file can rewrite its line too; only a signature made with a key that is
 * kept away from the archive shows that SHA256SUMS itself is unchanged.
 *
 * Files (text, one item a line, so damage is visible and diagnosable):
 *   NAME      "huizong-ed25519-private-key 1", "seed <64 hex>",
 *             "public <64 hex>"  (mode 0600; public re-derived and compared)
 *   NAME.pub  "huizong-ed25519-public-key 1", "public <64 hex>",
 *             "fingerprint <fingerprint>"  (checked against the key)
 *   SHA256SUMS.sig  "huizong-ed25519-signature 1", "key <fingerprint>",
 *             "signature <128 hex>"  (over the exact bytes of SHA256SUMS)
 * The fingerprint is "ed25519:sha256:" and the first 32 hex digits of the
 * SHA-256 of the 32-byte public key.
 *
 * Errors: HZ_ERR_IO when a file cannot be read or written, HZ_ERR_FORMAT
 * for a damaged or truncated key or signature file (the message names the
 * file and what is wrong), HZ_ERR_INVALID when a signature does not verify
 * or was made with another key.
 */
#ifndef HZ_SEAL_H
#define HZ_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

#define SEAL_KEY_SIZE 32
#define SEAL_SIGNATURE_SIZE 64
#define SEAL_FINGERPRINT_SIZE 48   /* "ed25519:sha256:" + 32 hex + NUL */
#define SEAL_SIG_NAME "SHA256SUMS.sig"

typedef struct seal_public_key {
    uint8_t key[SEAL_KEY_SIZE];
    char fingerprint[SEAL_FINGERPRINT_SIZE];
} seal_public_key;

typedef struct seal_private_key {
    uint8_t seed[SEAL_KEY_SIZE];
    seal_public_key pub;
} seal_private_key;

typedef struct seal_signature {
    char key_fingerprint[SEAL_FINGERPRINT_SIZE];
    uint8_t signature[SEAL_SIGNATURE_SIZE];
} seal_signature;

/* Makes a new key pair from the system's random source: path (mode 0600,
 * never overwriting a file) and path.pub. On failure neither is left. */
hz_status seal_keygen(const char *path, seal_public_key *pub, hz_error *err);

hz_status seal_load_private_key(const char *path, seal_private_key *key, hz_error *err);
hz_status seal_load_public_key(const char *path, seal_public_key *pub, hz_error *err);

/* The SHA256SUMS.sig text for data (malloc'd, NULL on out-of-memory). */
char *seal_sign_text(const seal_private_key *key, const void *data, size_t len);

/* Parses a SHA256SUMS.sig text; name is shown in messages. */
hz_status seal_parse_signature(const char *text, size_t len, const char *name,
                               seal_signature *sig, hz_error *err);

/* HZ_OK when sig was made by pub over data; HZ_ERR_INVALID when it names
 * another key (HZ_M_SEAL_OTHER_KEY) or does not verify (HZ_M_SEAL_BAD). */
hz_status seal_verify(const seal_public_key *pub, const seal_signature *sig, const void *data,
                      size_t len, hz_error *err);

#endif
