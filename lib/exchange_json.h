/*
 * exchange_json.h (private) - what the exchange message parsers (exchange_*.c) share: one pass
 * over a flat JSON object that picks out the members it is asked for and validates (and skips)
 * the rest, and readers for the members' values. Built on json_scan.h's cursor; nothing is
 * allocated and nothing is unescaped (the keys and values we use never need it: a value with an
 * escape is refused where it matters, such as a number or a symbol).
 */
#ifndef BTCSTREAM_EXCHANGE_JSON_H
#define BTCSTREAM_EXCHANGE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/trade.h"
#include "json_scan.h"

/* One member's value: for a string, the raw text between the quotes; else the value's bytes. */
typedef struct {
    const char *s;
    size_t n;
    char kind; /* 0: absent, '"' string, '{' object, '[' array, 't' any other token */
} xj_value;

/* The longest symbol we pass on (BS_MARKET_MAX is far above any exchange's symbol). */
#define XJ_SYMBOL_MAX 64

/*
 * Reads the object at c->p (after white space): each member whose key is one of the n keys fills
 * vals[i] (the last one wins if a key repeats); every other value is validated and skipped.
 * Returns 0 when the text is not a valid JSON object.
 */
int xj_object(cursor *c, const char *const *keys, int n, xj_value *vals);

/* A whole message: one object and nothing but white space after it. 0 if it is not. */
int xj_message(const char *msg, size_t len, const char *const *keys, int n, xj_value *vals);

/* Is v the string `text`? */
int xj_is(const xj_value *v, const char *text);

/* A JSON integer (no fraction, no exponent) that fits an int64_t. 0 if v is none. */
int xj_int64(const xj_value *v, int64_t *out);

/* A number, bare or in a string ("30008.02"): the fast exact path, strtod's for the rest. */
int xj_number(const xj_value *v, double *out);

/* A string holding an ISO time (timeutil.h). */
int xj_time(const xj_value *v, int64_t *out_us);

/* A string without escapes, copied NUL-terminated into buf (XJ_SYMBOL_MAX bytes). */
int xj_symbol(const xj_value *v, char *buf);

/* A string (escapes kept as they are) copied into buf, cut to fit; "" when v is no string. */
void xj_text(const xj_value *v, char *buf, size_t size);

/*
 * Checks a trade's numbers (price > 0 and finite, quantity >= 0 and finite, time within the
 * years timeutil.h can write) and, if they pass, reports it. BS_ERR_PARSE names the field.
 */
bs_status xj_emit_trade(const char *exchange, const char *symbol, const bs_trade *t,
                        const bs_feed_events *ev, const char *price_field, const char *qty_field,
                        bs_error *err);

/* Reports a notice (when the callback is set): "EXCHANGE: what". */
void xj_notice(const bs_feed_events *ev, const char *exchange, const char *what,
               const char *detail);

/* The parsers behind bs_exchange_parse(). */
bs_status exchange_binance_parse(const char *msg, size_t len, int64_t recv_us,
                                 const bs_feed_events *ev, bs_error *err);
bs_status exchange_coinbase_parse(const char *msg, size_t len, int64_t recv_us,
                                  const bs_feed_events *ev, bs_error *err);
bs_status exchange_kraken_parse(const char *msg, size_t len, int64_t recv_us,
                                const bs_feed_events *ev, bs_error *err);

#endif
