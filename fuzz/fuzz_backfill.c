/*
 * fuzz_backfill.c - the exchanges' REST candle answers as backfill reads them (Binance klines,
 * Coinbase candles, Kraken OHLC), each from an exact-size copy: nothing to lean on past its end.
 * An answer is either read, every candle then passing or failing the candle check, or refused
 * with a reason; never a crash, never a read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/backfill_exchange.h"
#include "fuzz.h"

static void one(const backfill_exchange *ex, const uint8_t *data, size_t size) {
    char *body = malloc(size ? size : 1);
    if (!body) return;
    memcpy(body, data, size);
    backfill_page page = {0};
    bs_error err = {{0}};
    int limited = 0;
    bs_status st = ex->parse(body, size, &page, &limited, &err);
    if (st != BS_OK && err.msg[0] == '\0') abort(); /* a refusal always says why */
    if (st == BS_OK && limited) abort();
    for (size_t i = 0; st == BS_OK && i < page.len; i++) {
        const bs_tick *c = &page.v[i];
        if (c->trades < BS_TRADES_UNKNOWN) abort();
        bs_error why = {{0}};
        if (backfill_check_candle(c, i, &why) == BS_OK &&
            !(c->low > 0 && c->low <= c->high && c->volume >= 0))
            abort(); /* a candle that passes the check is a candle */
    }
    free(page.v);
    free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    one(&backfill_binance, data, size);
    one(&backfill_coinbase, data, size);
    one(&backfill_kraken, data, size);
    return 0;
}
