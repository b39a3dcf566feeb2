/*
 * state.h (private) - what the dashboard knows, shared by the follower thread (the only writer)
 * and the HTTP threads (readers), all under one mutex held for microseconds at a time.
 *
 * It keeps the most recent ticks in a ring (ids are 1-based positions in the history), the
 * analytics over every committed tick (an aggregate.h accumulator for the daily and moving-
 * average rows; the newest calendar hour's OHLC row tracked exactly, since a tick of an older
 * hour can never change it), the persistence forecast's running error, the last batch's health,
 * and the summary JSON, rebuilt once per commit so that N clients do not build it N times.
 */
#ifndef BTCSTREAM_SERVE_STATE_H
#define BTCSTREAM_SERVE_STATE_H

#include <pthread.h>
#include <stdint.h>

#include "btcstream/aggregate.h"
#include "btcstream/tick.h"
#include "committed.h"
#include "text_buf.h"

/* commit-to-publish latency buckets (seconds), Prometheus histogram upper bounds */
#define SERVE_LATENCY_BUCKETS 12
extern const double serve_latency_bounds[SERVE_LATENCY_BUCKETS];

#define SERVE_RATE_BATCHES 64

typedef struct {
    int64_t start_us, open_ts, close_ts;
    double open, high, low, close, sum;
    uint64_t count;
} serve_hour_row;

typedef struct {
    int loaded;
    int64_t mtime_ns; /* of the folder when read, to read it again only when replaced */
    int64_t ts_us;
    double actual, prediction, baseline; /* last row */
    double model_rmse, baseline_rmse;
    size_t rows;
} serve_model_forecast;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* broadcast on each commit and on stop */
    int stopping;
    char market[128];
    char predictions_dir[4096];

    uint64_t epoch; /* bumped when the history shrank and everything was read again */
    bs_tick *ring;
    size_t cap, count;
    uint64_t last_id; /* ids (last_id - count, last_id] are in the ring */

    bs_aggregate *agg;
    serve_hour_row hour;
    int64_t newest_us; /* newest tick time, INT64_MIN before the first */
    uint64_t late, ticks_total;
    double last_close, prev_close, persist_sse;
    uint64_t persist_n;
    serve_model_forecast model;

    serve_commit commit;   /* the last commit seen */
    int64_t read_size;     /* history bytes read (== commit.size once caught up) */
    int64_t observed_us;   /* wall clock when the last commit was published */
    uint64_t batches_seen; /* commits published since start (the initial load not counted) */
    uint64_t rate_rows[SERVE_RATE_BATCHES];
    int64_t rate_at[SERVE_RATE_BATCHES];
    size_t rate_next;
    uint64_t latency_buckets[SERVE_LATENCY_BUCKETS]; /* non-cumulative counts */
    uint64_t latency_count;
    double latency_sum;
    char last_error[256]; /* the follower's last read error, "" when fine */

    size_t clients, max_clients;
    uint64_t clients_total, clients_rejected;
    text_buf summary;         /* JSON, rebuilt per commit */
    uint64_t summary_version; /* bumped with each rebuild: streams send a summary-only event */
} serve_state;

bs_status serve_state_init(serve_state *s, size_t recent_ticks, const char *market,
                           const char *predictions_dir, bs_error *err);
void serve_state_free(serve_state *s);

/* Forgets every tick (the history shrank); ids start again from 1 in a new epoch. Locks. */
void serve_state_reset(serve_state *s);
/* Adds committed ticks in history order. Locks. BS_ERR_NOMEM only from the accumulator. */
bs_status serve_state_add(serve_state *s, const bs_tick *ticks, size_t n);
/*
 * Publishes a commit: health, the summary, and wakes every event stream. `live` counts it as a
 * batch of `rows` new ticks (latency histogram, rate); the initial load is not one. Locks.
 */
void serve_state_publish(serve_state *s, const serve_commit *c, int64_t read_size, uint64_t rows,
                         int live);
/* Reads the model's predictions again if their folder was replaced; publishes when it was. */
void serve_state_refresh_model(serve_state *s);
/* Records a read error to show in the health panel ("" clears it). Locks. */
void serve_state_set_error(serve_state *s, const char *msg);
/* Wakes every waiting stream for shutdown. Locks. */
void serve_state_stop(serve_state *s);

/* Copies the summary JSON into out. Locks. */
void serve_state_summary(serve_state *s, text_buf *out);
/*
 * {"epoch":E,"first_id":F,"last_id":N,"ticks":[...]}: up to limit ticks after `after` (UINT64_MAX:
 * the last `limit`). Each tick is {"id","t" (us),"c","o","h","l","v"}; compact: only id, t, c.
 * Locks.
 */
void serve_state_ticks(serve_state *s, uint64_t after, size_t limit, int compact, text_buf *out);
/* Appends ticks (after, last_id] (at most limit) as a JSON array; caller holds the lock. */
void serve_state_ticks_locked(serve_state *s, uint64_t after, size_t limit, int compact,
                              text_buf *out);

#endif
