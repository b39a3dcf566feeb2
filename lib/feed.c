/*
 * feed.c - see btcstream/feed.h. One `feed` a market, all on one ws_loop (ws_client.h) served in
 * the caller's thread, so a market's parser, candle builder and stream writer are only ever
 * touched by that thread and need no lock.
 *
 * The runner's loop: serve the sockets (messages arrive through on_message, which parses and
 * folds), then for every feed do the clock work: let the builder close minutes on the exchange's
 * estimated clock, fire the watchdog, reconnect when due, and try the backfill of held minutes.
 *
 * Gaps. Whatever the feed may have missed is held in the builder until the exchange's own REST
 * candles replace it: from the minute of the last trade before the gap to the minute the gap
 * ended in (the first trade after an id jump, or the moment a new connection opened). The fill
 * is tried once the exchange's clock has closed that last minute (plus the grace), and brings the
 * candles up to the current closed minute, so the minutes folded from trades meanwhile are
 * replaced by the exchange's too: the same candles either way. A failed fetch is retried with a
 * growing delay; the held minutes wait (gaps_open says so).
 */
#include "btcstream/feed.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btcstream/candle.h"
#include "btcstream/config.h"
#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/producer.h"
#include "btcstream/raw.h"
#include "btcstream/timeutil.h"
#include "btcstream/trade.h"
#include "feed.h"
#include "gap_log.h"
#include "ws_client.h"

#define SECOND INT64_C(1000000)
#define FILL_RETRY_MIN (2 * SECOND)
#define FILL_RETRY_MAX (60 * SECOND)
#define KRAKEN_KEEPS (710 * 60 * SECOND) /* its REST answers the last 720 minutes */

typedef struct feed feed;

typedef struct {
    const bs_feed_options *o;
    ws_loop *loop;
    feed *feeds;
    size_t n;
    bs_feed_backfill_fn backfill;
    int closing;      /* the run is over: closes are not reconnected */
    bs_status failed; /* a stream file could not be written: the run ends with it */
    bs_error fail_err;
    uint64_t seed; /* the backoff's jitter */
} runner;

struct feed {
    runner *r;
    char market[BS_MARKET_MAX];
    const char *symbol;
    bs_exchange ex;
    char url[1024];
    bs_feed_stats *stats;
    bs_candle_builder *b;
    bs_producer out;
    ws_conn conn;
    int connected;        /* a connection is open or opening */
    int opened;           /* on_open ran for the current connection */
    uint64_t connections; /* opened so far */
    int64_t opened_mono, last_msg_mono, reconnect_mono, backoff_us;
    int traded; /* the current connection delivered a trade */
    /* the feed's view of the exchange */
    int64_t last_id;            /* last trade id seen (-1: none) */
    int64_t last_ts, last_recv; /* last trade's exchange time and receipt time (INT64_MIN: none) */
    int64_t resume_ts;          /* minute of the last stored candle (INT64_MIN: none) */
    /* gaps */
    int fresh;             /* nothing stored and no trade yet: the first minute is partial */
    int64_t gap_end;       /* exchange time the latest gap ended at */
    int await_trade;       /* reconnected: the gap ends at the first trade on the new line */
    uint64_t gaps_pending; /* found and not filled */
    int64_t fill_mono, fill_delay;
    int journal_failed; /* the gap journal could not be written: said once */
    /* raw messages */
    FILE *raw;
    char raw_day[16];
};

static void notice(feed *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(feed *f, const char *fmt, ...) {
    if (!f->r->o->on_notice) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->r->o->on_notice(f->r->o->ctx, f->market, msg);
}

bs_feed_options bs_feed_defaults(void) {
    bs_feed_options o;
    memset(&o, 0, sizeof o);
    o.grace_us = 2 * SECOND;
    o.stall_us = 30 * SECOND;
    o.max_connection_us = (23 * 3600 + 50 * 60) * SECOND;
    o.backoff_min_us = SECOND / 2;
    o.backoff_max_us = 60 * SECOND;
    o.fsync = 1;
    return o;
}

int bs_feed_is_exchange_spec(const char *spec) {
    bs_exchange ex;
    if (!spec || !*spec) return 0;
    for (const char *p = spec; *p;) {
        size_t len = strcspn(p, ",");
        const char *colon = memchr(p, ':', len);
        char name[32];
        if (!colon || (size_t)(colon - p) >= sizeof name) return 0;
        memcpy(name, p, (size_t)(colon - p));
        name[colon - p] = '\0';
        if (bs_exchange_from_name(name, &ex, NULL) != BS_OK) return 0;
        p += len;
        if (*p == ',') p++;
    }
    return 1;
}

/* The exchange's WebSocket base URL: its variable (environment or .env), else the exchange's. */
static const char *ws_base(bs_exchange ex) {
    static const char *const vars[] = {"BINANCE_WS_URL", "COINBASE_WS_URL", "KRAKEN_WS_URL"};
    static const char *const urls[] = {"wss://stream.binance.com:9443",
                                       "wss://ws-feed.exchange.coinbase.com",
                                       "wss://ws.kraken.com/v2"};
    const char *env = bs_config_get(vars[ex]);
    return env && *env ? env : urls[ex];
}

/* ------------------------------------------------------------------ raw messages */

static void raw_keep(feed *f, const char *msg, size_t len, int64_t recv_us) {
    const char *dir = f->r->o->raw_dir;
    if (!dir) return;
    char day[11];
    bs_time_format_day(recv_us, day);
    if (!f->raw || strcmp(day, f->raw_day) != 0) {
        if (f->raw) fclose(f->raw);
        f->raw = NULL;
        char folder[4096 + BS_MARKET_PATH_MAX], path[4096 + 2 * BS_MARKET_PATH_MAX];
        bs_error err = {{0}};
        if (bs_market_stream_dir(dir, f->market, folder, sizeof folder, &err) != BS_OK ||
            bs_mkdirs(folder, &err) != BS_OK) {
            notice(f, "raw messages not kept: %s", err.msg);
            return;
        }
        snprintf(path, sizeof path, "%s/raw_%.4s%.2s%.2s.jsonl", folder, day, day + 5, day + 8);
        if (!(f->raw = fopen(path, "a"))) {
            notice(f, "raw messages not kept: %s: %s", path, strerror(errno));
            return;
        }
        memcpy(f->raw_day, day, sizeof day);
    }
    size_t cap = BS_RAW_LINE_MAX(len);
    char *line = malloc(cap);
    if (!line) {
        notice(f, "raw message not kept: out of memory");
        return;
    }
    size_t n = bs_raw_format_line(f->market, recv_us, msg, len, line, cap);
    if (n < cap && fwrite(line, 1, n, f->raw) != n)
        notice(f, "raw message not kept: %s", strerror(errno));
    free(line);
    fflush(f->raw);
}

/* ------------------------------------------------------------------ candles and gaps */

static void on_candle(void *ctx, const bs_tick *candle) {
    feed *f = ctx;
    runner *r = f->r;
    if (r->failed != BS_OK) return;
    char file[64];
    bs_status st = bs_producer_write(&f->out, candle, file, &r->fail_err);
    if (st != BS_OK) {
        r->failed = st;
        return;
    }
    f->stats->candles++;
    if (r->o->on_candle) r->o->on_candle(r->o->ctx, f->market, candle, file, f->stats);
}

static void on_late(void *ctx, const bs_trade *trade) {
    feed *f = ctx;
    f->stats->late++;
    char when[BS_TIME_ISO_SIZE];
    bs_time_format_iso(trade->ts_us, when);
    notice(f, "late trade at %s (its minute is written already): counted, not merged", when);
}

/* Writes a gap event into the market's journal (gap_log.h), when there is a data folder. */
static void journal(feed *f, bs_status st, const bs_error *err) {
    if (st != BS_OK && !f->journal_failed) notice(f, "gap journal not kept: %s", err->msg);
    f->journal_failed = st != BS_OK;
}

/* Something may be missing from exchange time from_us to end_us: hold those minutes. */
static void gap(feed *f, int64_t from_us, int64_t end_us, const char *why) {
    f->stats->gaps_found++;
    const char *data_dir = f->r->o->data_dir;
    bs_error err = {{0}};
    if (data_dir)
        journal(f,
                gap_log_found(data_dir, f->market, bs_time_floor(from_us, BS_CANDLE_US), why, &err),
                &err);
    if (!f->r->backfill) {
        notice(f, "gap (%s): no REST backfill in this build; the minutes stay as traded", why);
        f->stats->gaps_open++;
        return;
    }
    int64_t held = bs_candle_held_from(f->b);
    int64_t from = bs_time_floor(from_us, BS_CANDLE_US);
    if (held == INT64_MIN || from < held) bs_candle_hold(f->b, from);
    if (end_us > f->gap_end || f->gaps_pending == 0) f->gap_end = end_us;
    f->gaps_pending++;
    f->stats->gaps_open = f->gaps_pending;
    f->fill_mono = 0;
    f->fill_delay = FILL_RETRY_MIN;
    char a[BS_TIME_ISO_SIZE];
    bs_time_format_iso(from, a);
    notice(f, "gap (%s): minutes from %s held until the exchange's candles fill them", why, a);
}

/* The exchange's clock now, estimated from the last trade (its time plus the time since). */
static int64_t exchange_now(const feed *f) {
    int64_t now = bs_now_us();
    if (f->last_ts == INT64_MIN) return now;
    return f->last_ts + (now - f->last_recv);
}

/* Fetches the held minutes when the gap's last minute is closed, and folds them in. */
static void try_fill(feed *f) {
    if (f->gaps_pending == 0) return;
    int64_t held = bs_candle_held_from(f->b);
    if (held == INT64_MIN) {
        f->gaps_pending = 0;
        f->stats->gaps_open = 0;
        return;
    }
    int64_t now = bs_monotonic_us(), grace = f->r->o->grace_us;
    /* the gap ends with the first trade after a reconnect (or a minute without one) */
    if (f->await_trade && (!f->opened || now - f->opened_mono < BS_CANDLE_US)) return;
    if (f->last_ts == INT64_MIN) return; /* no trade yet: no estimate of the exchange's clock */
    int64_t until = bs_time_floor(exchange_now(f) - grace, BS_CANDLE_US);
    if (until <= bs_time_floor(f->gap_end, BS_CANDLE_US) || until <= held) return;
    if (f->fill_mono && now < f->fill_mono) return;
    bs_tick *candles = NULL;
    size_t n = 0;
    int64_t covered = until;
    bs_error err = {{0}};
    int64_t began = bs_monotonic_us();
    bs_status st =
        f->r->backfill(f->r->o->backfill_ctx, f->market, held, until, &candles, &n, &covered, &err);
    /* the other markets' sockets waited meanwhile: that silence is no stall of theirs */
    int64_t spent = bs_monotonic_us() - began;
    for (size_t i = 0; i < f->r->n; i++) f->r->feeds[i].last_msg_mono += spent;
    now += spent;
    if (st == BS_OK && covered <= held) { /* nothing settled yet at the exchange: later */
        free(candles);
        f->fill_mono = now + FILL_RETRY_MIN;
        return;
    }
    if (st == BS_OK && covered < until) until = covered;
    if (st != BS_OK) {
        notice(f, "backfill failed (retrying in %" PRId64 " s): %s", f->fill_delay / SECOND,
               err.msg);
        f->fill_mono = now + f->fill_delay;
        f->fill_delay = f->fill_delay * 2 > FILL_RETRY_MAX ? FILL_RETRY_MAX : f->fill_delay * 2;
        return;
    }
    if (f->r->o->data_dir)
        journal(f,
                gap_log_filled(f->r->o->data_dir, f->market, held, until, f->gaps_pending, n, &err),
                &err);
    f->stats->gaps_filled += f->gaps_pending; /* before the fill: its candles report them */
    f->gaps_pending = 0;
    f->stats->gaps_open = 0;
    bs_candle_fill(f->b, candles, n, until);
    free(candles);
    char a[BS_TIME_ISO_SIZE], b[BS_TIME_ISO_SIZE];
    bs_time_format_iso(held, a);
    bs_time_format_iso(until, b);
    notice(f, "gap filled: %zu exchange candles for %s to %s", n, a, b);
}

/* ------------------------------------------------------------------ parsing */

static void on_trade(void *ctx, const char *symbol, const bs_trade *t) {
    feed *f = ctx;
    (void)symbol;
    /* Kraken's snapshot on every (re)connect repeats trades already seen: its ids are in order */
    if (f->ex == BS_EXCHANGE_KRAKEN && t->id >= 0 && t->id <= f->last_id) return;
    if (f->fresh) { /* joined mid-minute: the first minute is the exchange's to give */
        f->fresh = 0;
        if (f->r->backfill) gap(f, t->ts_us, t->ts_us, "start");
    }
    /* ids jump over what was missed; Kraken's are not checked (its gaps show as reconnects) */
    if (f->ex != BS_EXCHANGE_KRAKEN && t->id >= 0 && f->last_id >= 0 && t->id > f->last_id + 1) {
        char why[96];
        snprintf(why, sizeof why, "trade ids %" PRId64 " to %" PRId64 " missed", f->last_id + 1,
                 t->id - 1);
        gap(f, f->last_ts != INT64_MIN ? f->last_ts : t->ts_us, t->ts_us, why);
    }
    if (f->await_trade) {
        f->await_trade = 0;
        if (t->ts_us > f->gap_end) f->gap_end = t->ts_us;
    }
    if (t->id > f->last_id) f->last_id = t->id;
    if (f->last_ts == INT64_MIN || t->ts_us >= f->last_ts) {
        f->last_ts = t->ts_us;
        f->last_recv = t->recv_us;
    }
    f->traded = 1;
    f->stats->trades++;
    bs_candle_add(f->b, t);
}

static void on_heartbeat(void *ctx, const char *symbol, int64_t seq, int64_t last_trade_id) {
    feed *f = ctx;
    (void)symbol;
    (void)seq; /* on the matches channel, sequence numbers skip the book's other messages */
    if (last_trade_id >= 0 && f->last_id >= 0 && last_trade_id > f->last_id) {
        char why[96];
        snprintf(why, sizeof why, "heartbeat says trade %" PRId64 ", last seen %" PRId64,
                 last_trade_id, f->last_id);
        f->last_id = last_trade_id;
        gap(f, f->last_ts != INT64_MIN ? f->last_ts : bs_now_us(), exchange_now(f), why);
    }
}

static void on_exchange_notice(void *ctx, const char *what) { notice(ctx, "%s", what); }

static void on_message(void *ctx, ws_conn *c, const char *msg, size_t len) {
    feed *f = ctx;
    (void)c;
    int64_t recv = bs_now_us();
    f->last_msg_mono = bs_monotonic_us();
    f->stats->messages++;
    /* the clock first, as a replay of the recording does (raw.h): the same candles either way */
    bs_candle_clock(f->b, recv);
    bs_feed_events ev = {on_trade, on_heartbeat, on_exchange_notice, f};
    bs_error err = {{0}};
    bs_status st = bs_exchange_parse(f->ex, msg, len, recv, &ev, &err);
    raw_keep(f, msg, len, recv);
    if (st != BS_OK) {
        f->stats->bad_messages++;
        notice(f, "bad message skipped: %s", err.msg);
    }
}

/* ------------------------------------------------------------------ connections */

static void on_open(void *ctx, ws_conn *c) {
    feed *f = ctx;
    f->opened = 1;
    f->opened_mono = f->last_msg_mono = bs_monotonic_us();
    char sub[1024];
    size_t n = bs_exchange_subscribe_msg(f->ex, f->symbol, sub, sizeof sub);
    bs_error err = {{0}};
    if (n > 0 && ws_conn_send(c, sub, n, &err) != BS_OK) notice(f, "subscribe: %s", err.msg);
    notice(f, "connected to %s", f->url);
    /* what traded while we were away is unknown: a gap from the last trade to now */
    if (f->connections > 1 && f->last_ts != INT64_MIN) {
        gap(f, f->last_ts, exchange_now(f), "reconnected");
        f->await_trade = 1;
    }
}

static void on_close(void *ctx, ws_conn *c, const char *why) {
    feed *f = ctx;
    (void)c;
    f->connected = 0;
    if (f->r->closing) return;
    if (f->traded) f->backoff_us = f->r->o->backoff_min_us;
    /* jitter: between half and all of the backoff, so markets do not reconnect in step */
    f->r->seed = f->r->seed * 6364136223846793005u + 1442695040888963407u;
    int64_t wait =
        f->backoff_us / 2 + (int64_t)((f->r->seed >> 33) % (uint64_t)(f->backoff_us / 2 + 1));
    f->reconnect_mono = bs_monotonic_us() + wait;
    notice(f, "disconnected (%s); reconnecting in %.1f s", why, (double)wait / 1e6);
    f->backoff_us =
        f->backoff_us * 2 > f->r->o->backoff_max_us ? f->r->o->backoff_max_us : f->backoff_us * 2;
}

static void connect_feed(feed *f) {
    char path[512];
    bs_exchange_ws_path(f->ex, f->symbol, path, sizeof path);
    ws_handlers h = {on_open, on_message, on_close, f};
    bs_error err = {{0}};
    f->opened = f->traded = 0;
    f->connections++;
    if (f->connections > 1) f->stats->reconnects++;
    if (ws_conn_open(f->r->loop, &f->conn, f->url, path, &h, &err) != BS_OK) {
        f->connected = 1; /* on_close makes it 0 again and schedules the next attempt */
        on_close(f, &f->conn, err.msg);
        return;
    }
    f->connected = 1;
    f->opened_mono = f->last_msg_mono = bs_monotonic_us();
}

/* The clock work of one feed, after each round of the sockets. */
static void feed_clock(feed *f, int64_t now_mono) {
    const bs_feed_options *o = f->r->o;
    bs_candle_clock(f->b, bs_now_us());
    try_fill(f);
    if (!f->connected) {
        if (now_mono >= f->reconnect_mono) connect_feed(f);
        return;
    }
    if (f->conn.closing) return;
    if (o->stall_us > 0 && now_mono - f->last_msg_mono >= o->stall_us) {
        f->stats->stalls++;
        notice(f, "stall: no message for %.1f s; reconnecting",
               (double)(now_mono - f->last_msg_mono) / 1e6);
        ws_conn_close(&f->conn, "stalled");
    } else if (f->opened && o->max_connection_us > 0 &&
               now_mono - f->opened_mono >= o->max_connection_us) {
        notice(f, "connection %.0f s old: reconnecting ahead of the exchange's limit",
               (double)(now_mono - f->opened_mono) / 1e6);
        f->backoff_us = 0;
        ws_conn_close(&f->conn, "renewed");
    }
}

/* ------------------------------------------------------------------ setup */

static bs_status feed_init(runner *r, feed *f, const char *market, bs_feed_stats *stats,
                           bs_error *err) {
    const bs_feed_options *o = r->o;
    memset(f, 0, sizeof *f);
    f->r = r;
    f->stats = stats;
    f->last_id = -1;
    f->last_ts = f->last_recv = f->resume_ts = INT64_MIN;
    f->backoff_us = o->backoff_min_us > 0 ? o->backoff_min_us : SECOND / 2;
    bs_status st = bs_market_check(market, err);
    if (st != BS_OK) return st;
    snprintf(f->market, sizeof f->market, "%s", market);
    char *colon = strchr(f->market, ':');
    *colon = '\0';
    st = bs_exchange_from_name(f->market, &f->ex, err);
    *colon = ':';
    if (st != BS_OK) return st;
    f->symbol = colon + 1;
    snprintf(f->url, sizeof f->url, "%s", ws_base(f->ex));

    if (o->stream_dir) st = bs_producer_open(&f->out, o->stream_dir, err);
    else
        st = bs_producer_open_market(&f->out, o->stream_root ? o->stream_root : "Data/stream",
                                     market, err);
    if (st != BS_OK) return st;
    snprintf(f->out.market, sizeof f->out.market, "%s", market); /* each line names it */
    f->out.sync = o->fsync;
    const char *dir = f->out.dir;

    bs_candle_options co = bs_candle_defaults();
    co.grace_us = o->grace_us;
    co.on_candle = on_candle;
    co.on_late = on_late;
    co.ctx = f;
    if ((st = bs_candle_builder_new(&co, &f->b, err)) != BS_OK) return st;

    bs_tick last;
    int found = 0;
    if ((st = feed_last_stored(o->data_dir, market, dir, &last, &found, err)) != BS_OK) return st;
    if (found && f->ex == BS_EXCHANGE_KRAKEN && bs_now_us() - last.ts_us > KRAKEN_KEEPS) {
        /* Kraken's REST keeps 720 minutes: resuming would fill what it lost with empty minutes */
        char a[BS_TIME_ISO_SIZE];
        bs_time_format_iso(last.ts_us, a);
        notice(f,
               "last stored candle (%s) is older than Kraken keeps candles: starting afresh, "
               "the minutes since are left out rather than made up",
               a);
        found = 0;
    }
    if (found) { /* a restart: go on after the last stored minute, the rest from REST */
        bs_candle_resume(f->b, &last);
        f->resume_ts = last.ts_us;
        if (r->backfill) { /* from the minute after it to the first trade on the line */
            gap(f, last.ts_us + BS_CANDLE_US, last.ts_us + BS_CANDLE_US, "restart");
            f->await_trade = 1;
        }
    } else {
        f->fresh = 1;
    }
    return BS_OK;
}

static void feed_free(feed *f) {
    bs_candle_builder_free(f->b);
    ws_conn_release(&f->conn);
    if (f->raw) fclose(f->raw);
}

static int stopping(const runner *r, int64_t started) {
    const bs_feed_options *o = r->o;
    if (r->failed != BS_OK) return 1;
    if (o->stop && *o->stop) return 1;
    return o->duration_us > 0 && bs_monotonic_us() - started >= o->duration_us;
}

bs_status bs_feed_run(const bs_feed_options *opts, bs_feed_stats *stats, bs_error *err) {
    if (!opts || opts->n_markets == 0) return bs_fail(err, BS_ERR_ARG, "no market to follow");
    if (opts->stream_dir && opts->n_markets > 1)
        return bs_fail(err, BS_ERR_ARG, "one stream folder for several markets would mix them");
    runner r;
    memset(&r, 0, sizeof r);
    r.o = opts;
    r.backfill = opts->backfill ? opts->backfill : feed_default_backfill();
    r.seed = (uint64_t)bs_now_us() ^ (uint64_t)(uintptr_t)&r;
    r.n = opts->n_markets;
    bs_feed_stats *own = NULL;
    if (!stats) stats = own = calloc(r.n, sizeof *stats);
    r.feeds = calloc(r.n, sizeof *r.feeds);
    if (!r.feeds || !stats) {
        free(own);
        free(r.feeds);
        return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    }
    memset(stats, 0, r.n * sizeof *stats);
    bs_status st = BS_OK;
    size_t ready = 0;
    for (size_t i = 0; i < r.n && st == BS_OK; i++) {
        for (size_t j = 0; j < i && st == BS_OK; j++)
            if (strcmp(opts->markets[i], opts->markets[j]) == 0)
                st = bs_fail(err, BS_ERR_ARG, "market %s given twice", opts->markets[i]);
        if (st == BS_OK) st = feed_init(&r, &r.feeds[i], opts->markets[i], &stats[i], err);
        ready = i + 1;
    }
    if (st == BS_OK) st = ws_loop_new(opts->ca_file, &r.loop, err);
    if (st == BS_OK) {
        int64_t started = bs_monotonic_us();
        for (size_t i = 0; i < r.n; i++) connect_feed(&r.feeds[i]);
        while (!stopping(&r, started)) {
            ws_loop_service(r.loop, 50);
            int64_t now = bs_monotonic_us();
            for (size_t i = 0; i < r.n && r.failed == BS_OK; i++) feed_clock(&r.feeds[i], now);
        }
        /* close the minutes the exchange's clock has closed; the one in progress is not
         * complete and is left for the next run's backfill */
        for (size_t i = 0; i < r.n && r.failed == BS_OK; i++)
            bs_candle_clock(r.feeds[i].b, bs_now_us());
        r.closing = 1;
        ws_loop_free(r.loop); /* runs every on_close */
    }
    for (size_t i = 0; i < ready; i++) feed_free(&r.feeds[i]);
    free(r.feeds);
    free(own);
    if (st == BS_OK && r.failed != BS_OK) {
        if (err) *err = r.fail_err;
        st = r.failed;
    }
    return st;
}
