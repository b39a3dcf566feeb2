/* market_list.c - the markets of a data folder (market.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/market.h"
#include "btcstream/outputs.h"

typedef struct {
    bs_market_entry *items;
    size_t n, cap;
} entry_vec;

static bs_status push(entry_vec *v, const char *name, const char *history, bs_error *err) {
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 8;
        bs_market_entry *items = realloc(v->items, cap * sizeof *items);
        if (!items) return bs_fail(err, BS_ERR_NOMEM, "out of memory listing markets");
        v->items = items;
        v->cap = cap;
    }
    bs_market_entry *e = &v->items[v->n];
    if (snprintf(e->history, sizeof e->history, "%s", history) >= (int)sizeof e->history)
        return bs_fail(err, BS_ERR_ARG, "history path too long: %s", history);
    snprintf(e->name, sizeof e->name, "%s", name);
    v->n++;
    return BS_OK;
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Names starting with '.' or '_' are no market's (bs_market_path() never writes one). */
static int visible(const char *name) { return name[0] != '.' && name[0] != '_'; }

/* The markets of one source folder, DATA_DIR/markets/SOURCE/. */
static bs_status list_source(const char *dir, const char *source, entry_vec *v, bs_error *err) {
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT || errno == ENOTDIR
                   ? BS_OK
                   : bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    bs_status st = BS_OK;
    struct dirent *e;
    while (st == BS_OK && (e = readdir(d))) {
        char name[BS_MARKET_MAX], history[4096];
        if (!visible(e->d_name) ||
            bs_market_from_path(source, e->d_name, name, sizeof name, NULL) != BS_OK)
            continue;
        if (snprintf(history, sizeof history, "%s/%s/history.json", dir, e->d_name) >=
            (int)sizeof history)
            continue;
        if (is_file(history)) st = push(v, name, history, err);
    }
    closedir(d);
    return st;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const bs_market_entry *)a)->name, ((const bs_market_entry *)b)->name);
}

bs_status bs_market_list(const char *data_dir, bs_market_entry **out, size_t *n, bs_error *err) {
    entry_vec v = {0};
    char root[4096];
    *out = NULL;
    *n = 0;
    if (snprintf(root, sizeof root, "%s/markets", data_dir) >= (int)sizeof root)
        return bs_fail(err, BS_ERR_ARG, "data folder path too long: %s", data_dir);
    bs_status st = BS_OK;
    DIR *d = opendir(root);
    if (!d && errno != ENOENT && errno != ENOTDIR)
        return bs_fail(err, BS_ERR_IO, "%s: %s", root, strerror(errno));
    struct dirent *e;
    while (d && st == BS_OK && (e = readdir(d))) {
        char dir[4096];
        if (!visible(e->d_name) ||
            snprintf(dir, sizeof dir, "%s/%s", root, e->d_name) >= (int)sizeof dir)
            continue;
        st = list_source(dir, e->d_name, &v, err);
    }
    if (d) closedir(d);
    if (st == BS_OK && v.n > 1) qsort(v.items, v.n, sizeof *v.items, by_name);
    char legacy[4096];
    if (st == BS_OK &&
        snprintf(legacy, sizeof legacy, "%s/%s", data_dir, BS_OUTPUT_HISTORY) <
            (int)sizeof legacy &&
        is_file(legacy))
        st = push(&v, "", legacy, err);
    if (st != BS_OK) {
        free(v.items);
        return st;
    }
    *out = v.items;
    *n = v.n;
    return BS_OK;
}

void bs_market_list_free(bs_market_entry *list) { free(list); }

bs_status bs_market_resolve(const char *data_dir, const char *market, char *history, size_t size,
                            char *chosen, bs_error *err) {
    if (market) {
        bs_status st = bs_market_history(data_dir, market, history, size, err);
        if (st == BS_OK && chosen) snprintf(chosen, BS_MARKET_MAX, "%s", market);
        return st;
    }
    bs_market_entry *list;
    size_t n;
    bs_status st = bs_market_list(data_dir, &list, &n, err);
    if (st != BS_OK) return st;
    if (n == 0) {
        st = bs_fail(err, BS_ERR_EMPTY,
                     "%s holds no market yet: ingest or import one first (btcstream markets "
                     "lists them)",
                     data_dir);
    } else if (n > 1) {
        char names[400] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used + 1 < sizeof names; i++) {
            int k = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                             list[i].name[0] ? list[i].name : BS_OUTPUT_HISTORY " (no market)");
            if (k < 0) break;
            used += (size_t)k;
        }
        if (used >= sizeof names) strcpy(names + sizeof names - 4, "...");
        st = bs_fail(err, BS_ERR_ARG, "%s holds %zu markets: pass --market (one of %s)", data_dir,
                     n, names);
    } else if (snprintf(history, size, "%s", list[0].history) >= (int)size) {
        st = bs_fail(err, BS_ERR_ARG, "history path too long: %s", list[0].history);
    } else if (chosen) {
        snprintf(chosen, BS_MARKET_MAX, "%s", list[0].name);
    }
    bs_market_list_free(list);
    return st;
}
