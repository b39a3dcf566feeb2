/*
 * number.h - decimal numbers as the price files write them: parsed exactly, printed shortest.
 * A low-level module (no domain types), shared by the tick parser, the JSON scanner and the
 * table renderers.
 */
#ifndef BTCSTREAM_NUMBER_H
#define BTCSTREAM_NUMBER_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"

/*
 * Parses a decimal number (JSON or CSV syntax) from [s, s+len) exactly as strtod would. Returns
 * BS_ERR_PARSE for text that is not a finite number (NaN and infinities are refused).
 */
BS_API bs_status bs_number_parse(const char *s, size_t len, double *out);

/* Writes v in the shortest form that reads back to the same double; returns the length. */
BS_API size_t bs_number_format(double v, char *buf, size_t cap);

#endif
