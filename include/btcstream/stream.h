/*
 * stream.h - the stream processor: new files in the stream directory, in micro-batches, into the
 * history exactly once (the protocol is in checkpoint.h), with live aggregates kept as it goes.
 *
 * Like Spark's file source, it finds new files (by inotify, or by polling where inotify is not
 * available), groups them into a batch per trigger (at most max_files_per_trigger files), and
 * ignores names starting with '.' or '_'. Unlike it, a crash at any instant loses and duplicates
 * nothing, and a file it cannot read goes to _quarantine/ with a NAME.reason file instead of
 * stopping the stream. Ticks older than the hour the live view has reached are "late": they are
 * stored and counted like any other, and the batch tables include them. The live view starts
 * from the history's tail (its last 8 MiB), so a restart continues the current hour and day.
 */
#ifndef BTCSTREAM_STREAM_H
#define BTCSTREAM_STREAM_H

#include "btcstream/export.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "btcstream/aggregate.h"
#include "btcstream/bus.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * The most files one batch takes when max_files_per_trigger is 0. A backlog (a stream processor
 * that was down for days) then drains in bounded batches: memory, the commit line and the time
 * until the first commit stay small, and a crash redoes at most this much.
 */
#define BS_STREAM_MAX_BATCH_FILES 10000

typedef struct {
    uint64_t batch;       /* batch number, from 1, continuing across restarts */
    const bs_tick *ticks; /* the batch's new rows, in time order */
    size_t rows;
    size_t files;                    /* files in the batch */
    size_t quarantined;              /* of which moved to _quarantine/ */
    uint64_t bad_lines;              /* bad lines in the batch's files */
    size_t late;                     /* rows older than the live hour before this batch */
    bs_span_stats hour, day, window; /* live views around the newest tick seen */
    int64_t commit_us;               /* when the batch became durable (monotonic clock) */
    size_t duplicates; /* ticks not appended: the history held their instant already (a history
                          keeps one tick per instant, the first stored, as `import` does) */
    const char *market; /* the batch's market (market.h); "" for the legacy history, NULL for a
                           stream run on one folder without a market (bs_stream_options) */
} bs_batch_report;

/*
 * The steps of one batch, in order. A test hook (on_step) is told of each, so that tests can kill
 * the processor at every one of them and check that recovery loses and repeats nothing.
 */
typedef enum {
    BS_STREAM_STEP_READ,      /* the batch's files are read; nothing is written yet */
    BS_STREAM_STEP_BEGUN,     /* the history is marked and the begin line is durable */
    BS_STREAM_STEP_APPENDED,  /* the ticks are in the history, synced, not committed */
    BS_STREAM_STEP_COMMITTED, /* the commit line is durable; no file has moved yet */
    BS_STREAM_STEP_MOVED_ONE, /* the first file has moved, the others not yet */
    BS_STREAM_STEP_DONE,      /* every file has moved */
} bs_stream_step;

/* Called after each committed batch. Return non-zero to stop the stream. */
typedef int (*bs_batch_fn)(void *ctx, const bs_batch_report *report);

/* Called with a one-line message about a file that was quarantined or a passing problem. */
typedef void (*bs_notice_fn)(void *ctx, const char *message);

typedef struct {
    const char *stream_dir;       /* default "Data/stream" */
    const char *history;          /* default "Data/bitcoin_combined.json" */
    int64_t trigger_us;           /* time between batches; 0: a batch as soon as files arrive */
    size_t max_files_per_trigger; /* 0: all waiting, up to BS_STREAM_MAX_BATCH_FILES */
    int until_idle;               /* stop when no file is waiting */
    int64_t duration_us;          /* stop after this long; 0: run until stopped */
    int poll;                     /* force polling instead of inotify */
    bs_aggregate_options windows; /* for the live moving-average view */
    /* Retention of _processed/ (stream_retention.h): files older than retain_us, and the oldest
     * beyond retain_files, are removed now and then. 0 lifts that limit. */
    int64_t retain_us;   /* default 7 days */
    size_t retain_files; /* default 100,000 */
    /* When it becomes non-zero, finish the batch and return. Set from a signal handler or from
     * another thread: an atomic_int (lock-free on every platform we build for) is safe for both,
     * where a volatile sig_atomic_t is a data race between threads. */
    atomic_int *stop;
    const int *wake_fd; /* NULL, or a descriptor made readable when *stop is set from another
                           thread: the stream stops waiting for files at once (signals already
                           interrupt the wait) */
    bs_batch_fn on_batch;
    bs_notice_fn on_notice;
    void (*on_step)(void *ctx, bs_stream_step step); /* a test hook; NULL normally */
    void *ctx;
    /* When not NULL, batches come from this JetStream consumer (bus.h) instead of stream files:
     * stream_dir then holds only the checkpoint log and the quarantine (dead letters). */
    bs_bus_consumer *bus;
    /*
     * Markets (docs/markets.md). When data_dir is not NULL, stream_dir is the stream root and
     * every market folder in it, STREAM_ROOT/SOURCE/SYMBOL_ENC/, is processed into that market's
     * history DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json, each with its own checkpoint log
     * in its folder; files lying in STREAM_ROOT itself go to DATA_DIR/bitcoin_combined.json (the
     * legacy history) and history is not used. Folders appearing later are picked up;
     * until_idle waits until every folder is idle. Not with bus.
     */
    const char *data_dir;
    /*
     * The market of stream_dir when data_dir is NULL: a line naming another market ("Market")
     * sets its file aside in _quarantine/ whole, so that markets never mix; "" refuses every line
     * that names one; NULL (the default) takes every line, as before markets.
     */
    const char *market;
} bs_stream_options;

typedef struct {
    uint64_t batches, rows, files, quarantined, bad_lines, late;
    uint64_t duplicates;  /* ticks dropped: their instant was stored already */
    uint64_t pruned;      /* files removed from _processed/ by retention */
    uint64_t redelivered; /* bus messages delivered again after their batch had committed */
} bs_stream_totals;

/* Defaults as documented above: trigger 1 s, no file limit, run until stopped. */
BS_API bs_stream_options bs_stream_defaults(void);

/*
 * Recovers from any earlier crash, then processes batches until stopped (stop flag, duration,
 * until_idle, or the callback). Returns BS_OK when stopped, an error when the history or the
 * checkpoint cannot be written (the batch in hand is then not committed and will be redone).
 */
BS_API bs_status bs_stream_run(const bs_stream_options *opts, bs_stream_totals *totals,
                               bs_error *err);

#endif
