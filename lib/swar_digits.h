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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/*
 * Bit i set when byte i of w is not an ASCII digit. Exact: digits become 0..9 under the xor, and
 * adding 0x76 to the low seven bits of a byte sets its high bit only from 10 up, without a carry
 * into the next byte. The multiplication gathers the eight high bits into the top byte.
 */
static inline unsigned swar_nondigit_bits8(uint64_t w) {
    uint64_t x = w ^ 0x3030303030303030u;
    uint64_t high = (((x & 0x7F7F7F7F7F7F7F7Fu) + 0x7676767676767676u) | x) & 0x8080808080808080u;
    return (unsigned)(((high >> 7) * 0x0102040810204080u) >> 56);
}

/* Bit i set when p[i] is not an ASCII digit, for the sixteen bytes at p (all readable). */
static inline unsigned swar_nondigit_bits16(const char *p) {
#if defined(__SSE2__)
    /* Less '0' + 128, the ten digits are the ten smallest signed bytes: one compare finds them. */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i digit =
        _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8((char)0xB0)), _mm_set1_epi8((char)0x8A));
    return (unsigned)_mm_movemask_epi8(digit) ^ 0xFFFFu;
#else
    return swar_nondigit_bits8(swar_load8(p)) | swar_nondigit_bits8(swar_load8(p + 8)) << 8;
#endif
}

#endif
