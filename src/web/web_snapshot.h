/*
 * web_snapshot.h - the configuration snapshot built into the browser build.
 *
 * scripts/web.sh runs the native `huizong snapshot --config DIR` and
 * compiles its output into the WebAssembly module as these bytes, so the
 * page and huizong-cli.mjs check with exactly the configuration that the
 * native program validated.
 */
#ifndef HZ_WEB_SNAPSHOT_H
#define HZ_WEB_SNAPSHOT_H

#include <stddef.h>

extern const char hz_web_snapshot[];
extern const size_t hz_web_snapshot_size;

#endif
