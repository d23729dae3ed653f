/*
 * hz_status.h - status codes and the error record every fallible call fills.
 *
 * Every fallible function in libhuizong returns an hz_status. When it is not
 * HZ_OK and the caller passed an hz_error, the error holds a message id from
 * the catalogue (hz_msg.h) and up to HZ_ERROR_ARGS string arguments, so the
 * CLI can render it in Chinese or English later. The library never prints.
 */
#ifndef HZ_STATUS_H
#define HZ_STATUS_H

#include <stddef.h>
#include "hz_msg.h"

typedef enum hz_status {
    HZ_OK = 0,
    HZ_ERR_USAGE,      /* bad arguments from the caller or the user */
    HZ_ERR_IO,         /* cannot read input or write output */
    HZ_ERR_FORMAT,     /* input is not what it claims (zip, XML, xlsx) */
    HZ_ERR_LIMIT,      /* input exceeds a configured safety limit */
    HZ_ERR_CONFIG,     /* configuration is invalid */
    HZ_ERR_TEMPLATE,   /* report template is invalid */
    HZ_ERR_INVALID,    /* data failed validation */
    HZ_ERR_NOT_FOUND,  /* a named thing (sheet, unit, file) does not exist */
    HZ_ERR_NOMEM,
    HZ_ERR_INTERNAL
} hz_status;

#define HZ_ERROR_ARGS 4
#define HZ_ERROR_ARG_SIZE 512

typedef struct hz_error {
    hz_status status;
    hz_msg_id msg;
    int nargs;
    char args[HZ_ERROR_ARGS][HZ_ERROR_ARG_SIZE];
} hz_error;

/* Fills err (when not NULL) and returns status. The variadic part is a
 * NULL-terminated list of const char * arguments ({1}, {2}, ... in the
 * catalogue text). Extra arguments beyond HZ_ERROR_ARGS are ignored; long
 * ones are truncated at a UTF-8 character boundary. */
hz_status hz_error_set(hz_error *err, hz_status status, hz_msg_id msg, ...);

/* Renders the error in the given language into buf (always terminated). */
const char *hz_error_render(const hz_error *err, hz_lang lang, char *buf, size_t size);

/* Short, stable English name of a status, for logs and JSON. */
const char *hz_status_name(hz_status status);

#endif
