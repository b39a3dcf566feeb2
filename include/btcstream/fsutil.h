/*
 * fsutil.h - the few file-system steps that crash safety rests on, in one place.
 *
 * Every output file (Parquet, ZIP, PNG, model, reason files, the compacted checkpoint log, stream
 * files) is written through bs_atomic_file: to a temporary name beside the target (".NAME.tmp-PID"
 * in the same folder, so the rename never crosses file systems), fsync'd, renamed over the target
 * and the folder fsync'd. A crash or an error at any step leaves the earlier target as it was, or
 * the new one whole, never a mix; a reader never sees a partial file.
 */
#ifndef BTCSTREAM_FSUTIL_H
#define BTCSTREAM_FSUTIL_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"

/* Creates dir and its missing parents (like mkdir -p). */
BS_API bs_status bs_mkdirs(const char *dir, bs_error *err);

/* fsyncs a directory, so that creates and renames in it survive a crash. */
BS_API bs_status bs_sync_dir(const char *dir, bs_error *err);

/*
 * A file being written atomically. Fields are private; the struct is public so that it can live on
 * the caller's stack.
 */
typedef struct {
    int fd;          /* -1 when not open */
    char path[4096]; /* the target */
    char tmp[4200];  /* the temporary name beside it; "" when written directly (below) */
    int direct;      /* the target is no regular file (a device, a pipe): written in place */
} bs_atomic_file;

/* Flags for bs_atomic_commit(). */
enum {
    BS_ATOMIC_NO_SYNC = 1,     /* no fsync at all: for files a crash may cost (reason files) */
    BS_ATOMIC_NO_DIR_SYNC = 2, /* the data is synced, the folder is the caller's business */
    BS_ATOMIC_NO_REPLACE = 4,  /* fail with BS_ERR_IO, errno EEXIST, if the target exists */
};

/*
 * Creates the temporary file for path. A target that exists and is not a regular file (a device
 * such as /dev/stdout or /dev/full, a pipe) is opened and written in place instead: renaming
 * over it would replace the device, and there is nothing to make atomic. On failure f is left
 * closed (bs_atomic_abort is a no-op).
 */
BS_API bs_status bs_atomic_open(bs_atomic_file *f, const char *path, bs_error *err);

/* Writes all of data (retrying short writes). Errors name the target. */
BS_API bs_status bs_atomic_write(bs_atomic_file *f, const void *data, size_t len, bs_error *err);

/*
 * Syncs, closes and renames the temporary file over the target, then syncs the folder. On an error
 * the temporary file is removed and the target is untouched. f is closed either way.
 */
BS_API bs_status bs_atomic_commit(bs_atomic_file *f, int flags, bs_error *err);

/* Closes and removes the temporary file; accepts a file committed or never opened. */
BS_API void bs_atomic_abort(bs_atomic_file *f);

/* The folder part of path ("." when it has none) into dir (size bytes). */
BS_API void bs_path_dir(const char *path, char *dir, size_t size);

/*
 * A whole buffer as dir/name through bs_atomic_file. With sync, the data is fsync'd before the
 * rename (the folder is not: the stream's callers sync folders themselves); without, nothing is.
 * With no_replace, an existing dir/name is left alone and BS_ERR_IO is returned with errno EEXIST.
 */
BS_API bs_status bs_write_file_atomic(const char *dir, const char *name, const char *data,
                                      size_t len, int sync, int no_replace, bs_error *err);

#endif
