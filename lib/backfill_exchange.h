/*
 * backfill_exchange.h (private) - what one exchange's REST candle client is made of, and the
 * HTTP and JSON steps the three share.
 *
 * lib/backfill.c owns the loop (range, pages, what is final, fill, stats); an exchange only
 * knows how to name a page's request and how to read its answer (lib/backfill_binance.c,
 * backfill_coinbase.c, backfill_kraken.c), so a fourth exchange is a new file and one line in
 * the table of lib/backfill.c. lib/backfill_http.c makes the requests: retries, Retry-After,
 * backoff, weight pacing.
 */
#ifndef BTCSTREAM_BACKFILL_EXCHANGE_H
#define BTCSTREAM_BACKFILL_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/backfill.h"
#include "json_scan.h"

/* The candles read from one answer, in the order the exchange sent them. */
typedef struct {
    bs_tick *v;
    size_t len, cap;
} backfill_page;

/* Appends one candle; BS_ERR_NOMEM when it cannot grow. */
bs_status backfill_page_push(backfill_page *p, const bs_tick *c, bs_error *err);

typedef struct {
    const char *source;      /* the market's SOURCE: "binance" */
    const char *url_env;     /* the variable holding the base URL: "BINANCE_API_URL" */
    const char *default_url; /* "https://api.binance.com" */
    int page_minutes;        /* most minutes one request can cover */
    int keeps_minutes;       /* how far back the exchange keeps 1-minute candles; 0: all */
    /* The request's path and query for minutes [from_us, to_us) into buf. */
    bs_status (*page_path)(const char *symbol, int64_t from_us, int64_t to_us, char *buf,
                           size_t size, bs_error *err);
    /*
     * Reads an HTTP 200 answer into page (candles in any order, possibly outside the range:
     * the caller filters). *rate_limited is set when the answer is the exchange saying "too many
     * requests" in its body (Kraken) rather than with a status. BS_ERR_PARSE names the field
     * (the caller adds the URL path).
     */
    bs_status (*parse)(const char *body, size_t len, backfill_page *page, int *rate_limited,
                       bs_error *err);
} backfill_exchange;

extern const backfill_exchange backfill_binance;
extern const backfill_exchange backfill_coinbase;
extern const backfill_exchange backfill_kraken;

/* ---- JSON helpers the parsers share (backfill.c) ------------------------------------------ */

/* Skips white space and expects ch at the cursor, consuming it; 0 when it is not there. */
int backfill_json_expect(cursor *c, char ch);

/* A number given as a JSON number or as a string holding one; 0 when it is neither. */
int backfill_json_number(cursor *c, double *out);

/* An integer number (no fraction, no exponent); 0 when it is not one. */
int backfill_json_integer(cursor *c, int64_t *out);

/*
 * A time as a whole number of units (1000 for milliseconds, 1000000 for seconds) into *out_us;
 * BS_ERR_PARSE "field NAME: ..." when it is not one or lies outside the years 0000-9999.
 */
bs_status backfill_json_time(cursor *c, const char *name, int64_t unit_us, int64_t *out_us,
                             bs_error *err);

/*
 * Reads `[row, ...]` at the cursor, each row a JSON array: row() reads the fields it needs
 * (backfill_json_field() before each but the first), the rest of the row is skipped; each
 * candle is appended to page. BS_ERR_PARSE names the row ("candle 3: ...") or the structure.
 */
typedef bs_status (*backfill_row_fn)(cursor *c, bs_tick *out, bs_error *err);
bs_status backfill_parse_rows(cursor *c, backfill_page *page, backfill_row_fn row, bs_error *err);

/* A whole answer that is one array of rows and nothing else (Binance, Coinbase). */
bs_status backfill_parse_array_answer(const char *body, size_t len, backfill_page *page,
                                      backfill_row_fn row, bs_error *err);

/* Expects the ',' before a row's next field; BS_ERR_PARSE "field NAME missing" otherwise. */
bs_status backfill_json_field(cursor *c, const char *name, bs_error *err);

/*
 * Checks a candle read from an answer: a time on a minute boundary, finite positive prices with
 * low <= open, close <= high, a finite volume >= 0. BS_ERR_PARSE naming what is wrong and the
 * candle's position (index) otherwise.
 */
bs_status backfill_check_candle(const bs_tick *c, size_t index, bs_error *err);

/* ---- HTTP (backfill_http.c) ----------------------------------------------------------------- */

typedef struct backfill_http backfill_http;

/* A client for one fetch; opts must outlive it. */
bs_status backfill_http_new(const bs_backfill_options *opts, const backfill_exchange *ex,
                            bs_backfill_stats *stats, backfill_http **out, bs_error *err);
void backfill_http_free(backfill_http *h);

/*
 * GETs base + path_query and parses the answer with the exchange's parser into page (emptied
 * first), retrying as backfill.h says. Errors name the path (never the query's values beyond what
 * the caller put there) and the HTTP status.
 */
bs_status backfill_http_get_page(backfill_http *h, const char *base, const char *path_query,
                                 backfill_page *page, bs_error *err);

#endif
