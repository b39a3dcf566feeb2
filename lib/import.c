/*
 * import.c - see import.h. The history's timestamps are held as one sorted array (8 bytes a
 * tick), not as ticks, so checking a large history for duplicates stays cheap in memory. They are
 * read under the history's writer lock, and the append is all or nothing (history.h), so neither
 * a concurrent stream commit nor a kill in the middle can leave a duplicate or a torn line.
 */
#include "btcstream/import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/history.h"

typedef struct {
    int64_t *ts;
    size_t len, cap;
} ts_set;

static int collect_ts(void *ctx, const bs_tick *tick) {
    ts_set *set = ctx;
    if (set->len == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 4096;
        int64_t *grown = realloc(set->ts, cap * sizeof *grown);
        if (!grown) return 1;
        set->ts = grown;
        set->cap = cap;
    }
    set->ts[set->len++] = tick->ts_us;
    return 0;
}

static int cmp_ts(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int ts_set_has(const ts_set *set, int64_t ts) {
    return set->len > 0 && bsearch(&ts, set->ts, set->len, sizeof ts, cmp_ts) != NULL;
}

/*
 * Reads the timestamps in the first size bytes of the history, whose writer lock the caller
 * holds: no commit can slip in between this read and the append that depends on it.
 */
static bs_status load_history_ts(const char *history, int64_t size, ts_set *set, bs_error *err) {
    if (size == 0) return BS_OK;
    bs_scan_options opts = {.format = BS_FORMAT_AUTO, .locked_size = size};
    bs_scan_stats stats;
    bs_status st = bs_scan_file(history, &opts, collect_ts, set, &stats, err);
    if (st != BS_OK) return st;
    if (stats.format != BS_FORMAT_JSONL)
        return bs_fail(err, BS_ERR_FORMAT, "%s: the history must be tick JSON lines, found %s",
                       history, bs_format_name(stats.format));
    if (set->len < stats.ticks) return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory", history);
    if (set->len > 1) qsort(set->ts, set->len, sizeof *set->ts, cmp_ts);
    return BS_OK;
}

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
    st = load_history_ts(history, size, &known, err);
    if (st == BS_OK) {
        size_t kept = keep_new(ticks->items, ticks->len, &known);
        result->duplicates = ticks->len - kept;
        if (kept > 0)
            st = bs_history_append_marked(fd, history, size, ticks->items, kept, NULL, err);
        if (st == BS_OK) result->appended = kept;
    }
    bs_history_unlock(fd);
    free(known.ts);
    return st;
}

bs_status bs_import_file(const char *source, const char *history, const bs_scan_options *scan,
                         bs_import_result *result, bs_scan_stats *stats, bs_error *err) {
    memset(result, 0, sizeof *result);
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
