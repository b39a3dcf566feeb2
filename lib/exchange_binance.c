/*
 * exchange_binance.c - Binance's raw trade stream (<symbol>@trade):
 *   {"e":"trade","E":1672515782136,"s":"BTCUSDT","t":12345,"p":"0.001","q":"100",
 *    "T":1672515782136,"m":true,"M":true}
 * t is the trade id (consecutive within a symbol: the feed runner's gap check), T the trade time
 * in milliseconds (our ts_us), p and q decimal strings. On the combined-stream endpoint the same
 * event comes wrapped as {"stream":"btcusdt@trade","data":{...}}. Everything else is a notice:
 * the answer to a request ({"result":null,"id":1}), an error ({"code":2,"msg":"..."}), another
 * event ("serverShutdown" and the like).
 */
#include <string.h>

#include "exchange_json.h"

enum {
    K_E,
    K_SYMBOL,
    K_ID,
    K_PRICE,
    K_QTY,
    K_TIME,
    K_STREAM,
    K_DATA,
    K_RESULT,
    K_CODE,
    K_MSG,
    K_N
};
static const char *const keys[K_N] = {"e",      "s",    "t",      "p",    "q",  "T",
                                      "stream", "data", "result", "code", "msg"};

static bs_status bad(bs_error *err, const char *field, const char *what) {
    return bs_fail(err, BS_ERR_PARSE, "binance trade: field \"%s\": %s", field, what);
}

static bs_status trade(const xj_value *v, int64_t recv_us, const bs_feed_events *ev,
                       bs_error *err) {
    char symbol[XJ_SYMBOL_MAX];
    bs_trade t = {.recv_us = recv_us, .seq = -1};
    int64_t ms;
    if (!xj_symbol(&v[K_SYMBOL], symbol)) return bad(err, "s", "missing or not a symbol");
    if (!xj_int64(&v[K_ID], &t.id) || t.id < 0) return bad(err, "t", "missing or not a trade id");
    if (!xj_number(&v[K_PRICE], &t.price)) return bad(err, "p", "missing or not a number");
    if (!xj_number(&v[K_QTY], &t.qty)) return bad(err, "q", "missing or not a number");
    if (!xj_int64(&v[K_TIME], &ms) || ms < 0 || ms > INT64_MAX / 1000)
        return bad(err, "T", "missing or not a time in milliseconds");
    t.ts_us = ms * 1000;
    return xj_emit_trade("binance", symbol, &t, ev, "p", "q", err);
}

static bs_status parse(const char *msg, size_t len, int64_t recv_us, const bs_feed_events *ev,
                       int wrapped, bs_error *err) {
    xj_value v[K_N];
    if (!xj_message(msg, len, keys, K_N, v))
        return bs_fail(err, BS_ERR_PARSE, "binance: message is not a valid JSON object");
    if (xj_is(&v[K_E], "trade")) return trade(v, recv_us, ev, err);
    if (!wrapped && v[K_DATA].kind == '{' && v[K_STREAM].kind == '"')
        return parse(v[K_DATA].s, v[K_DATA].n, recv_us, ev, 1, err);
    char detail[200];
    if (v[K_E].kind == '"') {
        xj_text(&v[K_E], detail, sizeof detail);
        xj_notice(ev, "binance", "event", detail);
    } else if (v[K_CODE].kind) {
        xj_text(&v[K_MSG], detail, sizeof detail);
        xj_notice(ev, "binance", "error", detail);
    } else if (v[K_RESULT].kind) {
        xj_notice(ev, "binance", "answer to a request", NULL);
    } else {
        xj_notice(ev, "binance", "unknown message", NULL);
    }
    return BS_OK;
}

bs_status exchange_binance_parse(const char *msg, size_t len, int64_t recv_us,
                                 const bs_feed_events *ev, bs_error *err) {
    return parse(msg, len, recv_us, ev, 0, err);
}
