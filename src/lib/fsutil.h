/*
 * fsutil.h - filesystem helpers for atomic, deterministic output.
 *
 * Outputs are never written in place: a temporary file is written in the
 * same folder as the target and renamed over it, so a reader sees either the
 * old file or the whole new one, and a failed run leaves no half-written
 * output (DESIGN §8). Folder listings are sorted bytewise by name so that
 * nothing depends on the OS directory order.
 */
#ifndef HZ_FSUTIL_H
#define HZ_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "hz_status.h"

typedef enum fs_entry_kind { FS_FILE, FS_DIR, FS_OTHER } fs_entry_kind;

typedef struct fs_entry {
    char *name;            /* base name */
    fs_entry_kind kind;    /* from lstat: a symlink is FS_OTHER */
} fs_entry;

typedef struct fs_listing {
    fs_entry *items;
    size_t count, cap;
} fs_listing;

/* Lists dir (without "." and ".."), sorted by strcmp of the names. */
hz_status fs_list_dir(const char *dir, fs_listing *out, hz_error *err);
void fs_listing_free(fs_listing *listing);

/* Calls visit for everything below root that is not a folder, depth first
 * in sorted order, with its path relative to root ("reports/x.pdf") and its
 * kind (FS_FILE or FS_OTHER: symlinks and devices are reported, not
 * followed). A visit that fails stops the walk with its status. */
typedef hz_status (*fs_visit_fn)(void *user, const char *rel, fs_entry_kind kind,
                                 hz_error *err);
hz_status fs_walk(const char *root, fs_visit_fn visit, void *user, hz_error *err);

/* Writes len bytes to path atomically (temp file beside it, fsync, rename). */
hz_status fs_write_atomic(const char *path, const void *data, size_t len, hz_error *err);

/* A new unique temporary path beside target ("DIR/.NAME.tmp-XXXXXX"), created
 * empty with mode 0600 so nobody else takes it; the caller writes it and then
 * calls fs_commit (or removes it). buf receives the path. */
hz_status fs_temp_beside(const char *target, char *buf, size_t size, hz_error *err);
/* Renames tmp over target (the final step of an atomic write). On failure
 * tmp is removed. */
hz_status fs_commit(const char *tmp, const char *target, hz_error *err);

/* A new empty folder beside target ("DIR/.NAME.tmp-XXXXXX") into buf. */
hz_status fs_temp_dir_beside(const char *target, char *buf, size_t size, hz_error *err);

/* Creates dir and its missing parents (like mkdir -p). */
hz_status fs_mkdir_p(const char *dir, hz_error *err);

/* Removes path and everything below it (does not follow symlinks). A missing
 * path is not an error. */
hz_status fs_remove_tree(const char *path, hz_error *err);

/* Reads a whole file into a new NUL-terminated buffer. */
hz_status fs_read_file(const char *path, char **data, size_t *len, hz_error *err);

/* Opens path read-only as an input file, never waiting and never reading
 * a device: stat first (a FIFO, socket, device or folder is
 * HZ_M_IO_NOT_REGULAR at once), then open with O_NONBLOCK (a FIFO swapped
 * in meanwhile does not block) and check again with fstat. The caller owns
 * *fd. Errors name the path (shown escaped, it is untrusted). */
hz_status fs_open_regular(const char *path, int *fd, hz_error *err);
/* fs_open_regular as a stdio stream for reading ("rb"); the caller closes
 * *f. A failing fdopen is HZ_M_IO_OPEN like a failing open. */
hz_status fs_fopen_regular(const char *path, FILE **f, hz_error *err);

/* true when path exists (any kind). */
bool fs_exists(const char *path);
bool fs_is_dir(const char *path);

/* Makes name usable as a file name on every system a county may use: the
 * characters / \ : * ? " < > | and control characters become '_', in place.
 * Names of outputs built from configuration or workbook texts go through
 * it, so no text can steer a path. Returns name. */
char *fs_sanitize_name(char *name);

/* "dir/name" in new memory (the caller frees it); NULL on out-of-memory. */
char *fs_path_join(const char *dir, const char *name);

/* Base name of path (pointer into path). */
const char *fs_base_name(const char *path);

#endif
