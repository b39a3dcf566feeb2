/*
 * number_parse.c - decimal text to double, exactly as strtod would read it (see number.h): the
 * inline fast path of number_parse.h for plain decimals of up to fifteen digits, strtod on a
 * bounded copy for the rest.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "number_parse.h"

/* Slow path: strtod on a bounded copy, refusing anything but plain decimal syntax. */
static bs_status number_slow(const char *s, size_t len, double *out) {
    char buf[128];
    if (len == 0 || len >= sizeof buf) return BS_ERR_PARSE;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!number_is_digit(c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
            return BS_ERR_PARSE;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + len || !isfinite(v)) return BS_ERR_PARSE;
    *out = v;
    return BS_OK;
}

bs_status bs_number_parse(const char *s, size_t len, double *out) {
    const char *p = s, *end = s + len;
    int negative = 0;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    double v = 0; /* set whenever the fast path reaches end; zeroed for the compiler's sake */
    if (number_fast_decimal(p, end, &v) != end) return number_slow(s, len, out);
    *out = negative ? -v : v;
    return BS_OK;
}
