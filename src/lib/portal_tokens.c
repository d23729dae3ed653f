/* portal_tokens.c - random tokens, kept only as their SHA-256. */
#include "portal_tokens.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fsutil.h"
#include "hz_text.h"

static void sha256(const void *data, size_t len, uint8_t out[32])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

void portal_tokens_free(portal_tokens *tokens)
{
    free(tokens->items);
    tokens->items = NULL;
    tokens->count = tokens->cap = 0;
}

static bool push(portal_tokens *tokens, const portal_token *t)
{
    if (!hz_array_reserve(&tokens->items, &tokens->cap, tokens->count + 1, sizeof *tokens->items))
        return false;
    tokens->items[tokens->count++] = *t;
    return true;
}

static hz_status bad_line(hz_error *err, const char *path, unsigned line)
{
    char n[16];
    snprintf(n, sizeof n, "%u", line);
    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_PORTAL_TOKENS_BAD_LINE, path, n, NULL);
}

hz_status portal_tokens_load(const char *path, portal_tokens *out, hz_error *err)
{
    out->items = NULL;
    out->count = out->cap = 0;
    if (!fs_exists(path))
        return HZ_OK;
    char *text = NULL;
    size_t len = 0;
    hz_status s = fs_read_file(path, &text, &len, err);
    if (s != HZ_OK)
        return s;
    unsigned lineno = 0;
    bool in_tokens = false;
    char *p = text;
    while (p && *p) {
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        lineno++;
        char *l = hz_trim(p);
        p = eol ? eol + 1 : NULL;
        size_t ll = strlen(l);
        if (ll && l[ll - 1] == '\r')
            l[ll - 1] = '\0';
        l = hz_trim(l);
        if (!*l || *l == ';' || *l == '#')
            continue;
        if (*l == '[') {
            in_tokens = !strcmp(l, "[tokens]");
            continue;
        }
        char id[64], role[64], hex[128];
        portal_token t = {0};
        if (!in_tokens || sscanf(l, "%63s = %63s %127s", id, role, hex) != 3 ||
            strlen(id) != PORTAL_TOKEN_ID || strlen(role) >= sizeof t.role ||
            !hz_hex_decode(hex, t.hash, sizeof t.hash)) {
            free(text);
            portal_tokens_free(out);
            return bad_line(err, path, lineno);
        }
        memcpy(t.id, id, sizeof t.id);
        memcpy(t.role, role, strlen(role) + 1);
        if (!push(out, &t)) {
            free(text);
            portal_tokens_free(out);
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
    }
    free(text);
    return HZ_OK;
}

hz_status portal_tokens_save(const char *path, const portal_tokens *tokens, hz_error *err)
{
    hz_buf buf = {0};
    bool ok = hz_buf_puts(&buf, "; huizong serve tokens: id = role sha256 (only hashes are kept;\n"
                                "; edit with huizong token, not by hand)\n[tokens]\n");
    for (size_t i = 0; ok && i < tokens->count; i++) {
        char hex[PORTAL_TOKEN_HEX + 1];
        hz_hex_encode(tokens->items[i].hash, sizeof tokens->items[i].hash, hex);
        ok = hz_buf_printf(&buf, "%s = %s %s\n", tokens->items[i].id, tokens->items[i].role, hex);
    }
    if (!ok) {
        hz_buf_free(&buf);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    char tmp[4200];
    hz_status s = fs_temp_beside(path, tmp, sizeof tmp, err); /* mkstemp: 0600 */
    if (s != HZ_OK) {
        hz_buf_free(&buf);
        return s;
    }
    int fd = open(tmp, O_WRONLY | O_TRUNC);
    size_t done = 0;
    while (fd >= 0 && done < buf.len) {
        ssize_t w = write(fd, buf.data + done, buf.len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            break;
        done += (size_t)w;
    }
    int e = errno;
    bool written = fd >= 0 && done == buf.len && fchmod(fd, 0600) == 0 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        written = false;
    hz_buf_free(&buf);
    if (!written) {
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(e), NULL);
    }
    return fs_commit(tmp, path, err);
}

hz_status portal_tokens_add(portal_tokens *tokens, const char *role,
                            char text[PORTAL_TOKEN_HEX + 1], char id[PORTAL_TOKEN_ID + 1],
                            hz_error *err)
{
    uint8_t raw[32];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return hz_error_set(err, HZ_ERR_IO, HZ_M_PORTAL_NO_RANDOM, strerror(errno), NULL);
        got += (size_t)n;
    }
    hz_hex_encode(raw, sizeof raw, text);
    portal_token t = {0};
    sha256(text, PORTAL_TOKEN_HEX, t.hash);
    char hex[PORTAL_TOKEN_HEX + 1];
    hz_hex_encode(t.hash, sizeof t.hash, hex);
    memcpy(t.id, hex, PORTAL_TOKEN_ID);
    t.id[PORTAL_TOKEN_ID] = '\0';
    hz_strlcpy_utf8(t.role, role, sizeof t.role);
    memcpy(id, t.id, sizeof t.id);
    if (!push(tokens, &t))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return HZ_OK;
}

bool portal_tokens_remove(portal_tokens *tokens, const char *id)
{
    for (size_t i = 0; i < tokens->count; i++) {
        if (!strcasecmp(tokens->items[i].id, id)) {
            memmove(&tokens->items[i], &tokens->items[i + 1],
                    (tokens->count - i - 1) * sizeof tokens->items[0]);
            tokens->count--;
            return true;
        }
    }
    return false;
}

const portal_token *portal_tokens_match(const portal_tokens *tokens, const char *text, size_t len)
{
    uint8_t hash[32];
    sha256(text, len, hash);
    const portal_token *found = NULL;
    for (size_t i = 0; i < tokens->count; i++)
        if (memeql_sec(hash, tokens->items[i].hash, sizeof hash) && !found)
            found = &tokens->items[i];
    return found;
}
