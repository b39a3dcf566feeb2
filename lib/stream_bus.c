/*
 * stream_bus.c - the stream processor fed by the bus (bus.h): each fetch routed by market, each
 * market's part committed to its own history exactly once, and the messages acknowledged only
 * after every part is durable.
 *
 * A message holds tick JSON lines. A line's Market field names its market; the subject
 * (PREFIX.<market token>) must agree with it, or the message is a dead letter: a market's ticks
 * never land in another's history. The ticks of a market go to
 * DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json (bs_market_history(), DATA_DIR being the stream
 * folder's parent, as the defaults Data/stream and Data agree), committed through that market's
 * own checkpoint in STREAM_DIR/SOURCE/SYMBOL_ENC/ (bs_market_stream_dir(): the folder where the
 * market's stream files would be, so one processor at a time owns a market whatever the
 * transport). Its commit line records the stream sequence of the market's last message in the
 * fetch, so a redelivery is recognised per market. Lines without a Market go, as before markets,
 * to the stream's own history and checkpoint (--history, --stream-dir).
 *
 * One fetch may hold several markets: each market's part is its own batch (begin, append,
 * commit), one after the other, and the fetch is acknowledged after the last. A crash in between
 * leaves some markets committed and the whole fetch unacknowledged: it comes back after the ack
 * wait, and the markets already committed drop their copies, since a history keeps one tick per
 * instant and the check is made under its lock (stream.c). So each market's part is committed
 * exactly once, whichever market the crash interrupted.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/timeutil.h"
#include "stream_batch.h"

typedef struct {
    char market[BS_MARKET_MAX]; /* "" for ticks without a market: the stream's own history */
    stream_target *target;
    batch b;           /* this fetch's ticks of the market */
    uint64_t last_seq; /* the stream sequence of this fetch's last message for it */
} route;

typedef struct {
    bs_tick tick;
    size_t route;
} routed_tick;

typedef struct {
    const bs_stream_options *o;
    char data_dir[4096];
    route *routes;
    size_t len, cap;
    routed_tick *pending; /* the message being read, until all its lines are known good */
    size_t pending_len, pending_cap;
} router;

/* Whether subject ends in ".<market's token>": the producer's subject for the market. */
static int subject_matches(const char *subject, const char *market) {
    char token[256];
    bs_bus_subject_token(market, token, sizeof token);
    size_t s = strlen(subject), t = strlen(token);
    return s > t && subject[s - t - 1] == '.' && strcmp(subject + s - t, token) == 0;
}

/* The route of market, opening its history's checkpoint (recovering it) the first time. */
static bs_status route_of(router *rt, const char *market, size_t *index, bs_error *err) {
    for (size_t i = 0; i < rt->len; i++)
        if (strcmp(rt->routes[i].market, market) == 0) return *index = i, BS_OK;
    if (rt->len == rt->cap) {
        size_t cap = rt->cap ? rt->cap * 2 : 8;
        route *grown = realloc(rt->routes, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        rt->routes = grown;
        rt->cap = cap;
    }
    char history[4096], checkpoint_dir[4096];
    const char *h = rt->o->history, *dir = rt->o->stream_dir;
    bs_status st = BS_OK;
    if (market[0]) {
        st = bs_market_history(rt->data_dir, market, history, sizeof history, err);
        if (st == BS_OK)
            st = bs_market_stream_dir(dir, market, checkpoint_dir, sizeof checkpoint_dir, err);
        h = history;
        dir = checkpoint_dir;
    }
    route *r = &rt->routes[rt->len];
    memset(r, 0, sizeof *r);
    snprintf(r->market, sizeof r->market, "%s", market);
    if (st == BS_OK) st = stream_target_open(rt->o, h, dir, &r->target, err);
    if (st != BS_OK) return st;
    *index = rt->len++;
    return BS_OK;
}

static bs_status keep_pending(router *rt, const bs_tick *t, size_t route, bs_error *err) {
    if (rt->pending_len == rt->pending_cap) {
        size_t cap = rt->pending_cap ? rt->pending_cap * 2 : 16;
        routed_tick *grown = realloc(rt->pending, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory reading the bus");
        rt->pending = grown;
        rt->pending_cap = cap;
    }
    rt->pending[rt->pending_len++] = (routed_tick){*t, route};
    return BS_OK;
}

/*
 * Reads one message's lines into rt->pending. BS_ERR_PARSE with the reason in why (as
 * "bus message SEQ:LINE: reason") when a line is not a tick, names no valid market, or names a
 * market the subject does not; nothing of the message is then taken.
 */
static bs_status read_message(router *rt, const bs_bus_message *m, char *why, size_t size,
                              bs_error *err) {
    size_t line_no = 0;
    const char *p = m->data, *end = m->data + m->len;
    unsigned long long seq = (unsigned long long)m->stream_seq;
    rt->pending_len = 0;
    for (; p < end; line_no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p), index;
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (len == 0) continue;
        bs_tick t;
        bs_error e = {{0}};
        char market[BS_MARKET_MAX];
        if (bs_tick_parse_json_market(line, len, &t, market, &e) != BS_OK) {
            snprintf(why, size, "bus message %llu:%zu: %s\n", seq, line_no + 1, e.msg);
            return BS_ERR_PARSE;
        }
        if (market[0] && !subject_matches(m->subject, market)) {
            snprintf(why, size, "bus message %llu:%zu: Market %s does not match the subject %s\n",
                     seq, line_no + 1, market, m->subject);
            return BS_ERR_PARSE;
        }
        bs_status st = route_of(rt, market, &index, err);
        if (st == BS_OK) st = keep_pending(rt, &t, index, err);
        if (st != BS_OK) return st;
    }
    if (rt->pending_len > 0) return BS_OK;
    snprintf(why, size, "bus message %llu: holds no tick\n", seq);
    return BS_ERR_PARSE;
}

/* A dead letter: the message and its reason in STREAM_DIR/_quarantine/bus_SEQ.json(.reason). */
static bs_status dead_letter(const bs_stream_options *o, const bs_bus_message *m, const char *why,
                             bs_error *err) {
    char dir[8192], name[64], reason[80];
    snprintf(dir, sizeof dir, "%s/_quarantine", o->stream_dir);
    snprintf(name, sizeof name, "bus_%llu.json", (unsigned long long)m->stream_seq);
    snprintf(reason, sizeof reason, "%s.reason", name);
    bs_status st = bs_write_file_atomic(dir, name, m->data, m->len, 1, 0, err);
    if (st == BS_OK) st = bs_write_file_atomic(dir, reason, why, strlen(why), 1, 0, err);
    if (st == BS_OK && o->on_notice) {
        char notice[1200];
        snprintf(notice, sizeof notice, "dead letter %s: %.*s", name, (int)strcspn(why, "\n"), why);
        o->on_notice(o->ctx, notice);
    }
    return st;
}

/* Routes one message's ticks to their markets' batches, or makes it a dead letter. */
static bs_status route_message(router *rt, const bs_bus_message *m, unsigned char *reject,
                               bs_stream_totals *totals, bs_error *err) {
    char why[1024];
    bs_status st = read_message(rt, m, why, sizeof why, err);
    if (st == BS_ERR_PARSE) {
        *reject = 1;
        totals->quarantined++;
        totals->bad_lines++;
        return dead_letter(rt->o, m, why, err);
    }
    if (st != BS_OK) return st;
    route *first = &rt->routes[rt->pending[0].route];
    if (m->stream_seq <= stream_target_bus_seq(first->target)) totals->redelivered++;
    for (size_t i = 0; i < rt->pending_len; i++) {
        route *r = &rt->routes[rt->pending[i].route];
        if (bs_tick_vec_push(&r->b.ticks, &rt->pending[i].tick) != BS_OK)
            return bs_fail(err, BS_ERR_NOMEM, "out of memory reading the bus");
        if (m->stream_seq > r->last_seq) r->last_seq = m->stream_seq;
    }
    return BS_OK;
}

/* Commits every market's part of the fetch, each its own batch, while st is BS_OK; empties the
 * routes' batches in any case. */
static bs_status commit_routes(router *rt, bs_status st, bs_stream_totals *totals, int *stop,
                               bs_error *err) {
    for (size_t i = 0; i < rt->len; i++) {
        route *r = &rt->routes[i];
        if (st == BS_OK && r->last_seq > 0) {
            char position[64];
            snprintf(position, sizeof position, "J:%llu", (unsigned long long)r->last_seq);
            r->b.market = r->market[0] ? r->market : NULL;
            st = stream_target_commit(r->target, &r->b, position, totals, stop, err);
        }
        bs_tick_vec_free(&r->b.ticks);
        memset(&r->b, 0, sizeof r->b);
        r->last_seq = 0;
    }
    return st;
}

/*
 * One fetch: routed, each market's part committed, then every message acknowledged (or, for a
 * dead letter, terminated). *got is 0 when nothing arrived within the trigger.
 */
static bs_status run_fetch(router *rt, bs_stream_totals *totals, int *stop, int *got,
                           bs_error *err) {
    const bs_stream_options *o = rt->o;
    const bs_bus_message *msgs;
    size_t n;
    size_t max = o->max_files_per_trigger ? o->max_files_per_trigger : BS_STREAM_MAX_BATCH_FILES;
    int64_t wait = o->trigger_us > 0 ? o->trigger_us : 100000;
    bs_error why = {{0}};
    *got = 0;
    bs_status fetched = bs_bus_fetch(o->bus, max, wait, &msgs, &n, &why);
    if (fetched == BS_ERR_UNSUPPORTED) /* libnats' own fault: nothing more can be trusted */
        return bs_fail(err, fetched, "%s", why.msg);
    if (fetched != BS_OK) {
        /* A leader election, a lost quorum, a reconnect: the bus comes back, and nothing was
         * taken from it. Say so and try again after a pause. */
        if (o->on_notice) o->on_notice(o->ctx, why.msg);
        struct timespec pause = {0, 200 * 1000000};
        nanosleep(&pause, NULL);
        return BS_OK;
    }
    if (n == 0) return BS_OK;
    *got = 1;
    unsigned char *reject = calloc(n, 1);
    if (!reject) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    bs_status st = BS_OK;
    for (size_t i = 0; i < n && st == BS_OK; i++)
        st = route_message(rt, &msgs[i], &reject[i], totals, err);
    st = commit_routes(rt, st, totals, stop, err);
    /* Not settled on an error: the fetch comes back, and what did commit drops its copies. */
    if (st == BS_OK && bs_bus_settle(o->bus, reject, &why) != BS_OK && o->on_notice)
        o->on_notice(o->ctx, why.msg); /* the messages come back and are dropped then */
    free(reject);
    return st;
}

/* DATA_DIR: the stream folder's parent ("Data/stream" -> "Data", "S" -> "."). */
static void data_dir_of(const char *stream_dir, char *out, size_t size) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", stream_dir);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') dir[--len] = '\0';
    bs_path_dir(dir, out, size);
}

/*
 * Opens every market whose checkpoint is in the stream folder already, so that a batch a crash
 * interrupted is recovered (its history cut back, its mark cleared) at start, not only when the
 * market's next message arrives.
 */
static bs_status open_known_markets(router *rt, bs_error *err) {
    const char *root = rt->o->stream_dir;
    DIR *sources = opendir(root);
    if (!sources) return BS_OK;
    struct dirent *s, *y;
    bs_status st = BS_OK;
    while (st == BS_OK && (s = readdir(sources)) != NULL) {
        char dir[8192];
        if (s->d_name[0] == '.' || s->d_name[0] == '_') continue;
        snprintf(dir, sizeof dir, "%s/%s", root, s->d_name);
        DIR *symbols = opendir(dir);
        while (st == BS_OK && symbols && (y = readdir(symbols)) != NULL) {
            char log[12288], market[BS_MARKET_MAX];
            struct stat sb;
            size_t index;
            snprintf(log, sizeof log, "%s/%s/_checkpoint.log", dir, y->d_name);
            if (y->d_name[0] == '.' || stat(log, &sb) != 0 ||
                bs_market_from_path(s->d_name, y->d_name, market, sizeof market, NULL) != BS_OK)
                continue;
            st = route_of(rt, market, &index, err);
        }
        if (symbols) closedir(symbols);
    }
    closedir(sources);
    return st;
}

static int should_stop(const bs_stream_options *o, int64_t started) {
    if (o->stop && *o->stop) return 1;
    return o->duration_us > 0 && bs_monotonic_us() - started >= o->duration_us;
}

bs_status stream_bus_run(const bs_stream_options *o, bs_stream_totals *totals, bs_error *err) {
    router rt = {.o = o};
    size_t legacy;
    if (o->data_dir) snprintf(rt.data_dir, sizeof rt.data_dir, "%s", o->data_dir);
    else data_dir_of(o->stream_dir, rt.data_dir, sizeof rt.data_dir);
    bs_status st = route_of(&rt, "", &legacy, err); /* the stream's own, recovered at start */
    if (st == BS_OK) st = open_known_markets(&rt, err);
    int64_t started = bs_monotonic_us();
    int stop = 0;
    while (st == BS_OK && !stop && !should_stop(o, started)) {
        int got, idle = 0;
        bs_error why = {{0}};
        st = run_fetch(&rt, totals, &stop, &got, err);
        if (st == BS_OK && !got && o->until_idle &&
            bs_bus_consumer_idle(o->bus, &idle, &why) != BS_OK && o->on_notice)
            o->on_notice(o->ctx, why.msg); /* not known to be idle: look again */
        if (idle) stop = 1;
    }
    for (size_t i = 0; i < rt.len; i++) {
        stream_target_close(rt.routes[i].target);
        bs_tick_vec_free(&rt.routes[i].b.ticks);
    }
    free(rt.routes);
    free(rt.pending);
    return st;
}
