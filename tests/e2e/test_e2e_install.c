/* test_e2e_install.c - huizong installed like a Debian program (issue 16):
 * built from a copy of the tree, installed into a DESTDIR, the copy deleted
 * and the installed tree moved, then run through template -> check ->
 * consolidate on the samples; the Debian package made by cpack, listed and
 * unpacked; the man page rendered without a warning. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hz_test.h"
#include "hz_test_json.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define SAMPLE SAMPLES "/stage/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx"
/* none of the overrides leak in from the environment running the tests */
#define CLEAN_ENV "env -u HUIZONG_CONFIG -u HUIZONG_TEMPLATES LC_ALL=C.UTF-8 "

static char *tmp;

static void setup(void)
{
    tmp = hz_test_tempdir("e2e-install");
    cr_assert(tmp);
}

static void teardown(void)
{
    if (tmp)
        hz_test_rmtree(tmp);
    free(tmp);
}

TestSuite(e2e_install, .init = setup, .fini = teardown, .timeout = 900);

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void run_ok(const char *what, hz_run r)
{
    cr_assert_eq(r.exit_code, 0, "%s: exit %d\n%s%s", what, r.exit_code, r.out, r.err);
}

Test(e2e_install, destdir_install_of_a_deleted_copy_runs_the_round)
{
    hz_test_require("cmake", "cmake");
    /* a copy of the tree, without build output or the git metadata */
    hz_run r = hz_test_run("set -e; mkdir '%s/src'; tar -C '" HZ_SOURCE_DIR "' --exclude='./build*'"
                           " --exclude=./.git --exclude=./out -cf - . | tar -C '%s/src' -xf -;"
                           " cmake -S '%s/src' -B '%s/src/build' -DHZ_TESTS=OFF"
                           " -DCMAKE_INSTALL_PREFIX=/usr >/dev/null;"
                           " cmake --build '%s/src/build' -j2 >/dev/null;"
                           " DESTDIR='%s/root' cmake --install '%s/src/build' >/dev/null;"
                           " rm -rf '%s/src'; mv '%s/root' '%s/moved'",
                           tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp);
    run_ok("build, install, delete the copy, move the install", r);
    hz_run_free(&r);

    char bin[2048], share[2048], path[4096];
    snprintf(bin, sizeof bin, "%s/moved/usr/bin/huizong", tmp);
    snprintf(share, sizeof share, "%s/moved/usr/share", tmp);
    static const char *const installed[] = {
        "huizong/config/xuchang-2022/campaign.ini", "huizong/templates/stage.md",
        "huizong/templates/final.md", "man/man1/huizong.1.gz", "man/zh_CN/man1/huizong.1.gz",
        "bash-completion/completions/huizong", "doc/huizong/README.md", "doc/huizong/copyright",
    };
    for (size_t i = 0; i < sizeof installed / sizeof installed[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", share, installed[i]);
        cr_expect(exists(path), "not installed: %s", installed[i]);
    }

    /* template: a fresh workbook from the installed configuration */
    r = hz_test_run(CLEAN_ENV "'%s' template --unit 411002 --round stage -o '%s/t.xlsx'", bin,
                    tmp);
    run_ok("template", r);
    hz_run_free(&r);
    snprintf(path, sizeof path, "%s/t.xlsx", tmp);
    cr_assert(exists(path));
    /* check: the empty template is read (findings, exit 1), the sample is valid */
    r = hz_test_run(CLEAN_ENV "'%s' check --format json '%s/t.xlsx'", bin, tmp);
    cr_expect_eq(r.exit_code, 1, "empty template: exit %d\n%s", r.exit_code, r.err);
    {
        json_object *j = hz_test_json_parse(r.out);
        cr_expect_not(hz_test_json_bool(j, "valid"), "%s", r.out);
        json_object_put(j);
    }
    hz_run_free(&r);
    /* the common options before the command */
    r = hz_test_run(CLEAN_ENV "'%s' --lang en --quiet check --format json '" SAMPLE "'", bin);
    run_ok("check the sample", r);
    {
        json_object *j = hz_test_json_parse(r.out);
        cr_expect(hz_test_json_bool(j, "valid"), "%s", r.out);
        json_object_put(j);
    }
    hz_run_free(&r);
    /* consolidate: the installed templates make the PDF */
    r = hz_test_run(CLEAN_ENV "'%s' consolidate --round stage --as-of 2022-08-30 -o '%s/out'"
                              " '" SAMPLES "/stage'",
                    bin, tmp);
    run_ok("consolidate the samples", r);
    hz_run_free(&r);
    r = hz_test_run("head -c 5 '%s/out/'*.pdf; ls '%s/out'", tmp, tmp);
    cr_expect(!strncmp(r.out, "%PDF-", 5), "%s", r.out);
    cr_expect(strstr(r.out, ".xlsx"), "%s", r.out);
    hz_run_free(&r);

    /* HUIZONG_CONFIG is read, --config (before or after the command) wins over it */
    r = hz_test_run(CLEAN_ENV "HUIZONG_CONFIG='%s/nowhere' '%s' check '" SAMPLE "'", tmp, bin);
    cr_expect_neq(r.exit_code, 0);
    cr_expect(strstr(r.err, "nowhere"), "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run(CLEAN_ENV "HUIZONG_CONFIG='%s/nowhere' '%s' --config '%s/huizong/config/"
                              "xuchang-2022' check '" SAMPLE "'",
                    tmp, bin, share);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    r = hz_test_run(CLEAN_ENV "HUIZONG_CONFIG='%s/nowhere' '%s' check --config '%s/huizong/config/"
                              "xuchang-2022' '" SAMPLE "'",
                    tmp, bin, share);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    /* HUIZONG_TEMPLATES is read */
    r = hz_test_run(CLEAN_ENV "HUIZONG_TEMPLATES='%s/nowhere' '%s' consolidate --round stage"
                              " --as-of 2022-08-30 -o '%s/out2' '" SAMPLES "/stage'",
                    tmp, bin, tmp);
    cr_expect_neq(r.exit_code, 0);
    cr_expect(strstr(r.err, "nowhere"), "%s", r.err);
    hz_run_free(&r);
}

Test(e2e_install, cpack_makes_a_debian_package_that_runs_unpacked)
{
    hz_test_require("cpack", "cmake");
    hz_test_require("dpkg-deb", "dpkg");
    hz_test_require("dpkg-shlibdeps", "dpkg-dev");
    hz_run r = hz_test_run("cd '%s' && cpack -G DEB --config '" HZ_BUILD_DIR
                           "/CPackConfig.cmake' -B '%s/pkg' >/dev/null && ls '%s/pkg'",
                           tmp, tmp, tmp);
    run_ok("cpack", r);
    hz_run_free(&r);
    r = hz_test_run("cd '%s/pkg' && ls huizong_*_$(dpkg --print-architecture).deb", tmp);
    run_ok("huizong_<version>_<arch>.deb", r);
    char deb[4096];
    snprintf(deb, sizeof deb, "%s/pkg/%.*s", tmp, (int)strcspn(r.out, "\n"), r.out);
    hz_run_free(&r);

    r = hz_test_run("dpkg-deb -c '%s'", deb);
    run_ok("dpkg-deb -c", r);
    static const char *const listed[] = {
        "./usr/bin/huizong",
        "./usr/share/huizong/config/xuchang-2022/campaign.ini",
        "./usr/share/huizong/config/xuchang-2022/units.ini",
        "./usr/share/huizong/templates/stage.md",
        "./usr/share/huizong/templates/annual.md",
        "./usr/share/man/man1/huizong.1.gz",
        "./usr/share/man/zh_CN/man1/huizong.1.gz",
        "./usr/share/bash-completion/completions/huizong",
        "./usr/share/doc/huizong/README.md",
        "./usr/share/doc/huizong/copyright",
    };
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        cr_expect(strstr(r.out, listed[i]), "not in the package: %s\n%s", listed[i], r.out);
    hz_run_free(&r);

    /* the libraries from dpkg-shlibdeps, the fonts from the dependency list */
    r = hz_test_run("dpkg-deb -f '%s' Depends", deb);
    run_ok("dpkg-deb -f", r);
    static const char *const depends[] = {
        "libxlsxwriter", "libhpdf", "libzip", "libexpat1", "libjson-c", "libcmark",
        "libfontconfig1", "libiniparser", "libnettle", "fontconfig", "fonts-arphic-gbsn00lp",
        "fonts-arphic-gkai00mp", "fonts-wqy-zenhei", "fonts-arphic-uming",
    };
    for (size_t i = 0; i < sizeof depends / sizeof depends[0]; i++)
        cr_expect(strstr(r.out, depends[i]), "Depends lacks %s: %s", depends[i], r.out);
    hz_run_free(&r);

    /* unpacked anywhere (no build tree involved), it finds its own data */
    r = hz_test_run("dpkg-deb -x '%s' '%s/x' && " CLEAN_ENV "'%s/x/usr/bin/huizong' check"
                    " --format json '" SAMPLE "'",
                    deb, tmp, tmp);
    run_ok("unpacked package checks the sample", r);
    {
        json_object *j = hz_test_json_parse(r.out);
        cr_expect(hz_test_json_bool(j, "valid"), "%s", r.out);
        json_object_put(j);
    }
    hz_run_free(&r);
}

Test(e2e_install, man_page_renders_without_warnings)
{
    hz_test_require("man", "man-db");
    hz_test_require("groff", "groff-base");
    hz_run r = hz_test_run("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '" HZ_BUILD_DIR
                           "/huizong.1.gz'");
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "", "man warned:\n%s", r.err);
    /* every command has its section, the environment overrides are named */
    static const char *const words[] = {"COMMANDS", "archive", "check", "consolidate", "template",
                                        "verify", "HUIZONG_CONFIG", "HUIZONG_TEMPLATES",
                                        "--quiet"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        cr_expect(strstr(r.out, words[i]), "man page lacks %s", words[i]);
    hz_run_free(&r);
}

/* The Chinese page: the same commands and options, the headings in Chinese,
 * and man-db renders it (preconv, groff -Tutf8) without a warning. */
Test(e2e_install, chinese_man_page_renders_without_warnings)
{
    hz_test_require("man", "man-db");
    hz_test_require("groff", "groff-base");
    hz_run r = hz_test_run("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '" HZ_BUILD_DIR
                           "/man-zh_CN/huizong.1.gz'");
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "", "man warned:\n%s", r.err);
    static const char *const words[] = {"名称", "命令", "archive", "check", "consolidate",
                                        "template", "verify", "HUIZONG_CONFIG", "--quiet",
                                        "通用选项"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        cr_expect(strstr(r.out, words[i]), "Chinese man page lacks %s", words[i]);
    hz_run_free(&r);
}

Test(e2e_install, bash_completion_offers_commands_and_options)
{
    hz_test_require("bash", "bash");
    /* _init_completion and _filedir come from bash-completion; stand-ins
     * keep the test to huizong's own script */
    hz_run r = hz_test_run(
        "PATH='" HZ_BUILD_DIR "':$PATH bash -c '"
        "_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};"
        " words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; }; _filedir() { :; };"
        " . \"" HZ_SOURCE_DIR "/scripts/completion/huizong.bash\";"
        " COMP_WORDS=(huizong con); COMP_CWORD=1; _huizong; echo \"A:${COMPREPLY[*]}\";"
        " COMP_WORDS=(huizong --lang en consolidate --r); COMP_CWORD=4; _huizong;"
        " echo \"B:${COMPREPLY[*]}\";"
        " COMP_WORDS=(huizong check --round \"\"); COMP_CWORD=3; _huizong;"
        " echo \"C:${COMPREPLY[*]}\"'");
    run_ok("completion", r);
    cr_expect(strstr(r.out, "A:consolidate\n"), "%s", r.out);
    cr_expect(strstr(r.out, "B:--round\n"), "%s", r.out);
    cr_expect(strstr(r.out, "C:stage annual\n"), "%s", r.out);
    hz_run_free(&r);
}
