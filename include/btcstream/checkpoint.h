/*
 * checkpoint.h - the stream processor's commit log: what makes a micro-batch count exactly once.
 *
 * The log (STREAM_DIR/_checkpoint.log) holds one line per step, appended and fsync'd:
 *   begin N S          batch N is about to append to a history of S bytes
 *   commit N S R F...  batch N is in the history, which is now S bytes (R rows); F are its files,
 *                      each "P:INO:MTIME:NAME" (to _processed/) or "Q:INO:MTIME:NAME" (to
 *                      _quarantine/), INO and MTIME (ns) being the identity of the file read
 * A batch is committed exactly when its commit line is durable. Recovery after a crash at any
 * instant:
 *   - a torn last line was never acknowledged: it is cut off;
 *   - a begin with no commit after it means the append may be partial: the history is cut back to
 *     S, the begin line dropped, and the batch's files (still in the stream directory, since
 *     files move only after commit) are simply read again;
 *   - after a commit, the files it names that are still in the stream directory are moved now.
 * Each file is thus either not yet in the history and still in the stream directory, or in the
 * history exactly once and on its way out: no crash can lose or duplicate a tick. The history may
 * grow past the last commit's size through `import` (which appends under the same lock); only a
 * history shorter than the log says is an error, since that means data we committed is gone.
 *
 * Names alone do not identify a file: a producer restarted within the same second, or a second
 * replay of overlapping data, writes a new file under a name that an earlier batch committed.
 * Recovery therefore moves a file only when its inode and modification time are the ones the
 * commit recorded, and a move never replaces a file already in _processed/ or _quarantine/
 * (the newcomer is kept as NAME.INO). Recovery replays every commit line still in the log, not
 * just the last, so a move lost with the page cache (power loss) is redone; the log is compacted
 * to its last commit only after the three directories have been synced, which makes the moves of
 * the dropped lines durable first. Per batch this costs three fsyncs (begin, history, commit) and
 * no directory sync.
 *
 * Other writers (`import`) append under the history's lock, which recovery holds too. A crash in
 * the middle of a batch leaves the history marked (bs_history_mark_pending() in history.h), and
 * other writers refuse to append until recovery has cut the partial batch off, since that cut
 * would take their rows with it. Where the file system has no extended attributes the mark is
 * unavailable: run `btcstream stream --until-idle` once after a crash before importing.
 */
#ifndef BTCSTREAM_CHECKPOINT_H
#define BTCSTREAM_CHECKPOINT_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef struct {
    char log_path[4096];
    char stream_dir[4096];
    uint64_t last_batch;  /* the last committed batch number, 0 when none */
    int64_t history_size; /* the history's size after that commit */
    /* What bs_checkpoint_open() found: an interrupted batch (0: none) and the bytes of it it cut
     * from the history. */
    uint64_t interrupted_batch;
    int64_t cut_bytes;
    int lock_fd; /* holds STREAM_DIR/_checkpoint.lock: one stream processor a folder */
} bs_checkpoint;

/* A file of a batch and where it goes once the batch commits. */
typedef struct {
    const char *name;
    int quarantine;   /* non-zero: to _quarantine/ (some or all of its lines were bad) */
    uint64_t ino;     /* identity of the file that was read (bs_checkpoint_identify()); */
    int64_t mtime_ns; /* ino 0: unknown (an old log), the file is moved by name alone */
} bs_checkpoint_file;

/*
 * Fills f->ino and f->mtime_ns from STREAM_DIR/f->name. Call it before reading the file, so that
 * what is committed is the identity of what was read. BS_ERR_IO if the file cannot be stat'ed.
 */
BS_API bs_status bs_checkpoint_identify(const bs_checkpoint *cp, bs_checkpoint_file *f,
                                        bs_error *err);

/*
 * Opens the log of stream_dir (creating _processed/ and _quarantine/) and recovers from any
 * crash as described above, cutting the history at history_path back when needed. Takes the
 * folder's lock first: while cp is open, another bs_checkpoint_open() of the folder, in this
 * process or another, fails with BS_ERR_CONFIG. The caller holds the history's lock (history.h)
 * so that no other writer appends while recovery cuts. Close with bs_checkpoint_close().
 */
BS_API bs_status bs_checkpoint_open(bs_checkpoint *cp, const char *stream_dir,
                                    const char *history_path, bs_error *err);

/* Releases the folder's lock; accepts NULL and a checkpoint closed already. */
BS_API void bs_checkpoint_close(bs_checkpoint *cp);

/* Appends and syncs "begin N S". */
BS_API bs_status bs_checkpoint_begin(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                                     bs_error *err);

/* Appends and syncs the commit line: after this returns, the batch counts. */
BS_API bs_status bs_checkpoint_commit(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                                      uint64_t rows, const bs_checkpoint_file *files, size_t count,
                                      bs_error *err);

/*
 * Moves a committed batch's files out of the stream directory (idempotent): a file whose identity
 * no longer matches, or that is gone, is left alone.
 */
BS_API bs_status bs_checkpoint_move_files(const bs_checkpoint *cp, const bs_checkpoint_file *files,
                                          size_t count, bs_error *err);

#endif
