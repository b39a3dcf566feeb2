/* thrift_compact.c - see thrift_compact.h. */
#include "thrift_compact.h"

#include <stdlib.h>
#include <string.h>

void tc_free(tc_writer *w) {
    free(w->data);
    memset(w, 0, sizeof *w);
}

void tc_bytes(tc_writer *w, const void *data, size_t n) {
    if (w->failed) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap < w->len + n) cap *= 2;
        unsigned char *grown = realloc(w->data, cap);
        if (!grown) {
            w->failed = 1;
            return;
        }
        w->data = grown;
        w->cap = cap;
    }
    memcpy(w->data + w->len, data, n);
    w->len += n;
}

static void varint(tc_writer *w, uint64_t v) {
    unsigned char buf[10];
    size_t n = 0;
    do {
        buf[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v) buf[n] |= 0x80;
        n++;
    } while (v);
    tc_bytes(w, buf, n);
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

/* Field header: the id as a delta from the last one when it fits in 4 bits. */
static void field_header(tc_writer *w, int16_t id, int type) {
    int16_t delta = (int16_t)(id - w->last_id[w->depth]);
    if (delta > 0 && delta <= 15) {
        unsigned char b = (unsigned char)((delta << 4) | type);
        tc_bytes(w, &b, 1);
    } else {
        unsigned char b = (unsigned char)type;
        tc_bytes(w, &b, 1);
        varint(w, zigzag(id));
    }
    w->last_id[w->depth] = id;
}

void tc_field_i32(tc_writer *w, int16_t id, int32_t v) {
    field_header(w, id, TC_I32);
    varint(w, zigzag(v));
}

void tc_field_i64(tc_writer *w, int16_t id, int64_t v) {
    field_header(w, id, TC_I64);
    varint(w, zigzag(v));
}

void tc_field_bool(tc_writer *w, int16_t id, int v) {
    field_header(w, id, v ? TC_BOOL_TRUE : TC_BOOL_FALSE);
}

void tc_field_binary(tc_writer *w, int16_t id, const void *data, size_t n) {
    field_header(w, id, TC_BINARY);
    varint(w, n);
    tc_bytes(w, data, n);
}

void tc_field_string(tc_writer *w, int16_t id, const char *s) { tc_field_binary(w, id, s, strlen(s)); }

void tc_struct_begin(tc_writer *w) {
    if (w->depth + 1 >= TC_MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    w->last_id[++w->depth] = 0;
}

void tc_field_struct_begin(tc_writer *w, int16_t id) {
    field_header(w, id, TC_STRUCT);
    tc_struct_begin(w);
}

void tc_struct_end(tc_writer *w) {
    unsigned char stop = 0;
    tc_bytes(w, &stop, 1);
    if (w->depth > 0) w->depth--;
}

void tc_stop(tc_writer *w) {
    unsigned char stop = 0;
    tc_bytes(w, &stop, 1);
}

void tc_field_list(tc_writer *w, int16_t id, int elem_type, size_t count) {
    field_header(w, id, TC_LIST);
    if (count < 15) {
        unsigned char b = (unsigned char)((count << 4) | (size_t)elem_type);
        tc_bytes(w, &b, 1);
    } else {
        unsigned char b = (unsigned char)(0xf0 | elem_type);
        tc_bytes(w, &b, 1);
        varint(w, count);
    }
}

void tc_i32(tc_writer *w, int32_t v) { varint(w, zigzag(v)); }

void tc_string(tc_writer *w, const char *s) {
    size_t n = strlen(s);
    varint(w, n);
    tc_bytes(w, s, n);
}
