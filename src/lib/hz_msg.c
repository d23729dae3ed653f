/* hz_msg.c - the message catalogue table and its formatter. */
#include "hz_msg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct hz_msg_entry {
    const char *name;
    const char *text[2];
} hz_msg_entry;

static const hz_msg_entry catalogue[] = {
#define HZ_MSG(id, zh, en) {#id, {zh, en}},
#include "msg/all.def"
#undef HZ_MSG
};

const char *hz_msg_text(hz_lang lang, hz_msg_id id)
{
    if ((unsigned)id >= HZ_MSG__COUNT || (lang != HZ_LANG_ZH && lang != HZ_LANG_EN))
        return "";
    return catalogue[id].text[lang];
}

const char *hz_msg_name(hz_msg_id id)
{
    if ((unsigned)id >= HZ_MSG__COUNT)
        return "";
    return catalogue[id].name;
}

const char *hz_msg_format(hz_lang lang, hz_msg_id id, const char *const *args,
                          int nargs, char *buf, size_t size)
{
    if (!size)
        return buf;
    const char *p = hz_msg_text(lang, id);
    size_t out = 0;
    while (*p && out + 1 < size) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            int index = p[1] - '1';
            const char *arg = index < nargs && args[index] ? args[index] : "";
            size_t len = strlen(arg);
            if (out + len >= size) {
                len = size - 1 - out;
                /* never cut a UTF-8 character */
                while (len > 0 && ((unsigned char)arg[len] & 0xC0) == 0x80)
                    len--;
            }
            memcpy(buf + out, arg, len);
            out += len;
            p += 3;
        } else {
            buf[out++] = *p++;
        }
    }
    if (*p) /* truncated inside the text: drop a partly copied character */
        while (out > 0 && ((unsigned char)*p & 0xC0) == 0x80) {
            out--;
            p--;
        }
    buf[out] = '\0';
    return buf;
}

const char *hz_msg_formatv(hz_lang lang, hz_msg_id id, char *buf, size_t size, ...)
{
    const char *args[9];
    int nargs = 0;
    va_list ap;
    va_start(ap, size);
    const char *arg;
    while (nargs < 9 && (arg = va_arg(ap, const char *)) != NULL)
        args[nargs++] = arg;
    va_end(ap);
    return hz_msg_format(lang, id, args, nargs, buf, size);
}

int hz_lang_parse(const char *text)
{
    if (!text)
        return -1;
    if (!strcmp(text, "zh") || !strncmp(text, "zh_", 3) || !strncmp(text, "zh-", 3))
        return HZ_LANG_ZH;
    if (!strcmp(text, "en") || !strncmp(text, "en_", 3) || !strncmp(text, "en-", 3))
        return HZ_LANG_EN;
    return -1;
}
