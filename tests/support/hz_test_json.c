/* hz_test_json.c - see hz_test_json.h. */
#include "hz_test_json.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "hz_test.h"

json_object *hz_test_json_parse(const char *text)
{
    json_object *j = json_tokener_parse(text ? text : "");
    cr_assert_not_null(j, "not JSON: %s", text ? text : "(null)");
    return j;
}

json_object *hz_test_json_file(const char *path)
{
    char *text = hz_test_read_file(path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    json_object *j = hz_test_json_parse(text);
    free(text);
    return j;
}

json_object *hz_test_json_at(json_object *root, const char *path)
{
    json_object *cur = root;
    char step[256];
    const char *p = path;
    while (cur && *p) {
        size_t n = strcspn(p, ".");
        cr_assert_lt(n, sizeof step, "path step too long: %s", path);
        memcpy(step, p, n);
        step[n] = '\0';
        p += n + (p[n] == '.');
        if (json_object_is_type(cur, json_type_array)) {
            char *end;
            long i = strtol(step, &end, 10);
            cur = *end || i < 0 ? NULL : json_object_array_get_idx(cur, (size_t)i);
        } else if (!json_object_object_get_ex(cur, step, &cur)) {
            cur = NULL;
        }
    }
    return cur;
}

static json_object *at_typed(json_object *root, const char *path, json_type type)
{
    json_object *v = hz_test_json_at(root, path);
    cr_assert_not_null(v, "no %s in %s", path, json_object_to_json_string(root));
    cr_assert(json_object_is_type(v, type), "%s is %s", path, json_object_to_json_string(v));
    return v;
}

const char *hz_test_json_str(json_object *root, const char *path)
{
    return json_object_get_string(at_typed(root, path, json_type_string));
}

int64_t hz_test_json_int(json_object *root, const char *path)
{
    return json_object_get_int64(at_typed(root, path, json_type_int));
}

bool hz_test_json_bool(json_object *root, const char *path)
{
    return json_object_get_boolean(at_typed(root, path, json_type_boolean));
}

size_t hz_test_json_len(json_object *root, const char *path)
{
    return json_object_array_length(at_typed(root, path, json_type_array));
}

static bool member_is(json_object *o, const char *key, const char *value)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) &&
           !strcmp(json_object_get_string(v), value);
}

json_object *hz_test_json_find(json_object *root, const char *path, const char *key,
                               const char *value)
{
    json_object *a = at_typed(root, path, json_type_array);
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *o = json_object_array_get_idx(a, i);
        if (member_is(o, key, value))
            return o;
    }
    return NULL;
}

size_t hz_test_json_count(json_object *root, const char *path, const char *key,
                          const char *value)
{
    json_object *a = at_typed(root, path, json_type_array);
    size_t n = 0;
    for (size_t i = 0; i < json_object_array_length(a); i++)
        n += member_is(json_object_array_get_idx(a, i), key, value);
    return n;
}

/* The NULL-terminated arguments of ap into args[9]; returns how many. */
static int collect_args(va_list ap, const char *args[9])
{
    int n = 0;
    for (const char *a; n < 9 && (a = va_arg(ap, const char *)) != NULL;)
        args[n++] = a;
    return n;
}

const char *hz_test_msg(hz_lang lang, hz_msg_id id, ...)
{
    static char buf[4096];
    const char *args[9];
    va_list ap;
    va_start(ap, id);
    int n = collect_args(ap, args);
    va_end(ap);
    return hz_msg_format(lang, id, args, n, buf, sizeof buf);
}

const char *hz_test_msg_head(hz_lang lang, hz_msg_id id, ...)
{
    static char buf[4096];
    const char *args[9];
    va_list ap;
    va_start(ap, id);
    int n = collect_args(ap, args);
    va_end(ap);
    size_t len = 0;
    for (const char *t = hz_msg_text(lang, id); *t && len + 1 < sizeof buf;) {
        if (t[0] == '{' && t[1] >= '1' && t[1] <= '9' && t[2] == '}') {
            int k = t[1] - '1';
            if (k >= n)
                break;
            size_t m = strlen(args[k]);
            cr_assert_lt(len + m, sizeof buf);
            memcpy(buf + len, args[k], m);
            len += m;
            t += 3;
        } else {
            buf[len++] = *t++;
        }
    }
    buf[len] = '\0';
    return buf;
}
