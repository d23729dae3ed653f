/*
 * config_snapshot.h - the validated configuration as one JSON document.
 *
 * The browser build of the check (scripts/web.sh, DESIGN §11) cannot link
 * iniparser, so the native program writes the configuration it loaded and
 * validated (config_load) as a snapshot, and the browser build reads the
 * snapshot into the same hz_config model. A snapshot holds every field of
 * hz_config; reading it back gives a configuration that checks every
 * workbook exactly as the original does.
 *
 * Layout (version 1): {"format": "huizong-config-snapshot", "version": 1,
 * "campaign": {...}, "phases": [...], "rounds": [...], "calendar": {...},
 * "report": {...}, "limits": {...}, "outliers": {...}, "assessment": {...},
 * "units": [...], "indicators": [...], "rules": [...], "lists": {...},
 * "yes_no": {...}, "header_aliases": [...]}; dates are "YYYY-MM-DD" (null
 * for none), enumerations their INI words.
 */
#ifndef HZ_CONFIG_SNAPSHOT_H
#define HZ_CONFIG_SNAPSHOT_H

#include <stddef.h>
#include "config.h"

#define CONFIG_SNAPSHOT_FORMAT "huizong-config-snapshot"
#define CONFIG_SNAPSHOT_VERSION 1

/* The snapshot of config as pretty-printed JSON text (caller frees), or
 * NULL when out of memory. */
char *config_snapshot_text(const hz_config *config);

/* Reads a snapshot. On success *out is a new configuration (config_free);
 * otherwise *out is NULL, and err names the first field that is missing or
 * of the wrong kind (HZ_ERR_CONFIG), or says the text is not JSON. */
hz_status config_snapshot_parse(const char *text, size_t size, hz_config **out, hz_error *err);

#endif
