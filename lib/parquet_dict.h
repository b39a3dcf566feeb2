/*
 * parquet_dict.h (private) - Parquet's dictionary encoding: a column chunk's distinct values
 * once (a PLAIN dictionary page) and, per row, the value's index in it, RLE/bit-packed hybrid
 * encoded with the smallest bit width that fits. The writer uses it where it pays (repeated
 * values, as a price series has); the reader decodes it, and also the RLE runs other writers use.
 */
#ifndef BTCSTREAM_PARQUET_DICT_H
#define BTCSTREAM_PARQUET_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/parquet.h"
#include "thrift_compact.h"

typedef struct {
    tc_writer dict;    /* the distinct values, PLAIN-encoded, in order of first appearance */
    tc_writer indices; /* one byte of bit width, then the hybrid-encoded indices */
    size_t distinct;
} pq_dict;

/*
 * Dictionary-encodes `rows` PLAIN values of the given type. Returns 1 when that is smaller than
 * PLAIN by a clear margin (out filled), 0 otherwise (out empty) or when memory runs short.
 */
int pq_dict_build(bs_parquet_type type, const tc_writer *plain, size_t rows, pq_dict *out);

void pq_dict_free(pq_dict *d);

/*
 * Decodes `count` indices (bit-width byte, then hybrid runs) from [p, p + len) into out, each
 * checked to be below `distinct`. Returns 0 when the data is damaged.
 */
int pq_dict_decode_indices(const unsigned char *p, size_t len, size_t count, size_t distinct,
                           uint32_t *out);

#endif
