/*
 * source_coingecko.h (private) - the CoinGecko source's answer parser, apart from the transfer
 * so that it can be tested and fuzzed (fuzz/fuzz_coingecko.c) without a server.
 */
#ifndef BTCSTREAM_SOURCE_COINGECKO_PRIVATE_H
#define BTCSTREAM_SOURCE_COINGECKO_PRIVATE_H

#include <stddef.h>

#include "btcstream/tick.h"

/*
 * Maps a /coins/markets answer (body, len bytes) to a tick stamped now. url, coin and vs only
 * name the request in messages. BS_ERR_PARSE when the answer is empty, not JSON, or its prices
 * are missing or not positive.
 */
bs_status coingecko_parse_answer(const char *body, size_t len, const char *url, const char *coin,
                                 const char *vs, bs_tick *t, bs_error *err);

#endif
