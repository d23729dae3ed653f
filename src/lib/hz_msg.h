/*
 * hz_msg.h - the one message catalogue (Chinese and English).
 *
 * Every text a user reads comes from here. Message ids are generated from the
 * *.def files in src/lib/msg/ (one file per module, all compiled into one
 * table); each entry is HZ_MSG(ID, "中文", "English"). Arguments are written
 * {1} .. {9} and may appear in any order in either language.
 */
#ifndef HZ_MSG_H
#define HZ_MSG_H

#include <stddef.h>

typedef enum hz_lang { HZ_LANG_ZH = 0, HZ_LANG_EN = 1 } hz_lang;

typedef enum hz_msg_id {
#define HZ_MSG(id, zh, en) id,
#include "msg/all.def"
#undef HZ_MSG
    HZ_MSG__COUNT
} hz_msg_id;

/* The raw catalogue text of id in lang ("" for an unknown id). */
const char *hz_msg_text(hz_lang lang, hz_msg_id id);

/* The symbolic name of id ("HZ_M_..."), for JSON and tests. */
const char *hz_msg_name(hz_msg_id id);

/* Substitutes {1}..{9} in the catalogue text with args[0..nargs-1] (missing
 * args render as empty) into buf; always terminates; returns buf. */
const char *hz_msg_format(hz_lang lang, hz_msg_id id, const char *const *args,
                          int nargs, char *buf, size_t size);

/* Convenience: NULL-terminated variadic list of const char * arguments. */
const char *hz_msg_formatv(hz_lang lang, hz_msg_id id, char *buf, size_t size, ...);

/* Language from --lang text ("zh"/"en"); returns -1 when not recognised. */
int hz_lang_parse(const char *text);

#endif
