/*
 * import.c - see import.h. The history's timestamps are held as a set (ts_set.h: about 16 bytes
 * a tick), not as ticks, so checking a large history for duplicates stays cheap in memory. They are
 * read under the history's writer lock, and the append is all or nothing (history.h), so neither
 * a concurrent stream commit nor a kill in the middle can leave a duplicate or a torn line.
 */
#include "btcstream/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/history.h"
#include "btcstream/market.h"
#include "ts_set.h"

static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Keeps the ticks (sorted) that are new: not in the history, not repeating the one before. */
static size_t keep_new(bs_tick *ticks, size_t n, const ts_set *known) {
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (ts_set_has(known, ticks[i].ts_us)) continue;
        if (kept > 0 && ticks[kept - 1].ts_us == ticks[i].ts_us) continue;
        ticks[kept++] = ticks[i];
    }
    return kept;
}

/* Appends what the history does not hold yet, deciding that under the history's lock. */
static bs_status append_new(const char *history, bs_tick_vec *ticks, bs_import_result *result,
                            bs_error *err) {
    int fd;
    int64_t size;
    ts_set known = {0};
    bs_status st = bs_history_lock(history, &fd, &size, err);
    if (st != BS_OK) return st;
    st = ts_set_add_history(&known, history, 0, size, err);
    if (st == BS_OK) {
        size_t kept = keep_new(ticks->items, ticks->len, &known);
        result->duplicates = ticks->len - kept;
        if (kept > 0)
            st = bs_history_append_marked(fd, history, size, ticks->items, kept, NULL, err);
        if (st == BS_OK) result->appended = kept;
    }
    bs_history_unlock(fd);
    ts_set_free(&known);
    return st;
}

bs_status bs_import_file(const char *source, const char *history, const bs_scan_options *scan,
                         bs_import_result *result, bs_scan_stats *stats, bs_error *err) {
    memset(result, 0, sizeof *result);
    bs_scan_stats local;
    if (!stats) stats = &local;
    if (same_file(source, history))
        return bs_fail(err, BS_ERR_ARG, "%s is the history itself; nothing to import", source);
    bs_tick_vec ticks = {0};
    bs_status st = bs_history_load(source, scan, &ticks, stats, err);
    if (st == BS_OK) {
        result->read = stats->ticks + stats->bad;
        result->rejected = stats->bad;
        st = append_new(history, &ticks, result, err);
    }
    bs_tick_vec_free(&ticks);
    return st;
}

/* ---- by market ---------------------------------------------------------------------------- */

typedef struct {
    char market[BS_MARKET_MAX]; /* "" for lines without a Market, until resolved */
    char history[4096];
    bs_tick_vec ticks;
} market_group;

typedef struct {
    market_group *items;
    size_t len, cap;
    int nomem;
} group_list;

static market_group *group_of(group_list *g, const char *market) {
    for (size_t i = 0; i < g->len; i++)
        if (strcmp(g->items[i].market, market) == 0) return &g->items[i];
    if (g->len == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4;
        market_group *grown = realloc(g->items, cap * sizeof *grown);
        if (!grown) return NULL;
        g->items = grown;
        g->cap = cap;
    }
    market_group *m = &g->items[g->len++];
    memset(m, 0, sizeof *m);
    snprintf(m->market, sizeof m->market, "%s", market);
    return m;
}

static int push_market_tick(void *ctx, const bs_tick *t, const char *market) {
    group_list *g = ctx;
    market_group *m = group_of(g, market);
    if (!m || bs_tick_vec_push(&m->ticks, t) != BS_OK) return g->nomem = 1;
    return 0;
}

static void groups_free(group_list *g) {
    for (size_t i = 0; i < g->len; i++) bs_tick_vec_free(&g->items[i].ticks);
    free(g->items);
}

/* Reads source into groups by market, refusing a file with no valid tick (naming a bad line). */
static bs_status read_groups(const char *source, const bs_scan_options *scan, group_list *g,
                             bs_scan_stats *stats, bs_error *err) {
    bs_scan_options o = scan ? *scan : (bs_scan_options){0};
    o.on_market_tick = push_market_tick;
    bs_status st = bs_scan_file(source, &o, NULL, g, stats, err);
    if (st == BS_OK && g->nomem) return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory", source);
    if (st == BS_OK && stats->ticks == 0 && stats->kept > 0)
        return bs_fail(err, BS_ERR_EMPTY, "%s: no valid ticks (%llu bad lines; %s:%llu: %s)",
                       source, (unsigned long long)stats->bad, source,
                       (unsigned long long)stats->bad_lines[0].line_no,
                       stats->bad_lines[0].reason);
    if (st == BS_OK && stats->ticks == 0)
        return bs_fail(err, BS_ERR_EMPTY, "%s: no valid ticks (%llu bad lines)", source,
                       (unsigned long long)stats->bad);
    return st;
}

/* Gives each group its history; lines without a Market go to market, or the only market. */
static bs_status resolve_groups(const char *source, group_list *g, const char *data_dir,
                                const char *market, bs_error *err) {
    bs_status st = BS_OK;
    for (size_t i = 0; i < g->len && st == BS_OK; i++) {
        market_group *m = &g->items[i];
        if (m->market[0]) {
            st = bs_market_history(data_dir, m->market, m->history, sizeof m->history, err);
            continue;
        }
        char chosen[BS_MARKET_MAX] = "";
        bs_error why = {{0}};
        st = bs_market_resolve(data_dir, market, m->history, sizeof m->history, chosen, &why);
        if (st == BS_ERR_EMPTY)
            st = bs_fail(err, BS_ERR_ARG,
                         "%s: its lines name no market and %s holds none yet: pass --market "
                         "SOURCE:SYMBOL (e.g. --market binance:BTCUSDT)",
                         source, data_dir);
        else if (st != BS_OK)
            st = bs_fail(err, st, "%s: its lines name no market: %s", source, why.msg);
        snprintf(m->market, sizeof m->market, "%s", chosen);
    }
    return st;
}

/* Merges groups that resolved to one history (lines without a Market that go to the market
 * other lines name), so that each history is appended to once: all or nothing. */
static void merge_groups(group_list *g, bs_error *err) {
    for (size_t i = 0; i < g->len; i++)
        for (size_t j = i + 1; j < g->len; j++) {
            if (strcmp(g->items[i].history, g->items[j].history) != 0) continue;
            bs_tick_vec *to = &g->items[i].ticks, *from = &g->items[j].ticks;
            for (size_t k = 0; k < from->len; k++)
                if (bs_tick_vec_push(to, &from->items[k]) != BS_OK) {
                    g->nomem = 1;
                    bs_fail(err, BS_ERR_NOMEM, "out of memory");
                    return;
                }
            bs_tick_vec_free(from);
            g->items[j--] = g->items[--g->len];
        }
}

static int by_market(const void *a, const void *b) {
    return strcmp(((const market_group *)a)->market, ((const market_group *)b)->market);
}

bs_status bs_import_markets(const char *source, const char *data_dir, const char *market,
                            const bs_scan_options *scan, bs_import_market_fn on_market, void *ctx,
                            bs_import_result *total, bs_scan_stats *stats, bs_error *err) {
    memset(total, 0, sizeof *total);
    bs_scan_stats local;
    if (!stats) stats = &local;
    if (market && bs_market_check(market, err) != BS_OK) return BS_ERR_ARG;
    group_list g = {0};
    bs_status st = read_groups(source, scan, &g, stats, err);
    if (st == BS_OK) st = resolve_groups(source, &g, data_dir, market, err);
    if (st == BS_OK) merge_groups(&g, err);
    if (st == BS_OK && g.nomem) st = BS_ERR_NOMEM;
    for (size_t i = 0; i < g.len && st == BS_OK; i++)
        if (same_file(source, g.items[i].history))
            st = bs_fail(err, BS_ERR_ARG, "%s is the history itself; nothing to import", source);
    if (st == BS_OK && g.len > 1) qsort(g.items, g.len, sizeof *g.items, by_market);
    total->read = stats->ticks + stats->bad;
    total->rejected = stats->bad;
    for (size_t i = 0; i < g.len && st == BS_OK; i++) {
        market_group *m = &g.items[i];
        bs_import_result r = {m->ticks.len, 0, 0, 0};
        if (bs_tick_vec_sort(&m->ticks) != BS_OK) st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
        if (st == BS_OK) st = append_new(m->history, &m->ticks, &r, err);
        if (st != BS_OK) break;
        total->appended += r.appended;
        total->duplicates += r.duplicates;
        if (on_market) on_market(ctx, m->market, m->history, &r);
    }
    groups_free(&g);
    return st;
}
