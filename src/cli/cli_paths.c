/* cli_paths.c - where the default data folders are; see cli.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A path too long for its buffer is left empty rather than cut, so that it
 * names nothing instead of some other folder. */
static void fit(char *buf, size_t size, int n)
{
    if (n < 0 || (size_t)n >= size)
        buf[0] = '\0';
}

/* The folder the running binary is in (no trailing '/'); false when
 * /proc/self/exe cannot be read. */
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

static bool same_folder(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

static void find_data_dir(char *buf, size_t size)
{
    char here[PATH_MAX];
    if (!exe_folder(here, sizeof here) || same_folder(here, HZ_BINARY_DIR)) {
        /* the build tree runs without installing: its data is the source's */
        fit(buf, size, snprintf(buf, size, "%s", HZ_SOURCE_DIR));
        return;
    }
    /* installed, moved or unpacked into a DESTDIR: relative to itself */
    fit(buf, size, snprintf(buf, size, "%s/%s", here, HZ_DATA_FROM_BIN));
    char shown[PATH_MAX]; /* without the "bin/.." when the folder is there */
    if (realpath(buf, shown))
        fit(buf, size, snprintf(buf, size, "%s", shown));
}

/* The one place that decides where huizong's data lives: an explicit
 * HUIZONG_CONFIG / HUIZONG_TEMPLATES wins, else the data folder. The
 * library only ever receives the folders. */
void cli_paths_resolve(cli_paths *out)
{
    find_data_dir(out->data_dir, sizeof out->data_dir);
    fit(out->config_buf, sizeof out->config_buf,
        snprintf(out->config_buf, sizeof out->config_buf, "%s/config/%s", out->data_dir,
                 HZ_DEFAULT_CAMPAIGN));
    fit(out->template_buf, sizeof out->template_buf,
        snprintf(out->template_buf, sizeof out->template_buf, "%s/templates", out->data_dir));
    const char *config = getenv("HUIZONG_CONFIG");
    const char *templates = getenv("HUIZONG_TEMPLATES");
    out->config_dir = config && *config ? config : out->config_buf;
    out->template_dir = templates && *templates ? templates : out->template_buf;
}

/* The message language from LC_ALL, LC_MESSAGES or LANG: English when the
 * first one set starts with "en", Chinese otherwise. */
hz_lang cli_lang_from_environment(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *value = getenv(vars[i]);
        if (value && *value)
            return strncmp(value, "en", 2) == 0 ? HZ_LANG_EN : HZ_LANG_ZH;
    }
    return HZ_LANG_ZH;
}
