/* cli_datadir.c - where huizong's own data (config/, templates/) is, and the
 * environment overrides of it. The only place besides cli.c that reads the
 * environment for paths. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies the folder the running binary is in into buf (no trailing '/');
 * false when /proc/self/exe cannot be read. */
static bool exe_folder(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return snprintf(buf, size, "%s", exe[0] ? exe : "/") < (int)size;
}

/* A path too long for its buffer is left empty rather than cut, so that it
 * names nothing instead of some other folder. */
static void fit(char *buf, size_t size, int n)
{
    if (n < 0 || (size_t)n >= size)
        buf[0] = '\0';
}

static bool same_folder(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

const char *cli_data_dir(hz_cli *cli)
{
    if (cli->data_dir[0])
        return cli->data_dir;
    char here[PATH_MAX];
    if (!exe_folder(here, sizeof here) || same_folder(here, HZ_BINARY_DIR))
        /* the build tree runs without installing: its data is the source's */
        snprintf(cli->data_dir, sizeof cli->data_dir, "%s", HZ_SOURCE_DIR);
    else
        /* installed, moved or unpacked into a DESTDIR: relative to itself */
        fit(cli->data_dir, sizeof cli->data_dir,
            snprintf(cli->data_dir, sizeof cli->data_dir, "%s/%s", here, HZ_DATA_FROM_BIN));
    char shown[PATH_MAX]; /* without the "bin/.." when the folder is there */
    if (realpath(cli->data_dir, shown))
        fit(cli->data_dir, sizeof cli->data_dir,
            snprintf(cli->data_dir, sizeof cli->data_dir, "%s", shown));
    return cli->data_dir;
}

const char *cli_config_dir(hz_cli *cli, const char *option)
{
    if (option && *option)
        return option;
    if (cli->config_dir && *cli->config_dir)
        return cli->config_dir;
    const char *env = getenv("HUIZONG_CONFIG");
    if (env && *env)
        return env;
    fit(cli->default_config, sizeof cli->default_config,
        snprintf(cli->default_config, sizeof cli->default_config, "%s/config/%s",
                 cli_data_dir(cli), HZ_DEFAULT_CAMPAIGN));
    return cli->default_config;
}

const char *cli_template_dir(hz_cli *cli)
{
    const char *env = getenv("HUIZONG_TEMPLATES");
    if (env && *env)
        return env;
    fit(cli->default_templates, sizeof cli->default_templates,
        snprintf(cli->default_templates, sizeof cli->default_templates, "%s/templates",
                 cli_data_dir(cli)));
    return cli->default_templates;
}
