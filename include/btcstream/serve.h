/*
 * serve.h - the live dashboard: an HTTP server that shows a data dir's committed history as it
 * grows (`btcstream serve`, `btcstream run --serve`).
 *
 * Routes (all GET; anything else is 404, or 405 for another method): `/` the page and its two
 * embedded assets (`/app.js`, `/uplot.js`, `/style.css`), `/events` Server-Sent Events,
 * `/api/summary`, `/api/ticks`, `/api/markets` (JSON, see docs/dashboard.md) and `/metrics`
 * (Prometheus text format 0.0.4). No path from a URL ever reaches the file system: every body
 * is built in memory or embedded in the binary.
 *
 * What is shown is only what the stream processor has committed (checkpoint.h): a follower
 * thread watches the commit log and reads the history up to the last committed size, never
 * past it, so a batch that crash recovery may still cut back is never shown. Each tick gets an
 * id (its 1-based position in the history); `/events` sends, per event, the ticks after the
 * client's Last-Event-ID, so a reconnecting page misses nothing and sees nothing twice.
 *
 * Every SSE client has its own thread and only reads shared state under a short lock: a slow or
 * dead client blocks only itself, never the follower (nor, therefore, the pipeline) nor the
 * other clients. Beyond max_clients, `/events` answers 503.
 */
#ifndef BTCSTREAM_SERVE_H
#define BTCSTREAM_SERVE_H

#include "btcstream/export.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

#define BS_SERVE_DEFAULT_LISTEN "127.0.0.1:8080"
#define BS_SERVE_DEFAULT_MAX_CLIENTS 256
#define BS_SERVE_DEFAULT_PREDICTIONS "bitcoin_predictions.parquet"

typedef struct {
    const char *listen;   /* "HOST:PORT" (IPv4 or [IPv6]); port 0 picks a free one */
    const char *data_dir; /* the data folder (market.h: its markets' histories and streams) */
    /* The market to show; NULL: the only one (a data folder without markets: its legacy history
     * DATA/bitcoin_combined.json, shown as "default"); "": that legacy history. */
    const char *market;
    const char *predictions; /* the model's predictions folder (predictions.h); NULL: none */
    size_t max_clients;      /* SSE clients at once; 0: BS_SERVE_DEFAULT_MAX_CLIENTS */
    size_t recent_ticks;     /* ticks kept in memory for the page and resumes; 0: 20000 */
    int poll;                /* force polling the commit log instead of inotify */
} bs_serve_options;

/* Defaults: 127.0.0.1:8080, data dir "Data", the only market, predictions in
 * ./bitcoin_predictions.parquet (where `run` and `train` write them), 256 clients. */
BS_API bs_serve_options bs_serve_defaults(void);

typedef struct bs_serve bs_serve;

/*
 * Loads the committed history, binds the address and starts serving in background threads.
 * BS_ERR_ARG for a bad address or market, BS_ERR_NET when the address cannot be bound,
 * BS_ERR_IO when the history exists but cannot be read. A data dir with no history yet is
 * fine: the page fills as soon as the first batch commits. Stop with bs_serve_stop().
 */
BS_API bs_status bs_serve_start(const bs_serve_options *opts, bs_serve **out, bs_error *err);

/* The address actually bound, "HOST:PORT" (the port filled in when 0 was asked for). */
BS_API const char *bs_serve_address(const bs_serve *srv);

/*
 * Stops accepting, ends every event stream, joins all threads and frees srv (NULL is fine).
 * Returns within a second whatever the clients do.
 */
BS_API void bs_serve_stop(bs_serve *srv);

#endif
