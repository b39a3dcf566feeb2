/*
 * raw.c - recordings of raw feed messages and their replay (see raw.h).
 *
 * Replay speed matters as much as live parsing (the benchmark replays millions of messages), so
 * the file is read in large blocks and split with memchr, and a line in the layout
 * bs_raw_format_line() writes ({"recv":"...","market":"...","msg":...}) is taken apart without a
 * second pass over its message: the exchange's parser validates the message as it reads it. Any
 * other layout of the same members (a line written by another tool) goes through the general
 * object scanner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btcstream/market.h"
#include "btcstream/raw.h"
#include "btcstream/timeutil.h"
#include "exchange_json.h"

#define RAW_BLOCK (1 << 20)
#define RAW_LINE_LIMIT (64u << 20) /* a longer line is no message any exchange sends */

/* --- writing ------------------------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t size, n;
} writer;

static void w_bytes(writer *w, const char *s, size_t n) {
    if (w->n < w->size && n > 0) {
        size_t room = w->size - w->n;
        memcpy(w->buf + w->n, s, n < room ? n : room);
    }
    w->n += n;
}

static void w_str(writer *w, const char *s) { w_bytes(w, s, strlen(s)); }

static void w_json_string(writer *w, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    w_bytes(w, "\"", 1);
    size_t run = 0; /* bytes copied as they are, written in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        w_bytes(w, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') esc[1] = (char)c;
        else if (c == '\n') esc[1] = 'n';
        else if (c == '\t') esc[1] = 't';
        else if (c == '\r') esc[1] = 'r';
        w_bytes(w, esc, esc[1] == 'u' ? 6 : 2);
    }
    w_bytes(w, s + run, n - run);
    w_bytes(w, "\"", 1);
}

/* One JSON value on one line, white space around it trimmed into [*s, *s + *n). */
static int one_line_value(const char **s, size_t *n) {
    cursor c = {*s, *s + *n};
    json_skip_ws(&c);
    const char *start = c.p;
    if (!json_skip_value(&c, 0)) return 0;
    const char *stop = c.p;
    json_skip_ws(&c);
    if (c.p != c.end) return 0;
    if (memchr(start, '\n', (size_t)(stop - start)) || memchr(start, '\r', (size_t)(stop - start)))
        return 0;
    *s = start;
    *n = (size_t)(stop - start);
    return 1;
}

size_t bs_raw_format_line(const char *market, int64_t recv_us, const char *msg, size_t len,
                          char *buf, size_t size) {
    writer w = {buf, size, 0};
    char iso[BS_TIME_ISO_SIZE];
    bs_time_format_iso(recv_us, iso);
    w_str(&w, "{\"recv\":\"");
    w_str(&w, iso);
    w_str(&w, "\",\"market\":");
    w_json_string(&w, market ? market : "", market ? strlen(market) : 0);
    w_str(&w, ",\"msg\":");
    const char *value = msg ? msg : "";
    size_t n = msg ? len : 0;
    if (one_line_value(&value, &n)) w_bytes(&w, value, n);
    else w_json_string(&w, msg ? msg : "", msg ? len : 0);
    w_str(&w, "}\n");
    if (size > 0) buf[w.n < size ? w.n : size - 1] = '\0';
    return w.n;
}

int bs_raw_is_recording(const char *head, size_t len) {
    cursor c = {head, head + len};
    json_skip_ws(&c);
    static const char start[] = "{\"recv\":";
    return (size_t)(c.end - c.p) >= sizeof start - 1 && memcmp(c.p, start, sizeof start - 1) == 0;
}

/* --- reading ------------------------------------------------------------------------------ */

typedef struct {
    FILE *f;
    char *buf;
    size_t cap, start, end;
    int eof;
    bs_status failed; /* why next_line() returned -1 */
} line_reader;

/* The next line (without its newline) in [*line, *line + *len); 0 at the end, -1 on an error. */
static int next_line(line_reader *r, const char **line, size_t *len, bs_error *err,
                     const char *path) {
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl || (r->eof && r->end > r->start)) {
            size_t stop = nl ? (size_t)(nl - r->buf) : r->end;
            *line = r->buf + r->start;
            *len = stop - r->start;
            r->start = nl ? stop + 1 : stop;
            return 1;
        }
        if (r->eof) return 0;
        if (r->start > 0) { /* keep the partial line, make room after it */
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->end == r->cap) {
            if (r->cap >= RAW_LINE_LIMIT) {
                r->failed = bs_fail(err, BS_ERR_PARSE, "%s: a line longer than %u MB", path,
                                    RAW_LINE_LIMIT >> 20);
                return -1;
            }
            char *grown = realloc(r->buf, 2 * r->cap);
            if (!grown) {
                r->failed = bs_fail(err, BS_ERR_NOMEM, "out of memory");
                return -1;
            }
            r->buf = grown;
            r->cap *= 2;
        }
        size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
        r->end += got;
        if (got == 0) {
            if (ferror(r->f)) {
                r->failed = bs_fail(err, BS_ERR_IO, "%s: read error", path);
                return -1;
            }
            r->eof = 1;
        }
    }
}

typedef struct {
    xj_value recv, market, msg;
} raw_line;

/* The layout bs_raw_format_line() writes, without looking into msg. */
static int split_fast(const char *s, size_t n, raw_line *out) {
    static const char a[] = "{\"recv\":\"", b[] = "\",\"market\":\"", c[] = "\",\"msg\":";
    const char *p = s, *end = s + n;
    if ((size_t)(end - p) < sizeof a - 1 || memcmp(p, a, sizeof a - 1) != 0) return 0;
    p += sizeof a - 1;
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q) return 0;
    out->recv = (xj_value){p, (size_t)(q - p), '"'};
    p = q;
    if ((size_t)(end - p) < sizeof b - 1 || memcmp(p, b, sizeof b - 1) != 0) return 0;
    p += sizeof b - 1;
    q = memchr(p, '"', (size_t)(end - p));
    if (!q || memchr(p, '\\', (size_t)(q - p))) return 0;
    out->market = (xj_value){p, (size_t)(q - p), '"'};
    p = q;
    if ((size_t)(end - p) < sizeof c - 1 || memcmp(p, c, sizeof c - 1) != 0) return 0;
    p += sizeof c - 1;
    while (end > p && (end[-1] == ' ' || end[-1] == '\r' || end[-1] == '\t')) end--;
    if (end <= p || end[-1] != '}') return 0;
    end--;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if (end == p) return 0;
    out->msg = (xj_value){p, (size_t)(end - p), *p == '"' ? '"' : *p};
    if (*p == '"') { /* a string: its text between the quotes, checked */
        cursor cur = {p, end};
        if (!json_read_string(&cur, &out->msg.s, &out->msg.n) || cur.p != end) return 0;
    }
    return 1;
}

static int split_general(const char *s, size_t n, raw_line *out) {
    static const char *const keys[] = {"recv", "market", "msg"};
    xj_value v[3];
    if (!xj_message(s, n, keys, 3, v)) return 0;
    out->recv = v[0], out->market = v[1], out->msg = v[2];
    return 1;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A JSON string's raw text (json_read_string checked it) unescaped into *buf. */
static size_t unescape(const char *s, size_t n, char **buf, size_t *cap) {
    if (*cap < n + 1) {
        char *grown = realloc(*buf, n + 1);
        if (!grown) return (size_t)-1;
        *buf = grown;
        *cap = n + 1;
    }
    char *o = *buf;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            *o++ = s[i];
            continue;
        }
        char e = s[++i];
        switch (e) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            for (int k = 1; k <= 4; k++) cp = cp * 16 + (unsigned)hex_value(s[i + k]);
            i += 4;
            /* what bs_raw_format_line() writes is \u00XX for one byte; other code points are
             * written out in UTF-8 (a lone surrogate as its three bytes) */
            if (cp < 0x80) *o++ = (char)cp;
            else if (cp < 0x800) *o++ = (char)(0xc0 | cp >> 6), *o++ = (char)(0x80 | (cp & 63));
            else
                *o++ = (char)(0xe0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 63)),
                *o++ = (char)(0x80 | (cp & 63));
            break;
        }
        default: *o++ = e; /* " \ / */
        }
    }
    return (size_t)(o - *buf);
}

typedef struct {
    char market[BS_MARKET_MAX];
    bs_exchange ex;
    int known;
} market_cache;

/* The exchange of a recorded market name (SOURCE:SYMBOL); 0 if it names none we parse. */
static int exchange_of(const xj_value *m, market_cache *cache) {
    if (cache->known && strlen(cache->market) == m->n && memcmp(cache->market, m->s, m->n) == 0)
        return 1;
    char name[BS_MARKET_MAX];
    if (m->kind != '"' || m->n == 0 || m->n >= sizeof name) return 0;
    memcpy(name, m->s, m->n);
    name[m->n] = '\0';
    char *colon = strchr(name, ':');
    if (!colon || bs_market_check(name, NULL) != BS_OK) return 0;
    *colon = '\0';
    if (bs_exchange_from_name(name, &cache->ex, NULL) != BS_OK) return 0;
    memcpy(cache->market, m->s, m->n);
    cache->market[m->n] = '\0';
    cache->known = 1;
    return 1;
}

typedef struct {
    const char *path;
    const bs_raw_replay_options *opts;
    bs_raw_stats *stats;
    char want[BS_MARKET_MAX];
    market_cache cache;
    char *text; /* an unescaped string message */
    size_t text_cap;
} replay;

static bs_status replay_line(replay *r, const char *s, size_t n, uint64_t line, bs_error *err) {
    raw_line l;
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n == 0) return BS_OK;
    if (!split_fast(s, n, &l) && !split_general(s, n, &l))
        return bs_fail(err, BS_ERR_PARSE,
                       "%s:%llu: not a recording line (a JSON object with "
                       "recv, market and msg)",
                       r->path, (unsigned long long)line);
    int64_t recv_us;
    if (!xj_time(&l.recv, &recv_us))
        return bs_fail(err, BS_ERR_PARSE, "%s:%llu: field \"recv\": missing or not a time", r->path,
                       (unsigned long long)line);
    if (l.msg.kind == 0)
        return bs_fail(err, BS_ERR_PARSE, "%s:%llu: field \"msg\": missing", r->path,
                       (unsigned long long)line);
    if (l.market.kind != '"' || l.market.n == 0 || l.market.n >= BS_MARKET_MAX)
        return bs_fail(err, BS_ERR_PARSE, "%s:%llu: field \"market\": missing or not a market",
                       r->path, (unsigned long long)line);
    if (!r->want[0]) {
        memcpy(r->want, l.market.s, l.market.n);
        r->want[l.market.n] = '\0';
    }
    if (strlen(r->want) != l.market.n || memcmp(r->want, l.market.s, l.market.n) != 0) {
        r->stats->other++;
        return BS_OK;
    }
    if (!exchange_of(&l.market, &r->cache))
        return bs_fail(err, BS_ERR_PARSE,
                       "%s:%llu: field \"market\": \"%s\" is no exchange's "
                       "market (binance:, coinbase:, kraken:)",
                       r->path, (unsigned long long)line, r->want);
    const char *msg = l.msg.s;
    size_t len = l.msg.n;
    if (l.msg.kind == '"') {
        len = unescape(l.msg.s, l.msg.n, &r->text, &r->text_cap);
        if (len == (size_t)-1) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        msg = r->text;
    }
    const bs_raw_replay_options *o = r->opts;
    if (o->on_message) o->on_message(o->events.ctx, r->want, recv_us);
    r->stats->messages++;
    bs_error why = {{0}};
    if (bs_exchange_parse(r->cache.ex, msg, len, recv_us, &o->events, &why) != BS_OK) {
        r->stats->refused++;
        if (o->events.on_notice) {
            char text[BS_ERROR_MSG_SIZE + 64];
            snprintf(text, sizeof text, "%s:%llu: %s", r->path, (unsigned long long)line, why.msg);
            o->events.on_notice(o->events.ctx, text);
        }
    }
    return BS_OK;
}

bs_status bs_raw_replay(const char *path, const bs_raw_replay_options *opts, bs_raw_stats *stats,
                        bs_error *err) {
    bs_raw_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    replay r = {.path = path, .opts = opts, .stats = stats};
    if (opts->market) {
        if (strlen(opts->market) >= sizeof r.want)
            return bs_fail(err, BS_ERR_ARG, "market name too long");
        strcpy(r.want, opts->market);
    }
    line_reader lr = {.cap = RAW_BLOCK};
    lr.f = fopen(path, "rb");
    if (!lr.f) return bs_fail(err, BS_ERR_IO, "%s: cannot open", path);
    lr.buf = malloc(lr.cap);
    bs_status st = lr.buf ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    const char *line;
    size_t len;
    int got = 0;
    while (st == BS_OK && (got = next_line(&lr, &line, &len, err, path)) > 0) {
        stats->lines++;
        st = replay_line(&r, line, len, stats->lines, err);
    }
    if (st == BS_OK && got < 0) st = lr.failed;
    fclose(lr.f);
    free(lr.buf);
    free(r.text);
    return st;
}

/* --- candles of a recording ---------------------------------------------------------------- */

typedef struct {
    bs_candle_builder *b;
    bs_tick_vec *out;
    bs_status st;
    const char *symbol; /* the replayed market's, after "SOURCE:" */
} candle_replay;

static void cr_message(void *ctx, const char *market, int64_t recv_us) {
    candle_replay *cr = ctx;
    const char *colon = strchr(market, ':');
    cr->symbol = colon ? colon + 1 : market;
    bs_candle_clock(cr->b, recv_us);
}

/* A trade of another symbol on the same connection (a combined stream) is not this market's. */
static void cr_trade(void *ctx, const char *symbol, const bs_trade *t) {
    candle_replay *cr = ctx;
    if (strcasecmp(symbol, cr->symbol) == 0) bs_candle_add(cr->b, t);
}

static void cr_candle(void *ctx, const bs_tick *candle) {
    candle_replay *cr = ctx;
    if (cr->st == BS_OK) cr->st = bs_tick_vec_push(cr->out, candle);
}

bs_status bs_raw_replay_candles(const char *path, const char *market, int64_t grace_us,
                                bs_tick_vec *out, bs_raw_stats *stats, bs_candle_stats *cstats,
                                bs_error *err) {
    candle_replay cr = {NULL, out, BS_OK, ""};
    bs_candle_options o = bs_candle_defaults();
    o.grace_us = grace_us;
    o.on_candle = cr_candle;
    o.ctx = &cr;
    bs_status st = bs_candle_builder_new(&o, &cr.b, err);
    if (st != BS_OK) return st;
    bs_raw_replay_options ro = {market, cr_message, {cr_trade, NULL, NULL, &cr}};
    st = bs_raw_replay(path, &ro, stats, err);
    if (st == BS_OK) bs_candle_flush(cr.b);
    if (st == BS_OK && cr.st != BS_OK) st = bs_fail(err, cr.st, "out of memory");
    if (cstats) *cstats = bs_candle_get_stats(cr.b);
    bs_candle_builder_free(cr.b);
    return st;
}
