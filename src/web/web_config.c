/* web_config.c - cli_load_config for the browser build.
 *
 * The native CLI reads the INI folder (src/cli/cli_config.c); here there is
 * no iniparser, so the configuration is the snapshot built into the module
 * (web_snapshot.h), or, with --config FILE, a snapshot written by
 * `huizong snapshot`. Problems are reported in the native wording. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "config_snapshot.h"
#include "web_snapshot.h"

#define SNAPSHOT_FILE_MAX (16u * 1024u * 1024u)

static char *read_whole(const char *path, size_t *size, int *error)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *error = errno;
        return NULL;
    }
    char *data = malloc(SNAPSHOT_FILE_MAX);
    size_t n = data ? fread(data, 1, SNAPSHOT_FILE_MAX, f) : 0;
    *error = ferror(f) ? EIO : data ? 0 : ENOMEM;
    fclose(f);
    if (*error || n == SNAPSHOT_FILE_MAX) {
        if (!*error)
            *error = EFBIG;
        free(data);
        return NULL;
    }
    *size = n;
    return data;
}

int cli_load_config(hz_cli *cli, const char *dir, hz_config **out)
{
    const char *text = hz_web_snapshot;
    size_t size = hz_web_snapshot_size;
    char *owned = NULL;
    if (dir) {
        int error = 0;
        owned = read_whole(dir, &size, &error);
        if (!owned) {
            cli_error(cli, HZ_M_CONFIG_FILE_UNREADABLE, dir, strerror(error), NULL);
            return HZ_EXIT_IO;
        }
        text = owned;
    }
    hz_error err = {0};
    hz_status status = config_snapshot_parse(text, size, out, &err);
    free(owned);
    if (status == HZ_OK)
        return HZ_EXIT_OK;
    cli_report_error(cli, &err);
    cli_error(cli, HZ_M_CLI_CONFIG_FAILED, dir ? dir : "(built in)", "1", NULL);
    return status == HZ_ERR_CONFIG ? HZ_EXIT_USAGE : HZ_EXIT_IO;
}
