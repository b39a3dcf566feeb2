/*
 * history.h - appending ticks to the history file (JSON lines in the tick format).
 *
 * The history grows by appends, and shrinks only when a writer's uncommitted append is cut off
 * by recovery, through bs_history_cut() and nothing else. Every write happens under the history's
 * lock (an flock), between a mark and its clearing (below), so a reader that takes the readable
 * size (bs_history_readable_size()) sees only rows that count and is never hit by a cut. Readers
 * (reader.h) tolerate a torn last line: it is counted as one bad line, never taken for a tick.
 */
#ifndef BTCSTREAM_HISTORY_H
#define BTCSTREAM_HISTORY_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * Appends n ticks to path (created if missing, with its directory entry synced) all or nothing,
 * as an import does: under the lock, marked while it writes, cut back on a failure, and the kill
 * of the process recovered by the next writer (see the mark below). *new_size, when not NULL,
 * receives the file size after the append.
 */
BS_API bs_status bs_history_append(const char *path, const bs_tick *ticks, size_t n,
                                   int64_t *new_size, bs_error *err);

/*
 * bs_history_append() through a descriptor from bs_history_lock() whose size under the lock was
 * size_before: marks, appends, syncs, clears the mark; on a failure cuts the history back to
 * size_before and clears the mark, so the history is as it was.
 */
BS_API bs_status bs_history_append_marked(int fd, const char *path, int64_t size_before,
                                          const bs_tick *ticks, size_t n, int64_t *new_size,
                                          bs_error *err);

/*
 * Opens path for appending (creating it and syncing its directory when new) and takes its writer
 * lock (flock), so that `import` and the stream processor never interleave their appends.
 * *size receives the size under the lock. Release with bs_history_unlock().
 */
BS_API bs_status bs_history_lock(const char *path, int *fd, int64_t *size, bs_error *err);

/*
 * Appends n ticks through a descriptor from a lock, one JSON line each, and fsyncs the file
 * before returning. If the file does not end in a newline (a torn line), one is written first so
 * that the torn line cannot swallow the first new tick. No mark: the caller marks (below).
 */
BS_API bs_status bs_history_append_fd(int fd, const char *path, const bs_tick *ticks, size_t n,
                                      int64_t *new_size, bs_error *err);

/*
 * The guard against other writers while an append is not yet committed. A writer marks the history
 * (through a descriptor from a lock) before it appends and clears the mark once its rows count:
 * owner names it (the stream processor's folder, or BS_HISTORY_IMPORT_OWNER), size_before is the
 * size its rows start at, and a NULL owner clears the mark. A writer killed in between leaves the
 * mark, and with it the length that no reader may trust and that recovery cuts back to:
 *   - a stream processor's mark is recovered by that processor (its checkpoint log knows whether
 *     the batch committed); until then every other writer refuses to append (BS_ERR_CONFIG,
 *     naming the folder and the command that recovers it), since the cut would take their rows;
 *   - an import's mark is recovered by the next writer that locks the history: an import counts
 *     only once its mark is cleared, so its partial rows are cut off (history.c).
 * The mark is an extended attribute. Setting it for an import is synced before the rows are
 * written, and clearing it is synced before the import reports success, so a power loss can
 * neither orphan rows nor cut committed ones. Where the file system has no extended attributes,
 * marking does nothing: a killed import then leaves a torn last line (which readers skip and the
 * next append closes), and a killed stream batch is recovered only by its own processor.
 */
#define BS_HISTORY_IMPORT_OWNER "import"

/* Sets the mark described above (owner and size_before) or, with a NULL owner, clears it. */
BS_API bs_status bs_history_mark_pending(int fd, const char *path, const char *owner,
                                         int64_t size_before, bs_error *err);

/*
 * bs_history_lock() for the stream processor of stream_dir, which owns its own mark (its
 * recovery decides what to cut) and so ignores it; another folder's mark is refused as above.
 */
BS_API bs_status bs_history_lock_as_stream(const char *path, const char *stream_dir, int *fd,
                                           int64_t *size, bs_error *err);

/*
 * Cuts the history back to size, for a writer that holds the lock, and syncs the cut: when this
 * returns BS_OK the bytes past size are gone for good, and only then may the record that asked
 * for the cut be dropped (checkpoint.h). BS_ERR_IO names the file when truncate or fsync fails.
 */
BS_API bs_status bs_history_cut(const char *path, int64_t size, bs_error *err);

/*
 * The length of the history that a reader may map: what no recovery can take back. Takes a shared
 * lock for a moment (so no append is half done), reads the size, and lowers it to the start of a
 * pending write left by a killed writer. A reader that maps only this much can never be hit by
 * a truncation (SIGBUS), since every cut is back to the start of a write begun after it. Where
 * the file system has no extended attributes this cannot be known: *hold_lock is then set and the
 * caller keeps the shared lock (taken on fd) for as long as it reads, which holds recovery off.
 */
BS_API bs_status bs_history_readable_size(int fd, const char *path, int64_t *size, int *hold_lock,
                                          bs_error *err);

/* Releases the lock and closes the descriptor. */
BS_API void bs_history_unlock(int fd);

/* fsyncs the directory holding path, so that a create or rename in it survives a crash. */
BS_API bs_status bs_sync_parent_dir(const char *path, bs_error *err);

#endif
