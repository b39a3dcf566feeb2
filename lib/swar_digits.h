/*
 * swar_digits.h (private) - decimal digits eight at a time, in one 64-bit word.
 *
 * Loading numbers a byte at a time made them most of the cost of a load (a tick has five), so
 * the hot parsers read eight characters as one little-endian word: the first character is the
 * lowest byte. The caller guarantees eight readable bytes at the pointer.
 */
#ifndef BTCSTREAM_SWAR_DIGITS_H
#define BTCSTREAM_SWAR_DIGITS_H

#include <stdint.h>
#include <string.h>

static inline uint64_t swar_load8(const char *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/*
 * How many of w's first characters are ASCII digits (0 to 8). A byte is a digit when its high
 * nibble is 3 and adding 6 does not carry out of its low nibble. Adding 6 can carry into the
 * next byte only from a byte of 0xFA or more, which is already not a digit, so the count of the
 * leading run is never disturbed.
 */
static inline unsigned swar_leading_digits(uint64_t w) {
    const uint64_t high = 0xF0F0F0F0F0F0F0F0u, threes = 0x3030303030303030u;
    uint64_t other = ((w & high) ^ threes) | (((w + 0x0606060606060606u) & high) ^ threes);
    return other ? (unsigned)__builtin_ctzll(other) / 8 : 8;
}

/*
 * The value of w's first n characters (1 to 8), all digits. Subtracting '0' can only borrow
 * upwards, from bytes past the digits, and the shift drops those bytes and leaves zeros (leading
 * zero digits) in front; then pairs, quads and the two halves are combined by multiplication.
 */
static inline uint32_t swar_digits_value(uint64_t w, unsigned n) {
    w = (w - 0x3030303030303030u) << (8 * (8 - n));
    w = w * 10 + (w >> 8);
    w = (((w & 0x000000FF000000FFu) * (100 + (1000000ull << 32))) +
         (((w >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32)))) >>
        32;
    return (uint32_t)w;
}

#endif
