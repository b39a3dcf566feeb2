/*
 * number_format.c - a double as the shortest text that reads back to it (bs_number_format).
 *
 * Tables print hundreds of thousands of averages whose shortest text has 15 to 17 digits, and
 * finding it the printf way (print with %.15g, read back with strtod, try 16, then 17) cost some
 * 3,000 instructions a number, on one thread after the parallel scan: a large part of
 * `aggregate`'s wall time on a large history. For the magnitudes of prices, volumes and their
 * averages, [1e-4, 1e9), the digits are computed exactly in 128-bit integers instead. A double
 * is m * 2^-s, so v * 10^k is a multiplication and a shift, and whether a decimal reads back as
 * v is whether it lies inside v's rounding interval: one more comparison of integers. The text
 * is the one %.15g, %.16g or %.17g gives (the first that reads back), trailing zeros dropped;
 * other magnitudes, infinities and NaN keep the printf loop.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/number.h"

typedef unsigned __int128 u128;

#define P10(k) ((u128)1e##k)
/* 10^k for 0 <= k <= 21; each is exactly representable as a double, so the casts are exact. */
static const u128 pow10_table[] = {P10(0),  P10(1),  P10(2),  P10(3),  P10(4),  P10(5),
                                   P10(6),  P10(7),  P10(8),  P10(9),  P10(10), P10(11),
                                   P10(12), P10(13), P10(14), P10(15), P10(16), P10(17),
                                   P10(18), P10(19), P10(20), P10(21)};

static u128 pow10_wide(int k) { return pow10_table[k]; }

/*
 * v * 10^k rounded to the nearest whole number, ties to even, for v = m * 2^-s with s >= 1.
 * Within the range used, m * 10^k < 2^53 * 10^20 < 2^120.
 */
static uint64_t scaled_round(uint64_t m, int s, int k) {
    u128 x = (u128)m * pow10_wide(k);
    u128 n = x >> s, rest = x - (n << s), half = (u128)1 << (s - 1);
    if (rest > half || (rest == half && (n & 1))) n++;
    return (uint64_t)n;
}

/*
 * Whether n * 10^-k reads back as v = m * 2^-s (m of exactly 53 bits): whether it lies inside
 * v's rounding interval, whose ends round to v only when m is even. Everything is scaled by
 * 10^k * 2^(s+2) to stay whole; below a power of two the lower neighbour is twice as close.
 */
static int reads_back(uint64_t n, int k, uint64_t m, int s) {
    u128 scale = pow10_wide(k), d = (u128)n << (s + 2);
    u128 high = (u128)(4 * m + 2) * scale;
    u128 low = (u128)(4 * m - (m == (uint64_t)1 << 52 ? 1 : 2)) * scale;
    return m % 2 == 0 ? d >= low && d <= high : d > low && d < high;
}

/* Whether v = m * 2^-s is at least 10^x, for -5 <= x <= 9: m * 10^-x against 2^s, whole. */
static int at_least_pow10(uint64_t m, int s, int x) {
    return x >= 0 ? (u128)m >= pow10_wide(x) << s : (u128)m * pow10_wide(-x) >= (u128)1 << s;
}

static const char digit_pairs[] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546"
    "4748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293"
    "949596979899";

/* Writes n (exactly `digits` digits) as d.ddd * 10^exponent in fixed notation, %g style:
 * trailing zeros after the point are dropped first, several at a time, then the digits go out
 * two at a time. */
static size_t write_fixed(int negative, uint64_t n, int digits, int exponent, char *buf) {
    static const struct {
        uint64_t divisor;
        int zeros;
    } trims[] = {{100000000, 8}, {10000, 4}, {100, 2}, {10, 1}};
    int keep = exponent + 1 > 1 ? exponent + 1 : 1; /* the digits before the point, or one */
    for (int t = 0; t < 4; t++) {
        while (digits - trims[t].zeros >= keep && n % trims[t].divisor == 0) {
            n /= trims[t].divisor;
            digits -= trims[t].zeros;
        }
    }
    char text[24];
    int i = digits;
    for (; i >= 2; i -= 2, n /= 100) memcpy(text + i - 2, digit_pairs + 2 * (n % 100), 2);
    if (i == 1) text[0] = (char)('0' + n);
    char *p = buf;
    if (negative) *p++ = '-';
    if (exponent < 0) {
        *p++ = '0';
        *p++ = '.';
        for (int zero = -1; zero > exponent; zero--) *p++ = '0';
        memcpy(p, text, (size_t)digits);
        p += digits;
    } else if (digits > exponent + 1) {
        memcpy(p, text, (size_t)exponent + 1);
        p += exponent + 1;
        *p++ = '.';
        memcpy(p, text + exponent + 1, (size_t)(digits - exponent - 1));
        p += digits - exponent - 1;
    } else {
        memcpy(p, text, (size_t)digits);
        p += digits;
    }
    *p = '\0';
    return (size_t)(p - buf);
}

/* The exact path; returns 0 when v is outside its range. buf holds at least 32 bytes. */
static size_t format_exact(double v, char *buf) {
    double magnitude = fabs(v);
    if (!(magnitude >= 1e-4 && magnitude < 1e9)) return 0;
    uint64_t bits;
    memcpy(&bits, &magnitude, sizeof bits); /* a normal double: 1.fraction * 2^(biased - 1023) */
    uint64_t m = (bits & 0x000FFFFFFFFFFFFFu) | (uint64_t)1 << 52;
    int s = 1075 - (int)(bits >> 52); /* v = m * 2^-s, s from 23 to 66 in this range */
    int exponent = (int)floor((52 - s) * 0.30102999566398120); /* log10(2): maybe one low */
    while (!at_least_pow10(m, s, exponent)) exponent--;
    while (at_least_pow10(m, s, exponent + 1)) exponent++;
    static const uint64_t limit[] = {1000000000000000u, 10000000000000000u, 100000000000000000u};
    for (int digits = 15; digits <= 17; digits++) {
        int k = digits - 1 - exponent, shown = exponent;
        uint64_t n = scaled_round(m, s, k);
        if (n == limit[digits - 15]) { /* rounded up to the next power of ten, as %g does */
            n /= 10;
            k--;
            shown++;
        }
        if (digits == 17 || reads_back(n, k, m, s))
            return write_fixed(v < 0, n, digits, shown, buf);
    }
    return 0;
}

size_t bs_number_format(double v, char *buf, size_t cap) {
    if (cap >= 32) {
        if (v == 0) {
            buf[0] = '0';
            buf[1] = '\0';
            return 1;
        }
        size_t n = format_exact(v, buf);
        if (n > 0) return n;
    }
    int n = 0;
    for (int precision = 15; precision <= 17; precision++) {
        n = snprintf(buf, cap, "%.*g", precision, v);
        if (n < 0 || (size_t)n >= cap) return 0;
        if (strtod(buf, NULL) == v) break;
    }
    return (size_t)n;
}
