/*
 * portal_pages.h - the portal's two pages, their script and style.
 *
 * The pages carry no text of their own: every label is a catalogue message
 * HZ_M_PORTAL_L_<NAME>, written into the page where it says {{NAME}}
 * (HTML-escaped), in the request's language; the script reads the labels it
 * needs from data-l-* attributes. No inline script or style, so the pages
 * run under a Content-Security-Policy of 'self' only.
 */
#ifndef HZ_PORTAL_PAGES_H
#define HZ_PORTAL_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_msg.h"

typedef enum portal_page {
    PORTAL_PAGE_COUNTY, PORTAL_PAGE_CITY, PORTAL_PAGE_JS, PORTAL_PAGE_CSS
} portal_page;

/* A new buffer (free it) with the page in lang; validator tells whether the
 * browser validator page is there to link. NULL on out-of-memory. */
char *portal_page_render(portal_page page, hz_lang lang, bool validator, size_t *len);

#endif
