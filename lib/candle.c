/*
 * candle.c - the 1-minute candle builder (see candle.h for what it promises).
 *
 * The state is three frontiers on the minute grid, always in this order:
 *   emitted  every minute before it has gone to on_candle;
 *   closed   every minute before it is final: emitted, or held (a gap) waiting for a fill;
 *   the open minute (cur), the one trades are folding into, at or after closed.
 * A trade before `closed` is late. A trade of a later minute than cur closes cur and every
 * minute between (empty ones); so does the exchange clock (bs_candle_clock()) once a minute's
 * end plus the grace has passed. Minutes at or after the oldest hold are closed into `held`, a
 * list kept in time order, instead of being emitted; bs_candle_fill() emits the held range with
 * the exchange's own candles and then what follows it.
 *
 * Open and Close are the first and the last trade by exchange time, ties broken by trade id and
 * then by arrival (the first to arrive opens, the last to arrive closes), so a minute's candle
 * does not depend on the order its trades arrived in. Volume is a compensated (Neumaier) sum:
 * within a few units in the last place of the exact sum of the quantities as doubles.
 */
#include <stdlib.h>
#include <string.h>

#include "btcstream/candle.h"
#include "btcstream/timeutil.h"

#define NONE INT64_MIN
#define MAX_HOLDS 64

typedef struct {
    int64_t start; /* the minute; NONE when no minute is open */
    double open, high, low, close;
    int64_t open_ts, open_id, close_ts, close_id;
    double sum, comp; /* Neumaier: the sum and its running error */
    int64_t trades, recv_us;
} minute_acc;

struct bs_candle_builder {
    bs_candle_options opts;
    int64_t emitted, closed; /* frontiers; NONE before the first trade or resume */
    int has_close;           /* prev_close is known: an empty minute can be written */
    double prev_close;       /* the close of the last closed minute (emitted or held) */
    double emitted_close;    /* the close of the last emitted (or resumed) minute */
    int emitted_known;       /* emitted_close is set */
    minute_acc cur;
    int64_t holds[MAX_HOLDS]; /* the starts of the holds asked for, ascending; holds[0] oldest */
    size_t n_holds;
    bs_tick *held; /* closed minutes with trades at or after holds[0], in time order */
    size_t n_held, cap_held;
    int64_t last_ts, last_recv; /* the last trade received, for the clock */
    bs_candle_stats stats;
};

static int64_t minute_of(int64_t us) { return bs_time_floor(us, BS_CANDLE_US); }

bs_candle_options bs_candle_defaults(void) {
    return (bs_candle_options){.grace_us = 2 * BS_US_PER_SECOND};
}

bs_status bs_candle_builder_new(const bs_candle_options *opts, bs_candle_builder **out,
                                bs_error *err) {
    if (opts && opts->grace_us < 0)
        return bs_fail(err, BS_ERR_ARG, "candle grace must not be negative");
    bs_candle_builder *b = calloc(1, sizeof *b);
    if (!b) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    b->opts = opts ? *opts : bs_candle_defaults();
    b->emitted = b->closed = NONE;
    b->cur.start = NONE;
    b->last_ts = NONE;
    *out = b;
    return BS_OK;
}

void bs_candle_builder_free(bs_candle_builder *b) {
    if (!b) return;
    free(b->held);
    free(b);
}

static int64_t hold_start(const bs_candle_builder *b) { return b->n_holds ? b->holds[0] : NONE; }

static void emit(bs_candle_builder *b, const bs_tick *candle) {
    b->stats.candles++;
    if (candle->trades == 0) b->stats.empty++;
    b->emitted = candle->ts_us + BS_CANDLE_US;
    b->emitted_close = candle->close;
    b->emitted_known = 1;
    if (b->opts.on_candle) b->opts.on_candle(b->opts.ctx, candle);
}

static void emit_empty(bs_candle_builder *b, int64_t minute, double close) {
    bs_tick t = {minute, close, close, close, close, 0.0, 0, 0};
    emit(b, &t);
}

/* A closed minute with trades: emitted, or kept while it is held. If the list cannot grow, the
 * minute is left to the fill (which covers every held minute), so nothing is emitted twice. */
static void close_candle(bs_candle_builder *b, const bs_tick *t) {
    int64_t hold = hold_start(b);
    if (hold == NONE || t->ts_us < hold) {
        emit(b, t);
        return;
    }
    if (b->n_held == b->cap_held) {
        size_t cap = b->cap_held ? 2 * b->cap_held : 16;
        bs_tick *grown = realloc(b->held, cap * sizeof *grown);
        if (!grown) return;
        b->held = grown;
        b->cap_held = cap;
    }
    b->held[b->n_held++] = *t;
}

static bs_tick candle_of(const minute_acc *m) {
    return (bs_tick){m->start, m->open,          m->high,   m->low,
                     m->close, m->sum + m->comp, m->trades, m->recv_us};
}

/* Closes every minute before `until`: the open one, then empty ones (held ones are not kept:
 * the fill decides them). */
static void close_until(bs_candle_builder *b, int64_t until) {
    if (b->cur.start != NONE && b->cur.start < until) {
        bs_tick t = candle_of(&b->cur);
        b->cur.start = NONE;
        b->closed = t.ts_us + BS_CANDLE_US;
        b->prev_close = t.close;
        b->has_close = 1;
        close_candle(b, &t);
    }
    if (b->closed == NONE || b->closed >= until) return;
    if (b->has_close) {
        int64_t hold = hold_start(b);
        int64_t stop = hold != NONE && hold < until ? hold : until;
        for (int64_t k = b->closed; k < stop; k += BS_CANDLE_US) emit_empty(b, k, b->prev_close);
    }
    b->closed = until;
}

static int before(int64_t ts_a, int64_t id_a, int64_t ts_b, int64_t id_b) {
    return ts_a < ts_b || (ts_a == ts_b && id_a < id_b);
}

static void fold(minute_acc *m, const bs_trade *t) {
    if (m->trades == 0) {
        m->open = m->high = m->low = m->close = t->price;
        m->open_ts = m->close_ts = t->ts_us;
        m->open_id = m->close_id = t->id;
        m->sum = t->qty;
        m->comp = 0;
    } else {
        if (t->price > m->high) m->high = t->price;
        if (t->price < m->low) m->low = t->price;
        if (before(t->ts_us, t->id, m->open_ts, m->open_id)) {
            m->open = t->price;
            m->open_ts = t->ts_us;
            m->open_id = t->id;
        }
        if (!before(t->ts_us, t->id, m->close_ts, m->close_id)) {
            m->close = t->price;
            m->close_ts = t->ts_us;
            m->close_id = t->id;
        }
        double s = m->sum + t->qty;
        if (m->sum >= t->qty || m->sum <= -t->qty) m->comp += (m->sum - s) + t->qty;
        else m->comp += (t->qty - s) + m->sum;
        m->sum = s;
    }
    m->trades++;
    m->recv_us = t->recv_us;
}

void bs_candle_add(bs_candle_builder *b, const bs_trade *trade) {
    int64_t m = minute_of(trade->ts_us);
    b->last_ts = trade->ts_us;
    b->last_recv = trade->recv_us;
    if (b->closed != NONE && m < b->closed) {
        b->stats.late++;
        if (b->opts.on_late) b->opts.on_late(b->opts.ctx, trade);
        return;
    }
    /* Invariant: closed <= cur.start, so m is the open minute or a later one. */
    if (b->closed != NONE && (b->cur.start == NONE || m > b->cur.start)) close_until(b, m);
    if (b->cur.start == NONE) {
        memset(&b->cur, 0, sizeof b->cur);
        b->cur.start = m;
        if (b->closed == NONE) b->closed = m; /* an earlier trade arriving later is late */
    }
    fold(&b->cur, trade);
    b->stats.trades++;
}

void bs_candle_clock(bs_candle_builder *b, int64_t now_us) {
    if (b->last_ts == NONE) return;
    int64_t since, exchange_now, closes;
    if (__builtin_sub_overflow(now_us, b->last_recv, &since) || since < 0)
        since = 0; /* the local clock stepped back (or a nonsense time) */
    if (__builtin_add_overflow(b->last_ts, since, &exchange_now) ||
        __builtin_sub_overflow(exchange_now, b->opts.grace_us, &closes) || closes > BS_TIME_MAX_US)
        return; /* beyond any time a candle can have */
    close_until(b, minute_of(closes));
}

void bs_candle_flush(bs_candle_builder *b) {
    if (b->cur.start != NONE) close_until(b, b->cur.start + BS_CANDLE_US);
}

void bs_candle_resume(bs_candle_builder *b, const bs_tick *last) {
    /* Only a fresh builder resumes: once a minute is open or closed, the minutes between it and
     * the stored candle could no longer be emitted in order. */
    if (b->closed != NONE || b->cur.start != NONE || b->emitted != NONE) return;
    int64_t next = minute_of(last->ts_us) + BS_CANDLE_US;
    b->emitted = b->closed = next;
    b->prev_close = b->emitted_close = last->close;
    b->emitted_known = 1;
    b->has_close = 1;
}

void bs_candle_hold(bs_candle_builder *b, int64_t from_us) {
    int64_t m = minute_of(from_us);
    if (b->emitted != NONE && m < b->emitted) m = b->emitted;
    size_t i = 0;
    while (i < b->n_holds && b->holds[i] < m) i++;
    if (i < b->n_holds && b->holds[i] == m) return;
    if (b->n_holds == MAX_HOLDS) {
        /* Too many separate gaps: the newest one merges into the one before it (held longer). */
        if (i == MAX_HOLDS) return;
        b->n_holds--;
    }
    memmove(b->holds + i + 1, b->holds + i, (b->n_holds - i) * sizeof *b->holds);
    b->holds[i] = m;
    b->n_holds++;
    /* Closed minutes at or after the new hold that were emitted cannot be: m >= emitted. */
}

/* Emits the held candles and empty minutes of [from, to) in order, the closed ones only. */
static void release(bs_candle_builder *b, int64_t from, int64_t to, size_t *next_held) {
    double close = b->emitted_close;
    int known = b->emitted_known;
    for (int64_t k = from; k < to; k += BS_CANDLE_US) {
        if (*next_held < b->n_held && b->held[*next_held].ts_us == k) {
            emit(b, &b->held[(*next_held)++]);
            close = b->emitted_close;
            known = 1;
        } else if (known) {
            emit_empty(b, k, close);
        }
    }
}

typedef struct {
    bs_tick t;
    size_t order; /* its place in the caller's array: of two candles for a minute, the later wins */
} fill_entry;

static int by_start(const void *a, const void *b) {
    const fill_entry *x = a, *y = b;
    if (x->t.ts_us != y->t.ts_us) return (x->t.ts_us > y->t.ts_us) - (x->t.ts_us < y->t.ts_us);
    return (x->order > y->order) - (x->order < y->order);
}

void bs_candle_fill(bs_candle_builder *b, const bs_tick *candles, size_t n, int64_t until_us) {
    int64_t from = hold_start(b), until = minute_of(until_us);
    if (from == NONE || until <= from) return;
    close_until(b, from); /* the minutes before the hold are over too, and come first */
    /* The exchange's candles of [from, until), in time order. If the copy cannot be made, the
     * minutes are written empty: still each exactly once, and the fill's count shows it. */
    fill_entry *fill = n ? malloc(n * sizeof *fill) : NULL;
    size_t nf = 0;
    for (size_t i = 0; fill && i < n; i++) {
        int64_t k = minute_of(candles[i].ts_us);
        if (k < from || k >= until) continue;
        fill[nf] = (fill_entry){candles[i], i};
        fill[nf++].t.ts_us = k;
    }
    if (nf) qsort(fill, nf, sizeof *fill, by_start);
    int known = b->emitted_known;
    double close = b->emitted_close;
    size_t j = 0;
    for (int64_t k = from; k < until; k += BS_CANDLE_US) {
        while (j + 1 < nf && fill[j + 1].t.ts_us == k) j++;
        if (j < nf && fill[j].t.ts_us == k) {
            emit(b, &fill[j].t);
            b->stats.filled++;
            close = fill[j++].t.close;
            known = 1;
        } else if (known) {
            emit_empty(b, k, close);
        }
    }
    free(fill);
    /* What the trades built before `until` is superseded; `until` is closed from now on. */
    if (b->cur.start != NONE && b->cur.start < until) b->cur.start = NONE;
    if (b->closed == NONE || b->closed < until) {
        b->closed = until;
        b->prev_close = close;
        b->has_close = known;
    }
    if (b->emitted == NONE || b->emitted < until) b->emitted = until;
    size_t next_held = 0;
    while (next_held < b->n_held && b->held[next_held].ts_us < until) next_held++;
    /* The holds the fill covered end; a later one keeps its minutes held. */
    size_t h = 0;
    while (h < b->n_holds && b->holds[h] < until) h++;
    memmove(b->holds, b->holds + h, (b->n_holds - h) * sizeof *b->holds);
    b->n_holds -= h;
    int64_t stop = b->n_holds ? b->holds[0] : b->closed;
    if (stop > b->closed) stop = b->closed;
    release(b, until, stop, &next_held);
    if (next_held > 0) {
        memmove(b->held, b->held + next_held, (b->n_held - next_held) * sizeof *b->held);
        b->n_held -= next_held;
    }
    if (b->emitted_known && b->emitted == b->closed) {
        /* Everything closed is out: an empty minute repeats what was emitted last, not the close
         * of trades the fill replaced (nor nothing, when the fill began with no close known). */
        b->prev_close = b->emitted_close;
        b->has_close = 1;
    }
}

int64_t bs_candle_held_from(const bs_candle_builder *b) { return hold_start(b); }

bs_candle_stats bs_candle_get_stats(const bs_candle_builder *b) {
    bs_candle_stats s = b->stats;
    int64_t hold = hold_start(b);
    s.held = hold != NONE && b->closed != NONE && b->closed > hold
                 ? (uint64_t)((b->closed - hold) / BS_CANDLE_US)
                 : 0;
    return s;
}
