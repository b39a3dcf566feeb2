/*
 * tick_market_chart.c - see tick_market_chart.h. The document is validated whole with the JSON
 * scanner first, so the walk over its arrays below can trust the structure and only check what
 * each element holds. CoinGecko gives prices, market caps and volumes as parallel arrays of
 * [ms, value] pairs; a volume is taken only when its pair has the price's time, so a truncated
 * or reordered volumes array costs volumes, never wrong ones.
 */
#include "tick_market_chart.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/timeutil.h"
#include "json_scan.h"

typedef struct {
    const char *doc;
    const char *path;
    int strict;
    bs_scan_stats *stats;
    bs_error *err;
    const char *counted; /* lines are counted incrementally up to here */
    uint64_t line_no;
} walk;

/* The 1-based line of doc holding p (p only moves forward between calls). */
static uint64_t line_of(walk *w, const char *p) {
    for (; w->counted < p; w->counted++) w->line_no += *w->counted == '\n';
    return w->line_no;
}

static bs_status bad_pair(walk *w, const char *at, const char *why) {
    uint64_t line = line_of(w, at);
    if (w->strict)
        return bs_fail(w->err, BS_ERR_PARSE, "%s:%llu: %s", w->path, (unsigned long long)line, why);
    bs_scan_stats *s = w->stats;
    s->bad++;
    if (s->kept < BS_SCAN_KEEP_BAD) {
        s->bad_lines[s->kept].line_no = line;
        snprintf(s->bad_lines[s->kept++].reason, sizeof s->bad_lines[0].reason, "%s", why);
    }
    return BS_OK;
}

/* Reads one [number, number] element at c; 0 (and c past the element) when it is not one. */
static int read_pair(cursor *c, double *a, double *b) {
    const char *s;
    size_t n;
    json_skip_ws(c);
    if (c->p >= c->end || *c->p != '[') return json_skip_value(c, 1), 0;
    c->p++;
    double v[2];
    for (int i = 0; i < 2; i++) {
        json_skip_ws(c);
        if (c->p >= c->end || *c->p == '[' || *c->p == '{' || *c->p == '"') break;
        json_read_token(c, &s, &n);
        if (bs_number_parse(s, n, &v[i]) != BS_OK) break;
        json_skip_ws(c);
        if (c->p < c->end && *c->p == (i == 0 ? ',' : ']')) {
            c->p++;
            if (i == 1) {
                *a = v[0], *b = v[1];
                return 1;
            }
            continue;
        }
        break;
    }
    /* Not a pair of numbers: skip the rest of the (valid) array. */
    int depth = 1;
    while (c->p < c->end && depth > 0) {
        if (*c->p == '"') {
            json_read_string(c, &s, &n);
            continue;
        }
        depth += (*c->p == '[') - (*c->p == ']');
        c->p++;
    }
    return 0;
}

/* Finds the array under key in the top-level object: *out is its '[', or NULL. */
static void find_array(const char *doc, size_t len, const char *key, cursor *out) {
    cursor c = {doc, doc + len};
    out->p = NULL;
    json_skip_ws(&c);
    c.p++; /* '{': the document was validated */
    size_t key_len = strlen(key);
    for (;;) {
        const char *k;
        size_t kn;
        json_skip_ws(&c);
        if (c.p >= c.end || *c.p != '"' || !json_read_string(&c, &k, &kn)) return;
        json_skip_ws(&c);
        c.p++; /* ':' */
        json_skip_ws(&c);
        if (kn == key_len && memcmp(k, key, kn) == 0 && c.p < c.end && *c.p == '[') {
            *out = c;
            return;
        }
        json_skip_value(&c, 1);
        json_skip_ws(&c);
        if (c.p < c.end && *c.p == ',') c.p++;
    }
}

/* Moves c to the next element of its array: 0 at the array's end. */
static int next_element(cursor *c, int first) {
    json_skip_ws(c);
    if (c->p >= c->end || *c->p == ']') return 0;
    if (!first) {
        if (*c->p != ',') return 0;
        c->p++;
    }
    return 1;
}

/* 1 with *t filled; else 0 after recording why the pair is bad (*st: BS_OK, or strict's error). */
static int make_tick(walk *w, const char *at, double ms, double price, bs_tick *t, bs_status *st) {
    double us = ms * 1000.0;
    if (!(us >= (double)BS_TIME_MIN_US && us <= (double)BS_TIME_MAX_US) || ms != floor(ms))
        return *st = bad_pair(w, at, "time is not epoch milliseconds in the years 0000 to 9999"), 0;
    if (!(price > 0) || !isfinite(price))
        return *st = bad_pair(w, at, "price is not a positive number"), 0;
    *t = (bs_tick){(int64_t)us, price, price, price, price, NAN, BS_TRADES_UNKNOWN, 0};
    return 1;
}

bs_status market_chart_parse(const char *doc, size_t len, const char *path, int strict,
                             bs_tick_fn on_tick, void *ctx, bs_scan_stats *stats, bs_error *err) {
    cursor whole = {doc, doc + len};
    json_skip_ws(&whole);
    int valid = whole.p < whole.end && *whole.p == '{' && json_skip_value(&whole, 0);
    json_skip_ws(&whole);
    if (!valid || whole.p != whole.end)
        return bs_fail(err, BS_ERR_PARSE, "%s: not a valid JSON document", path);
    cursor prices, volumes;
    find_array(doc, len, "prices", &prices);
    find_array(doc, len, "total_volumes", &volumes);
    if (!prices.p) return bs_fail(err, BS_ERR_PARSE, "%s: no \"prices\" array", path);
    walk w = {doc, path, strict, stats, err, doc, 1};
    prices.p++;
    if (volumes.p) volumes.p++;
    int volumes_left = volumes.p != NULL;
    bs_status st = BS_OK;
    for (int first = 1; st == BS_OK && next_element(&prices, first); first = 0) {
        json_skip_ws(&prices);
        const char *at = prices.p;
        double ms, price, vms = NAN, volume = NAN;
        int ok = read_pair(&prices, &ms, &price);
        if (volumes_left)
            volumes_left = next_element(&volumes, first) && (read_pair(&volumes, &vms, &volume), 1);
        bs_tick t;
        if (!ok) st = bad_pair(&w, at, "expected [epoch milliseconds, price]");
        if (!ok || !make_tick(&w, at, ms, price, &t, &st)) continue;
        if (volumes_left && vms == ms && volume >= 0 && isfinite(volume)) t.volume = volume;
        stats->ticks++;
        if (on_tick && on_tick(ctx, &t)) break;
    }
    if (st == BS_OK) stats->lines = line_of(&w, doc + len) - (len > 0 && doc[len - 1] == '\n');
    return st;
}

bs_status market_chart_scan_fd(int fd, const char *path, int64_t size, int strict,
                               bs_tick_fn on_tick, void *ctx, bs_scan_stats *stats, bs_error *err) {
    if (size > MARKET_CHART_MAX_BYTES)
        return bs_fail(err, BS_ERR_FORMAT, "%s: a market_chart document over %d MB", path,
                       MARKET_CHART_MAX_BYTES >> 20);
    char *doc = malloc(size > 0 ? (size_t)size : 1);
    if (!doc) return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory", path);
    size_t have = 0;
    while (have < (size_t)size) {
        ssize_t n = pread(fd, doc + have, (size_t)size - have, (off_t)have);
        if (n < 0) {
            free(doc);
            return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
        }
        if (n == 0) break;
        have += (size_t)n;
    }
    bs_status st = market_chart_parse(doc, have, path, strict, on_tick, ctx, stats, err);
    free(doc);
    return st;
}
