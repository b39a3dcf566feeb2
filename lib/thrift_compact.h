/*
 * thrift_compact.h (private) - just enough of Thrift's compact protocol to write Parquet's
 * metadata (the file footer and page headers): structs, fields by id, zigzag varints, binary
 * strings and lists. Writes append to a growable buffer; a failed allocation is remembered and
 * reported once, at the end, so that callers need not check every field.
 */
#ifndef BTCSTREAM_THRIFT_COMPACT_H
#define BTCSTREAM_THRIFT_COMPACT_H

#include <stddef.h>
#include <stdint.h>

enum {
    TC_BOOL_TRUE = 1,
    TC_BOOL_FALSE = 2,
    TC_I32 = 5,
    TC_I64 = 6,
    TC_BINARY = 8,
    TC_LIST = 9,
    TC_STRUCT = 12
};

#define TC_MAX_DEPTH 16

typedef struct {
    unsigned char *data;
    size_t len, cap;
    int failed;                    /* an allocation failed: the buffer is incomplete */
    int16_t last_id[TC_MAX_DEPTH]; /* the last field id written at each struct depth */
    int depth;
} tc_writer;

void tc_free(tc_writer *w);
void tc_bytes(tc_writer *w, const void *data, size_t n);

/* An unsigned LEB128 varint (also what Parquet's RLE/bit-packed hybrid headers are). */
void tc_varint(tc_writer *w, uint64_t v);

/* Fields of the current struct (ids must increase within a struct). */
void tc_field_i32(tc_writer *w, int16_t id, int32_t v);
void tc_field_i64(tc_writer *w, int16_t id, int64_t v);
void tc_field_bool(tc_writer *w, int16_t id, int v);
void tc_field_binary(tc_writer *w, int16_t id, const void *data, size_t n);
void tc_field_string(tc_writer *w, int16_t id, const char *s);

/* A struct-valued field: begin, its fields, end. */
void tc_field_struct_begin(tc_writer *w, int16_t id);
void tc_struct_end(tc_writer *w);

/* A list-valued field of `count` elements of elem_type; then write the elements. */
void tc_field_list(tc_writer *w, int16_t id, int elem_type, size_t count);
void tc_i32(tc_writer *w, int32_t v);
void tc_string(tc_writer *w, const char *s);

/* A struct element of a list: begin, its fields, end. */
void tc_struct_begin(tc_writer *w);

/* The top-level struct's end (STOP). */
void tc_stop(tc_writer *w);

/* ---- reading ----------------------------------------------------------------------------- */

/*
 * A reader over a buffer. Every read checks bounds; after any error `failed` is set and later
 * reads return zeros, so a parser can read on and check once (a corrupt file must fail cleanly,
 * never read past its buffer).
 */
typedef struct {
    const unsigned char *p, *end;
    int failed;
    int16_t last_id[TC_MAX_DEPTH];
    int depth;
    int bool_value; /* a bool field's value, carried in its header */
    int overflow;   /* structs and lists entered past TC_MAX_DEPTH (not counted in depth) */
} tc_reader;

/* Reads a field header of the current struct: 0 at its STOP, else 1 with *id and *type. */
int tc_read_field(tc_reader *r, int16_t *id, int *type);
int64_t tc_read_int(tc_reader *r); /* i16, i32 or i64 (zigzag varint) */
const unsigned char *tc_read_binary(tc_reader *r, size_t *len);
void tc_read_list(tc_reader *r, int *elem_type, size_t *count);
void tc_enter_struct(tc_reader *r);   /* before reading a nested struct's fields */
void tc_leave_struct(tc_reader *r);   /* after its STOP */
void tc_skip(tc_reader *r, int type); /* skips a value of any type */

#endif
