/*
 * hz_test_fixture.h - what most suites set up first: the sample
 * configuration and a scratch folder, and the one call that releases both.
 * The set-up functions fail the running Criterion test on error, so a
 * suite's .init never goes on with a NULL.
 */
#ifndef HZ_TEST_FIXTURE_H
#define HZ_TEST_FIXTURE_H

#include "config.h"

/* The shipped configuration the tests run on. */
#define HZ_TEST_CONFIG_DIR HZ_SOURCE_DIR "/config/xuchang-2022"

/* HZ_TEST_CONFIG_DIR loaded; release with config_free (or
 * hz_test_fixture_free). */
hz_config *hz_test_config(void);
/* A new empty folder (hz_test_tempdir) tagged tag; caller frees. */
char *hz_test_scratch(const char *tag);
/* Removes and frees scratch, frees config; either may be NULL. */
void hz_test_fixture_free(hz_config *config, char *scratch);

/*
 * HZ_TEST_FIXTURE(tag) declares, for the suite of a file,
 *     static hz_config *config;   the sample configuration
 *     static char *tmp;           a new scratch folder tagged tag (NULL
 *                                 when tag is NULL: the suite needs none)
 * and hz_fixture_setup / hz_fixture_teardown, which make them before each
 * test and release them after it. Name the two in the suite:
 *     HZ_TEST_FIXTURE("e2e-pdf");
 *     TestSuite(e2e_pdf, .init = hz_fixture_setup, .fini = hz_fixture_teardown);
 */
#define HZ_TEST_FIXTURE(tag)                                                                       \
    static hz_config *config;                                                                      \
    static char *tmp;                                                                              \
    static void hz_fixture_setup(void)                                                             \
    {                                                                                              \
        config = hz_test_config();                                                                 \
        tmp = (tag) ? hz_test_scratch(tag) : NULL;                                                 \
    }                                                                                              \
    static void hz_fixture_teardown(void)                                                          \
    {                                                                                              \
        hz_test_fixture_free(config, tmp);                                                         \
    }                                                                                              \
    _Static_assert(1, "HZ_TEST_FIXTURE(tag) takes a semicolon")

#endif
