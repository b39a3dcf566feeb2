/*
 * exchange_kraken.c - Kraken's WebSocket v2 `trade` channel:
 *   {"channel":"trade","type":"snapshot"|"update","data":[{"symbol":"BTC/USD","side":"buy",
 *    "price":67000.1,"qty":0.0123,"ord_type":"market","trade_id":4665846,
 *    "timestamp":"2023-09-25T07:48:36.925533Z"}, ...]}
 * Unlike the others, price and qty are JSON numbers (we also take them in strings) and one
 * message carries a batch; the snapshot repeats the latest trades before the subscription, which
 * the candle builder sees as what they are (trades of their own minutes, maybe late ones).
 * trade_id is a sequence number per book. {"channel":"heartbeat"} (no symbol, no sequence) keeps
 * the feed alive; {"channel":"status",...}, the answers to requests ({"method":"subscribe",
 * "result":{...},"success":true,...}, "pong") and anything else are notices.
 */
#include <stdio.h>
#include <string.h>

#include "exchange_json.h"

enum { K_CHANNEL, K_TYPE, K_DATA, K_METHOD, K_SUCCESS, K_ERROR, K_N };
static const char *const keys[K_N] = {"channel", "type", "data", "method", "success", "error"};

enum { T_SYMBOL, T_PRICE, T_QTY, T_ID, T_TIME, T_N };
static const char *const trade_keys[T_N] = {"symbol", "price", "qty", "trade_id", "timestamp"};

static bs_status bad(bs_error *err, size_t index, const char *field, const char *what) {
    return bs_fail(err, BS_ERR_PARSE, "kraken trade %zu: field \"%s\": %s", index, field, what);
}

static bs_status trade(cursor *c, size_t index, int64_t recv_us, const bs_feed_events *ev,
                       bs_error *err) {
    xj_value v[T_N];
    char symbol[XJ_SYMBOL_MAX];
    bs_trade t = {.recv_us = recv_us, .seq = -1};
    if (!xj_object(c, trade_keys, T_N, v)) return bad(err, index, "data", "not an object");
    if (!xj_symbol(&v[T_SYMBOL], symbol))
        return bad(err, index, "symbol", "missing or not a symbol");
    if (!xj_number(&v[T_PRICE], &t.price))
        return bad(err, index, "price", "missing or not a number");
    if (!xj_number(&v[T_QTY], &t.qty)) return bad(err, index, "qty", "missing or not a number");
    if (!xj_int64(&v[T_ID], &t.id) || t.id < 0)
        return bad(err, index, "trade_id", "missing or not a trade id");
    if (!xj_time(&v[T_TIME], &t.ts_us))
        return bad(err, index, "timestamp", "missing or not a time");
    return xj_emit_trade("kraken", symbol, &t, ev, "price", "qty", err);
}

/* The trades of data (an array, validated already), in order. */
static bs_status trades(const xj_value *data, int64_t recv_us, const bs_feed_events *ev,
                        bs_error *err) {
    if (data->kind != '[')
        return bs_fail(err, BS_ERR_PARSE, "kraken trade: field \"data\": missing or not an array");
    cursor c = {data->s + 1, data->s + data->n};
    json_skip_ws(&c);
    if (c.p < c.end && *c.p == ']') return BS_OK;
    for (size_t i = 0;; i++) {
        bs_status st = trade(&c, i, recv_us, ev, err);
        if (st != BS_OK) return st;
        json_skip_ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            continue;
        }
        return BS_OK; /* the closing ']' (the array is valid) */
    }
}

bs_status exchange_kraken_parse(const char *msg, size_t len, int64_t recv_us,
                                const bs_feed_events *ev, bs_error *err) {
    xj_value v[K_N];
    if (!xj_message(msg, len, keys, K_N, v))
        return bs_fail(err, BS_ERR_PARSE, "kraken: message is not a valid JSON object");
    if (xj_is(&v[K_CHANNEL], "trade") &&
        (xj_is(&v[K_TYPE], "snapshot") || xj_is(&v[K_TYPE], "update")))
        return trades(&v[K_DATA], recv_us, ev, err);
    if (xj_is(&v[K_CHANNEL], "heartbeat")) {
        if (ev && ev->on_heartbeat) ev->on_heartbeat(ev->ctx, "", -1, -1);
        return BS_OK;
    }
    char detail[200];
    if (v[K_METHOD].kind == '"') {
        xj_text(&v[K_METHOD], detail, sizeof detail);
        int failed = v[K_SUCCESS].kind == 't' && v[K_SUCCESS].n == 5; /* false */
        if (failed) {
            size_t n = strlen(detail);
            snprintf(detail + n, sizeof detail - n, " failed");
            if (v[K_ERROR].kind == '"') {
                char why[120];
                xj_text(&v[K_ERROR], why, sizeof why);
                n = strlen(detail);
                snprintf(detail + n, sizeof detail - n, " (%s)", why);
            }
        }
        xj_notice(ev, "kraken", failed ? "request failed" : "answer", detail);
    } else if (v[K_CHANNEL].kind == '"') {
        xj_text(&v[K_CHANNEL], detail, sizeof detail);
        xj_notice(ev, "kraken", "channel", detail);
    } else {
        xj_notice(ev, "kraken", "unknown message", NULL);
    }
    return BS_OK;
}
