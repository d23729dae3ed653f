/*
 * test_e2e_seal.c - the archive seal through the built binary (issue 15,
 * DESIGN §8): keygen, archive --sign, verify --key with the right key,
 * another city's key, an edit that also rewrites SHA256SUMS, a truncated
 * signature, damaged keys, and what verify says without a key.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hz_test.h"
#include "hz_test_json.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define ARGS "--round annual --stage '" SAMPLES "/stage' --as-of 2022-12-20"
/* verify speaks English here (--lang en); what it says is asserted by
 * catalogue id (hz_test_json.h) */
#define SAYS(text, ...) hz_test_says((text), HZ_LANG_EN, __VA_ARGS__)
#define SAYS_HEAD(text, ...) hz_test_says_head((text), HZ_LANG_EN, __VA_ARGS__)

static char *tmp;

static void setup(void)
{
    tmp = hz_test_tempdir("e2e-seal");
    cr_assert_not_null(tmp);
}

static void teardown(void)
{
    hz_test_rmtree(tmp);
    free(tmp);
}

TestSuite(e2e_seal, .init = setup, .fini = teardown, .timeout = 600);

/* tmp/name, in a static buffer */
static const char *in_tmp(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", tmp, name);
    return buf;
}

static void keygen(const char *name)
{
    hz_run r = hz_test_run("'%s' keygen --lang en -o '%s/%s'", HZ_BIN, tmp, name);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    char priv[1024], pub[1100];
    snprintf(priv, sizeof priv, "%s", in_tmp(name));
    snprintf(pub, sizeof pub, "%s.pub", priv);
    cr_expect(SAYS_HEAD(r.out, HZ_M_KEYGEN_DONE, priv, pub, NULL), "%s", r.out);
    cr_expect(strstr(r.out, "ed25519:sha256:"), "the fingerprint: %s", r.out);
    hz_run_free(&r);
}

/* A signed archive of the samples in tmp/name with key tmp/city. */
static void signed_archive(const char *name)
{
    hz_run r = hz_test_run("'%s' archive " ARGS " --lang en --sign '%s/city' -o '%s/%s' '" SAMPLES
                           "/annual'", HZ_BIN, tmp, tmp, name);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_ARCHIVE_DONE_SIGNED, NULL), "%s", r.out);
    cr_expect(strstr(r.out, "ed25519:sha256:"), "the key's fingerprint: %s", r.out);
    hz_run_free(&r);
}

static hz_run verify(const char *key, const char *name)
{
    if (key)
        return hz_test_run("'%s' verify --lang en --key '%s/%s' '%s/%s'", HZ_BIN, tmp, key, tmp,
                           name);
    return hz_test_run("'%s' verify --lang en '%s/%s'", HZ_BIN, tmp, name);
}

Test(e2e_seal, keygen_modes_and_no_overwrite)
{
    keygen("city");
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/city", tmp);
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/city.pub", tmp);
    cr_assert_eq(stat(path, &st), 0);
    hz_run r = hz_test_run("'%s' keygen --lang en -o '%s/city'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(SAYS(r.err, HZ_M_SEAL_KEY_EXISTS, in_tmp("city"), NULL), "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run("'%s' keygen", HZ_BIN);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
}

Test(e2e_seal, signed_archive_verifies_with_its_key_only)
{
    keygen("city");
    keygen("other");
    signed_archive("A");
    /* the fingerprint is in manifest.ini, the signature beside SHA256SUMS */
    hz_run r = hz_test_run("grep -c '^key = \"ed25519:sha256:' '%s/A/manifest.ini' && "
                           "grep -c ' SHA256SUMS.sig$' '%s/A/SHA256SUMS'", tmp, tmp);
    cr_expect_str_eq(r.out, "1\n0\n", "%s", r.out);
    hz_run_free(&r);
    r = verify("city.pub", "A");
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_VALID, NULL) && SAYS_HEAD(r.out, HZ_M_ARCHIVE_V_INTACT, NULL),
              "%s", r.out);
    hz_run_free(&r);
    r = verify("other.pub", "A");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_OTHER_KEY, NULL), "%s", r.out);
    cr_expect(!SAYS_HEAD(r.out, HZ_M_ARCHIVE_V_INTACT, NULL), "%s", r.out);
    hz_run_free(&r);
    /* the archive's own sha256sum -c still works */
    r = hz_test_run("cd '%s/A' && sha256sum -c --quiet SHA256SUMS", tmp);
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
}

/* The attack an unsigned archive cannot see: a file changed and its
 * SHA256SUMS line rewritten to match. */
Test(e2e_seal, consistent_edit_is_caught_by_the_key_only)
{
    keygen("city");
    signed_archive("A");
    hz_run r = hz_test_run(
        "cd '%s/A' && printf ' ' >> receipts.csv && "
        "sed -i \"s|^[0-9a-f]*  receipts.csv$|$(sha256sum receipts.csv | cut -c1-64)  receipts.csv|\" SHA256SUMS",
        tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    /* the file checks pass: SHA256SUMS matches the edited file */
    r = hz_test_run("cd '%s/A' && sha256sum -c --quiet SHA256SUMS", tmp);
    cr_expect_eq(r.exit_code, 0, "%s", r.out);
    hz_run_free(&r);
    r = verify(NULL, "A");
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_NOTE_SIGNED, NULL), "%s", r.out);
    hz_run_free(&r);
    /* the signature does not */
    r = verify("city.pub", "A");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_BAD, NULL), "%s", r.out);
    hz_run_free(&r);
}

Test(e2e_seal, truncated_signature_and_removed_signature)
{
    keygen("city");
    signed_archive("A");
    hz_run r = hz_test_run("cd '%s/A' && head -c 100 SHA256SUMS.sig > s && mv s SHA256SUMS.sig",
                           tmp);
    cr_assert_eq(r.exit_code, 0);
    hz_run_free(&r);
    r = verify("city.pub", "A");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_DAMAGED, "SHA256SUMS.sig", NULL), "%s", r.out);
    hz_run_free(&r);
    r = hz_test_run("rm '%s/A/SHA256SUMS.sig'", tmp);
    hz_run_free(&r);
    r = verify("city.pub", "A");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_UNSIGNED_WITH_KEY, NULL), "%s", r.out);
    hz_run_free(&r);
    /* without a key, removing the signature is visible through the
     * manifest, which names the key */
    r = verify(NULL, "A");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS(r.out, HZ_M_SEAL_NOTE_UNSIGNED, NULL) && SAYS_HEAD(r.out, HZ_M_SEAL_MANIFEST_KEY, NULL),
              "%s", r.out);
    hz_run_free(&r);
}

Test(e2e_seal, damaged_keys_are_clear_errors)
{
    keygen("city");
    signed_archive("A");
    /* a damaged public key: one hex digit changed */
    hz_run r = hz_test_run("sed 's/^public \\(.\\)/public x/' '%s/city.pub' > '%s/bad.pub'", tmp,
                           tmp);
    hz_run_free(&r);
    r = verify("bad.pub", "A");
    cr_expect_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.err, HZ_M_SEAL_DAMAGED, in_tmp("bad.pub"), NULL), "%s", r.err);
    hz_run_free(&r);
    /* a truncated private key refuses to sign before any work */
    r = hz_test_run("head -c 60 '%s/city' > '%s/cut' && '%s' archive " ARGS " --lang en --sign "
                    "'%s/cut' -o '%s/B' '" SAMPLES "/annual'", tmp, tmp, HZ_BIN, tmp, tmp);
    cr_expect_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.err, HZ_M_SEAL_DAMAGED, in_tmp("cut"), NULL), "%s", r.err);
    hz_run_free(&r);
    char b[1024];
    snprintf(b, sizeof b, "%s/B", tmp);
    struct stat st;
    cr_expect_neq(stat(b, &st), 0, "an archive was written with a damaged key");
    /* the private key given to verify */
    r = verify("city", "A");
    cr_expect_eq(r.exit_code, 3);
    cr_expect(SAYS(r.err, HZ_M_SEAL_PRIVATE_GIVEN, in_tmp("city"), NULL), "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_seal, unsigned_archive_says_what_it_cannot_prove)
{
    hz_run r = hz_test_run("'%s' archive " ARGS " --lang en -o '%s/U' '" SAMPLES "/annual'",
                           HZ_BIN, tmp);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = verify(NULL, "U");
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect(SAYS(r.out, HZ_M_SEAL_NOTE_UNSIGNED, NULL), "%s", r.out);
    hz_run_free(&r);
    keygen("city");
    r = verify("city.pub", "U");
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    cr_expect(SAYS_HEAD(r.out, HZ_M_SEAL_UNSIGNED_WITH_KEY, NULL), "%s", r.out);
    hz_run_free(&r);
}
