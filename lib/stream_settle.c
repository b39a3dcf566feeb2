/* stream_settle.c - see stream_settle.h. */
#include "stream_settle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/fsutil.h"

void settle_watch(settle_list *l, const bs_checkpoint_file *f, int64_t now_us) {
    if (f->quarantine || f->ino == 0) return;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        settle_entry *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) return;
        l->items = grown;
        l->cap = cap;
    }
    char *name = strdup(f->name);
    if (!name) return;
    l->items[l->len++] = (settle_entry){name, f->ino, f->mtime_ns, f->size, now_us};
}

/* Moves a file that changed after its commit on to _quarantine/, with the reason. */
static bs_status quarantine(const char *stream_dir, const settle_entry *e, bs_error *err) {
    char from[8192], to[8300], dir[8192], reason_name[4200], reason[4600];
    snprintf(from, sizeof from, "%s/_processed/%s", stream_dir, e->name);
    snprintf(to, sizeof to, "%s/_quarantine/%s", stream_dir, e->name);
    snprintf(dir, sizeof dir, "%s/_quarantine", stream_dir);
    snprintf(reason_name, sizeof reason_name, "%s.reason", e->name);
    int n = snprintf(reason, sizeof reason,
                     "%s: written to after it was committed: its first %lld bytes are in the "
                     "history, what follows is not (write stream files under a name starting with "
                     "'.' and rename them into place)\n",
                     e->name, (long long)e->size);
    bs_status st = bs_write_file_atomic(dir, reason_name, reason, (size_t)n, 0, 0, err);
    if (st == BS_OK && rename(from, to) != 0 && errno != ENOENT)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot move to %s: %s", from, to, strerror(errno));
    return st;
}

bs_status settle_check(settle_list *l, const char *stream_dir, int64_t now_us, int final,
                       size_t *moved, bs_error *err) {
    size_t kept = 0;
    bs_status st = BS_OK;
    for (size_t i = 0; i < l->len; i++) {
        settle_entry *e = &l->items[i];
        char path[8192];
        snprintf(path, sizeof path, "%s/_processed/%s", stream_dir, e->name);
        struct stat sb;
        int watching = st == BS_OK && stat(path, &sb) == 0 && (uint64_t)sb.st_ino == e->ino;
        int64_t mtime = watching ? (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec : 0;
        if (watching && (mtime != e->mtime_ns || (int64_t)sb.st_size != e->size)) {
            st = quarantine(stream_dir, e, err);
            if (st == BS_OK) (*moved)++;
            watching = 0;
        }
        if (watching && !final && now_us - e->moved_us < BS_SETTLE_US) {
            l->items[kept++] = *e;
            continue;
        }
        free(e->name);
    }
    l->len = kept;
    return st;
}

void settle_free(settle_list *l) {
    for (size_t i = 0; i < l->len; i++) free(l->items[i].name);
    free(l->items);
    memset(l, 0, sizeof *l);
}
