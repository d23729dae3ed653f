/* fsutil.c - see fsutil.h. */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hz_text.h"

static int fs_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const fs_entry *)a)->name, ((const fs_entry *)b)->name);
}

hz_status fs_list_dir(const char *dir, fs_listing *out, hz_error *err)
{
    out->items = NULL;
    out->count = out->cap = 0;
    DIR *d = opendir(dir);
    if (!d)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, dir, strerror(errno), NULL);
    struct dirent *de;
    hz_status status = HZ_OK;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items)) {
            status = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        fs_entry *e = &out->items[out->count];
        e->name = strdup(de->d_name);
        if (!e->name) {
            status = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        out->count++;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) != 0)
            e->kind = FS_OTHER;
        else if (S_ISREG(st.st_mode))
            e->kind = FS_FILE;
        else if (S_ISDIR(st.st_mode))
            e->kind = FS_DIR;
        else
            e->kind = FS_OTHER;
        errno = 0;
    }
    if (status == HZ_OK && errno != 0)
        status = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, dir, strerror(errno), NULL);
    closedir(d);
    if (status != HZ_OK) {
        fs_listing_free(out);
        return status;
    }
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, fs_entry_cmp);
    return HZ_OK;
}

void fs_listing_free(fs_listing *listing)
{
    if (!listing)
        return;
    for (size_t i = 0; i < listing->count; i++)
        free(listing->items[i].name);
    free(listing->items);
    listing->items = NULL;
    listing->count = listing->cap = 0;
}

const char *fs_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Splits target into its folder ("." when none) and base name. */
static bool fs_split(const char *target, char *dir, size_t dsize, const char **base)
{
    const char *slash = strrchr(target, '/');
    if (!slash) {
        snprintf(dir, dsize, ".");
        *base = target;
        return true;
    }
    size_t n = (size_t)(slash - target);
    if (n == 0)
        n = 1; /* "/name" */
    if (n >= dsize)
        return false;
    memcpy(dir, target, n);
    dir[n] = '\0';
    *base = slash + 1;
    return true;
}

static hz_status fs_temp_name(const char *target, char *buf, size_t size, hz_error *err)
{
    char dir[4096];
    const char *base;
    if (!fs_split(target, dir, sizeof dir, &base))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, target, strerror(ENAMETOOLONG), NULL);
    int n = snprintf(buf, size, "%s/.%s.tmp-XXXXXX", dir, base);
    if (n < 0 || (size_t)n >= size)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, target, strerror(ENAMETOOLONG), NULL);
    return HZ_OK;
}

hz_status fs_temp_beside(const char *target, char *buf, size_t size, hz_error *err)
{
    hz_status s = fs_temp_name(target, buf, size, err);
    if (s != HZ_OK)
        return s;
    int fd = mkstemp(buf);
    if (fd < 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, target, strerror(errno), NULL);
    close(fd);
    return HZ_OK;
}

hz_status fs_temp_dir_beside(const char *target, char *buf, size_t size, hz_error *err)
{
    hz_status s = fs_temp_name(target, buf, size, err);
    if (s != HZ_OK)
        return s;
    if (!mkdtemp(buf))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, target, strerror(errno), NULL);
    return HZ_OK;
}

hz_status fs_commit(const char *tmp, const char *target, hz_error *err)
{
    if (rename(tmp, target) != 0) {
        int e = errno;
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, tmp, target, strerror(e), NULL);
    }
    return HZ_OK;
}

hz_status fs_write_atomic(const char *path, const void *data, size_t len, hz_error *err)
{
    char tmp[4200];
    hz_status s = fs_temp_beside(path, tmp, sizeof tmp, err);
    if (s != HZ_OK)
        return s;
    int fd = open(tmp, O_WRONLY | O_TRUNC);
    if (fd < 0) {
        int e = errno;
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(e), NULL);
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(e), NULL);
        }
        p += w;
        left -= (size_t)w;
    }
    /* Files of the out folder are meant to be read by others (0644), not
     * kept private like mkstemp's 0600. */
    fchmod(fd, 0644);
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(e), NULL);
    }
    return fs_commit(tmp, path, err);
}

hz_status fs_mkdir_p(const char *dir, hz_error *err)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, dir, strerror(ENAMETOOLONG), NULL);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, dir, strerror(errno), NULL);
        buf[i] = saved;
    }
    if (!fs_is_dir(dir))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, dir, strerror(ENOTDIR), NULL);
    return HZ_OK;
}

hz_status fs_remove_tree(const char *path, hz_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? HZ_OK
                   : hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(errno), NULL);
    if (S_ISDIR(st.st_mode)) {
        fs_listing list;
        hz_status s = fs_list_dir(path, &list, err);
        if (s != HZ_OK)
            return s;
        for (size_t i = 0; i < list.count && s == HZ_OK; i++) {
            char child[4096];
            int n = snprintf(child, sizeof child, "%s/%s", path, list.items[i].name);
            if (n < 0 || (size_t)n >= sizeof child)
                s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(ENAMETOOLONG),
                                 NULL);
            else
                s = fs_remove_tree(child, err);
        }
        fs_listing_free(&list);
        if (s != HZ_OK)
            return s;
        if (rmdir(path) != 0)
            return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(errno), NULL);
        return HZ_OK;
    }
    if (unlink(path) != 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, path, strerror(errno), NULL);
    return HZ_OK;
}

hz_status fs_read_file(const char *path, char **data, size_t *len, hz_error *err)
{
    *data = NULL;
    if (len)
        *len = 0;
    /* never a FIFO or device: an archive or configuration folder is not
     * trusted to hold only files */
    FILE *f;
    hz_status opened = fs_fopen_regular(path, &f, err);
    if (opened != HZ_OK)
        return opened;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (!hz_array_reserve(&buf, &cap, n + 4096, 1)) {
            free(buf);
            fclose(f);
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_READ, path, strerror(EIO), NULL);
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return HZ_OK;
}

bool fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *fs_sanitize_name(char *name)
{
    for (unsigned char *p = (unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p))
            *p = '_';
    return name;
}

static hz_status walk_below(const char *root, const char *rel, fs_visit_fn visit, void *user,
                            hz_error *err)
{
    char dir[8192], child[4096];
    int n = snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    if (n < 0 || (size_t)n >= sizeof dir)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, rel, strerror(ENAMETOOLONG), NULL);
    fs_listing list;
    hz_status s = fs_list_dir(dir, &list, err);
    for (size_t i = 0; s == HZ_OK && i < list.count; i++) {
        n = snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", list.items[i].name);
        if (n < 0 || (size_t)n >= sizeof child)
            s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, list.items[i].name,
                             strerror(ENAMETOOLONG), NULL);
        else if (list.items[i].kind == FS_DIR)
            s = walk_below(root, child, visit, user, err);
        else
            s = visit(user, child, list.items[i].kind, err);
    }
    fs_listing_free(&list);
    return s;
}

hz_status fs_walk(const char *root, fs_visit_fn visit, void *user, hz_error *err)
{
    return walk_below(root, "", visit, user, err);
}

/* The message naming what kind of file path is instead of a regular one
 * (one message per kind, so the kind is said in the user's language). */
static hz_msg_id not_regular_msg(mode_t mode)
{
    if (S_ISDIR(mode))
        return HZ_M_IO_NOT_REGULAR_DIR;
    if (S_ISFIFO(mode))
        return HZ_M_IO_NOT_REGULAR_FIFO;
    if (S_ISSOCK(mode))
        return HZ_M_IO_NOT_REGULAR_SOCKET;
    if (S_ISCHR(mode))
        return HZ_M_IO_NOT_REGULAR_CHAR;
    if (S_ISBLK(mode))
        return HZ_M_IO_NOT_REGULAR_BLOCK;
    return HZ_M_IO_NOT_REGULAR;
}

hz_status fs_open_regular(const char *path, int *fd, hz_error *err)
{
    *fd = -1;
    struct stat st;
    if (stat(path, &st) != 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, path, strerror(errno), NULL);
    if (!S_ISREG(st.st_mode))
        return hz_error_set(err, HZ_ERR_IO, not_regular_msg(st.st_mode), path, NULL);
    int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (f < 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, path, strerror(errno), NULL);
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        hz_status s = hz_error_set(err, HZ_ERR_IO, not_regular_msg(st.st_mode), path, NULL);
        close(f);
        return s;
    }
    /* regular files ignore O_NONBLOCK, but clear it all the same */
    int flags = fcntl(f, F_GETFL);
    if (flags >= 0)
        (void)fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
    *fd = f;
    return HZ_OK;
}

hz_status fs_fopen_regular(const char *path, FILE **f, hz_error *err)
{
    *f = NULL;
    int fd;
    hz_status s = fs_open_regular(path, &fd, err);
    if (s != HZ_OK)
        return s;
    if (!(*f = fdopen(fd, "rb"))) {
        int saved = errno;
        close(fd);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, path, strerror(saved), NULL);
    }
    return HZ_OK;
}

char *fs_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}
