/*
 * backfill.c - the backfill loop of backfill.h: which exchange, which range, page after page,
 * and what is delivered for each minute.
 *
 * The range [from, to) is cut into windows of at most the exchange's page size, each asked for
 * once (retries aside) and its answer filtered to the window, so a minute can only ever come
 * from one answer: pages never overlap whatever the exchange's own boundary rules (inclusive
 * ends, candles before `start`, the current minute appended). Windows advance by time, not by
 * the last candle received, so a stretch without candles (maintenance) cannot stall the loop.
 *
 * With fill_empty a missing minute is only known to be empty once a later candle arrives (the
 * exchange may simply not have published it yet), so a page's trailing missing minutes stay
 * pending: its until_us stops after its last candle, and the next page either fills them or,
 * at the very end, reports them absent. until_us therefore never goes backwards and no minute
 * is delivered after a page has declared it complete.
 */
#include "btcstream/backfill.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backfill_exchange.h"
#include "btcstream/config.h"
#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/timeutil.h"

#define MINUTE BS_US_PER_MINUTE

static const backfill_exchange *const exchanges[] = {&backfill_binance, &backfill_coinbase,
                                                     &backfill_kraken};

bs_backfill_options bs_backfill_defaults(void) {
    bs_backfill_options o;
    memset(&o, 0, sizeof o);
    return o;
}

/* ---- shared helpers (backfill_exchange.h) ------------------------------------------------- */

bs_status backfill_page_push(backfill_page *p, const bs_tick *c, bs_error *err) {
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        bs_tick *grown = realloc(p->v, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        p->v = grown;
        p->cap = cap;
    }
    p->v[p->len++] = *c;
    return BS_OK;
}

int backfill_json_expect(cursor *c, char ch) {
    json_skip_ws(c);
    if (c->p >= c->end || *c->p != ch) return 0;
    c->p++;
    return 1;
}

int backfill_json_number(cursor *c, double *out) {
    const char *s;
    size_t n;
    json_skip_ws(c);
    if (c->p < c->end && *c->p == '"') {
        if (!json_read_string(c, &s, &n)) return 0;
    } else {
        json_read_token(c, &s, &n);
    }
    return n > 0 && bs_number_parse(s, n, out) == BS_OK && isfinite(*out);
}

int backfill_json_integer(cursor *c, int64_t *out) {
    const char *s;
    size_t n;
    json_skip_ws(c);
    json_read_token(c, &s, &n);
    if (n == 0 || n > 18) return 0;
    int64_t v = 0;
    size_t i = s[0] == '-';
    if (i == n) return 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = s[0] == '-' ? -v : v;
    return 1;
}

bs_status backfill_json_time(cursor *c, const char *name, int64_t unit_us, int64_t *out_us,
                             bs_error *err) {
    int64_t v;
    if (!backfill_json_integer(c, &v))
        return bs_fail(err, BS_ERR_PARSE, "field %s: not a whole number", name);
    /* checked before the multiplication, which could overflow otherwise */
    if (v < BS_TIME_MIN_US / unit_us || v > BS_TIME_MAX_US / unit_us)
        return bs_fail(err, BS_ERR_PARSE, "field %s: out of range", name);
    *out_us = v * unit_us;
    return BS_OK;
}

bs_status backfill_json_field(cursor *c, const char *name, bs_error *err) {
    if (backfill_json_expect(c, ',')) return BS_OK;
    return bs_fail(err, BS_ERR_PARSE, "field %s is missing", name);
}

/* Skips the rest of a row after its last field read, up to and including its ']'. */
static int skip_row_rest(cursor *c) {
    for (;;) {
        if (backfill_json_expect(c, ']')) return 1;
        if (!backfill_json_expect(c, ',')) return 0;
        json_skip_ws(c);
        if (!json_skip_value(c, 1)) return 0;
    }
}

bs_status backfill_parse_rows(cursor *c, backfill_page *page, backfill_row_fn row, bs_error *err) {
    if (!backfill_json_expect(c, '['))
        return bs_fail(err, BS_ERR_PARSE, "not a JSON array of candles");
    if (backfill_json_expect(c, ']')) return BS_OK;
    for (size_t i = 0;; i++) {
        bs_error why = {{0}};
        bs_tick t = {0, 0, 0, 0, 0, 0, BS_TRADES_UNKNOWN, 0};
        if (!backfill_json_expect(c, '['))
            return bs_fail(err, BS_ERR_PARSE, "candle %zu: not an array", i);
        if (row(c, &t, &why) != BS_OK)
            return bs_fail(err, BS_ERR_PARSE, "candle %zu: %s", i, why.msg);
        if (!skip_row_rest(c)) return bs_fail(err, BS_ERR_PARSE, "candle %zu: not valid JSON", i);
        bs_status st = backfill_page_push(page, &t, err);
        if (st != BS_OK) return st;
        if (backfill_json_expect(c, ']')) return BS_OK;
        if (!backfill_json_expect(c, ','))
            return bs_fail(err, BS_ERR_PARSE, "after candle %zu: not valid JSON", i);
    }
}

bs_status backfill_parse_array_answer(const char *body, size_t len, backfill_page *page,
                                      backfill_row_fn row, bs_error *err) {
    cursor c = {body, body + len};
    bs_status st = backfill_parse_rows(&c, page, row, err);
    if (st != BS_OK) return st;
    json_skip_ws(&c);
    return c.p == c.end ? BS_OK : bs_fail(err, BS_ERR_PARSE, "text after the array of candles");
}

bs_status backfill_check_candle(const bs_tick *c, size_t index, bs_error *err) {
    const char *why = NULL;
    if (c->ts_us % MINUTE != 0) why = "its time is not the start of a minute";
    else if (!(c->open > 0 && c->high > 0 && c->low > 0 && c->close > 0) || !isfinite(c->high))
        why = "a price is not positive";
    else if (!(c->low <= c->open && c->low <= c->close && c->high >= c->open &&
               c->high >= c->close))
        why = "low/high do not bound open and close";
    else if (!(c->volume >= 0) || !isfinite(c->volume)) why = "its volume is not a number >= 0";
    if (!why) return BS_OK;
    char when[BS_TIME_ISO_SIZE];
    bs_time_format_iso(c->ts_us, when);
    return bs_fail(err, BS_ERR_PARSE, "candle %zu (%.19s): %s", index, when, why);
}

/* ---- the loop ------------------------------------------------------------------------------ */

typedef struct {
    const backfill_exchange *ex;
    const bs_backfill_options *opts;
    bs_backfill_page_fn on_page;
    void *ctx;
    bs_backfill_stats *stats;
    backfill_http *http;
    char symbol[BS_MARKET_MAX];
    const char *base;
    backfill_page got;     /* the answer's candles */
    backfill_page deliver; /* what this page hands on */
    bs_tick prev;          /* the last candle delivered; ts_us INT64_MIN before the first */
} fetch;

static int by_time(const void *a, const void *b) {
    int64_t x = ((const bs_tick *)a)->ts_us, y = ((const bs_tick *)b)->ts_us;
    return (x > y) - (x < y);
}

static bs_status find_exchange(const char *market, fetch *f, bs_error *err) {
    bs_status st = bs_market_check(market, err);
    if (st != BS_OK) return st;
    const char *colon = strchr(market, ':');
    size_t slen = (size_t)(colon - market);
    snprintf(f->symbol, sizeof f->symbol, "%s", colon + 1);
    for (size_t i = 0; i < sizeof exchanges / sizeof exchanges[0]; i++) {
        if (strlen(exchanges[i]->source) == slen &&
            memcmp(exchanges[i]->source, market, slen) == 0) {
            f->ex = exchanges[i];
            return BS_OK;
        }
    }
    return bs_fail(err, BS_ERR_UNSUPPORTED,
                   "%s: no REST candles for source \"%.*s\" (backfill knows binance, coinbase, "
                   "kraken)",
                   market, (int)slen, market);
}

/* Keeps the answer's candles inside [from, to), sorted, checked, each minute once. */
static bs_status keep_window(fetch *f, const char *path, int64_t from, int64_t to, bs_error *err) {
    backfill_page *g = &f->got;
    size_t n = 0;
    for (size_t i = 0; i < g->len; i++) {
        if (g->v[i].ts_us < from || g->v[i].ts_us >= to) continue;
        bs_error why = {{0}};
        if (backfill_check_candle(&g->v[i], i, &why) != BS_OK)
            return bs_fail(err, BS_ERR_PARSE, "GET %s: %s", path, why.msg);
        g->v[n++] = g->v[i];
    }
    g->len = n;
    qsort(g->v, n, sizeof *g->v, by_time);
    for (size_t i = 1; i < n; i++) {
        if (g->v[i].ts_us != g->v[i - 1].ts_us) continue;
        char when[BS_TIME_ISO_SIZE];
        bs_time_format_iso(g->v[i].ts_us, when);
        return bs_fail(err, BS_ERR_PARSE, "GET %s: the minute %.19s comes twice", path, when);
    }
    return BS_OK;
}

/* The empty minutes after f->prev up to (not including) ts, when fill_empty asks for them. */
static bs_status fill_before(fetch *f, int64_t ts, int64_t recv_us, bs_error *err) {
    if (!f->opts->fill_empty || f->prev.ts_us == INT64_MIN) return BS_OK;
    for (int64_t m = f->prev.ts_us + MINUTE; m < ts; m += MINUTE) {
        double c = f->prev.close;
        bs_tick empty = {m, c, c, c, c, 0.0, 0, recv_us};
        bs_status st = backfill_page_push(&f->deliver, &empty, err);
        if (st != BS_OK) return st;
        f->stats->filled++;
    }
    return BS_OK;
}

/* One window [from, to): request, filter, fill, deliver. */
static bs_status fetch_window(fetch *f, int64_t from, int64_t to, bs_error *err) {
    char path[1024];
    bs_status st = f->ex->page_path(f->symbol, from, to, path, sizeof path, err);
    if (st == BS_OK) st = backfill_http_get_page(f->http, f->base, path, &f->got, err);
    if (st == BS_OK) st = keep_window(f, path, from, to, err);
    if (st != BS_OK) return st;
    int64_t recv = bs_now_us();
    f->deliver.len = 0;
    for (size_t i = 0; i < f->got.len && st == BS_OK; i++) {
        bs_tick c = f->got.v[i];
        c.recv_us = recv;
        st = fill_before(f, c.ts_us, recv, err);
        if (st == BS_OK) st = backfill_page_push(&f->deliver, &c, err);
        f->prev = c;
    }
    if (st != BS_OK) return st;
    f->stats->candles += f->got.len;
    f->stats->pages++;
    /* With fill_empty, minutes after the last candle wait for the next page (see the top). */
    int64_t until = to;
    if (f->opts->fill_empty && f->prev.ts_us != INT64_MIN && f->prev.ts_us + MINUTE < to)
        until =
            f->prev.ts_us + MINUTE > f->stats->done_us ? f->prev.ts_us + MINUTE : f->stats->done_us;
    st = f->on_page(f->ctx, f->deliver.v, f->deliver.len, until, err);
    if (st == BS_OK) f->stats->done_us = until;
    return st;
}

/* The range after rounding and cutting to what is final; BS_ERR_ARG when it is backwards. */
static bs_status final_range(const bs_backfill_options *o, int64_t *from, int64_t *to,
                             bs_error *err) {
    if (*from < BS_TIME_MIN_US || *to > BS_TIME_MAX_US)
        return bs_fail(err, BS_ERR_ARG, "backfill: the range lies outside the years 0000-9999");
    if (*from > *to) {
        char a[BS_TIME_ISO_SIZE], b[BS_TIME_ISO_SIZE];
        bs_time_format_iso(*from, a);
        bs_time_format_iso(*to, b);
        return bs_fail(err, BS_ERR_ARG, "backfill: the range %.19s to %.19s is backwards", a, b);
    }
    /* A range within one minute is empty, not an error: a gap found early in a minute asks
     * for the minutes up to now, which may be none yet. */
    *from = bs_time_floor(*from, MINUTE);
    *to = bs_time_floor(*to, MINUTE);
    int64_t now = o->now_us ? o->now_us : bs_now_us();
    int64_t settle = o->settle_us == 0 ? 2 * BS_US_PER_SECOND : o->settle_us < 0 ? 0 : o->settle_us;
    int64_t final_end = bs_time_floor(now - settle, MINUTE); /* minutes before it have ended */
    if (*to > final_end) *to = final_end;
    if (*from > *to) *from = *to;
    return BS_OK;
}

static bs_status run_fetch(fetch *f, int64_t from, int64_t to, bs_error *err) {
    const bs_backfill_options *o = f->opts;
    int64_t cursor = from;
    if (f->ex->keeps_minutes > 0) { /* older minutes cannot be had: do not ask */
        int64_t now = o->now_us ? o->now_us : bs_now_us();
        int64_t oldest = bs_time_floor(now, MINUTE) - (int64_t)(f->ex->keeps_minutes - 1) * MINUTE;
        if (cursor < oldest) {
            cursor = oldest < to ? oldest : to;
            f->stats->unavailable = (uint64_t)((cursor - from) / MINUTE);
            bs_status st = f->on_page(f->ctx, NULL, 0, cursor, err);
            if (st != BS_OK) return st;
            f->stats->done_us = cursor;
        }
    }
    int64_t page = f->ex->page_minutes;
    if (o->page_minutes > 0 && o->page_minutes < page) page = o->page_minutes;
    f->stats->pages_planned = (uint64_t)((to - cursor + page * MINUTE - 1) / (page * MINUTE));
    while (cursor < to) {
        int64_t end = to - cursor > page * MINUTE ? cursor + page * MINUTE : to;
        bs_status st = fetch_window(f, cursor, end, err);
        if (st != BS_OK) return st;
        cursor = end;
    }
    if (f->stats->done_us < to) { /* trailing minutes fill_empty kept pending: absent */
        bs_status st = f->on_page(f->ctx, NULL, 0, to, err);
        if (st != BS_OK) return st;
        f->stats->done_us = to;
    }
    return BS_OK;
}

bs_status bs_backfill_fetch(const char *market, int64_t from_us, int64_t to_us,
                            const bs_backfill_options *opts, bs_backfill_page_fn on_page, void *ctx,
                            bs_backfill_stats *stats, bs_error *err) {
    bs_backfill_options defaults = bs_backfill_defaults();
    bs_backfill_stats local;
    fetch f;
    memset(&f, 0, sizeof f);
    f.opts = opts ? opts : &defaults;
    f.on_page = on_page;
    f.ctx = ctx;
    f.stats = stats ? stats : &local;
    f.prev.ts_us = INT64_MIN;
    memset(f.stats, 0, sizeof *f.stats);
    if (!market || !on_page) return bs_fail(err, BS_ERR_ARG, "backfill: no market or callback");
    bs_status st = find_exchange(market, &f, err);
    if (st == BS_OK) st = final_range(f.opts, &from_us, &to_us, err);
    if (st != BS_OK) return st;
    f.stats->from_us = f.stats->done_us = from_us;
    f.stats->to_us = to_us;
    if (from_us == to_us) return BS_OK; /* nothing has ended yet */
    f.base = f.opts->base_url ? f.opts->base_url : bs_config_get(f.ex->url_env);
    if (!f.base || !*f.base) f.base = f.ex->default_url;
    st = backfill_http_new(f.opts, f.ex, f.stats, &f.http, err);
    if (st == BS_OK) st = run_fetch(&f, from_us, to_us, err);
    uint64_t minutes = (uint64_t)((f.stats->done_us - from_us) / MINUTE);
    uint64_t given = f.stats->candles + f.stats->filled;
    f.stats->absent = minutes > given ? minutes - given : 0;
    backfill_http_free(f.http);
    free(f.got.v);
    free(f.deliver.v);
    return st;
}

/* ---- collect ------------------------------------------------------------------------------- */

static bs_status collect_page(void *ctx, const bs_tick *candles, size_t n, int64_t until_us,
                              bs_error *err) {
    (void)until_us;
    backfill_page *all = ctx;
    for (size_t i = 0; i < n; i++) {
        bs_status st = backfill_page_push(all, &candles[i], err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}

bs_status bs_backfill_collect(const char *market, int64_t from_us, int64_t to_us,
                              const bs_backfill_options *opts, bs_tick **out, size_t *n,
                              int64_t *until_us, bs_backfill_stats *stats, bs_error *err) {
    backfill_page all = {0};
    bs_backfill_stats local;
    if (!stats) stats = &local;
    bs_status st = bs_backfill_fetch(market, from_us, to_us, opts, collect_page, &all, stats, err);
    if (st != BS_OK) {
        free(all.v);
        all.v = NULL;
        all.len = 0;
    }
    *out = all.v;
    *n = all.len;
    if (until_us) *until_us = st == BS_OK ? stats->done_us : INT64_MIN;
    return st;
}

/* ---- to stream files ----------------------------------------------------------------------- */

typedef struct {
    const char *market;
    char dir[4096];
    char *buf;
    size_t cap;
    uint64_t files, next_n;
} stream_writer;

/* One stream file for the page: ohlc_<first minute>_backfill_<n>.json, atomically. */
static bs_status write_page(void *ctx, const bs_tick *candles, size_t n, int64_t until_us,
                            bs_error *err) {
    (void)until_us;
    stream_writer *w = ctx;
    if (n == 0) return BS_OK;
    if (w->cap < n * BS_TICK_JSON_MAX) {
        char *grown = realloc(w->buf, n * BS_TICK_JSON_MAX);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        w->buf = grown;
        w->cap = n * BS_TICK_JSON_MAX;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += bs_tick_format_json_market(&candles[i], w->market, w->buf + len);
    char iso[BS_TIME_ISO_SIZE], name[96];
    bs_time_format_iso(candles[0].ts_us, iso);
    for (int attempt = 0; attempt < 1000; attempt++) {
        snprintf(name, sizeof name, "ohlc_%.4s%.2s%.2s_%.2s%.2s%.2s_backfill_%llu.json", iso,
                 iso + 5, iso + 8, iso + 11, iso + 14, iso + 17, (unsigned long long)w->next_n++);
        bs_status st = bs_write_file_atomic(w->dir, name, w->buf, len, 1, 1, err);
        if (st == BS_OK) {
            w->files++;
            return bs_sync_dir(w->dir, err); /* the rename must survive a crash too */
        }
        if (errno != EEXIST) return st;
    }
    return bs_fail(err, BS_ERR_IO, "%s: no free stream file name", w->dir);
}

bs_status bs_backfill_to_stream(const char *market, int64_t from_us, int64_t to_us,
                                const char *stream_root, const bs_backfill_options *opts,
                                bs_backfill_stats *stats, uint64_t *files, bs_error *err) {
    stream_writer w = {.market = market};
    if (files) *files = 0;
    bs_status st = bs_market_stream_dir(stream_root, market, w.dir, sizeof w.dir, err);
    if (st == BS_OK) st = bs_mkdirs(w.dir, err);
    if (st == BS_OK)
        st = bs_backfill_fetch(market, from_us, to_us, opts, write_page, &w, stats, err);
    free(w.buf);
    if (files) *files = w.files;
    return st;
}
