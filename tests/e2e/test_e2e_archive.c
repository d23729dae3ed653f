/* test_e2e_archive.c - `huizong archive` and `huizong verify` end to end on
 * the shipped samples (input/xuchang-2022/annual and stage, read only):
 * reproducible archives (folder and zip, different time zones and
 * locales), `sha256sum -c`, every single-byte change named by verify, a
 * deleted / added file named, write-once refusal, injected failures and a
 * killed run leaving nothing behind. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_json.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define ARGS "--round annual --stage '" SAMPLES "/stage' --as-of 2022-12-20"

static char *tmp;

static void setup(void)
{
    tmp = hz_test_scratch("e2e-archive");
}

static void teardown(void)
{
    hz_test_fixture_free(NULL, tmp);
}

TestSuite(e2e_archive, .init = setup, .fini = teardown, .timeout = 600);

/* Archives the samples into dir (extra: more options / environment). */
static hz_run archive(const char *env, const char *dir, const char *extra)
{
    return hz_test_run("%s '%s' archive " ARGS " %s -o '%s' '" SAMPLES "/annual'", env ? env : "",
                       HZ_BIN, extra ? extra : "", dir);
}

static char *path_in(const char *dir, const char *rel)
{
    char *p = malloc(strlen(dir) + strlen(rel) + 2);
    cr_assert_not_null(p);
    sprintf(p, "%s/%s", dir, rel);
    return p;
}

/* The entries of a folder ("ls -A"), as one string. */
static char *listing(const char *dir)
{
    hz_run r = hz_test_run("ls -A '%s'", dir);
    free(r.err);
    return r.out;
}

static char *make_archive(const char *name)
{
    char *dir = path_in(tmp, name);
    hz_run r = archive(NULL, dir, NULL);
    cr_assert_eq(r.exit_code, 0, "archive failed: %s", r.err);
    hz_run_free(&r);
    return dir;
}

Test(e2e_archive, contents_and_sha256sum)
{
    char *dir = make_archive("arc");
    static const char *const expected[] = {
        "SHA256SUMS", "manifest.ini", "validation.json", "receipts.csv",
        "reports/context.json",
        "config/campaign.ini", "config/units.ini", "config/indicators.ini", "config/rules.ini",
        "config/lists.ini", "config/templates/final.md",
        "submissions/annual/411002-annual-v2.xlsx", "submissions/annual/411082-annual-v1.xlsx",
        "submissions/annual/receipts.ini", "submissions/stage/411071-stage-v1.xlsx",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        char *p = path_in(dir, expected[i]);
        size_t size = 0;
        char *data = hz_test_read_file(p, &size);
        cr_expect(data && size > 0, "%s missing or empty", expected[i]);
        free(data);
        free(p);
    }
    hz_run pdf = hz_test_run("ls '%s'/reports/*.pdf '%s'/reports/*.xlsx | wc -l", dir, dir);
    cr_expect_eq(atoi(pdf.out), 2);
    hz_run_free(&pdf);

    /* the rejected v1 of 411002 is accounted for but not archived */
    char *csv_path = path_in(dir, "receipts.csv"), *man_path = path_in(dir, "manifest.ini");
    char *csv = hz_test_read_file(csv_path, NULL);
    cr_assert_not_null(csv);
    cr_expect(strstr(csv, "411002-许昌市魏都区市场监督管理局-年度总结-v1.xlsx"));
    cr_expect(strstr(csv, "未报送"));
    free(csv);
    char *manifest = hz_test_read_file(man_path, NULL);
    cr_assert_not_null(manifest);
    cr_expect(strstr(manifest, "as_of = \"2022-12-20\""));
    cr_expect(strstr(manifest, "round = \"annual\""));
    hz_run subs = hz_test_run("ls '%s'/submissions/*/*.xlsx | wc -l", dir);
    char want[64];
    snprintf(want, sizeof want, "submissions = %d\n", atoi(subs.out));
    cr_expect_geq(atoi(subs.out), 13);
    cr_expect(strstr(manifest, want), "%s", want);
    hz_run_free(&subs);
    free(manifest);
    free(csv_path);
    free(man_path);

    /* SHA256SUMS lists every file but itself */
    hz_run n = hz_test_run("cd '%s' && find . -type f ! -name SHA256SUMS | wc -l && wc -l < SHA256SUMS",
                           dir);
    int files = 0, lines = 0;
    cr_assert_eq(sscanf(n.out, "%d %d", &files, &lines), 2);
    cr_expect_eq(files, lines);
    hz_run_free(&n);

    hz_test_require("sha256sum", "coreutils");
    {
        hz_run c = hz_test_run("cd '%s' && sha256sum -c --strict SHA256SUMS", dir);
        cr_expect_eq(c.exit_code, 0, "sha256sum -c: %s %s", c.out, c.err);
        hz_run_free(&c);
    }
    hz_run v = hz_test_run("'%s' verify '%s'", HZ_BIN, dir);
    cr_expect_eq(v.exit_code, 0, "verify: %s %s", v.out, v.err);
    cr_expect(hz_test_says_head(v.out, HZ_LANG_ZH, HZ_M_ARCHIVE_V_INTACT, NULL), "%s", v.out);
    hz_run_free(&v);
    free(dir);
}

Test(e2e_archive, reproducible_folder_and_zip)
{
    char *a = path_in(tmp, "one"), *b = path_in(tmp, "two");
    hz_run r = hz_test_run("mkdir '%s' '%s'", a, b);
    hz_run_free(&r);
    char *da = path_in(a, "arc"), *db = path_in(b, "arc");
    r = archive("TZ=Asia/Shanghai LANG=zh_CN.UTF-8", da, "--zip");
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    hz_run s = hz_test_run("sleep 1");
    hz_run_free(&s);
    r = archive("TZ=America/New_York LANG=en_US.UTF-8 LC_ALL=C", db, "--zip --lang en");
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);

    char *sa = path_in(da, "SHA256SUMS"), *sb = path_in(db, "SHA256SUMS");
    cr_expect(hz_test_files_equal(sa, sb), "SHA256SUMS differ");
    hz_run d = hz_test_run("diff -r '%s' '%s'", da, db);
    cr_expect_eq(d.exit_code, 0, "archives differ: %s", d.out);
    hz_run_free(&d);
    char *za = path_in(a, "arc.zip"), *zb = path_in(b, "arc.zip");
    cr_expect(hz_test_files_equal(za, zb), "zip files differ");

    /* the zip holds the same tree */
    hz_test_require("unzip", "unzip");
    {
        char *u = path_in(tmp, "unzipped");
        hz_run x = hz_test_run("mkdir '%s' && cd '%s' && unzip -q '%s' && cd arc && "
                               "sha256sum -c --quiet SHA256SUMS && diff -r . '%s'",
                               u, u, za, da);
        cr_expect_eq(x.exit_code, 0, "unzipped: %s %s", x.out, x.err);
        hz_run_free(&x);
        free(u);
    }
    free(sa); free(sb); free(za); free(zb); free(da); free(db); free(a); free(b);
}

Test(e2e_archive, every_flipped_byte_is_named)
{
    char *dir = make_archive("arc");
    char *sums_path = path_in(dir, "SHA256SUMS");
    char *sums = hz_test_read_file(sums_path, NULL);
    free(sums_path);
    cr_assert_not_null(sums);
    size_t tested = 0;
    for (char *line = strtok(sums, "\n"); line; line = strtok(NULL, "\n")) {
        const char *rel = line + 66;
        char *copy = path_in(tmp, "copy");
        /* flip one byte in the middle of the file */
        hz_run r = hz_test_run(
            "rm -rf '%s' && cp -a '%s' '%s' && cd '%s' && f='%s' && "
            "n=$(($(stat -c %%s \"$f\") / 2)) && "
            "b=$(dd if=\"$f\" bs=1 skip=$n count=1 2>/dev/null | od -An -tu1 | tr -d ' ') && "
            "printf \"\\\\$(printf %%o $(( (b + 1) %% 256 )))\" | "
            "dd of=\"$f\" bs=1 seek=$n conv=notrunc 2>/dev/null",
            copy, dir, copy, copy, rel);
        cr_assert_eq(r.exit_code, 0, "flip %s: %s", rel, r.err);
        hz_run_free(&r);
        hz_run v = hz_test_run("'%s' verify '%s'", HZ_BIN, copy);
        cr_expect_eq(v.exit_code, 1, "%s: verify exit %d", rel, v.exit_code);
        cr_expect(hz_test_says_head(v.out, HZ_LANG_ZH, HZ_M_ARCHIVE_V_MODIFIED, rel, NULL),
                  "%s not named: %s", rel, v.out);
        hz_run_free(&v);
        free(copy);
        tested++;
    }
    cr_expect_geq(tested, 20);
    free(sums);
    free(dir);
}

Test(e2e_archive, deleted_added_and_sums_edited)
{
    char *dir = make_archive("arc");
    hz_run r = hz_test_run("cd '%s' && rm submissions/stage/411024-stage-v1.xlsx && "
                           "echo x > notes.txt && echo y > submissions/annual/411099-annual-v1.xlsx",
                           dir);
    cr_assert_eq(r.exit_code, 0);
    hz_run_free(&r);
    hz_run v = hz_test_run("'%s' verify --lang en '%s'", HZ_BIN, dir);
    cr_expect_eq(v.exit_code, 1);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_MISSING,
                           "submissions/stage/411024-stage-v1.xlsx", NULL), "%s", v.out);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_EXTRA, "notes.txt", NULL), "%s",
              v.out);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_EXTRA,
                           "submissions/annual/411099-annual-v1.xlsx", NULL), "%s", v.out);
    hz_run_free(&v);

    /* rewriting SHA256SUMS to hide a change: manifest and re-checks notice */
    char *dir2 = make_archive("arc2");
    r = hz_test_run("cd '%s' && rm submissions/annual/411081-annual-v1.xlsx && "
                    "grep -v 411081-annual SHA256SUMS > S && mv S SHA256SUMS", dir2);
    cr_assert_eq(r.exit_code, 0);
    hz_run_free(&r);
    hz_run lines = hz_test_run("wc -l < '%s/SHA256SUMS'", dir2);
    int n = atoi(lines.out);
    hz_run_free(&lines);
    char recorded[16], listed[16], next_line[16];
    snprintf(recorded, sizeof recorded, "%d", n + 1);
    snprintf(listed, sizeof listed, "%d", n);
    snprintf(next_line, sizeof next_line, "%d", n + 1);
    v = hz_test_run("'%s' verify --lang en '%s'", HZ_BIN, dir2);
    cr_expect_eq(v.exit_code, 1);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_MANIFEST_COUNT, "[counts] files",
                           recorded, listed, NULL), "%s", v.out);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_MANIFEST_UNLISTED,
                           "submissions/annual/411081-annual-v1.xlsx", NULL), "%s", v.out);
    /* the re-consolidation of what is left finds the missing return */
    cr_expect(hz_test_says_head(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_FIGURES, "totals", "10", NULL),
              "%s", v.out);
    cr_expect(strstr(v.out, "accepted_units = 5 (recorded 6)"), "%s", v.out);
    hz_run_free(&v);

    /* a hostile SHA256SUMS line is reported, never opened */
    r = hz_test_run("cd '%s' && echo '%064d  ../../etc/passwd' >> SHA256SUMS", dir2, 0);
    hz_run_free(&r);
    v = hz_test_run("'%s' verify --lang en '%s'", HZ_BIN, dir2);
    cr_expect(hz_test_says(v.out, HZ_LANG_EN, HZ_M_ARCHIVE_V_SUMS_UNSAFE, next_line,
                           "../../etc/passwd", NULL), "%s", v.out);
    hz_run_free(&v);
    free(dir);
    free(dir2);
}

Test(e2e_archive, existing_folder_refused)
{
    char *dir = path_in(tmp, "arc");
    hz_run r = hz_test_run("mkdir '%s' && echo keep > '%s/mine.txt'", dir, dir);
    hz_run_free(&r);
    char *before = listing(dir);
    r = archive(NULL, dir, NULL);
    cr_expect_eq(r.exit_code, 3);
    cr_expect(hz_test_says(r.err, HZ_LANG_ZH, HZ_M_ARCHIVE_EXISTS, dir, NULL), "%s", r.err);
    hz_run_free(&r);
    char *after = listing(dir);
    cr_expect_str_eq(before, after);
    char *parent = listing(tmp);
    cr_expect_str_eq(parent, "arc\n", "stray entries: %s", parent);
    char *mine = path_in(dir, "mine.txt");
    char *kept = hz_test_read_file(mine, NULL);
    free(mine);
    cr_expect_str_eq(kept, "keep\n");

    /* an existing empty folder too, and an existing zip with --zip */
    char *empty = path_in(tmp, "empty");
    r = hz_test_run("mkdir '%s'", empty);
    hz_run_free(&r);
    r = archive(NULL, empty, NULL);
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
    char *z = path_in(tmp, "z");
    r = hz_test_run("touch '%s.zip'", z);
    hz_run_free(&r);
    r = archive(NULL, z, "--zip");
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
    char *final_list = listing(tmp);
    cr_expect_str_eq(final_list, "arc\nempty\nz.zip\n", "%s", final_list);
    free(before); free(after); free(parent); free(kept); free(empty); free(z); free(final_list);
    free(dir);
}

Test(e2e_archive, injected_failures_leave_nothing)
{
    char *dir = path_in(tmp, "arc");
    /* before the first file, inside the reports, submissions, config, the
     * manifest, after SHA256SUMS (the last file: 29 with this sample) */
    static const char *const points[] = {"0", "1", "2", "4", "6", "12", "20", "27", "28", "29"};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        char env[64];
        snprintf(env, sizeof env, "HUIZONG_FAIL_AFTER=%s", points[i]);
        hz_run r = archive(env, dir, "--zip");
        cr_expect_eq(r.exit_code, 3, "%s: exit %d", env, r.exit_code);
        cr_expect(hz_test_says_head(r.err, HZ_LANG_ZH, HZ_M_ARCHIVE_INJECTED, "HUIZONG_FAIL_AFTER",
                                    NULL), "%s", r.err);
        hz_run_free(&r);
        char *left = listing(tmp);
        cr_expect_str_eq(left, "", "%s left: %s", env, left);
        free(left);
    }

    /* an output folder that cannot be created (its parent is a file) */
    char *file = path_in(tmp, "file");
    hz_run r = hz_test_run("echo x > '%s'", file);
    hz_run_free(&r);
    char *under = path_in(file, "arc");
    r = archive(NULL, under, NULL);
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
    char *left = listing(tmp);
    cr_expect_str_eq(left, "file\n");
    free(left);
    free(under);
    free(file);

    /* an unreadable input folder */
    r = hz_test_run("'%s' archive --round annual -o '%s' '%s/no-such-folder'", HZ_BIN, dir, tmp);
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
    left = listing(tmp);
    cr_expect(!strstr(left, "arc"), "%s", left);
    free(left);
    free(dir);
}

Test(e2e_archive, killed_run_is_cleaned_next_time)
{
    char *dir = path_in(tmp, "arc");
    hz_run r = archive("HUIZONG_KILL_AFTER=5", dir, NULL);
    cr_expect_neq(r.exit_code, 0);
    hz_run_free(&r);
    char *left = listing(tmp);
    cr_expect(strncmp(left, ".arc.tmp-", 9) == 0, "expected a staging folder: %s", left);
    cr_expect(!strstr(left, "arc\n") || strstr(left, ".arc.tmp-"), "%s", left);
    free(left);

    r = archive(NULL, dir, NULL);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.err, ".arc.tmp-"), "cleanup not reported: %s", r.err);
    hz_run_free(&r);
    left = listing(tmp);
    cr_expect_str_eq(left, "arc\n");
    free(left);
    hz_run v = hz_test_run("'%s' verify '%s'", HZ_BIN, dir);
    cr_expect_eq(v.exit_code, 0, "%s", v.out);
    hz_run_free(&v);
    free(dir);
}

Test(e2e_archive, usage_errors)
{
    hz_run r = hz_test_run("'%s' archive --round annual '" SAMPLES "/annual'", HZ_BIN);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
    r = hz_test_run("'%s' archive -o '%s/x' '" SAMPLES "/annual'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
    r = hz_test_run("HUIZONG_FAIL_AFTER=abc '%s' archive --round annual -o '%s/x' '" SAMPLES
                    "/annual'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
    r = hz_test_run("'%s' archive --round annual --as-of 2022-13-01 -o '%s/x' '" SAMPLES
                    "/annual'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
    r = hz_test_run("'%s' verify", HZ_BIN);
    cr_expect_eq(r.exit_code, 2);
    hz_run_free(&r);
    r = hz_test_run("'%s' verify '%s/none'", HZ_BIN, tmp);
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
    r = hz_test_run("'%s' archive --help", HZ_BIN);
    cr_expect_eq(r.exit_code, 0);
    cr_expect(strstr(r.out, "SHA256SUMS"));
    hz_run_free(&r);
    char *left = listing(tmp);
    cr_expect_str_eq(left, "");
    free(left);
}
