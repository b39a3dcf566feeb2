/*
 * stream_markets.c - the stream processor over a stream root: a lane (stream_lane.h) per market
 * folder STREAM_ROOT/SOURCE/SYMBOL_ENC/ into DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json, and
 * one for the files lying in STREAM_ROOT itself into the legacy DATA_DIR/bitcoin_combined.json.
 *
 * Every turn lists the root again (two levels, a few directory reads), so a market folder that
 * appears while the processor runs is picked up at the next trigger; inotify on the root, the
 * source folders and the market folders only shortens the wait. Lanes are independent: each
 * holds its folder's checkpoint lock and is the one writer of its history, so a crash at any
 * step recovers each market exactly as the single-folder processor does.
 *
 * The legacy lane is opened only when STREAM_ROOT holds stream files (or a checkpoint log from
 * an earlier run): opening it creates the legacy history, and a data folder with markets only
 * should not grow an empty legacy history that `--market`-less commands would then have to
 * choose against.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/timeutil.h"
#include "stream_lane.h"
#include "stream_watch.h"

typedef struct {
    stream_lane **items;
    size_t len, cap;
    int legacy_open;
} lane_set;

static int is_dir(const char *parent, const struct dirent *e) {
    if (e->d_name[0] == '.' || e->d_name[0] == '_') return 0;
    if (e->d_type == DT_DIR) return 1;
    if (e->d_type != DT_UNKNOWN && e->d_type != DT_LNK) return 0;
    char path[8192];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int has_lane(const lane_set *s, const char *dir) {
    for (size_t i = 0; i < s->len; i++)
        if (strcmp(s->items[i]->stream_dir, dir) == 0) return 1;
    return 0;
}

static bs_status add_lane(lane_set *s, const bs_stream_options *o, stream_watch *w,
                          const char *dir, const char *history, const char *market,
                          bs_error *err) {
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        stream_lane **grown = realloc(s->items, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        s->items = grown;
        s->cap = cap;
    }
    stream_lane *l = malloc(sizeof *l);
    if (!l) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    s->items[s->len++] = l;
    stream_watch_add(w, dir);
    bs_status st = stream_lane_open(l, o, dir, history, market, err);
    if (st == BS_OK && o->on_notice && market[0]) {
        char notice[4400 + BS_MARKET_MAX];
        snprintf(notice, sizeof notice, "market %s: %s into %s", market, dir, history);
        o->on_notice(o->ctx, notice);
    }
    return st;
}

/* The market folders of one source folder (ROOT/SOURCE) not yet in the set. */
static bs_status scan_source(lane_set *s, const bs_stream_options *o, stream_watch *w,
                             const char *source, bs_error *err) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", o->stream_dir, source);
    DIR *d = opendir(dir);
    if (!d) return BS_OK; /* gone since the listing */
    struct dirent *e;
    bs_status st = BS_OK;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        char market[BS_MARKET_MAX], folder[8192], history[4096];
        if (!is_dir(dir, e)) continue;
        if (bs_market_from_path(source, e->d_name, market, sizeof market, NULL) != BS_OK)
            continue; /* not a market's folder: left alone */
        snprintf(folder, sizeof folder, "%s/%s", dir, e->d_name);
        if (has_lane(s, folder)) continue;
        st = bs_market_history(o->data_dir, market, history, sizeof history, err);
        if (st == BS_OK) st = add_lane(s, o, w, folder, history, market, err);
    }
    closedir(d);
    return st;
}

/* Whether the root holds a stream file (or a log an earlier legacy run left). */
static int root_has_files(const char *root) {
    DIR *d = opendir(root);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, "_checkpoint.log") == 0) found = 1;
        if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
        char path[8192];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) found = 1;
    }
    closedir(d);
    return found;
}

/* Adds lanes for the market folders and the legacy root files found since the last look. */
static bs_status rescan(lane_set *s, const bs_stream_options *o, stream_watch *w, bs_error *err) {
    DIR *d = opendir(o->stream_dir);
    if (!d) return bs_fail(err, BS_ERR_IO, "%s: cannot list the stream root", o->stream_dir);
    struct dirent *e;
    bs_status st = BS_OK;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        if (!is_dir(o->stream_dir, e)) continue;
        char source[256];
        if (snprintf(source, sizeof source, "%s", e->d_name) >= (int)sizeof source) continue;
        char folder[8192];
        snprintf(folder, sizeof folder, "%s/%s", o->stream_dir, source);
        stream_watch_add(w, folder);
        st = scan_source(s, o, w, source, err);
    }
    closedir(d);
    if (st == BS_OK && !s->legacy_open && root_has_files(o->stream_dir)) {
        char history[4096];
        if (snprintf(history, sizeof history, "%s/bitcoin_combined.json", o->data_dir) >=
            (int)sizeof history)
            return bs_fail(err, BS_ERR_ARG, "data folder path too long");
        s->legacy_open = 1;
        st = add_lane(s, o, w, o->stream_dir, history, "", err);
    }
    return st;
}

static int should_stop(const bs_stream_options *o, int64_t started) {
    if (o->stop && *o->stop) return 1;
    return o->duration_us > 0 && bs_monotonic_us() - started >= o->duration_us;
}

/* The wait between turns: the trigger (100 ms when 0), shorter while files settle, never past
 * the end of --duration. */
static int64_t turn_wait(const bs_stream_options *o, const lane_set *s, int64_t started) {
    int64_t wait = o->trigger_us > 0 ? o->trigger_us : 100000;
    for (size_t i = 0; i < s->len; i++)
        if (s->items[i]->v.settling.len > 0 && wait > 100000) wait = 100000;
    if (o->duration_us > 0) {
        int64_t left = started + o->duration_us - bs_monotonic_us();
        if (left < wait) wait = left;
    }
    return wait;
}

bs_status stream_run_markets(const bs_stream_options *o, bs_stream_totals *totals,
                             bs_error *err) {
    lane_set s = {0};
    stream_watch watch;
    bs_status st = bs_mkdirs(o->stream_dir, err);
    if (st != BS_OK) return st;
    stream_watch_open(&watch, o->stream_dir, o->poll, o->wake_fd ? *o->wake_fd : -1);
    stream_watch_add(&watch, o->stream_dir); /* with IN_CREATE: new source folders */
    int64_t started = bs_monotonic_us();
    int stop = 0;
    while (st == BS_OK && !stop && !should_stop(o, started)) {
        st = rescan(&s, o, &watch, err);
        int busy = 0;
        for (size_t i = 0; st == BS_OK && !stop && i < s.len; i++)
            st = stream_lane_turn(s.items[i], bs_monotonic_us(), totals, &stop, &busy, err);
        if (st != BS_OK || stop || (busy && o->trigger_us == 0)) continue;
        if (!busy && o->until_idle) break; /* every market is idle */
        int64_t wait = turn_wait(o, &s, started);
        if (busy) { /* wait only until the first lane's next trigger */
            int64_t now = bs_monotonic_us();
            for (size_t i = 0; i < s.len; i++)
                if (s.items[i]->next_trigger - now < wait) wait = s.items[i]->next_trigger - now;
        }
        stream_watch_wait(&watch, wait);
    }
    stream_watch_close(&watch);
    for (size_t i = 0; i < s.len; i++) {
        bs_status closed = stream_lane_close(s.items[i], totals, err);
        if (st == BS_OK) st = closed;
        free(s.items[i]);
    }
    free(s.items);
    return st;
}
