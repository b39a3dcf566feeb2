/*
 * trade.h - one exchange trade, and the messages of the exchanges' public trade feeds.
 *
 * The parsers read one WebSocket message (a JSON text) as the exchange sends it and report what
 * it holds through callbacks: trades, heartbeats (Coinbase), and everything else as a notice, so
 * that the feed runner can detect gaps (trade ids, sequence numbers) and stalls. Formats:
 *   binance   {"e":"trade","E":ms,"s":"BTCUSDT","t":id,"p":"price","q":"qty","T":ms,"m":bool}
 *             (also wrapped as a combined stream: {"stream":"...","data":{...}})
 *   coinbase  {"type":"match"|"last_match","trade_id":id,"sequence":seq,"price":"...",
 *             "size":"...","side":"buy","time":"ISO","product_id":"BTC-USD"},
 *             {"type":"heartbeat","sequence":seq,"last_trade_id":id,"time":"ISO",...},
 *             {"type":"subscriptions"|"error",...}
 *   kraken    v2: {"channel":"trade","type":"snapshot"|"update","data":[{"symbol":"BTC/USD",
 *             "side":"buy","price":n,"qty":n,"ord_type":"market","trade_id":id,
 *             "timestamp":"ISO"},...]}, {"channel":"heartbeat"}, {"method":"subscribe",...},
 *             {"channel":"status",...}
 * Prices and quantities are decimal strings (Binance, Coinbase) or JSON numbers (Kraken; a
 * string is taken too), read exactly as strtod would; ids and sequence numbers are JSON integers
 * read exactly into int64_t (Kraken's may pass 2^53). Binance's T is milliseconds; Coinbase's
 * and Kraken's times are RFC 3339 with microseconds. Binance also answers requests
 * ({"result":null,"id":1}) and reports errors ({"code":2,"msg":"..."}); Coinbase's error is
 * {"type":"error","message":"...","reason":"..."}; Kraken's answers carry "success" and "error".
 * Nothing is allocated; a parser never reads past len and never trusts a field it did not check.
 */
#ifndef BTCSTREAM_TRADE_H
#define BTCSTREAM_TRADE_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef struct {
    int64_t ts_us;   /* the exchange's time of the trade (UTC microseconds) */
    int64_t recv_us; /* when the message was received (local clock, UTC microseconds) */
    double price;    /* > 0 */
    double qty;      /* >= 0 */
    int64_t id;      /* the exchange's trade id; -1 when it gives none */
    int64_t seq;     /* the feed's sequence number (Coinbase); -1 when it gives none */
} bs_trade;

typedef enum {
    BS_EXCHANGE_BINANCE,
    BS_EXCHANGE_COINBASE,
    BS_EXCHANGE_KRAKEN,
} bs_exchange;

/* bs_feed_events: what a message held, reported as the parser reads it (any callback may be
 * NULL). */

typedef struct {
    /* A trade of the subscribed symbol (symbol as the exchange wrote it). */
    void (*on_trade)(void *ctx, const char *symbol, const bs_trade *trade);
    /* A heartbeat: the feed is alive; seq/last_trade_id are -1 when the message has none. */
    void (*on_heartbeat)(void *ctx, const char *symbol, int64_t seq, int64_t last_trade_id);
    /* A message that is no trade: a subscription answer, a status, an error from the exchange,
     * or a kind the parser does not know. Reported, never fatal. */
    void (*on_notice)(void *ctx, const char *what);
    void *ctx;
} bs_feed_events;

/* "binance", "coinbase", "kraken" to an exchange; BS_ERR_ARG for another name. */
BS_API bs_status bs_exchange_from_name(const char *name, bs_exchange *out, bs_error *err);

/* The exchange's name as a market's SOURCE ("binance", ...). */
BS_API const char *bs_exchange_name(bs_exchange ex);

/*
 * Parses one message. BS_ERR_PARSE (with the field at fault) for a message that is not valid
 * JSON or a trade with a missing or bad field; the trades before the bad one in a Kraken batch
 * have been reported. recv_us is stamped on every trade.
 */
BS_API bs_status bs_exchange_parse(bs_exchange ex, const char *msg, size_t len, int64_t recv_us,
                                   const bs_feed_events *events, bs_error *err);

/*
 * The subscription message to send after connecting, into buf (NUL-terminated); 0 bytes written
 * for Binance, whose stream is chosen by the URL (see bs_exchange_ws_path()).
 */
BS_API size_t bs_exchange_subscribe_msg(bs_exchange ex, const char *symbol, char *buf, size_t size);

/*
 * The path (with query) to open on the exchange's WebSocket host, into buf: for Binance the
 * symbol's trade stream (the lower-case symbol and "at trade"), "/" for the others.
 */
BS_API size_t bs_exchange_ws_path(bs_exchange ex, const char *symbol, char *buf, size_t size);

#endif
