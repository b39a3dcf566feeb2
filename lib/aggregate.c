/*
 * aggregate.c - the four tables from per-grain running statistics (see aggregate.h).
 *
 * Every tick updates exactly one grain: count, sum/min/max of Close, max High, min Low, and the
 * earliest Open and latest Close. Because the grain divides an hour, a day, the window and the
 * slide, each table row is an exact merge of whole grains; no tick is ever revisited, which is
 * what lets a file be scanned in parallel and merged afterwards.
 */
#include "btcstream/aggregate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/timeutil.h"
#include "grain_map.h"

struct bs_aggregate {
    bs_aggregate_options opts;
    int64_t grain_us;
    grain_map grains;
    uint64_t ticks;
};

static const char *const table_names[BS_TABLE_COUNT] = {"hour_of_day", "hourly", "daily",
                                                        "moving_avg"};

const char *bs_table_kind_name(bs_table_kind kind) {
    return kind < BS_TABLE_COUNT ? table_names[kind] : "unknown";
}

bs_status bs_table_kind_parse(const char *name, bs_table_kind *kind, bs_error *err) {
    for (int k = 0; k < BS_TABLE_COUNT; k++) {
        if (strcmp(name, table_names[k]) == 0) {
            *kind = (bs_table_kind)k;
            return BS_OK;
        }
    }
    return bs_fail(err, BS_ERR_ARG,
                   "unknown table \"%s\" (choose hour_of_day, hourly, daily or moving_avg)", name);
}

bs_aggregate_options bs_aggregate_defaults(void) {
    bs_aggregate_options opts = {BS_US_PER_HOUR, 30 * BS_US_PER_MINUTE};
    return opts;
}

static int64_t gcd64(int64_t a, int64_t b) {
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bs_status bs_aggregate_new(const bs_aggregate_options *opts, bs_aggregate **out, bs_error *err) {
    bs_aggregate_options o = opts ? *opts : bs_aggregate_defaults();
    if (o.window_us <= 0 || o.slide_us <= 0)
        return bs_fail(err, BS_ERR_ARG, "window and slide must be longer than zero");
    if (o.slide_us > o.window_us)
        return bs_fail(err, BS_ERR_ARG, "the slide must not be longer than the window");
    bs_aggregate *agg = calloc(1, sizeof *agg);
    if (!agg) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    agg->opts = o;
    agg->grain_us = gcd64(gcd64(BS_US_PER_HOUR, o.window_us), o.slide_us);
    *out = agg;
    return BS_OK;
}

void bs_aggregate_free(bs_aggregate *agg) {
    if (!agg) return;
    grain_map_free(&agg->grains);
    free(agg);
}

uint64_t bs_aggregate_ticks(const bs_aggregate *agg) { return agg->ticks; }

/*
 * Sums of closes are compensated (Knuth's TwoSum keeps what each addition rounds off in
 * sum_close_err), so that a sum is the exact sum rounded once, whatever the order the ticks were
 * added in: how the file was split among threads, the order grains are merged in. A plain sum
 * changed in its last bits with the thread count, and the same average printed as 95136.0589 in
 * one run and 95136.05889999999 in another. The exact sum is rounded once at the end; it could
 * only differ where it lies within about n * 2^-106 of a rounding boundary.
 *
 * Every close is finite, but two of 1e308 add up to inf (and the average printed as inf was
 * invalid JSON). From the moment a sum overflows, the grain keeps it as a long double instead,
 * whose range no sum of doubles leaves, and sum_close stays inf to say so. The check costs one
 * comparison a tick.
 */
static inline void sum_add(double *sum, double *err, double x) {
    double t = *sum + x, back = t - *sum;
    *err += (*sum - (t - back)) + (x - back);
    *sum = t;
}

/* The sum in the range that never overflows. */
static long double sum_wide(const grain_stats *g) {
    return isinf(g->sum_close) ? g->sum_close_wide
                               : (long double)g->sum_close + (long double)g->sum_close_err;
}

/* Adds one close to g's sum. */
static inline void add_close(grain_stats *g, double x) {
    if (__builtin_expect(isinf(g->sum_close), 0)) {
        g->sum_close_wide += x;
        return;
    }
    double sum = g->sum_close, err = g->sum_close_err;
    sum_add(&g->sum_close, &g->sum_close_err, x);
    if (__builtin_expect(isinf(g->sum_close), 0))
        g->sum_close_wide = (long double)sum + (long double)err + (long double)x;
}

/* Adds b's sum of closes to a's. */
static void merge_sums(grain_stats *a, const grain_stats *b) {
    if (isinf(a->sum_close) || isinf(b->sum_close) || isinf(a->sum_close + b->sum_close)) {
        a->sum_close_wide = sum_wide(a) + sum_wide(b);
        a->sum_close = INFINITY;
        return;
    }
    sum_add(&a->sum_close, &a->sum_close_err, b->sum_close);
    a->sum_close_err += b->sum_close_err;
}

static double grain_average(const grain_stats *g) {
    if (g->count == 0) return 0;
    if (isinf(g->sum_close)) return (double)(g->sum_close_wide / (long double)g->count);
    return (g->sum_close + g->sum_close_err) / (double)g->count;
}

/* Folds the statistics of b into a; b's ticks count as read after a's (for tie-breaking). */
static void merge_stats(grain_stats *a, const grain_stats *b) {
    if (b->count == 0) return;
    if (a->count == 0) {
        int64_t key = a->key;
        *a = *b;
        a->key = key;
        return;
    }
    a->count += b->count;
    merge_sums(a, b);
    if (b->min_close < a->min_close) a->min_close = b->min_close;
    if (b->max_close > a->max_close) a->max_close = b->max_close;
    if (b->max_high > a->max_high) a->max_high = b->max_high;
    if (b->min_low < a->min_low) a->min_low = b->min_low;
    if (b->first_ts < a->first_ts) {
        a->first_ts = b->first_ts;
        a->first_open = b->first_open;
    }
    if (b->last_ts >= a->last_ts) {
        a->last_ts = b->last_ts;
        a->last_close = b->last_close;
    }
}

/* The per-tick case of merge_stats, written out: it runs once for every tick of a load. */
bs_status bs_aggregate_add(bs_aggregate *agg, const bs_tick *t) {
    /* Most ticks fall in the grain of the one before: a range check then spares the 64-bit
     * division, the costliest instruction of this path. */
    grain_stats *g = agg->grains.last;
    int64_t start = g ? g->key * agg->grain_us : 0;
    if (!g || t->ts_us < start || t->ts_us - start >= agg->grain_us) {
        g = grain_map_slot(&agg->grains, bs_time_floor(t->ts_us, agg->grain_us) / agg->grain_us);
        if (!g) return BS_ERR_NOMEM;
    }
    agg->ticks++;
    if (g->count++ == 0) {
        *g = (grain_stats){g->key, 1,        t->close, t->close, t->close, t->high,
                           t->low, t->ts_us, t->ts_us, t->open,  t->close, 0, 0};
        return BS_OK;
    }
    add_close(g, t->close);
    if (t->close < g->min_close) g->min_close = t->close;
    if (t->close > g->max_close) g->max_close = t->close;
    if (t->high > g->max_high) g->max_high = t->high;
    if (t->low < g->min_low) g->min_low = t->low;
    if (t->ts_us < g->first_ts) {
        g->first_ts = t->ts_us;
        g->first_open = t->open;
    }
    if (t->ts_us >= g->last_ts) {
        g->last_ts = t->ts_us;
        g->last_close = t->close;
    }
    return BS_OK;
}

typedef struct {
    grain_map *into;
    int failed;
} merge_ctx;

static void merge_one(void *ctx, const grain_stats *g) {
    merge_ctx *m = ctx;
    grain_stats *dst = grain_map_slot(m->into, g->key);
    if (!dst) {
        m->failed = 1;
        return;
    }
    merge_stats(dst, g);
}

bs_status bs_aggregate_merge(bs_aggregate *into, const bs_aggregate *from) {
    if (into->grain_us != from->grain_us) return BS_ERR_ARG;
    merge_ctx m = {&into->grains, 0};
    grain_map_each(&from->grains, merge_one, &m);
    into->ticks += from->ticks;
    return m.failed ? BS_ERR_NOMEM : BS_OK;
}

void bs_aggregate_span(const bs_aggregate *agg, int64_t start_us, int64_t end_us,
                       bs_span_stats *out) {
    grain_stats total;
    memset(&total, 0, sizeof total);
    int64_t first = bs_time_floor(start_us, agg->grain_us) / agg->grain_us;
    int64_t last = bs_time_floor(end_us - 1, agg->grain_us) / agg->grain_us;
    if (last - first + 1 <= (int64_t)agg->grains.len) { /* few grains in the span: look them up */
        for (int64_t k = first; k <= last; k++) {
            const grain_stats *g = grain_map_find(&agg->grains, k);
            if (g) merge_stats(&total, g);
        }
    } else {
        for (size_t i = 0; i < agg->grains.cap; i++)
            if (agg->grains.used[i] && agg->grains.slots[i].key >= first &&
                agg->grains.slots[i].key <= last)
                merge_stats(&total, &agg->grains.slots[i]);
    }
    *out = (bs_span_stats){start_us,        end_us,         total.count, grain_average(&total),
                           total.min_close, total.max_close};
}

/* ---- tables ------------------------------------------------------------------------------- */

typedef struct {
    grain_stats *items;
    size_t len;
} grain_list;

/*
 * Merges grains (sorted by key) into groups of `span` microseconds, in place: the result is a
 * sorted list whose keys are group start times in microseconds.
 */
static size_t group_sorted(grain_stats *g, size_t n, int64_t grain_us, int64_t span_us) {
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t start = bs_time_floor(g[i].key * grain_us, span_us);
        if (out > 0 && g[out - 1].key == start) {
            merge_stats(&g[out - 1], &g[i]);
        } else {
            g[out] = g[i];
            g[out].key = start;
            out++;
        }
    }
    return out;
}

static bs_status sorted_grains(const bs_aggregate *agg, grain_list *list, bs_error *err) {
    list->len = 0;
    list->items = malloc((agg->grains.len ? agg->grains.len : 1) * sizeof *list->items);
    if (!list->items) return bs_fail(err, BS_ERR_NOMEM, "out of memory building a table");
    list->len = grain_map_sorted(&agg->grains, list->items);
    return BS_OK;
}

static int add_column(bs_table *t, const char *name, bs_column_type type) {
    bs_column *c = &t->column[t->columns++];
    c->name = name;
    c->type = type;
    size_t bytes = (t->rows ? t->rows : 1) * 8;
    if (type == BS_COLUMN_DOUBLE) c->values.f64 = malloc(bytes);
    else c->values.i64 = malloc(bytes);
    return c->values.i64 != NULL;
}

static bs_status start_table(bs_table *t, bs_table_kind kind, size_t rows, const char *const *names,
                             const bs_column_type *types, size_t columns, bs_error *err) {
    memset(t, 0, sizeof *t);
    t->name = bs_table_kind_name(kind);
    t->rows = rows;
    for (size_t i = 0; i < columns; i++) {
        if (!add_column(t, names[i], types[i])) {
            bs_table_free(t);
            return bs_fail(err, BS_ERR_NOMEM, "out of memory building a table");
        }
    }
    return BS_OK;
}

static bs_status hourly_table(grain_stats *g, size_t n, bs_table *t, bs_error *err) {
    static const char *const names[] = {"Hour_Start", "Open",      "High", "Low",
                                        "Close",      "Avg_Close", "Count"};
    static const bs_column_type types[] = {BS_COLUMN_TIMESTAMP, BS_COLUMN_DOUBLE, BS_COLUMN_DOUBLE,
                                           BS_COLUMN_DOUBLE,    BS_COLUMN_DOUBLE, BS_COLUMN_DOUBLE,
                                           BS_COLUMN_INT64};
    bs_status st = start_table(t, BS_TABLE_HOURLY, n, names, types, 7, err);
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        t->column[0].values.i64[i] = g[i].key;
        t->column[1].values.f64[i] = g[i].first_open;
        t->column[2].values.f64[i] = g[i].max_high;
        t->column[3].values.f64[i] = g[i].min_low;
        t->column[4].values.f64[i] = g[i].last_close;
        t->column[5].values.f64[i] = grain_average(&g[i]);
        t->column[6].values.i64[i] = (int64_t)g[i].count;
    }
    return st;
}

/* Day and hour-of-day tables share a shape: a key column and avg/min/max of Close. */
static bs_status close_stats_table(grain_stats *g, size_t n, bs_table_kind kind, bs_table *t,
                                   bs_error *err) {
    static const char *const daily[] = {"Day", "Daily_Avg_Close", "Daily_Min_Close",
                                        "Daily_Max_Close"};
    static const char *const hours[] = {"Hour", "Hourly_Avg_Close", "Hourly_Min_Close",
                                        "Hourly_Max_Close"};
    bs_column_type types[] = {kind == BS_TABLE_DAILY ? BS_COLUMN_DAY : BS_COLUMN_INT64,
                              BS_COLUMN_DOUBLE, BS_COLUMN_DOUBLE, BS_COLUMN_DOUBLE};
    bs_status st = start_table(t, kind, n, kind == BS_TABLE_DAILY ? daily : hours, types, 4, err);
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        t->column[0].values.i64[i] = g[i].key;
        t->column[1].values.f64[i] = grain_average(&g[i]);
        t->column[2].values.f64[i] = g[i].min_close;
        t->column[3].values.f64[i] = g[i].max_close;
    }
    return st;
}

static bs_status hour_of_day_table(const grain_stats *g, size_t n, int64_t grain_us, bs_table *t,
                                   bs_error *err) {
    grain_stats hours[24];
    memset(hours, 0, sizeof hours);
    for (size_t i = 0; i < n; i++) merge_stats(&hours[bs_time_hour(g[i].key * grain_us)], &g[i]);
    size_t rows = 0;
    for (int h = 0; h < 24; h++) {
        if (hours[h].count == 0) continue;
        hours[rows] = hours[h];
        hours[rows++].key = h;
    }
    return close_stats_table(hours, rows, BS_TABLE_HOUR_OF_DAY, t, err);
}

/* Each grain lies wholly inside the windows whose start s (a multiple of the slide) has
 * s <= grain start < s + window; sums per window start are gathered in a second map. */
static bs_status moving_avg_table(const bs_aggregate *agg, const grain_stats *g, size_t n,
                                  bs_table *t, bs_error *err) {
    int64_t grain = agg->grain_us, slide = agg->opts.slide_us, window = agg->opts.window_us;
    grain_map windows = {0};
    for (size_t i = 0; i < n; i++) {
        int64_t start = g[i].key * grain;
        int64_t k_last = bs_time_floor(start, slide) / slide;
        int64_t k_first = bs_time_floor(start - window, slide) / slide + 1;
        for (int64_t k = k_first; k <= k_last; k++) {
            grain_stats *w = grain_map_slot(&windows, k);
            if (!w) {
                grain_map_free(&windows);
                return bs_fail(err, BS_ERR_NOMEM, "out of memory building moving averages");
            }
            w->count += g[i].count;
            merge_sums(w, &g[i]);
        }
    }
    grain_list list = {malloc((windows.len ? windows.len : 1) * sizeof(grain_stats)), 0};
    bs_status st = list.items ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK) {
        list.len = grain_map_sorted(&windows, list.items);
        static const char *const names[] = {"Start", "End", "Moving_Avg_Close"};
        static const bs_column_type types[] = {BS_COLUMN_TIMESTAMP, BS_COLUMN_TIMESTAMP,
                                               BS_COLUMN_DOUBLE};
        st = start_table(t, BS_TABLE_MOVING_AVG, list.len, names, types, 3, err);
    }
    for (size_t i = 0; st == BS_OK && i < list.len; i++) {
        t->column[0].values.i64[i] = list.items[i].key * slide;
        t->column[1].values.i64[i] = list.items[i].key * slide + window;
        t->column[2].values.f64[i] = grain_average(&list.items[i]);
    }
    free(list.items);
    grain_map_free(&windows);
    return st;
}

bs_status bs_aggregate_table(const bs_aggregate *agg, bs_table_kind kind, bs_table *out,
                             bs_error *err) {
    grain_list list;
    bs_status st = sorted_grains(agg, &list, err);
    if (st != BS_OK) return st;
    size_t n;
    switch (kind) {
    case BS_TABLE_HOURLY:
        n = group_sorted(list.items, list.len, agg->grain_us, BS_US_PER_HOUR);
        st = hourly_table(list.items, n, out, err);
        break;
    case BS_TABLE_DAILY:
        n = group_sorted(list.items, list.len, agg->grain_us, BS_US_PER_DAY);
        st = close_stats_table(list.items, n, BS_TABLE_DAILY, out, err);
        break;
    case BS_TABLE_HOUR_OF_DAY:
        st = hour_of_day_table(list.items, list.len, agg->grain_us, out, err);
        break;
    case BS_TABLE_MOVING_AVG: st = moving_avg_table(agg, list.items, list.len, out, err); break;
    default: st = bs_fail(err, BS_ERR_ARG, "unknown table kind %d", (int)kind);
    }
    free(list.items);
    return st;
}

void bs_table_free(bs_table *table) {
    if (!table) return;
    for (size_t i = 0; i < table->columns; i++) free(table->column[i].values.i64);
    memset(table, 0, sizeof *table);
}
