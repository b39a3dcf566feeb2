/*
 * fsutil.h - the few file-system steps that crash safety rests on, in one place.
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
 * Writes data to dir/name atomically: to a dot-name in dir first, then renamed into place, so
 * that a reader never sees a partial file. With sync, the data is fsync'd before the rename.
 * With no_replace, an existing dir/name is left alone and BS_ERR_IO is returned with errno EEXIST.
 */
BS_API bs_status bs_write_file_atomic(const char *dir, const char *name, const char *data,
                                      size_t len, int sync, int no_replace, bs_error *err);

#endif
