/*
 * tick_fast.h (private) - the tick parser's fast path, for the reader's inner loop.
 *
 * bs_tick_parse_canonical() reads a line exactly as btcstream and the seed's producer write it,
 *   {"Datetime": "...", "Open": N, "High": N, "Low": N, "Close": N, "Volume": "N"}
 * by matching the fixed text between the values. It starts at `line`, may look as far as `end`,
 * and returns the position just after the closing brace, or NULL for anything else (another key
 * order, spacing, number syntax, a price that is not positive): the general parser then decides,
 * so the fast path changes speed only, never results or error messages. Because it finds the end
 * of the object itself, the reader can skip searching for the newline first.
 */
#ifndef BTCSTREAM_TICK_FAST_H
#define BTCSTREAM_TICK_FAST_H

#include "btcstream/tick.h"

const char *bs_tick_parse_canonical(const char *line, const char *end, bs_tick *t);

#endif
