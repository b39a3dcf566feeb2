/*
 * market_stats.c - a market's summary for `btcstream markets` (export_data.h): its history's span
 * and holes, and from its gap journal (gap_log.h) the gaps found and filled.
 *
 * One streaming pass with the reader: a million-row history is never loaded. Counting missing
 * minutes needs the set of minutes held, so each candle's minute (8 bytes) is kept, then sorted:
 * in a history written in order the sort finds it sorted, and out-of-order imports cost one
 * O(n log n) pass. Non-candle rows (snapshots at any instant) have no minute grid: no gaps.
 */
#include <stdlib.h>
#include <string.h>

#include "btcstream/export_data.h"
#include "btcstream/timeutil.h"
#include "btcstream/trade.h"
#include "gap_log.h"

typedef struct {
    bs_market_stats *s;
    int exchange; /* the history is an exchange market's (its folder says so) */
    int64_t *minutes;
    size_t n, cap;
    int nomem;
} stats_scan;

/*
 * Whether path is DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json with SOURCE an exchange: its
 * rows are candles even without Trades, which an exchange's REST candles may not give (Coinbase's
 * do not: a backfilled minute has no trade count, and is still a minute held).
 */
static int exchange_history(const char *path) {
    const char *end = strrchr(path, '/'), *p = end;
    for (int slashes = 0; p && p > path && slashes < 2;)
        if (*--p == '/') slashes++;
    if (!end || !p || p == end) return 0;
    const char *source = p + (*p == '/'), *source_end = memchr(source, '/', (size_t)(end - source));
    char name[32];
    if (!source_end || source_end - source >= (long)sizeof name) return 0;
    memcpy(name, source, (size_t)(source_end - source));
    name[source_end - source] = '\0';
    bs_exchange ex;
    return strcmp(end, "/history.json") == 0 && bs_exchange_from_name(name, &ex, NULL) == BS_OK;
}

static int on_tick(void *ctx, const bs_tick *t) {
    stats_scan *sc = ctx;
    bs_market_stats *s = sc->s;
    if (s->rows == 0 || t->ts_us < s->first_us) s->first_us = t->ts_us;
    if (s->rows == 0 || t->ts_us > s->last_us) s->last_us = t->ts_us;
    s->rows++;
    if (t->trades < 0 && !(sc->exchange && t->ts_us % BS_US_PER_MINUTE == 0)) return 0;
    s->candles++;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 4096;
        int64_t *grown = realloc(sc->minutes, cap * sizeof *grown);
        if (!grown) return sc->nomem = 1; /* stops the scan */
        sc->minutes = grown;
        sc->cap = cap;
    }
    sc->minutes[sc->n++] = bs_time_floor(t->ts_us, BS_US_PER_MINUTE) / BS_US_PER_MINUTE;
    return 0;
}

static int by_value(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int sorted(const int64_t *v, size_t n) {
    for (size_t i = 1; i < n; i++)
        if (v[i] < v[i - 1]) return 0;
    return 1;
}

/* Missing minutes between the first and the last held one, and the runs they form. */
static void count_gaps(int64_t *minutes, size_t n, bs_market_stats *s) {
    if (n == 0) return;
    if (!sorted(minutes, n)) qsort(minutes, n, sizeof *minutes, by_value);
    for (size_t i = 1; i < n; i++) {
        int64_t step = minutes[i] - minutes[i - 1];
        if (step <= 1) continue; /* the same minute twice, or the next one */
        s->missing_minutes += (uint64_t)(step - 1);
        s->holes++;
    }
}

bs_status bs_market_stats_scan(const char *path, bs_market_stats *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    stats_scan sc = {.s = out, .exchange = exchange_history(path)};
    bs_scan_options o = {.format = BS_FORMAT_JSONL};
    bs_scan_stats stats;
    bs_status st = bs_scan_file(path, &o, on_tick, &sc, &stats, err);
    if (st == BS_ERR_EMPTY) st = BS_OK; /* a history created but not written yet */
    if (st == BS_OK && sc.nomem)
        st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory counting minutes", path);
    if (st == BS_OK) {
        out->bad = stats.bad;
        count_gaps(sc.minutes, sc.n, out);
    }
    free(sc.minutes);
    if (st == BS_OK) st = gap_log_count(path, &out->gaps_found, &out->gaps_filled, err);
    return st;
}
