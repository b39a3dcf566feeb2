/*
 * market_migrate.c - a data folder from before markets into one market (market.h).
 *
 * Before markets, a data folder held one history, DATA_DIR/bitcoin_combined.json, fed by the
 * stream files in DATA_DIR/stream/ and committed by the log DATA_DIR/stream/_checkpoint.log.
 * bs_market_migrate() gives that history to a market: it becomes
 * DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json, by one rename, so the history is at any
 * instant in exactly one of the two places, whole.
 *
 * The steps, and why a kill -9 at any of them is safe:
 *   1. Lock the legacy history as the stream root's processor, open the root's checkpoint (its
 *      lock keeps a stream processor out; opening it recovers an interrupted batch, cutting the
 *      history back) and clear the history's mark. Killed here: the next run recovers the same.
 *   2. Refuse when stream files still wait in the root: they belong to the legacy history, and a
 *      migration must not strand them (run `stream --until-idle` first, and point producers at
 *      their market's folder).
 *   3. Sync the root's folders (the moves recovery made are durable), then remove the root's log:
 *      every batch in it is committed and its files moved, so what it still records is only the
 *      legacy history's size, which would be wrong once the history is gone. Killed after this:
 *      the legacy history is intact and a log starting afresh is valid for any history (the
 *      history may be longer than a log says; only shorter is an error).
 *   4. Rename the history into the market's place and sync both folders. Killed before the
 *      rename: nothing moved, run it again; after: migrated (the market's own folder starts a
 *      checkpoint log of its own at its first batch).
 * The market's history must not exist: two histories are never merged here (`import --market`
 * does that, with duplicates skipped).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/checkpoint.h"
#include "btcstream/fsutil.h"
#include "btcstream/history.h"
#include "btcstream/market.h"

static int exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The first stream file waiting in the root (a regular file not named '.' or '_'), or "". */
static void first_waiting(const char *root, char *name, size_t size) {
    name[0] = '\0';
    DIR *d = opendir(root);
    if (!d) return;
    struct dirent *e;
    while (!name[0] && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
        char path[8192];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) snprintf(name, size, "%s", e->d_name);
    }
    closedir(d);
}

/* Steps 2 and 3 under the root's checkpoint (open): the root drained, its log removed. */
static bs_status retire_root_log(const char *root, bs_error *err) {
    char waiting[256], path[8192];
    first_waiting(root, waiting, sizeof waiting);
    if (waiting[0])
        return bs_fail(err, BS_ERR_CONFIG,
                       "%s/%s and maybe more stream files wait for the legacy history: run "
                       "'btcstream stream --stream-dir %s --until-idle' first (and stop the "
                       "producers writing there)",
                       root, waiting, root);
    const char *const dirs[] = {"", "/_processed", "/_quarantine"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", root, dirs[i]);
        bs_status st = exists(path) ? bs_sync_dir(path, err) : BS_OK;
        if (st != BS_OK) return st;
    }
    snprintf(path, sizeof path, "%s/_checkpoint.log", root);
    if (unlink(path) != 0 && errno != ENOENT)
        return bs_fail(err, BS_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
    return bs_sync_dir(root, err);
}

/* Step 4: the rename, made durable in both folders. */
static bs_status move_history(const char *legacy, const char *target, bs_error *err) {
    char to_dir[4096], from_dir[4096];
    bs_path_dir(target, to_dir, sizeof to_dir);
    bs_path_dir(legacy, from_dir, sizeof from_dir);
    bs_status st = bs_mkdirs(to_dir, err);
    if (st != BS_OK) return st;
    if (rename(legacy, target) != 0)
        return bs_fail(err, BS_ERR_IO, "%s: cannot move to %s: %s", legacy, target,
                       strerror(errno));
    st = bs_sync_dir(to_dir, err);
    if (st == BS_OK) st = bs_sync_dir(from_dir, err);
    return st;
}

bs_status bs_market_migrate(const char *data_dir, const char *market, bs_error *err) {
    char legacy[4096], target[4096], root[4096], log[8192];
    bs_status st = bs_market_check(market, err);
    if (st == BS_OK) st = bs_market_history(data_dir, market, target, sizeof target, err);
    if (st != BS_OK) return st;
    if (snprintf(legacy, sizeof legacy, "%s/bitcoin_combined.json", data_dir) >=
            (int)sizeof legacy ||
        snprintf(root, sizeof root, "%s/stream", data_dir) >= (int)sizeof root)
        return bs_fail(err, BS_ERR_ARG, "data folder path too long");
    if (exists(target))
        return bs_fail(err, BS_ERR_CONFIG,
                       "%s: market %s has a history already; nothing was moved (to add the "
                       "legacy history to it: btcstream import %s --market %s --data-dir %s)",
                       target, market, legacy, market, data_dir);
    if (!exists(legacy))
        return bs_fail(err, BS_ERR_EMPTY, "%s: no legacy history to migrate", legacy);
    int fd;
    int64_t size;
    st = bs_history_lock_as_stream(legacy, root, &fd, &size, err);
    if (st != BS_OK) return st;
    bs_checkpoint cp = {.lock_fd = -1};
    snprintf(log, sizeof log, "%s/_checkpoint.log", root);
    if (exists(log)) {
        st = bs_checkpoint_open(&cp, root, legacy, err);
        if (st == BS_OK) st = retire_root_log(root, err);
    }
    if (st == BS_OK) st = bs_history_mark_pending(fd, legacy, NULL, 0, err);
    if (st == BS_OK && exists(target)) /* made while we waited for the locks */
        st = bs_fail(err, BS_ERR_CONFIG, "%s: market %s has a history already", target, market);
    if (st == BS_OK) st = move_history(legacy, target, err);
    bs_checkpoint_close(&cp);
    bs_history_unlock(fd);
    return st;
}
