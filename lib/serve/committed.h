/*
 * committed.h (private) - what of a data dir's history is committed, and how to wait for more.
 *
 * The one place that knows where committed data lives: the dashboard reads the history only up
 * to `size`, so when the checkpoint or history internals change (issue 10: markets, new layout),
 * this file is the one to re-point. Today:
 *   - with a commit log (DATA/stream/_checkpoint.log, checkpoint.h), the last "commit N S R ..."
 *     line says the history's first S bytes are committed; bytes past S may belong to a batch
 *     that crash recovery will cut back, so they are never read;
 *   - with no log (a history written by `import` alone), the whole file is committed, since
 *     import appends whole lines under the history's lock.
 */
#ifndef BTCSTREAM_SERVE_COMMITTED_H
#define BTCSTREAM_SERVE_COMMITTED_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/market.h"
#include "btcstream/status.h"

typedef struct {
    char history[4200];    /* DATA/markets/SOURCE/SYMBOL/history.json (legacy: bitcoin_combined) */
    char log[4400];        /* STREAM_DIR/_checkpoint.log */
    char quarantine[4400]; /* STREAM_DIR/_quarantine */
    char data_dir[4096];
    char stream_dir[4300];      /* DATA/stream/SOURCE/SYMBOL (legacy: DATA/stream) */
    char market[BS_MARKET_MAX]; /* "" for the legacy layout */
} serve_paths;

typedef struct {
    int has_log;          /* the stream dir has a commit log with a commit line */
    uint64_t batch;       /* the last committed batch, 0 when none */
    int64_t size;         /* history bytes that are committed */
    uint64_t rows;        /* rows of that batch */
    size_t files;         /* files of that batch */
    int64_t commit_us;    /* wall clock when the commit line was written (the log's mtime) */
    uint64_t quarantined; /* files now in the quarantine folder (reasons not counted) */
} serve_commit;

/*
 * Fills the paths of a market in data_dir (market.h): market NULL is the only one there (none yet:
 * the legacy layout), "" the legacy history DATA/bitcoin_combined.json with DATA/stream. BS_ERR_ARG
 * for a bad market, several to choose from, or paths that would not fit.
 */
bs_status serve_paths_init(serve_paths *p, const char *data_dir, const char *market, bs_error *err);

/*
 * Reads what is committed now. A missing history and log give size 0 (nothing yet); a log
 * whose last commit names more bytes than the history holds is BS_ERR_IO (committed data gone).
 */
bs_status serve_committed_read(const serve_paths *p, serve_commit *out, bs_error *err);

/*
 * Waiting for the next commit: inotify on the data and stream folders (appends to the log, the
 * log's replacement when compacted, history writes), or polling every 50 ms where inotify is
 * unavailable or the stream folder does not exist yet. A wake descriptor ends any wait.
 */
typedef struct {
    int fd;        /* inotify, or -1 when polling */
    int stream_wd; /* watch on the stream folder, -1 until it exists */
    int wake_fd;   /* readable: stop waiting */
    int force_poll;
} serve_follow;

void serve_follow_open(serve_follow *f, const serve_paths *p, int force_poll, int wake_fd);
/* Waits until something may have been committed, the wake descriptor fires, or timeout_us. */
void serve_follow_wait(serve_follow *f, const serve_paths *p, int64_t timeout_us);
void serve_follow_close(serve_follow *f);

#endif
