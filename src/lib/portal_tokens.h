/*
 * portal_tokens.h - the access tokens of the submission portal (DESIGN §11).
 *
 * A token is 32 random bytes (getrandom), shown once as 64 hex digits. Only
 * its SHA-256 is kept, in DIR/tokens.ini (mode 0600), one line a token:
 *
 *     [tokens]
 *     ; id = role sha256   (role: a unit code, or "city")
 *     3f9a01c2 = 411002 3f9a01c2…(64 hex digits)
 *
 * The id is the first 8 hex digits of the hash, so the holder of a token
 * and the city can both name it without the token itself (--revoke ID).
 * Authentication hashes the presented token and compares it with every
 * stored hash in constant time (nettle memeql_sec), never stopping early.
 * The file is parsed by hand: a malformed line is an error naming the line.
 */
#ifndef HZ_PORTAL_TOKENS_H
#define HZ_PORTAL_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

#define PORTAL_TOKEN_HEX 64          /* hex digits of a token and of its hash */
#define PORTAL_TOKEN_ID 8            /* hex digits of an id */
#define PORTAL_ROLE_CITY "city"

typedef struct portal_token {
    char id[PORTAL_TOKEN_ID + 1];
    char role[32];                   /* unit code or "city" */
    uint8_t hash[32];                /* SHA-256 of the token text */
} portal_token;

typedef struct portal_tokens {
    portal_token *items;
    size_t count, cap;
} portal_tokens;

/* Reads path; a missing file is an empty set (HZ_OK). HZ_ERR_FORMAT names a
 * malformed line (HZ_M_PORTAL_TOKENS_BAD_LINE). */
hz_status portal_tokens_load(const char *path, portal_tokens *out, hz_error *err);
/* Writes the set atomically with mode 0600. */
hz_status portal_tokens_save(const char *path, const portal_tokens *tokens, hz_error *err);
void portal_tokens_free(portal_tokens *tokens);

/* Makes a new random token for role, adds its hash to tokens and returns
 * the token text (PORTAL_TOKEN_HEX digits + NUL) in text and its id in id.
 * HZ_ERR_IO when the system has no randomness to give. */
hz_status portal_tokens_add(portal_tokens *tokens, const char *role,
                            char text[PORTAL_TOKEN_HEX + 1], char id[PORTAL_TOKEN_ID + 1],
                            hz_error *err);
/* Removes the token with id; false when there is none. */
bool portal_tokens_remove(portal_tokens *tokens, const char *id);

/* The token whose hash matches the SHA-256 of text[0..len), or NULL. Every
 * stored hash is compared, in constant time each. */
const portal_token *portal_tokens_match(const portal_tokens *tokens, const char *text,
                                        size_t len);

#endif
