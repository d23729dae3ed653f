/* cli_paths.c - where the default data folders are; see cli.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The one place that decides where huizong's data lives: an explicit
 * HUIZONG_CONFIG / HUIZONG_TEMPLATES wins, else the source tree the binary
 * was built from. The library only ever receives the folders. */
void cli_paths_resolve(cli_paths *out)
{
    const char *config = getenv("HUIZONG_CONFIG");
    const char *templates = getenv("HUIZONG_TEMPLATES");
    out->config_dir = config && *config ? config : HZ_SOURCE_DIR "/config/xuchang-2022";
    out->template_dir = templates && *templates ? templates : HZ_SOURCE_DIR "/templates";
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
