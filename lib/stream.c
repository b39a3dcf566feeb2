/*
 * stream.c - the micro-batch loop: list, read, commit (checkpoint.h), move, report.
 *
 * One batch at a time, in file-name order (the producer's names sort by time). Files are read
 * whole with the ordinary scanner, so a huge or binary file costs bounded memory and ends up in
 * _quarantine/ with its reasons; good lines of a partly bad file still count. Reason files are
 * written before the commit, so a crash can at worst leave a reason file that the redone batch
 * writes again.
 */
#include "btcstream/stream.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "btcstream/checkpoint.h"
#include "btcstream/fsutil.h"
#include "btcstream/history.h"
#include "btcstream/reader.h"
#include "btcstream/timeutil.h"
#include "stream_batch.h"
#include "stream_lane.h"
#include "stream_retention.h"
#include "stream_settle.h"
#include "stream_watch.h"
#include "ts_set.h"

typedef struct {
    char **names;
    size_t len, cap;
} name_list;

static void names_free(name_list *l) {
    for (size_t i = 0; i < l->len; i++) free(l->names[i]);
    free(l->names);
    memset(l, 0, sizeof *l);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_candidate(const char *dir, const struct dirent *e) {
    if (e->d_name[0] == '.' || e->d_name[0] == '_') return 0;
    if (e->d_type == DT_REG) return 1;
    if (e->d_type != DT_UNKNOWN) return 0;
    char path[8192];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A name the commit log cannot hold (it separates names by spaces) goes straight to the
 * quarantine: nothing of it has been read, so nothing needs committing. A move that fails is an
 * error: the file would otherwise be met, and skipped, at every listing. */
static bs_status set_aside_odd_name(const bs_stream_options *o, const char *name, int *set_aside,
                                    bs_error *err) {
    *set_aside = strpbrk(name, " \t\r\n") != NULL;
    if (!*set_aside) return BS_OK;
    char from[8192], to[8192];
    snprintf(from, sizeof from, "%s/%s", o->stream_dir, name);
    snprintf(to, sizeof to, "%s/_quarantine/%s", o->stream_dir, name);
    if (rename(from, to) != 0 && errno != ENOENT)
        return bs_fail(err, BS_ERR_IO, "%s: cannot move to the quarantine: %s", from,
                       strerror(errno));
    if (o->on_notice)
        o->on_notice(o->ctx, "quarantined a file whose name holds white space (not accepted)");
    return BS_OK;
}

/* The waiting files, sorted by name, at most max (0: all). */
static bs_status list_pending(const bs_stream_options *o, size_t max, name_list *out,
                              bs_error *err) {
    const char *dir = o->stream_dir;
    DIR *d = opendir(dir);
    if (!d) return bs_fail(err, BS_ERR_IO, "%s: cannot list the stream directory", dir);
    struct dirent *e;
    bs_status st = BS_OK;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        int set_aside = 0;
        if (!is_candidate(dir, e)) continue;
        st = set_aside_odd_name(o, e->d_name, &set_aside, err);
        if (st != BS_OK || set_aside) continue;
        if (out->len == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 64;
            char **grown = realloc(out->names, cap * sizeof *grown);
            if (!grown) st = bs_fail(err, BS_ERR_NOMEM, "out of memory listing %s", dir);
            else out->names = grown, out->cap = cap;
        }
        if (st == BS_OK && !(out->names[out->len++] = strdup(e->d_name)))
            st = bs_fail(err, BS_ERR_NOMEM, "out of memory listing %s", dir);
    }
    closedir(d);
    if (st != BS_OK) return st;
    if (out->len > 1) qsort(out->names, out->len, sizeof *out->names, by_name);
    while (max > 0 && out->len > max) free(out->names[--out->len]);
    return BS_OK;
}


static int push_tick(void *ctx, const bs_tick *t) { return bs_tick_vec_push(ctx, t) != BS_OK; }

/* The ticks of a file in a folder whose market is known, and the lines naming another market. */
typedef struct {
    bs_tick_vec *ticks;
    const char *market; /* the folder's; "" for the legacy root: no line may name one */
    uint64_t foreign;   /* lines naming another market */
    char first_foreign[BS_MARKET_MAX];
} market_read;

static int push_market_tick(void *ctx, const bs_tick *t, const char *market) {
    market_read *m = ctx;
    if (market[0] && strcmp(market, m->market) != 0) {
        if (m->foreign++ == 0) snprintf(m->first_foreign, sizeof m->first_foreign, "%s", market);
        return 0;
    }
    return bs_tick_vec_push(m->ticks, t) != BS_OK;
}

/* The reason a file holding lines of another market is set aside whole: markets never mix. */
static int foreign_reason(const bs_stream_options *o, const char *name, const market_read *m,
                          char *reason, size_t size) {
    if (o->market[0])
        return snprintf(reason, size,
                        "%s: %llu line%s of market \"%s\" in the folder of market \"%s\"; nothing "
                        "of it was taken (markets never mix: write each market's files into its "
                        "own folder, docs/markets.md)\n",
                        name, (unsigned long long)m->foreign, m->foreign == 1 ? "" : "s",
                        m->first_foreign, o->market);
    return snprintf(reason, size,
                    "%s: %llu line%s of market \"%s\" in the stream root, whose files go to the "
                    "legacy history; nothing of it was taken (write a market's files into its "
                    "folder STREAM_ROOT/SOURCE/SYMBOL, docs/markets.md)\n",
                    name, (unsigned long long)m->foreign, m->foreign == 1 ? "" : "s",
                    m->first_foreign);
}

static bs_status write_reason(const char *dir, const char *name, const char *text, bs_error *err) {
    char qdir[8192], file[512];
    snprintf(qdir, sizeof qdir, "%s/_quarantine", dir);
    snprintf(file, sizeof file, "%s.reason", name);
    return bs_write_file_atomic(qdir, file, text, strlen(text), 0, 0, err);
}

/* Reads one stream file into the batch, deciding whether it goes to the quarantine. */
static bs_status read_file(const bs_stream_options *o, const bs_checkpoint *cp, const char *name,
                           batch *b, bs_error *err) {
    char path[8192], reason[2048];
    bs_checkpoint_file *f = &b->files[b->count];
    *f = (bs_checkpoint_file){.name = name};
    if (bs_checkpoint_identify(cp, f, NULL) != BS_OK) return BS_OK; /* gone since the listing */
    snprintf(path, sizeof path, "%s/%s", o->stream_dir, name);
    bs_scan_stats stats;
    bs_error why = {{0}};
    size_t before = b->ticks.len;
    bs_scan_options scan = {.format = BS_FORMAT_JSONL}; /* stream files are tick JSON lines */
    market_read m = {&b->ticks, o->market, 0, ""};
    if (o->market) scan.on_market_tick = push_market_tick;
    bs_status st = o->market ? bs_scan_file(path, &scan, NULL, &m, &stats, &why)
                             : bs_scan_file(path, &scan, push_tick, &b->ticks, &stats, &why);
    if (st == BS_OK) stats.ticks -= m.foreign;
    if (st == BS_ERR_NOMEM || b->ticks.len - before < (st == BS_OK ? stats.ticks : 0))
        return bs_fail(err, BS_ERR_NOMEM, "out of memory reading %s", path);
    int n = 0;
    bs_checkpoint_file after = {.name = name};
    if (bs_checkpoint_identify(cp, &after, NULL) != BS_OK || after.ino != f->ino ||
        after.mtime_ns != f->mtime_ns || after.size != f->size) {
        b->ticks.len = before; /* what was read may be half of what is there */
        n = snprintf(reason, sizeof reason,
                     "%s: changed while it was read; nothing of it was taken (write stream files "
                     "under a name starting with '.' and rename them into place)\n",
                     name);
    } else if (st != BS_OK) {
        b->ticks.len = before; /* an unreadable file contributes nothing */
        n = snprintf(reason, sizeof reason, "%s\n", why.msg);
    } else if (m.foreign > 0) {
        b->ticks.len = before;
        n = foreign_reason(o, name, &m, reason, sizeof reason);
    } else if (stats.bad > 0 || stats.ticks == 0) {
        n = snprintf(reason, sizeof reason, "%s: %llu bad line%s, %llu good tick%s kept\n", name,
                     (unsigned long long)stats.bad, stats.bad == 1 ? "" : "s",
                     (unsigned long long)stats.ticks, stats.ticks == 1 ? "" : "s");
        for (size_t i = 0; i < stats.kept && n > 0 && (size_t)n < sizeof reason; i++)
            n +=
                snprintf(reason + n, sizeof reason - (size_t)n, "%s:%llu: %s\n", name,
                         (unsigned long long)stats.bad_lines[i].line_no, stats.bad_lines[i].reason);
        b->bad_lines += stats.bad;
    }
    b->count++;
    f->quarantine = n > 0;
    if (!f->quarantine) return BS_OK;
    b->quarantined++;
    if (o->on_notice) {
        char notice[512];
        snprintf(notice, sizeof notice, "quarantined %s: %.*s", name, (int)strcspn(reason, "\n"),
                 reason);
        o->on_notice(o->ctx, notice);
    }
    return write_reason(o->stream_dir, name, reason, err);
}

static void step(const bs_stream_options *o, bs_stream_step which) {
    if (o->on_step) o->on_step(o->ctx, which);
}

/*
 * Drops, under the history's lock, the batch's ticks whose instant the history already holds
 * (first catching up with what other writers appended since) or that repeat the tick before.
 */
static bs_status drop_stored(const bs_stream_options *o, live_view *v, int64_t size, batch *b,
                             bs_error *err) {
    bs_status st = ts_set_add_history(&v->stored, o->history, v->stored_size, size, err);
    if (st != BS_OK) return st;
    v->stored_size = size;
    size_t kept = 0;
    for (size_t i = 0; i < b->ticks.len; i++) {
        const bs_tick *t = &b->ticks.items[i];
        if (ts_set_has(&v->stored, t->ts_us)) continue;
        if (kept > 0 && b->ticks.items[kept - 1].ts_us == t->ts_us) continue;
        b->ticks.items[kept++] = *t;
    }
    b->duplicates = b->ticks.len - kept;
    b->ticks.len = kept;
    return BS_OK;
}

/* Records the batch's ticks as stored, once committed. Out of memory only costs the check. */
static void remember_stored(live_view *v, const batch *b, int64_t new_size) {
    for (size_t i = 0; i < b->ticks.len; i++)
        if (ts_set_add(&v->stored, b->ticks.items[i].ts_us) < 0) {
            v->stored_size = 0; /* re-read the whole history at the next batch */
            ts_set_free(&v->stored);
            return;
        }
    v->stored_size = new_size;
}

/* Appends the batch to the history and commits it; see checkpoint.h for why this order. */
static bs_status commit_batch(const bs_stream_options *o, bs_checkpoint *cp, live_view *v,
                              batch *b, const char *position, bs_error *err) {
    int fd;
    int64_t size, new_size;
    step(o, BS_STREAM_STEP_READ);
    bs_status st = bs_history_lock_as_stream(o->history, o->stream_dir, &fd, &size, err);
    if (st != BS_OK) return st;
    uint64_t number = cp->last_batch + 1;
    st = drop_stored(o, v, size, b, err);
    if (st != BS_OK) {
        bs_history_unlock(fd);
        return st;
    }
    /* Until the commit, other writers must not append after our partial batch, and readers must
     * not read into it (history.h). */
    st = bs_history_mark_pending(fd, o->history, cp->owner, size, err);
    if (st == BS_OK) st = bs_checkpoint_begin(cp, number, size, err);
    if (st == BS_OK) step(o, BS_STREAM_STEP_BEGUN);
    new_size = size;
    if (st == BS_OK && b->ticks.len > 0)
        st = bs_history_append_fd(fd, o->history, b->ticks.items, b->ticks.len, &new_size, err);
    if (st == BS_OK) step(o, BS_STREAM_STEP_APPENDED);
    if (st == BS_OK)
        st = bs_checkpoint_commit_at(cp, number, new_size, b->ticks.len, b->files, b->count,
                                     position, err);
    if (st == BS_OK) st = bs_history_mark_pending(fd, o->history, NULL, 0, err);
    bs_history_unlock(fd);
    if (st != BS_OK) return st;
    remember_stored(v, b, new_size);
    step(o, BS_STREAM_STEP_COMMITTED);
    for (size_t i = 0; i < b->count && st == BS_OK; i++) {
        st = bs_checkpoint_move_files(cp, &b->files[i], 1, err);
        settle_watch(&v->settling, &b->files[i], bs_monotonic_us());
        if (i == 0) step(o, BS_STREAM_STEP_MOVED_ONE);
    }
    if (st == BS_OK) step(o, BS_STREAM_STEP_DONE);
    return st;
}

static void update_live(const bs_stream_options *o, live_view *v, const batch *b,
                        bs_batch_report *r) {
    int64_t live_hour =
        v->newest == INT64_MIN ? INT64_MIN : bs_time_floor(v->newest, BS_US_PER_HOUR);
    for (size_t i = 0; i < b->ticks.len; i++) {
        const bs_tick *t = &b->ticks.items[i];
        if (t->ts_us < live_hour) r->late++;
        if (t->ts_us > v->newest) v->newest = t->ts_us;
        bs_aggregate_add(v->live, t); /* only a live view: a failure here loses no data */
    }
    if (v->newest == INT64_MIN) return;
    int64_t hour = bs_time_floor(v->newest, BS_US_PER_HOUR),
            day = bs_time_floor(v->newest, BS_US_PER_DAY);
    int64_t window =
        bs_time_floor(v->newest, o->windows.slide_us); /* the latest window holding it */
    bs_aggregate_span(v->live, hour, hour + BS_US_PER_HOUR, &r->hour);
    bs_aggregate_span(v->live, day, day + BS_US_PER_DAY, &r->day);
    bs_aggregate_span(v->live, window, window + o->windows.window_us, &r->window);
}

/* One batch of the given files: read, commit, report. */
/* Commits a filled batch (position: the transport's, for the commit line) and reports it. */
static bs_status commit_and_report(const bs_stream_options *o, bs_checkpoint *cp, live_view *v,
                                   batch *b, const char *position, bs_stream_totals *totals,
                                   int *stop, bs_error *err) {
    bs_status st = BS_OK;
    if (bs_tick_vec_sort(&b->ticks) != BS_OK) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    st = commit_batch(o, cp, v, b, position, err);
    if (st != BS_OK) return st;
    bs_batch_report r = {cp->last_batch, b->ticks.items, b->ticks.len, b->count, b->quarantined,
                         b->bad_lines,   0,              {0},          {0},      {0},
                         bs_monotonic_us(), b->duplicates, o->market};
    update_live(o, v, b, &r);
    totals->batches++;
    totals->rows += r.rows;
    totals->files += r.files;
    totals->quarantined += r.quarantined;
    totals->bad_lines += r.bad_lines;
    totals->late += r.late;
    totals->duplicates += r.duplicates;
    if (o->on_batch && o->on_batch(o->ctx, &r)) *stop = 1;
    return BS_OK;
}

/* One batch of the given files: read, commit, report. */
static bs_status run_batch(const bs_stream_options *o, bs_checkpoint *cp, live_view *v,
                           name_list *names, bs_stream_totals *totals, int *stop, bs_error *err) {
    batch b = {0};
    b.files = calloc(names->len, sizeof *b.files);
    bs_status st = b.files ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == BS_OK && i < names->len; i++)
        st = read_file(o, cp, names->names[i], &b, err);
    /* every file vanished since the listing: nothing to commit */
    if (st == BS_OK && b.count > 0) st = commit_and_report(o, cp, v, &b, NULL, totals, stop, err);
    bs_tick_vec_free(&b.ticks);
    free(b.files);
    return st;
}

/*
 * One batch from the bus: fetched, committed with the stream sequence of its last message, and
 * only then acknowledged (bus.h). *got is 0 when nothing arrived within the trigger.
 */
static bs_status run_bus_batch(const bs_stream_options *o, bs_checkpoint *cp, live_view *v,
                               bs_stream_totals *totals, int *stop, int *got, bs_error *err) {
    const bs_bus_message *msgs;
    size_t n;
    size_t max = o->max_files_per_trigger ? o->max_files_per_trigger : BS_STREAM_MAX_BATCH_FILES;
    int64_t wait = o->trigger_us > 0 ? o->trigger_us : 100000;
    bs_error why = {{0}};
    if (bs_bus_fetch(o->bus, max, wait, &msgs, &n, &why) != BS_OK) {
        /* A leader election, a lost quorum, a reconnect: the bus comes back, and nothing was
         * taken from it. Say so and try again after the trigger. */
        if (o->on_notice) o->on_notice(o->ctx, why.msg);
        struct timespec pause = {0, 200 * 1000000};
        nanosleep(&pause, NULL);
        *got = 0;
        return BS_OK;
    }
    *got = n > 0;
    if (!*got) return BS_OK;
    bs_status st;
    batch b = {0};
    unsigned char *reject = calloc(n, 1);
    char position[64];
    if (!reject) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    st = stream_bus_read(o->stream_dir, msgs, n, cp->bus_seq, &b, reject, err);
    snprintf(position, sizeof position, "J:%llu", (unsigned long long)msgs[n - 1].stream_seq);
    if (st == BS_OK) st = commit_and_report(o, cp, v, &b, position, totals, stop, err);
    if (st == BS_OK) {
        totals->redelivered += b.redelivered;
        if (bs_bus_settle(o->bus, reject, &why) != BS_OK && o->on_notice)
            o->on_notice(o->ctx, why.msg); /* the messages come back and are dropped then */
    }
    bs_tick_vec_free(&b.ticks);
    free(reject);
    return st;
}

/*
 * Primes the live view with the tail of the history, so that after a restart the current hour,
 * day and window still hold what earlier runs committed, and a late tick is recognised as late.
 * Only the last SEED_BYTES are read (weeks of 30-second ticks): the view needs the recent past,
 * and start-up stays quick whatever the history's size. An unreadable history leaves the view
 * empty; it is only a view, and the commit path reports real I/O errors.
 */
#define SEED_BYTES (INT64_C(8) << 20)

static int seed_tick(void *ctx, const bs_tick *t) {
    live_view *v = ctx;
    bs_aggregate_add(v->live, t);
    if (t->ts_us > v->newest) v->newest = t->ts_us;
    return 0;
}

static void seed_live(const char *history, live_view *v) {
    struct stat sb;
    if (stat(history, &sb) != 0 || sb.st_size == 0) return;
    bs_scan_options scan = {.format = BS_FORMAT_JSONL,
                            .range_start = sb.st_size > SEED_BYTES ? sb.st_size - SEED_BYTES : 0,
                            .range_end = sb.st_size};
    bs_scan_file(history, &scan, seed_tick, v, NULL, NULL);
}

bs_stream_options bs_stream_defaults(void) {
    bs_stream_options o;
    memset(&o, 0, sizeof o);
    o.stream_dir = "Data/stream";
    o.history = "Data/bitcoin_combined.json";
    o.trigger_us = BS_US_PER_SECOND;
    o.windows = bs_aggregate_defaults();
    o.retain_us = 7 * BS_US_PER_DAY;
    o.retain_files = 100000;
    return o;
}

/* Retention runs at start and then every PRUNE_EVERY_US, or sooner once a tenth of the file
 * bound has been committed since: often enough to hold the bound, rare enough to cost nothing. */
#define PRUNE_EVERY_US (5 * 60 * BS_US_PER_SECOND)

static bs_status prune(const bs_stream_options *o, bs_stream_totals *totals, bs_error *err) {
    if (o->retain_us <= 0 && o->retain_files == 0) return BS_OK;
    char dir[8192];
    snprintf(dir, sizeof dir, "%s/_processed", o->stream_dir);
    size_t removed;
    bs_status st = bs_stream_retention_prune(dir, o->retain_us, o->retain_files,
                                             bs_now_us() / BS_US_PER_SECOND, &removed, err);
    totals->pruned += removed;
    return st;
}

static int prune_due(const bs_stream_options *o, int64_t last_prune, uint64_t files_since) {
    if (o->retain_files > 0 && files_since >= o->retain_files / 10 + 1) return 1;
    return bs_monotonic_us() - last_prune >= PRUNE_EVERY_US;
}

static int should_stop(const bs_stream_options *o, int64_t started) {
    if (o->stop && *o->stop) return 1;
    return o->duration_us > 0 && bs_monotonic_us() - started >= o->duration_us;
}

/* Waits for new files at most us, and never past the end of --duration. */
static void wait_for(const bs_stream_options *o, stream_watch *watch, int64_t started, int64_t us) {
    if (o->duration_us > 0) {
        int64_t left = started + o->duration_us - bs_monotonic_us();
        if (left < us) us = left;
    }
    stream_watch_wait(watch, us);
}

/* How often files moved lately are looked at while nothing else happens. */
#define SETTLE_POLL_US 100000

static bs_status loop(const bs_stream_options *o, bs_checkpoint *cp, live_view *v,
                      bs_stream_totals *totals, bs_error *err) {
    stream_watch watch;
    stream_watch_open(&watch, o->stream_dir, o->poll, o->wake_fd ? *o->wake_fd : -1);
    int64_t started = bs_monotonic_us(), next_trigger = started, last_prune = started;
    uint64_t files_at_prune = totals->files;
    int stop = 0;
    bs_status st = prune(o, totals, err);
    while (st == BS_OK && !stop && !should_stop(o, started)) {
        if (v->settling.len > 0) {
            size_t moved = 0;
            st = settle_check(&v->settling, o->stream_dir, bs_monotonic_us(), 0, &moved, err);
            totals->quarantined += moved;
            if (st != BS_OK) break;
        }
        if (prune_due(o, last_prune, totals->files - files_at_prune)) {
            st = prune(o, totals, err);
            last_prune = bs_monotonic_us();
            files_at_prune = totals->files;
            if (st != BS_OK) break;
        }
        int64_t now = bs_monotonic_us();
        if (now < next_trigger) {
            wait_for(o, &watch, started, next_trigger - now);
            continue;
        }
        if (o->bus) {
            int got;
            st = run_bus_batch(o, cp, v, totals, &stop, &got, err);
            int idle = 0;
            bs_error why = {{0}};
            if (st == BS_OK && !got && o->until_idle &&
                bs_bus_consumer_idle(o->bus, &idle, &why) != BS_OK && o->on_notice)
                o->on_notice(o->ctx, why.msg); /* not known to be idle: look again */
            if (idle) stop = 1;
            continue;
        }
        name_list names = {0};
        size_t max =
            o->max_files_per_trigger ? o->max_files_per_trigger : BS_STREAM_MAX_BATCH_FILES;
        st = list_pending(o, max, &names, err);
        if (st == BS_OK && names.len > 0) {
            st = run_batch(o, cp, v, &names, totals, &stop, err);
            next_trigger = now + o->trigger_us;
        } else if (st == BS_OK) {
            int64_t wait = o->trigger_us > 0 ? o->trigger_us : 100000;
            if (v->settling.len > 0 && wait > SETTLE_POLL_US) wait = SETTLE_POLL_US;
            if (o->until_idle) stop = 1;
            else wait_for(o, &watch, started, wait);
        }
        names_free(&names);
    }
    stream_watch_close(&watch);
    size_t moved = 0;
    bs_status settled = settle_check(&v->settling, o->stream_dir, bs_monotonic_us(), 1, &moved, err);
    totals->quarantined += moved;
    return st == BS_OK ? settled : st;
}

/*
 * Opens the checkpoint, recovering from a crash, under the history's lock so that an import
 * cannot append while recovery cuts a partial batch off; then clears the mark that kept other
 * writers out since the crash.
 */
static bs_status recover(const bs_stream_options *o, bs_checkpoint *cp, bs_error *err) {
    int fd;
    int64_t size;
    bs_status st = bs_history_lock_as_stream(o->history, o->stream_dir, &fd, &size, err);
    if (st != BS_OK) return st;
    st = bs_checkpoint_open(cp, o->stream_dir, o->history, err);
    if (st == BS_OK) st = bs_history_mark_pending(fd, o->history, NULL, 0, err);
    bs_history_unlock(fd);
    if (st == BS_OK && cp->interrupted_batch && o->on_notice) {
        char notice[4400];
        snprintf(notice, sizeof notice,
                 "recovered: batch %llu was interrupted; cut %lld bytes of it from %s, redoing it",
                 (unsigned long long)cp->interrupted_batch, (long long)cp->cut_bytes, o->history);
        o->on_notice(o->ctx, notice);
    }
    return st;
}

/* ---- lanes: one folder and its history among several (stream_lane.h) ---------------------- */

bs_status stream_lane_open(stream_lane *l, const bs_stream_options *run, const char *stream_dir,
                           const char *history, const char *market, bs_error *err) {
    memset(l, 0, sizeof *l);
    l->cp.lock_fd = -1;
    l->v = (live_view){NULL, INT64_MIN, {0}, 0, {0}};
    l->o = *run;
    snprintf(l->stream_dir, sizeof l->stream_dir, "%s", stream_dir);
    snprintf(l->history, sizeof l->history, "%s", history);
    snprintf(l->market, sizeof l->market, "%s", market);
    l->o.stream_dir = l->stream_dir;
    l->o.history = l->history;
    l->o.market = l->market;
    l->o.data_dir = NULL;
    l->next_trigger = bs_monotonic_us(); /* last_prune 0: prune at the first turn */
    bs_status st = bs_mkdirs(l->stream_dir, err);
    if (st == BS_OK) st = recover(&l->o, &l->cp, err);
    if (st == BS_OK) st = bs_aggregate_new(&l->o.windows, &l->v.live, err);
    if (st == BS_OK) seed_live(l->history, &l->v);
    return st;
}

bs_status stream_lane_turn(stream_lane *l, int64_t now, bs_stream_totals *totals, int *stop,
                           int *busy, bs_error *err) {
    const bs_stream_options *o = &l->o;
    bs_status st = BS_OK;
    if (l->v.settling.len > 0) {
        size_t moved = 0;
        st = settle_check(&l->v.settling, o->stream_dir, now, 0, &moved, err);
        totals->quarantined += moved;
        if (st != BS_OK) return st;
    }
    if (l->last_prune == 0 || prune_due(o, l->last_prune, totals->files - l->files_at_prune)) {
        st = prune(o, totals, err);
        l->last_prune = bs_monotonic_us();
        l->files_at_prune = totals->files;
        if (st != BS_OK) return st;
    }
    if (now < l->next_trigger) {
        *busy = 1; /* a batch was committed within the trigger: look again after it */
        return BS_OK;
    }
    name_list names = {0};
    size_t max = o->max_files_per_trigger ? o->max_files_per_trigger : BS_STREAM_MAX_BATCH_FILES;
    st = list_pending(o, max, &names, err);
    if (st == BS_OK && names.len > 0) {
        st = run_batch(o, &l->cp, &l->v, &names, totals, stop, err);
        l->next_trigger = now + o->trigger_us;
        *busy = 1;
    }
    names_free(&names);
    return st;
}

bs_status stream_lane_close(stream_lane *l, bs_stream_totals *totals, bs_error *err) {
    size_t moved = 0;
    bs_status st = BS_OK;
    if (l->cp.lock_fd >= 0)
        st = settle_check(&l->v.settling, l->stream_dir, bs_monotonic_us(), 1, &moved, err);
    totals->quarantined += moved;
    bs_aggregate_free(l->v.live);
    ts_set_free(&l->v.stored);
    settle_free(&l->v.settling);
    bs_checkpoint_close(&l->cp);
    l->v.live = NULL;
    return st;
}

bs_status bs_stream_run(const bs_stream_options *opts, bs_stream_totals *totals, bs_error *err) {
    bs_stream_options o = opts ? *opts : bs_stream_defaults();
    memset(totals, 0, sizeof *totals);
    if (o.data_dir && o.bus)
        return bs_fail(err, BS_ERR_ARG, "a stream from the bus goes into one history: give it");
    if (o.data_dir) return stream_run_markets(&o, totals, err);
    bs_status st = bs_mkdirs(o.stream_dir, err); /* the history's folder: its lock makes it */
    bs_checkpoint cp = {.lock_fd = -1};
    if (st == BS_OK) st = recover(&o, &cp, err);
    live_view v = {NULL, INT64_MIN, {0}, 0, {0}};
    if (st == BS_OK) st = bs_aggregate_new(&o.windows, &v.live, err);
    if (st == BS_OK) seed_live(o.history, &v);
    if (st == BS_OK) st = loop(&o, &cp, &v, totals, err);
    bs_aggregate_free(v.live);
    ts_set_free(&v.stored);
    settle_free(&v.settling);
    bs_checkpoint_close(&cp);
    return st;
}
