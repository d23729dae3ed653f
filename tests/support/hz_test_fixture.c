/* hz_test_fixture.c - sample configuration and scratch folder for suites. */
#include "hz_test_fixture.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#include "hz_test.h"

hz_config *hz_test_config(void)
{
    hz_config *config = NULL;
    hz_config_problems problems = {0};
    cr_assert_eq(config_load(HZ_TEST_CONFIG_DIR, &config, &problems), HZ_OK,
                 "config does not load");
    return config;
}

char *hz_test_scratch(const char *tag)
{
    char *dir = hz_test_tempdir(tag);
    cr_assert_not_null(dir, "no scratch folder for %s", tag);
    return dir;
}

void hz_test_fixture_free(hz_config *config, char *scratch)
{
    if (scratch)
        hz_test_rmtree(scratch);
    free(scratch);
    config_free(config);
}
