/*
 * serve.c - bs_serve_start()/bs_serve_stop() and the follower thread (serve.h).
 *
 * The follower is the only reader of the data dir: it asks committed.c how many history bytes
 * are committed, reads the new ones (whole lines, since a commit ends on a line), adds their
 * ticks to the state and publishes, which wakes every event stream. When the committed size
 * shrinks (a history replaced by hand, or re-pointed), it starts a new epoch and reads it all
 * again; pages are told to reload.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/reader.h"
#include "btcstream/timeutil.h"
#include "serve_internal.h"

#define FOLLOW_TIMEOUT_US INT64_C(1000000) /* look again at least every second */
#define ADD_CHUNK 8192

bs_serve_options bs_serve_defaults(void) {
    bs_serve_options o = {0};
    o.listen = BS_SERVE_DEFAULT_LISTEN;
    o.data_dir = "Data";
    o.predictions = BS_SERVE_DEFAULT_PREDICTIONS;
    return o;
}

typedef struct {
    serve_state *state;
    bs_tick chunk[ADD_CHUNK];
    size_t len;
    uint64_t added;
    bs_status st;
} reader_ctx;

static int flush_chunk(reader_ctx *r) {
    if (r->len && r->st == BS_OK) r->st = serve_state_add(r->state, r->chunk, r->len);
    r->added += r->len;
    r->len = 0;
    return r->st != BS_OK;
}

static int on_tick(void *ctx, const bs_tick *tick) {
    reader_ctx *r = ctx;
    r->chunk[r->len++] = *tick;
    return r->len == ADD_CHUNK ? flush_chunk(r) : 0;
}

/* Reads history bytes [from, to) into the state; *added counts the ticks. */
static bs_status read_range(bs_serve *srv, int64_t from, int64_t to, uint64_t *added,
                            bs_error *err) {
    reader_ctx *r = calloc(1, sizeof *r);
    if (!r) return bs_fail(err, BS_ERR_NOMEM, "out of memory reading %s", srv->paths.history);
    r->state = &srv->state;
    bs_scan_options o = {.format = BS_FORMAT_JSONL, .range_start = from, .range_end = to};
    bs_status st = bs_scan_file(srv->paths.history, &o, on_tick, r, NULL, err);
    if (st == BS_ERR_EMPTY) st = BS_OK; /* a range of bad lines only */
    flush_chunk(r);
    if (st == BS_OK && r->st != BS_OK) st = bs_fail(err, r->st, "out of memory for the live view");
    *added = r->added;
    free(r);
    return st;
}

/* One look at the data dir: reads what was committed since the last look and publishes it. */
static bs_status follow_once(bs_serve *srv, int live, bs_error *err) {
    serve_commit c;
    bs_status st = serve_committed_read(&srv->paths, &c, err);
    if (st != BS_OK) return st;
    int64_t have = srv->state.read_size; /* written only by this thread */
    if (c.size < have) {
        serve_state_reset(&srv->state);
        have = 0;
    }
    uint64_t added = 0;
    if (c.size > have) st = read_range(srv, have, c.size, &added, err);
    if (st != BS_OK) return st;
    if (c.size != have || c.batch != srv->state.commit.batch ||
        c.quarantined != srv->state.commit.quarantined || !live)
        serve_state_publish(&srv->state, &c, c.size, added, live);
    return BS_OK;
}

static void *follower_main(void *arg) {
    bs_serve *srv = arg;
    serve_follow f;
    serve_follow_open(&f, &srv->paths, srv->poll, srv->wake[0]);
    for (;;) {
        pthread_mutex_lock(&srv->state.lock);
        int stopping = srv->state.stopping;
        pthread_mutex_unlock(&srv->state.lock);
        if (stopping) break;
        bs_error err = {{0}};
        /* A failed read is shown on the page and retried: the writer may be mid-recovery. */
        serve_state_set_error(&srv->state, follow_once(srv, 1, &err) == BS_OK ? "" : err.msg);
        serve_state_refresh_model(&srv->state); /* `run` writes them after its stream stage */
        serve_follow_wait(&f, &srv->paths, FOLLOW_TIMEOUT_US);
    }
    serve_follow_close(&f);
    return NULL;
}

bs_status bs_serve_start(const bs_serve_options *opts, bs_serve **out, bs_error *err) {
    *out = NULL;
    bs_serve *srv = calloc(1, sizeof *srv);
    if (!srv) return bs_fail(err, BS_ERR_NOMEM, "out of memory starting the dashboard");
    srv->wake[0] = srv->wake[1] = -1;
    bs_status st =
        serve_paths_init(&srv->paths, opts->data_dir ? opts->data_dir : "Data", opts->market, err);
    if (st != BS_OK) goto fail;
    st = serve_state_init(&srv->state, opts->recent_ticks,
                          srv->paths.market[0] ? srv->paths.market : NULL, opts->predictions, err);
    if (st != BS_OK) goto fail;
    srv->state.max_clients = opts->max_clients ? opts->max_clients : BS_SERVE_DEFAULT_MAX_CLIENTS;
    srv->poll = opts->poll;
    if (pipe2(srv->wake, O_CLOEXEC) != 0) {
        st = bs_fail(err, BS_ERR_IO, "cannot create a pipe for the dashboard");
        goto fail;
    }
    /* The committed history first, so that the first page load already shows it. */
    if ((st = follow_once(srv, 0, err)) != BS_OK) goto fail;
    /* The threads started here inherit a mask that blocks every signal: SIGINT and SIGTERM go
     * to the caller's threads, whose waits they are meant to interrupt (stream.h). */
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &before);
    st = serve_http_start(srv, opts->listen ? opts->listen : BS_SERVE_DEFAULT_LISTEN, err);
    if (st == BS_OK && pthread_create(&srv->follower, NULL, follower_main, srv) != 0)
        st = bs_fail(err, BS_ERR_IO, "cannot start the dashboard's follower thread");
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    if (st != BS_OK) goto fail;
    srv->follower_started = 1;
    *out = srv;
    return BS_OK;
fail:
    bs_serve_stop(srv);
    return st;
}

const char *bs_serve_address(const bs_serve *srv) { return srv->address; }

void bs_serve_stop(bs_serve *srv) {
    if (!srv) return;
    if (srv->state.ring) serve_state_stop(&srv->state); /* ends every event stream's wait */
    serve_http_stop(srv);
    if (srv->follower_started) {
        ssize_t w = write(srv->wake[1], "x", 1);
        (void)w;
        pthread_join(srv->follower, NULL);
    }
    if (srv->wake[0] >= 0) close(srv->wake[0]);
    if (srv->wake[1] >= 0) close(srv->wake[1]);
    serve_state_free(&srv->state);
    free(srv);
}
