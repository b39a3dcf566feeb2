/*
 * checkpoint.h - the stream processor's commit log: what makes a micro-batch count exactly once.
 *
 * The log (STREAM_DIR/_checkpoint.log) holds one line per step, appended and fsync'd:
 *   begin N S          batch N is about to append to a history of S bytes
 *   commit N S R F...  batch N is in the history, which is now S bytes (R rows); F are its files,
 *                      each "P:INO:MTIME:NAME" (to _processed/) or "Q:INO:MTIME:NAME" (to
 *                      _quarantine/), INO and MTIME (ns) being the identity of the file read, or
 *                      for a batch from the bus "J:SEQ", the stream sequence of its last message
 * A batch is committed exactly when its commit line is durable. Recovery after a crash at any
 * instant, recovery itself included:
 *   - a torn last line was never acknowledged: it is cut off;
 *   - a begin with no commit after it means the append may be partial: the history is cut back to
 *     S (bs_history_cut(), synced), and only then is the begin line dropped from the log. This is
 *     the rule recovery lives by: **a begin line is removed only after the history is durably
 *     cut to its size**, since it is the only record of where the batch began. Killed between the
 *     two, the next recovery finds the same begin line and a history already cut, and cuts
 *     nothing more. The batch's files (still in the stream directory, since files move only after
 *     commit) are simply read again;
 *   - after a commit, the files it names that are still in the stream directory are moved now.
 * Each file is thus either not yet in the history and still in the stream directory, or in the
 * history exactly once and on its way out: no crash can lose or duplicate a tick. The history may
 * grow past the last commit's size through `import` (which appends under the same lock); only a
 * history shorter than the log says is an error, since that means data we committed is gone.
 *
 * A file read must be the file committed: its inode, modification time and size are taken before
 * it is read and again after; a file that changed in between (written in place instead of under
 * a dot-name and renamed) contributes nothing and goes to _quarantine/ with a reason. A file whose
 * inode is the one committed but whose modification time moved on was written to after it was
 * read: its new lines were never committed, and reading it again would commit its old ones twice,
 * so it too goes to _quarantine/ with a reason instead of _processed/.
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
 * Other writers (`import`, another stream folder's processor) append under the history's lock,
 * which recovery holds too. While a batch is uncommitted the history is marked (history.h) with
 * this folder and the batch's starting size: a crash leaves the mark, other writers refuse to
 * append until this processor has recovered (its cut would take their rows with it), and readers
 * read only up to the starting size, so the cut can never pull a mapped page from under them.
 * Where the file system has no extended attributes there is no mark: other writers are then not
 * held off after a crash (run `btcstream stream --until-idle` once after a crash before
 * importing), and readers keep a shared lock on the history while they read, which holds
 * recovery's cut off until they finish.
 */
#ifndef BTCSTREAM_CHECKPOINT_H
#define BTCSTREAM_CHECKPOINT_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef struct {
    char log_path[4096];
    char owner[4096]; /* the folder's real path: the name the history's mark gives it */
    char stream_dir[4096];
    uint64_t last_batch;  /* the last committed batch number, 0 when none */
    int64_t history_size; /* the history's size after that commit */
    /* What bs_checkpoint_open() found: an interrupted batch (0: none) and the bytes of it it cut
     * from the history. */
    uint64_t interrupted_batch;
    int64_t cut_bytes;
    uint64_t bus_seq; /* the bus stream sequence the last commit recorded (0: none) */
    int lock_fd;      /* holds STREAM_DIR/_checkpoint.lock: one stream processor a folder */
} bs_checkpoint;

/* A file of a batch and where it goes once the batch commits. */
typedef struct {
    const char *name;
    int quarantine;   /* non-zero: to _quarantine/ (some or all of its lines were bad) */
    uint64_t ino;     /* identity of the file that was read (bs_checkpoint_identify()); */
    int64_t mtime_ns; /* ino 0: unknown (an old log), the file is moved by name alone */
    int64_t size;     /* its size when identified (not logged: compared after the read) */
} bs_checkpoint_file;

/*
 * Fills f->ino, f->mtime_ns and f->size from STREAM_DIR/f->name. Call it before reading the file,
 * so that what is committed is the identity of what was read, and again after, to find a file that
 * changed while it was read. BS_ERR_IO if the file cannot be stat'ed.
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
 * bs_checkpoint_commit() with the transport's position: "J:SEQ" for a batch from the bus, the
 * JetStream stream sequence of its last message (bs_checkpoint.bus_seq after recovery), or NULL.
 */
BS_API bs_status bs_checkpoint_commit_at(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                                         uint64_t rows, const bs_checkpoint_file *files,
                                         size_t count, const char *position, bs_error *err);

/*
 * Moves a committed batch's files out of the stream directory (idempotent): a file whose identity
 * no longer matches, or that is gone, is left alone.
 */
BS_API bs_status bs_checkpoint_move_files(const bs_checkpoint *cp, const bs_checkpoint_file *files,
                                          size_t count, bs_error *err);

#endif
