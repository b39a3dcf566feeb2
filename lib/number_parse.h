/*
 * number_parse.h (private) - the fast exact path of decimal parsing, inline for the tick parser's
 * innermost loop (tick.c reads the canonical tick layout with it); bs_number_parse() in
 * number_parse.c wraps it with signs and the strtod fallback. A low-level module: it includes no
 * domain header, so the JSON scanner and the tick parser both build on it without a cycle.
 */
#ifndef BTCSTREAM_NUMBER_PARSE_H
#define BTCSTREAM_NUMBER_PARSE_H

#include <stdint.h>

#include "btcstream/number.h"
#include "swar_digits.h"

static inline int number_is_digit(char c) { return (unsigned)(c - '0') < 10; }

/* Powers of ten that a double holds exactly: m / 10^k is then correctly rounded (m < 2^53). */
static const double number_exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static const uint64_t number_exact_pow10_int[] = {1,      10,      100,      1000,     10000,
                                                  100000, 1000000, 10000000, 100000000};

/* The value of the n digits at p (1 to 15), sixteen bytes readable. */
static inline uint64_t number_run_value(const char *p, unsigned n) {
    if (n <= 8) return swar_digits_value(swar_load8(p), n);
    return swar_digits_value(swar_load8(p), 8) * number_exact_pow10_int[n - 8] +
           swar_digits_value(swar_load8(p + 8), n - 8);
}

/*
 * number_fast_decimal's common case, read in words (swar_digits.h): the digit runs before and after
 * the point found in one sixteen-byte mask, each ending inside it, fifteen digits at most and
 * eight after the point, with 24 readable bytes at p. NULL sends the number to the byte loop,
 * which reads it or refuses it exactly as it would have anyway.
 */
__attribute__((always_inline)) static inline const char *
number_word_decimal(const char *p, const char *end, double *out) {
    if (end - p < 24) return NULL;
    unsigned other = swar_nondigit_bits16(p) | 0x10000u; /* a stop past the sixteen bytes */
    unsigned whole = (unsigned)__builtin_ctz(other), fraction = 0;
    if (whole == 0 || whole == 16) return NULL;
    if (p[whole] == '.') {
        fraction = (unsigned)__builtin_ctz(other >> (whole + 1));
        if (fraction == 0 || fraction > 8 || whole + 1 + fraction > 15) return NULL;
    }
    uint64_t value;
    if (fraction > 0 && whole + fraction <= 8) {
        /* A price such as 30008.02: the point dropped by taking the bytes after it from one
         * further on, and all its digits read as one word. */
        uint64_t before = ((uint64_t)1 << (8 * whole)) - 1;
        uint64_t joined = (swar_load8(p) & before) | (swar_load8(p + 1) & ~before);
        value = swar_digits_value(joined, whole + fraction);
    } else {
        value = number_run_value(p, whole);
        if (fraction)
            value = value * number_exact_pow10_int[fraction] +
                    number_run_value(p + whole + 1, fraction);
    }
    *out = (double)value / number_exact_pow10[fraction];
    return p + whole + (fraction ? fraction + 1 : 0);
}

/*
 * number_fast_decimal's fallback, a byte at a time. A plain decimal (digits, optionally a point and
 * more digits) of at most fifteen digits: the mantissa then stays below 2^53, where dividing by
 * an exact power of ten is correctly rounded, so the result equals strtod's. Returns the end of
 * the number, or NULL for anything else.
 */
static const char *number_byte_decimal(const char *p, const char *end, double *out) {
    uint64_t mantissa = 0;
    int digits = 0, fraction = 0;
    while (p < end && number_is_digit(*p)) {
        mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
        digits++;
    }
    if (p < end && *p == '.') {
        const char *first = ++p;
        while (p < end && number_is_digit(*p)) mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
        fraction = (int)(p - first);
        digits += fraction;
        if (fraction == 0) return NULL;
    }
    if (digits == 0 || digits > 15) return NULL;
    *out = (double)mantissa / number_exact_pow10[fraction];
    return p;
}

/* The word path inline (it serves nearly every number), the byte loop as its fallback. */
__attribute__((always_inline)) static inline const char *
number_fast_decimal(const char *p, const char *end, double *out) {
    const char *after = number_word_decimal(p, end, out);
    return after ? after : number_byte_decimal(p, end, out);
}

#endif
