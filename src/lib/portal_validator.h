/*
 * portal_validator.h - the browser validator page of one configuration.
 *
 * scripts/web.sh builds the page once for every configuration:
 * huizong-check-template.html, one self-contained file whose Web Worker
 * carries the check core compiled to WebAssembly with no configuration of
 * its own, and the marker PORTAL_VALIDATOR_MARKER once, inside
 *     <script type="application/json" id="hz-snapshot">MARKER</script>
 * where the configuration snapshot goes (config_snapshot.h). The native
 * program writes the snapshot of the configuration it loaded and validated
 * over the marker, so the page checks exactly as this `huizong check` does:
 * `huizong template --all` puts that page beside the templates, `huizong
 * serve` serves it at /validator and runs its worker on the county page.
 *
 * Where the template is (portal_validator_find): an explicit folder, else
 * DATA/web/ (the installed share/huizong/web/), else DATA/build/web/ (the
 * source tree, where scripts/web.sh writes it), DATA being huizong's data
 * folder (cli_paths).
 */
#ifndef HZ_PORTAL_VALIDATOR_H
#define HZ_PORTAL_VALIDATOR_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "hz_status.h"

#define PORTAL_VALIDATOR_TEMPLATE "huizong-check-template.html"
#define PORTAL_VALIDATOR_PAGE "huizong-check.html"
#define PORTAL_VALIDATOR_MARKER "@@HUIZONG-CONFIG-SNAPSHOT@@"

/* The page of one configuration, and the parts the portal serves apart. */
typedef struct portal_validator {
    char *page;          /* the whole page, snapshot inline */
    size_t page_len;
    char *worker;        /* the worker's script (glue with the wasm, worker.js) */
    size_t worker_len;
    char *snapshot;      /* the snapshot as inlined: JSON, "<" as \u003c */
    size_t snapshot_len;
} portal_validator;

/* Writes into out (size bytes) the path of the page template: in web_dir
 * when it is given (and only there), else in data_dir/web, else in
 * data_dir/build/web. false when there is none. */
bool portal_validator_find(const char *web_dir, const char *data_dir, char *out, size_t size);

/* Reads the template at template_path and makes the page of config.
 * HZ_ERR_IO when it cannot be read, HZ_ERR_FORMAT when it is not a page
 * template (no marker, or not exactly one; no worker script), HZ_ERR_NOMEM.
 * On failure *out is left empty. */
hz_status portal_validator_make(const char *template_path, const hz_config *config,
                                portal_validator *out, hz_error *err);

void portal_validator_free(portal_validator *v);

#endif
