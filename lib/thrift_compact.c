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

void tc_varint(tc_writer *w, uint64_t v) {
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
        tc_varint(w, zigzag(id));
    }
    w->last_id[w->depth] = id;
}

void tc_field_i32(tc_writer *w, int16_t id, int32_t v) {
    field_header(w, id, TC_I32);
    tc_varint(w, zigzag(v));
}

void tc_field_i64(tc_writer *w, int16_t id, int64_t v) {
    field_header(w, id, TC_I64);
    tc_varint(w, zigzag(v));
}

void tc_field_bool(tc_writer *w, int16_t id, int v) {
    field_header(w, id, v ? TC_BOOL_TRUE : TC_BOOL_FALSE);
}

void tc_field_binary(tc_writer *w, int16_t id, const void *data, size_t n) {
    field_header(w, id, TC_BINARY);
    tc_varint(w, n);
    tc_bytes(w, data, n);
}

void tc_field_string(tc_writer *w, int16_t id, const char *s) {
    tc_field_binary(w, id, s, strlen(s));
}

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
        tc_varint(w, count);
    }
}

void tc_i32(tc_writer *w, int32_t v) { tc_varint(w, zigzag(v)); }

void tc_string(tc_writer *w, const char *s) {
    size_t n = strlen(s);
    tc_varint(w, n);
    tc_bytes(w, s, n);
}

/* ---- reading ----------------------------------------------------------------------------- */

static uint64_t read_varint(tc_reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) break;
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    r->failed = 1;
    return 0;
}

int64_t tc_read_int(tc_reader *r) {
    uint64_t v = read_varint(r);
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

int tc_read_field(tc_reader *r, int16_t *id, int *type) {
    if (r->failed || r->p >= r->end) {
        r->failed = 1;
        return 0;
    }
    unsigned char b = *r->p++;
    if (b == 0) return 0;
    *type = b & 0x0f;
    int delta = b >> 4;
    *id = delta ? (int16_t)(r->last_id[r->depth] + delta) : (int16_t)tc_read_int(r);
    r->last_id[r->depth] = *id;
    if (*type == TC_BOOL_TRUE || *type == TC_BOOL_FALSE) r->bool_value = *type == TC_BOOL_TRUE;
    return !r->failed;
}

const unsigned char *tc_read_binary(tc_reader *r, size_t *len) {
    uint64_t n = read_varint(r);
    if (r->failed || n > (uint64_t)(r->end - r->p)) {
        r->failed = 1;
        *len = 0;
        return NULL;
    }
    const unsigned char *data = r->p;
    r->p += n;
    *len = (size_t)n;
    return data;
}

void tc_read_list(tc_reader *r, int *elem_type, size_t *count) {
    if (r->p >= r->end) {
        r->failed = 1;
        *count = 0;
        return;
    }
    unsigned char b = *r->p++;
    *elem_type = b & 0x0f;
    *count = (b >> 4) == 15 ? (size_t)read_varint(r) : (size_t)(b >> 4);
    if (*count > (size_t)(r->end - r->p)) r->failed = 1, *count = 0; /* each element takes a byte */
}

void tc_enter_struct(tc_reader *r) {
    if (r->depth + 1 >= TC_MAX_DEPTH) {
        r->failed = 1; /* depth is kept: the matching tc_leave_struct() is a no-op then */
        r->overflow++;
        return;
    }
    r->last_id[++r->depth] = 0;
}

void tc_leave_struct(tc_reader *r) {
    if (r->overflow > 0) r->overflow--;
    else if (r->depth > 0) r->depth--;
}

void tc_skip(tc_reader *r, int type) {
    size_t n;
    int16_t id;
    int t;
    switch (type) {
    case TC_BOOL_TRUE:
    case TC_BOOL_FALSE: break; /* the value was in the header */
    case 3: r->p < r->end ? (void)r->p++ : (void)(r->failed = 1); break; /* byte */
    case 4:
    case TC_I32:
    case TC_I64: (void)read_varint(r); break;
    case 7: r->end - r->p >= 8 ? (void)(r->p += 8) : (void)(r->failed = 1); break; /* double */
    case TC_BINARY: (void)tc_read_binary(r, &n); break;
    case TC_LIST:
    case 10: /* set */
        /* A list is a level of nesting like a struct: without the limit, a footer of nested
         * list headers (one byte each) would recurse until the stack overflowed. */
        tc_read_list(r, &t, &n);
        tc_enter_struct(r);
        for (size_t i = 0; i < n && !r->failed; i++) tc_skip(r, t == TC_BOOL_TRUE ? 3 : t);
        tc_leave_struct(r);
        break;
    case TC_STRUCT:
        tc_enter_struct(r);
        while (tc_read_field(r, &id, &t)) tc_skip(r, t);
        tc_leave_struct(r);
        break;
    default: r->failed = 1; /* maps and unknown types do not occur in Parquet's footer */
    }
}
