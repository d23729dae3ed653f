/*
 * test_seal.c - seal.h: key pairs, signing SHA256SUMS, and every way a key
 * or signature file can be wrong (issue 15).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seal.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/hz-seal-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(seal, .init = setup, .fini = teardown);

static void path_of(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void keygen(const char *name, seal_public_key *pub)
{
    char path[128];
    path_of(name, path, sizeof path);
    hz_error err = {0};
    cr_assert_eq(seal_keygen(path, pub, &err), HZ_OK, "%s", hz_msg_name(err.msg));
}

Test(seal, keygen_writes_a_private_0600_and_a_public_file)
{
    seal_public_key pub;
    keygen("city", &pub);
    char priv[128], pubp[128];
    path_of("city", priv, sizeof priv);
    path_of("city.pub", pubp, sizeof pubp);
    struct stat st;
    cr_assert_eq(stat(priv, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600, "mode %o", (unsigned)(st.st_mode & 0777));
    cr_assert_eq(stat(pubp, &st), 0);
    cr_expect_eq(strncmp(pub.fingerprint, "ed25519:sha256:", 15), 0);
    cr_expect_eq(strlen(pub.fingerprint), SEAL_FINGERPRINT_SIZE - 1);
    seal_private_key key;
    seal_public_key loaded;
    hz_error err = {0};
    cr_assert_eq(seal_load_private_key(priv, &key, &err), HZ_OK);
    cr_assert_eq(seal_load_public_key(pubp, &loaded, &err), HZ_OK);
    cr_expect_str_eq(key.pub.fingerprint, pub.fingerprint);
    cr_expect_str_eq(loaded.fingerprint, pub.fingerprint);
    cr_expect_eq(memcmp(loaded.key, key.pub.key, SEAL_KEY_SIZE), 0);
    /* never over an existing key */
    cr_expect_eq(seal_keygen(priv, NULL, &err), HZ_ERR_IO);
    cr_expect_eq(err.msg, HZ_M_SEAL_KEY_EXISTS);
    /* two pairs differ */
    seal_public_key other;
    keygen("other", &other);
    cr_expect_str_neq(other.fingerprint, pub.fingerprint);
}

Test(seal, sign_and_verify)
{
    seal_public_key pub, other;
    keygen("city", &pub);
    keygen("other", &other);
    char priv[128];
    path_of("city", priv, sizeof priv);
    seal_private_key key;
    hz_error err = {0};
    cr_assert_eq(seal_load_private_key(priv, &key, &err), HZ_OK);
    const char sums[] = "abc  reports/x.pdf\n";
    char *text = seal_sign_text(&key, sums, sizeof sums - 1);
    cr_assert_not_null(text);
    seal_signature sig;
    cr_assert_eq(seal_parse_signature(text, strlen(text), "SHA256SUMS.sig", &sig, &err), HZ_OK);
    cr_expect_eq(seal_verify(&pub, &sig, sums, sizeof sums - 1, &err), HZ_OK);
    /* one changed byte of SHA256SUMS */
    char changed[] = "abd  reports/x.pdf\n";
    cr_expect_eq(seal_verify(&pub, &sig, changed, sizeof changed - 1, &err), HZ_ERR_INVALID);
    cr_expect_eq(err.msg, HZ_M_SEAL_BAD);
    /* another city's key */
    cr_expect_eq(seal_verify(&other, &sig, sums, sizeof sums - 1, &err), HZ_ERR_INVALID);
    cr_expect_eq(err.msg, HZ_M_SEAL_OTHER_KEY);
    cr_expect_str_eq(err.args[0], pub.fingerprint);
    /* a forged signature under the right fingerprint */
    sig.signature[5] ^= 1;
    cr_expect_eq(seal_verify(&pub, &sig, sums, sizeof sums - 1, &err), HZ_ERR_INVALID);
    cr_expect_eq(err.msg, HZ_M_SEAL_BAD);
    free(text);
}

Test(seal, damaged_and_truncated_signatures)
{
    seal_public_key pub;
    keygen("city", &pub);
    char priv[128];
    path_of("city", priv, sizeof priv);
    seal_private_key key;
    hz_error err = {0};
    cr_assert_eq(seal_load_private_key(priv, &key, &err), HZ_OK);
    char *text = seal_sign_text(&key, "x", 1);
    cr_assert_not_null(text);
    seal_signature sig;
    size_t n = strlen(text);
    /* truncated anywhere: a clear "damaged" error, never a verify */
    for (size_t cut = 0; cut + 1 < n; cut += 7) {
        hz_status s = seal_parse_signature(text, cut, "SHA256SUMS.sig", &sig, &err);
        cr_expect_eq(s, HZ_ERR_FORMAT, "cut at %zu", cut);
        cr_expect_eq(err.msg, HZ_M_SEAL_DAMAGED, "cut at %zu: %s", cut, hz_msg_name(err.msg));
        cr_expect_str_eq(err.args[0], "SHA256SUMS.sig");
    }
    char bad[512];
    snprintf(bad, sizeof bad, "%s", text);
    char *hex = strstr(bad, "\nsignature ") + 11;
    hex[3] = 'z';
    cr_expect_eq(seal_parse_signature(bad, strlen(bad), "s", &sig, &err), HZ_ERR_FORMAT);
    cr_expect_str_eq(err.args[1], "signature");
    free(text);
}

Test(seal, damaged_keys_are_named)
{
    seal_public_key pub;
    keygen("city", &pub);
    char priv[128], pubp[128], bad[128];
    path_of("city", priv, sizeof priv);
    path_of("city.pub", pubp, sizeof pubp);
    path_of("bad", bad, sizeof bad);
    seal_private_key key;
    seal_public_key loaded;
    hz_error err = {0};

    /* a flipped digit of the public key: the fingerprint line disagrees */
    char text[1024];
    snprintf(text, sizeof text, "%s", read_text(pubp));
    char *digit = strstr(text, "public ") + 7;
    *digit = *digit == '0' ? '1' : '0';
    write_text(bad, text);
    cr_expect_eq(seal_load_public_key(bad, &loaded, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_DAMAGED);
    cr_expect_str_eq(err.args[0], bad);

    /* truncated public and private keys */
    snprintf(text, sizeof text, "%s", read_text(pubp));
    text[40] = '\0';
    write_text(bad, text);
    cr_expect_eq(seal_load_public_key(bad, &loaded, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_DAMAGED);
    snprintf(text, sizeof text, "%s", read_text(priv));
    text[strlen(text) - 20] = '\0';
    write_text(bad, text);
    cr_expect_eq(seal_load_private_key(bad, &key, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_DAMAGED);

    /* a flipped seed no longer matches its public key */
    snprintf(text, sizeof text, "%s", read_text(priv));
    digit = strstr(text, "seed ") + 5;
    *digit = *digit == '0' ? '1' : '0';
    write_text(bad, text);
    cr_expect_eq(seal_load_private_key(bad, &key, &err), HZ_ERR_FORMAT);
    cr_expect_str_eq(err.args[1], "seed and public key disagree");

    /* the wrong kind of file */
    cr_expect_eq(seal_load_public_key(priv, &loaded, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_PRIVATE_GIVEN);
    cr_expect_eq(seal_load_private_key(pubp, &key, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_NOT_KEY);
    write_text(bad, "");
    cr_expect_eq(seal_load_public_key(bad, &loaded, &err), HZ_ERR_FORMAT);
    cr_expect_eq(err.msg, HZ_M_SEAL_NOT_KEY);
    path_of("missing", bad, sizeof bad);
    cr_expect_eq(seal_load_public_key(bad, &loaded, &err), HZ_ERR_IO);
}
