/*
 * import.c - see import.h. The history's timestamps are held as a set (ts_set.h: about 16 bytes
 * a tick), not as ticks, so checking a large history for duplicates stays cheap in memory. They are
 * read under the history's writer lock, and the append is all or nothing (history.h), so neither
 * a concurrent stream commit nor a kill in the middle can leave a duplicate or a torn line.
 */
#include "btcstream/import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/history.h"
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
