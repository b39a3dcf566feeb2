/*
 * parquet_dict.c - see parquet_dict.h. Distinct values are found with an open-addressing hash
 * table of indices into the PLAIN buffer (8-byte numbers compare as bit patterns, so -0.0 and
 * each NaN payload keep their identity); the build gives up as soon as the dictionary would hold
 * more than half the rows, since it cannot pay then.
 */
#include "parquet_dict.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DISTINCT (1u << 20)

typedef struct {
    const unsigned char *p;
    uint32_t len;
} value_ref;

static uint64_t hash_value(const value_ref *v) {
    if (v->len == 8) { /* numbers: one multiply of the bit pattern */
        uint64_t x;
        memcpy(&x, v->p, 8);
        x *= UINT64_C(0x9E3779B97F4A7C15);
        return x ^ (x >> 31);
    }
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < v->len; i++) h = (h ^ v->p[i]) * UINT64_C(1099511628211);
    return h ^ (h >> 29);
}

/* Splits the PLAIN buffer into value references (numbers: 8 bytes; strings: length-prefixed). */
static value_ref *split_values(bs_parquet_type type, const tc_writer *plain, size_t rows) {
    value_ref *refs = malloc((rows ? rows : 1) * sizeof *refs);
    const unsigned char *p = plain->data;
    for (size_t i = 0; refs && i < rows; i++) {
        uint32_t n = 8;
        if (type == BS_PARQUET_STRING) {
            memcpy(&n, p, 4);
            p += 4;
        }
        refs[i] = (value_ref){p, n};
        p += n;
    }
    return refs;
}

/* All indices as one bit-packed run: groups of eight values, least significant bit first. */
static void encode_indices(tc_writer *w, const uint32_t *idx, size_t rows, int width) {
    unsigned char b = (unsigned char)width;
    tc_bytes(w, &b, 1);
    size_t groups = (rows + 7) / 8;
    tc_varint(w, (uint64_t)groups << 1 | 1);
    size_t bytes = groups * (size_t)width, out = 0;
    unsigned char *packed = calloc(bytes ? bytes : 1, 1);
    if (!packed) {
        w->failed = 1;
        return;
    }
    uint64_t acc = 0; /* bits not yet written, lowest first */
    int held = 0;
    for (size_t i = 0; i < rows; i++) {
        acc |= (uint64_t)idx[i] << held;
        held += width;
        while (held >= 8) {
            packed[out++] = (unsigned char)acc;
            acc >>= 8;
            held -= 8;
        }
    }
    if (held > 0) packed[out] = (unsigned char)acc; /* the rest of the last group stays zero */
    tc_bytes(w, packed, bytes);
    free(packed);
}

int pq_dict_build(bs_parquet_type type, const tc_writer *plain, size_t rows, pq_dict *out) {
    memset(out, 0, sizeof *out);
    if (rows < 16) return 0;
    size_t cap = 1024;
    while (cap < rows && cap < 2 * MAX_DISTINCT) cap <<= 1;
    value_ref *refs = split_values(type, plain, rows);
    uint32_t *slots = malloc(cap * sizeof *slots), *idx = malloc(rows * sizeof *idx);
    uint32_t *firsts = malloc((rows / 2 + 1) * sizeof *firsts); /* row of each distinct value */
    int ok = refs && slots && idx && firsts;
    if (ok) memset(slots, 0xff, cap * sizeof *slots);
    size_t distinct = 0;
    for (size_t i = 0; ok && i < rows; i++) {
        size_t h = hash_value(&refs[i]) & (cap - 1);
        while (slots[h] != UINT32_MAX) {
            const value_ref *v = &refs[firsts[slots[h]]];
            if (v->len == refs[i].len && memcmp(v->p, refs[i].p, v->len) == 0) break;
            h = (h + 1) & (cap - 1);
        }
        if (slots[h] == UINT32_MAX) {
            /* Mostly new values so far (a timestamp column, say): it will not pay, stop early. */
            if (distinct >= rows / 2 || distinct >= MAX_DISTINCT || distinct * 2 >= cap ||
                (i >= 65536 && distinct > i / 2))
                ok = 0;
            else slots[h] = (uint32_t)distinct, firsts[distinct++] = (uint32_t)i;
        }
        if (ok) idx[i] = slots[h];
    }
    int width = 1;
    while (ok && ((size_t)1 << width) < distinct) width++;
    for (size_t d = 0; ok && d < distinct; d++) {
        const value_ref *v = &refs[firsts[d]];
        if (type == BS_PARQUET_STRING) tc_bytes(&out->dict, &v->len, 4);
        tc_bytes(&out->dict, v->p, v->len);
    }
    if (ok) encode_indices(&out->indices, idx, rows, width);
    out->distinct = distinct;
    /* It pays when the dictionary and the indices take at most four fifths of PLAIN. */
    ok = ok && !out->dict.failed && !out->indices.failed &&
         (out->dict.len + out->indices.len) * 5 <= plain->len * 4;
    free(refs);
    free(slots);
    free(idx);
    free(firsts);
    if (!ok) pq_dict_free(out);
    return ok;
}

void pq_dict_free(pq_dict *d) {
    tc_free(&d->dict);
    tc_free(&d->indices);
    d->distinct = 0;
}

static int read_varint(const unsigned char **p, const unsigned char *end, uint64_t *v) {
    *v = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return 1;
    }
    return 0;
}

int pq_dict_decode_indices(const unsigned char *p, size_t len, size_t count, size_t distinct,
                           uint32_t *out) {
    const unsigned char *end = p + len;
    if (len < 1) return count == 0;
    int width = *p++;
    if (width > 32) return 0;
    size_t done = 0;
    while (done < count) {
        uint64_t header;
        if (!read_varint(&p, end, &header)) return 0;
        if (header & 1) { /* bit-packed: (header >> 1) groups of eight */
            uint64_t values = (header >> 1) * 8;
            if (values == 0 || (header >> 1) * (uint64_t)width > (uint64_t)(end - p)) return 0;
            uint64_t acc = 0, mask = width == 32 ? UINT32_MAX : (UINT64_C(1) << width) - 1;
            int held = 0;
            const unsigned char *q = p;
            for (uint64_t i = 0; i < values && done < count; i++) {
                while (held < width) {
                    acc |= (uint64_t)*q++ << held;
                    held += 8;
                }
                uint32_t v = (uint32_t)(acc & mask);
                acc >>= width;
                held -= width;
                if (v >= distinct) return 0;
                out[done++] = v;
            }
            p += (header >> 1) * (uint64_t)width;
        } else { /* RLE: a run of (header >> 1) copies of one value */
            uint64_t run = header >> 1;
            size_t bytes = ((size_t)width + 7) / 8;
            uint32_t v = 0;
            if (run == 0 || (size_t)(end - p) < bytes) return 0;
            for (size_t i = 0; i < bytes; i++) v |= (uint32_t)p[i] << (8 * i);
            p += bytes;
            if (v >= distinct || run > count - done) return 0;
            for (uint64_t i = 0; i < run; i++) out[done++] = v;
        }
    }
    return 1;
}
