/*
 * json_scan.h (private) - the small JSON scanner shared by the tick parser and the CoinGecko
 * source: a cursor over a buffer, strings returned as raw slices (no unescaping: the keys and
 * values we read never need it), and a validating skip over any value.
 */
#ifndef BTCSTREAM_JSON_SCAN_H
#define BTCSTREAM_JSON_SCAN_H

#include <stddef.h>

#include "btcstream/status.h"

typedef struct {
    const char *p, *end;
} cursor;

void json_skip_ws(cursor *c);

/* Reads a string at c->p (which is '"'); [*s, *s + *n) is its raw text. 0 if invalid. */
int json_read_string(cursor *c, const char **s, size_t *n);

/* Reads a bare token (number, true, false, null, NaN...) up to a delimiter. */
void json_read_token(cursor *c, const char **s, size_t *n);

/* Skips one value, validating it; 0 if invalid or nested deeper than 64. */
int json_skip_value(cursor *c, int depth);

/*
 * Finds `key` in the first object of doc (an object, or an array whose first element is one)
 * and parses its value as a number (JSON number, or string holding one; null is refused).
 * The whole document is validated first. BS_ERR_PARSE names what is wrong.
 */
bs_status json_first_object_number(const char *doc, size_t len, const char *key, double *out,
                                   bs_error *err);

#endif
