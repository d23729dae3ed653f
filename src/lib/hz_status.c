/* hz_status.c - filling and rendering error records. */
#include "hz_status.h"

#include <stdarg.h>
#include <string.h>
#include "hz_text.h"

hz_status hz_error_set(hz_error *err, hz_status status, hz_msg_id msg, ...)
{
    if (!err)
        return status;
    err->status = status;
    err->msg = msg;
    err->nargs = 0;
    va_list ap;
    va_start(ap, msg);
    const char *arg;
    while ((arg = va_arg(ap, const char *)) != NULL) {
        if (err->nargs < HZ_ERROR_ARGS)
            hz_strlcpy_utf8(err->args[err->nargs++], arg, HZ_ERROR_ARG_SIZE);
    }
    va_end(ap);
    return status;
}

const char *hz_error_render(const hz_error *err, hz_lang lang, char *buf, size_t size)
{
    const char *args[HZ_ERROR_ARGS];
    for (int i = 0; i < err->nargs && i < HZ_ERROR_ARGS; i++)
        args[i] = err->args[i];
    return hz_msg_format(lang, err->msg, args, err->nargs, buf, size);
}

const char *hz_status_name(hz_status status)
{
    switch (status) {
    case HZ_OK: return "ok";
    case HZ_ERR_USAGE: return "usage";
    case HZ_ERR_IO: return "io";
    case HZ_ERR_FORMAT: return "format";
    case HZ_ERR_LIMIT: return "limit";
    case HZ_ERR_CONFIG: return "config";
    case HZ_ERR_TEMPLATE: return "template";
    case HZ_ERR_INVALID: return "invalid";
    case HZ_ERR_NOT_FOUND: return "not_found";
    case HZ_ERR_NOMEM: return "nomem";
    case HZ_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}
