/*
 * history.h - appending ticks to the history file (JSON lines in the tick format).
 *
 * The history is append-only. Readers (reader.h) tolerate a torn last line, which a crash in the
 * middle of an append can leave: it is counted as one bad line, never taken for a tick. Writers
 * that need all-or-nothing batches (the stream processor) record the committed length and cut
 * the file back to it on restart (see stream.h).
 */
#ifndef BTCSTREAM_HISTORY_H
#define BTCSTREAM_HISTORY_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * Appends n ticks to path (created if missing, with its directory entry synced), one JSON line
 * each, and fsyncs the file before returning. If the file does not end in a newline (a torn
 * line), one is written first so that the torn line cannot swallow the first new tick.
 * *new_size, when not NULL, receives the file size after the append.
 */
BS_API bs_status bs_history_append(const char *path, const bs_tick *ticks, size_t n,
                                   int64_t *new_size, bs_error *err);

/*
 * Opens path for appending (creating it and syncing its directory when new) and takes its writer
 * lock (flock), so that `import` and the stream processor never interleave their appends.
 * *size receives the size under the lock. Release with bs_history_unlock().
 */
BS_API bs_status bs_history_lock(const char *path, int *fd, int64_t *size, bs_error *err);

/* Appends as bs_history_append() does, through a descriptor from bs_history_lock(). */
BS_API bs_status bs_history_append_fd(int fd, const char *path, const bs_tick *ticks, size_t n,
                                      int64_t *new_size, bs_error *err);

/*
 * The stream processor's guard against other writers after it is killed mid-batch. It marks the
 * history (through a descriptor from a lock) while a batch is uncommitted: owner is its stream
 * folder, NULL clears the mark. If it is killed in between, the mark stays, and
 * bs_history_lock() refuses to append (BS_ERR_CONFIG, naming the folder) until the stream
 * processor has recovered: its recovery cuts the partial batch off, which would also cut rows
 * appended after it. The mark is an extended attribute; where the file system has none, marking
 * does nothing and the guard is off.
 */
BS_API bs_status bs_history_mark_pending(int fd, const char *path, const char *owner,
                                         bs_error *err);

/* bs_history_lock() for the stream processor, which owns the mark and so ignores it. */
BS_API bs_status bs_history_lock_as_stream(const char *path, int *fd, int64_t *size, bs_error *err);

/* Releases the lock and closes the descriptor. */
BS_API void bs_history_unlock(int fd);

/* fsyncs the directory holding path, so that a create or rename in it survives a crash. */
BS_API bs_status bs_sync_parent_dir(const char *path, bs_error *err);

#endif
