/* cli_paths.c - where the default data folders are; see cli.h. */
#include "cli.h"

#include <stdlib.h>

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
