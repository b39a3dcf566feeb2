/*
 * exchange.c - the exchanges by name, the subscription each wants, and the JSON helpers the
 * message parsers share (exchange_json.h). The parsers themselves are one file an exchange:
 * exchange_binance.c, exchange_coinbase.c, exchange_kraken.c.
 *
 * Speed matters here (a busy Binance feed sends thousands of trades a second, a replay millions):
 * a message is read in one pass with no allocation, numbers through number_parse.h's exact fast
 * path, and only the members a parser asked for are kept.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/timeutil.h"
#include "btcstream/trade.h"
#include "exchange_json.h"
#include "number_parse.h"

/* --- the JSON helpers ---------------------------------------------------------------------- */

/* A bare token is true, false, null or a number (an integer, the common case, checked here). */
static int valid_token(const char *s, size_t n) {
    double v;
    size_t first = n > 1 && s[0] == '-', i = first;
    while (i < n && number_is_digit(s[i])) i++;
    if (i == n && i > first) return 1;
    if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
        (n == 5 && memcmp(s, "false", 5) == 0))
        return 1;
    return n > 0 && bs_number_parse(s, n, &v) == BS_OK;
}

static int key_index(const char *k, size_t kn, const char *const *keys, int n) {
    for (int i = 0; i < n; i++)
        /* k holds no NUL (json_read_string refuses control characters), so a shorter key
         * differs within kn bytes and keys[i][kn] is read only when it exists */
        if (keys[i][0] == k[0] && strncmp(keys[i], k, kn) == 0 && keys[i][kn] == '\0') return i;
    return -1;
}

int xj_object(cursor *c, const char *const *keys, int n, xj_value *vals) {
    for (int i = 0; i < n; i++) vals[i] = (xj_value){"", 0, 0};
    json_skip_ws(c);
    if (c->p >= c->end || *c->p != '{') return 0;
    c->p++;
    json_skip_ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        return 1;
    }
    for (;;) {
        const char *k;
        size_t kn;
        if (c->p >= c->end || *c->p != '"' || !json_read_string(c, &k, &kn)) return 0;
        json_skip_ws(c);
        if (c->p >= c->end || *c->p++ != ':') return 0;
        json_skip_ws(c);
        if (c->p >= c->end) return 0;
        int i = key_index(k, kn, keys, n);
        xj_value v = {c->p, 0, *c->p};
        if (*c->p == '"') {
            if (!json_read_string(c, &v.s, &v.n)) return 0;
        } else if (*c->p == '{' || *c->p == '[') {
            if (!json_skip_value(c, 1)) return 0;
            v.n = (size_t)(c->p - v.s);
        } else {
            json_read_token(c, &v.s, &v.n);
            if (!valid_token(v.s, v.n)) return 0;
            v.kind = 't';
        }
        if (i >= 0) vals[i] = v;
        json_skip_ws(c);
        if (c->p >= c->end) return 0;
        if (*c->p == '}') {
            c->p++;
            return 1;
        }
        if (*c->p++ != ',') return 0;
        json_skip_ws(c);
    }
}

int xj_message(const char *msg, size_t len, const char *const *keys, int n, xj_value *vals) {
    cursor c = {msg, msg + len};
    if (!xj_object(&c, keys, n, vals)) return 0;
    json_skip_ws(&c);
    return c.p == c.end;
}

int xj_is(const xj_value *v, const char *text) {
    return v->kind == '"' && strlen(text) == v->n && memcmp(text, v->s, v->n) == 0;
}

int xj_int64(const xj_value *v, int64_t *out) {
    if (v->kind != 't' || v->n == 0) return 0;
    const char *p = v->s, *end = v->s + v->n;
    int negative = *p == '-';
    if (negative) p++;
    if (p == end || (*p == '0' && end - p > 1)) return 0;
    uint64_t value = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; p < end; p++) {
        if (!number_is_digit(*p)) return 0;
        unsigned d = (unsigned)(*p - '0');
        if (value > (limit - d) / 10) return 0;
        value = value * 10 + d;
    }
    *out = negative ? (int64_t)(0 - value) : (int64_t)value;
    return 1;
}

int xj_number(const xj_value *v, double *out) {
    if ((v->kind != '"' && v->kind != 't') || v->n == 0) return 0;
    const char *end = v->s + v->n;
    if (number_fast_decimal(v->s, end, out) == end) return 1;
    return bs_number_parse(v->s, v->n, out) == BS_OK && isfinite(*out);
}

int xj_time(const xj_value *v, int64_t *out_us) {
    return v->kind == '"' && v->n > 0 && bs_time_parse(v->s, v->n, out_us, NULL) == BS_OK;
}

int xj_symbol(const xj_value *v, char *buf) {
    if (v->kind != '"' || v->n == 0 || v->n >= XJ_SYMBOL_MAX) return 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->s[i] == '\\') return 0;
    memcpy(buf, v->s, v->n);
    buf[v->n] = '\0';
    return 1;
}

void xj_text(const xj_value *v, char *buf, size_t size) {
    size_t n = v->kind == '"' ? v->n : 0;
    if (n >= size) n = size - 1;
    if (n > 0) memcpy(buf, v->s, n);
    buf[n] = '\0';
}

bs_status xj_emit_trade(const char *exchange, const char *symbol, const bs_trade *t,
                        const bs_feed_events *ev, const char *price_field, const char *qty_field,
                        bs_error *err) {
    if (!(t->price > 0) || !isfinite(t->price))
        return bs_fail(err, BS_ERR_PARSE, "%s trade: field \"%s\": not a positive price", exchange,
                       price_field);
    if (!(t->qty >= 0) || !isfinite(t->qty))
        return bs_fail(err, BS_ERR_PARSE, "%s trade: field \"%s\": not a quantity", exchange,
                       qty_field);
    if (t->ts_us < 0 || t->ts_us > BS_TIME_MAX_US)
        return bs_fail(err, BS_ERR_PARSE, "%s trade: its time is out of range", exchange);
    if (ev && ev->on_trade) ev->on_trade(ev->ctx, symbol, t);
    return BS_OK;
}

void xj_notice(const bs_feed_events *ev, const char *exchange, const char *what,
               const char *detail) {
    if (!ev || !ev->on_notice) return;
    char text[320];
    snprintf(text, sizeof text, "%s: %s%s%s", exchange, what, detail && *detail ? ": " : "",
             detail ? detail : "");
    ev->on_notice(ev->ctx, text);
}

/* --- the exchanges ------------------------------------------------------------------------- */

static const char *const exchange_names[] = {"binance", "coinbase", "kraken"};

bs_status bs_exchange_from_name(const char *name, bs_exchange *out, bs_error *err) {
    for (size_t i = 0; i < sizeof exchange_names / sizeof *exchange_names; i++)
        if (name && strcmp(name, exchange_names[i]) == 0) {
            *out = (bs_exchange)i;
            return BS_OK;
        }
    return bs_fail(err, BS_ERR_ARG, "unknown exchange \"%.64s\" (binance, coinbase or kraken)",
                   name ? name : "");
}

const char *bs_exchange_name(bs_exchange ex) {
    return (unsigned)ex < sizeof exchange_names / sizeof *exchange_names ? exchange_names[ex]
                                                                         : "unknown";
}

bs_status bs_exchange_parse(bs_exchange ex, const char *msg, size_t len, int64_t recv_us,
                            const bs_feed_events *events, bs_error *err) {
    if (!msg) return bs_fail(err, BS_ERR_ARG, "no message");
    switch (ex) {
    case BS_EXCHANGE_BINANCE: return exchange_binance_parse(msg, len, recv_us, events, err);
    case BS_EXCHANGE_COINBASE: return exchange_coinbase_parse(msg, len, recv_us, events, err);
    case BS_EXCHANGE_KRAKEN: return exchange_kraken_parse(msg, len, recv_us, events, err);
    }
    return bs_fail(err, BS_ERR_ARG, "unknown exchange %d", (int)ex);
}

/* A symbol goes into JSON text and a URL path unescaped: printable ASCII, no quote or slash
 * where it would change the meaning. */
static int plain_symbol(const char *symbol, int allow_slash) {
    if (!symbol || !*symbol || strlen(symbol) >= XJ_SYMBOL_MAX) return 0;
    for (const char *p = symbol; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '\\' || (ch == '/' && !allow_slash) ||
            ch == '?' || ch == '#' || ch == '%')
            return 0;
    }
    return 1;
}

/* snprintf that writes nothing (an empty string) when the text does not fit. */
static size_t put(char *buf, size_t size, int n) {
    if (n < 0 || (size_t)n >= size) {
        if (size) buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

size_t bs_exchange_subscribe_msg(bs_exchange ex, const char *symbol, char *buf, size_t size) {
    if (!buf || size == 0) return 0;
    buf[0] = '\0';
    if (!plain_symbol(symbol, 1)) return 0;
    switch (ex) {
    case BS_EXCHANGE_COINBASE:
        return put(buf, size,
                   snprintf(buf, size,
                            "{\"type\":\"subscribe\",\"product_ids\":[\"%s\"],"
                            "\"channels\":[\"matches\",\"heartbeat\"]}",
                            symbol));
    case BS_EXCHANGE_KRAKEN:
        return put(buf, size,
                   snprintf(buf, size,
                            "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\","
                            "\"symbol\":[\"%s\"],\"snapshot\":true}}",
                            symbol));
    case BS_EXCHANGE_BINANCE: break;
    }
    return 0;
}

size_t bs_exchange_ws_path(bs_exchange ex, const char *symbol, char *buf, size_t size) {
    if (!buf || size == 0) return 0;
    buf[0] = '\0';
    if (ex != BS_EXCHANGE_BINANCE) return put(buf, size, snprintf(buf, size, "/"));
    if (!plain_symbol(symbol, 0)) return 0;
    char lower[XJ_SYMBOL_MAX];
    size_t n = strlen(symbol);
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)symbol[i]);
    return put(buf, size, snprintf(buf, size, "/ws/%s@trade", lower));
}
