/*
 * exchange_coinbase.c - Coinbase Exchange's public feed, the `matches` and `heartbeat` channels:
 *   {"type":"match","trade_id":10,"sequence":50,"maker_order_id":"...","taker_order_id":"...",
 *    "time":"2014-11-07T08:19:27.028459Z","product_id":"BTC-USD","size":"5.23512",
 *    "price":"400.23","side":"sell"}
 *   ("last_match" is the same, sent once after subscribing: the latest trade before it)
 *   {"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD",
 *    "time":"2014-11-07T08:19:28.464459Z"}
 * sequence counts every message of the product (so it jumps between matches: the feed runner
 * checks trade_id for gaps, and a heartbeat's last_trade_id against the last trade seen).
 * "subscriptions" (the subscription's answer) and "error" ({"type":"error","message":"...",
 * "reason":"..."}) are notices, as is any other type.
 */
#include <stdio.h>
#include <string.h>

#include "exchange_json.h"

enum {
    K_TYPE,
    K_ID,
    K_SEQ,
    K_PRICE,
    K_SIZE,
    K_TIME,
    K_PRODUCT,
    K_LAST_ID,
    K_MESSAGE,
    K_REASON,
    K_N
};
static const char *const keys[K_N] = {"type", "trade_id",   "sequence",      "price",   "size",
                                      "time", "product_id", "last_trade_id", "message", "reason"};

static bs_status bad(bs_error *err, const char *type, const char *field, const char *what) {
    return bs_fail(err, BS_ERR_PARSE, "coinbase %s: field \"%s\": %s", type, field, what);
}

static bs_status match(const xj_value *v, int64_t recv_us, const bs_feed_events *ev,
                       bs_error *err) {
    char symbol[XJ_SYMBOL_MAX];
    bs_trade t = {.recv_us = recv_us};
    if (!xj_symbol(&v[K_PRODUCT], symbol))
        return bad(err, "match", "product_id", "missing or not a product");
    if (!xj_int64(&v[K_ID], &t.id) || t.id < 0)
        return bad(err, "match", "trade_id", "missing or not a trade id");
    if (!xj_int64(&v[K_SEQ], &t.seq) || t.seq < 0)
        return bad(err, "match", "sequence", "missing or not a sequence number");
    if (!xj_number(&v[K_PRICE], &t.price))
        return bad(err, "match", "price", "missing or not a number");
    if (!xj_number(&v[K_SIZE], &t.qty)) return bad(err, "match", "size", "missing or not a number");
    if (!xj_time(&v[K_TIME], &t.ts_us)) return bad(err, "match", "time", "missing or not a time");
    return xj_emit_trade("coinbase match", symbol, &t, ev, "price", "size", err);
}

static bs_status heartbeat(const xj_value *v, const bs_feed_events *ev, bs_error *err) {
    char symbol[XJ_SYMBOL_MAX];
    int64_t seq = -1, last = -1;
    if (!xj_symbol(&v[K_PRODUCT], symbol))
        return bad(err, "heartbeat", "product_id", "missing or not a product");
    if (v[K_SEQ].kind && (!xj_int64(&v[K_SEQ], &seq) || seq < 0))
        return bad(err, "heartbeat", "sequence", "not a sequence number");
    if (v[K_LAST_ID].kind && (!xj_int64(&v[K_LAST_ID], &last) || last < 0))
        return bad(err, "heartbeat", "last_trade_id", "not a trade id");
    if (ev && ev->on_heartbeat) ev->on_heartbeat(ev->ctx, symbol, seq, last);
    return BS_OK;
}

bs_status exchange_coinbase_parse(const char *msg, size_t len, int64_t recv_us,
                                  const bs_feed_events *ev, bs_error *err) {
    xj_value v[K_N];
    if (!xj_message(msg, len, keys, K_N, v))
        return bs_fail(err, BS_ERR_PARSE, "coinbase: message is not a valid JSON object");
    if (xj_is(&v[K_TYPE], "match") || xj_is(&v[K_TYPE], "last_match"))
        return match(v, recv_us, ev, err);
    if (xj_is(&v[K_TYPE], "heartbeat")) return heartbeat(v, ev, err);
    char detail[256];
    if (xj_is(&v[K_TYPE], "error")) {
        char reason[120];
        xj_text(&v[K_MESSAGE], detail, 120);
        xj_text(&v[K_REASON], reason, sizeof reason);
        if (*reason) {
            size_t n = strlen(detail);
            snprintf(detail + n, sizeof detail - n, " (%s)", reason);
        }
        xj_notice(ev, "coinbase", "error", detail);
    } else if (v[K_TYPE].kind == '"') {
        xj_text(&v[K_TYPE], detail, sizeof detail);
        xj_notice(ev, "coinbase", "message", detail);
    } else {
        xj_notice(ev, "coinbase", "unknown message", NULL);
    }
    return BS_OK;
}
