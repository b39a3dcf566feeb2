/*
 * fuzz_coingecko.c - CoinGecko's /coins/markets answer as the source maps it to a tick. The body
 * is NUL-terminated, as the source's transfer buffer is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/source_coingecko.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *body = malloc(size + 1);
    if (!body) return 0;
    memcpy(body, data, size);
    body[size] = '\0';
    bs_tick t;
    bs_error err = {{0}};
    if (coingecko_parse_answer(body, size, "http://127.0.0.1/coins/markets", "bitcoin", "usd", &t,
                               &err) == BS_OK &&
        !(t.close > 0 && t.high > 0 && t.low > 0))
        abort(); /* an accepted answer has positive prices */
    free(body);
    return 0;
}
