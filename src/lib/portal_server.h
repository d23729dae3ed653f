/*
 * portal_server.h - the submission portal (DESIGN §11, issue 18): an HTTP
 * server on libmicrohttpd in front of check_file, the round folder of
 * portal_store.h and consolidate.
 *
 * Routes (JSON unless said otherwise; TOKEN from "Authorization: Bearer"):
 *   POST /api/v1/submissions   unit token, multipart field "file": 201
 *                              accepted, 422 rejected (kept under
 *                              rejected/), 403 another unit's workbook or a
 *                              city token, 413 over [limits]
 *                              max_upload_bytes, 401 no or unknown token,
 *                              429 over the token's rate
 *   GET  /api/v1/status        city token: each unit's status (403 for a
 *                              unit token)
 *   GET  /api/v1/me            any token: who it is, the round, the deadline
 *   POST /api/v1/consolidate   city token: consolidate the round folder into
 *                              DIR/out/<round>/ (validation, context, XLSX,
 *                              PDF)
 *   GET  /api/v1/outputs/pdf|xlsx  city token: the last consolidation's file
 *   GET  /, /city              the county page and the city dashboard (HTML)
 *   GET  /assets/portal.js|css the pages' script and style
 *   GET  /validator            the browser validator page of this server's
 *                              configuration (portal_validator.h) when
 *                              validator_template is set, else 404
 *   GET  /assets/validator-worker.js  its Web Worker (the WebAssembly check
 *                              core), which the county page runs on the
 *                              picked file before anything is uploaded
 * Every answer carries a Content-Security-Policy (the pages: 'self' only,
 * no worker; the county page with the browser check: worker-src 'self';
 * the worker: 'wasm-unsafe-eval' and no connection), nosniff, no-referrer and
 * no-store; there are no cookies and no CORS headers, so another site can
 * neither send a token nor read an answer. Each request adds one line to
 * DIR/audit.log.
 *
 * The server holds no global state: everything lives in the portal_server
 * it returns. Threads: libmicrohttpd's internal pool of opt->threads.
 */
#ifndef HZ_PORTAL_SERVER_H
#define HZ_PORTAL_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "config.h"
#include "hz_date.h"
#include "hz_status.h"

typedef struct portal_server portal_server;

typedef struct portal_options {
    const char *data_dir;
    const char *listen_host;     /* numeric address: "127.0.0.1", "::1" */
    unsigned port;               /* 0: any free port (portal_server_port) */
    const char *cert_pem, *key_pem; /* PEM texts; both set: HTTPS */
    unsigned threads;            /* pool size; 0: 4 */
    unsigned max_connections;    /* 0: 128 */
    unsigned timeout_seconds;    /* idle connection timeout; 0: 60 */
    unsigned rate_per_minute;    /* requests per token per minute (also the
                                    burst); 0: no limit */
    const char *template_dir;    /* report templates for the 汇总 action */
    const char *validator_template; /* huizong-check-template.html of the
                                    browser validator (portal_validator_find),
                                    or NULL: the county page checks on the
                                    server only */
    hz_date as_of;               /* report date of the 汇总 action */
    bool fixed_clock;            /* tests: every receipt at fixed_now */
    time_t fixed_now;
} portal_options;

/* true when host is a loopback address (127.0.0.0/8, ::1). */
bool portal_host_is_loopback(const char *host);

/* Splits "ADDR:PORT" / "[V6]:PORT" into host and port; false when it is
 * not numeric. */
bool portal_parse_listen(const char *text, char *host, size_t size, unsigned *port);

/* Makes the validator page of config (portal_validator_make) when
 * opt->validator_template is set, opens the store (portal_store_open) and
 * starts listening. HZ_ERR_IO when the address cannot be bound or the
 * template read (err names it), HZ_ERR_FORMAT for a malformed tokens.ini,
 * receipts.ini or page template. */
hz_status portal_server_start(const hz_config *config, const hz_round *round,
                              const portal_options *opt, portal_server **out, hz_error *err);
/* The port actually bound. */
unsigned portal_server_port(const portal_server *server);
/* Stops accepting connections, lets the requests in flight finish (at most
 * grace_seconds), then stops and frees everything. */
void portal_server_stop(portal_server *server, unsigned grace_seconds);

#endif
