/*
 * portal_pages.h - the portal's two pages, their script and style.
 *
 * The pages carry no text of their own: every label is a catalogue message
 * HZ_M_PORTAL_L_<NAME>, written into the page where it says {{NAME}}
 * (HTML-escaped), in the request's language; the script reads the labels it
 * needs from data-l-* attributes. No inline script or style, so the pages
 * run under a Content-Security-Policy of 'self' only (the county page
 * adds worker-src 'self' for the browser check's worker).
 */
#ifndef HZ_PORTAL_PAGES_H
#define HZ_PORTAL_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_msg.h"

typedef enum portal_page {
    PORTAL_PAGE_COUNTY, PORTAL_PAGE_CITY, PORTAL_PAGE_JS, PORTAL_PAGE_CSS
} portal_page;

/* What the county page needs to know besides its language. */
typedef struct portal_page_vars {
    bool validator;          /* the browser validator is served: the page
                                links /validator and checks in the browser */
    const char *snapshot;    /* the configuration snapshot for the browser
                                check, inline-safe (no "<"; portal_validator.h);
                                NULL: the page checks on the server only */
    const char *round;       /* round id the server checks with, or NULL */
} portal_page_vars;

/* A new buffer (free it) with the page in lang. The county page carries
 * the snapshot as a JSON data block (<script type="application/json">,
 * which no browser runs), its script starts the validator's worker from
 * /assets/validator-worker.js. NULL on out-of-memory. */
char *portal_page_render_vars(portal_page page, hz_lang lang, const portal_page_vars *vars,
                              size_t *len);
/* portal_page_render_vars with only vars.validator set. */
char *portal_page_render(portal_page page, hz_lang lang, bool validator, size_t *len);

#endif
