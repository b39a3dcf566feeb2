/* stream_bus.c - bus messages into a stream batch (stream_batch.h). */
#include <stdio.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "stream_batch.h"

/* Parses the message's lines; on a bad one, the reason into why (as file:line: reason). */
static bs_status parse_message(const bs_bus_message *m, bs_tick_vec *ticks, char *why,
                               size_t size) {
    size_t before = ticks->len, line_no = 0;
    const char *p = m->data, *end = m->data + m->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        line_no++;
        bs_tick t;
        bs_error e = {{0}};
        if (len > 0 && bs_tick_parse(BS_FORMAT_JSONL, p, len, &t, &e) != BS_OK) {
            snprintf(why, size, "bus message %llu:%zu: %s\n", (unsigned long long)m->stream_seq,
                     line_no, e.msg);
            ticks->len = before;
            return BS_ERR_PARSE;
        }
        if (len > 0 && bs_tick_vec_push(ticks, &t) != BS_OK) return BS_ERR_NOMEM;
        p = nl ? nl + 1 : end;
    }
    if (ticks->len == before) {
        snprintf(why, size, "bus message %llu: holds no tick\n", (unsigned long long)m->stream_seq);
        return BS_ERR_PARSE;
    }
    return BS_OK;
}

static bs_status dead_letter(const char *stream_dir, const bs_bus_message *m, const char *why,
                             bs_error *err) {
    char dir[8192], name[64], reason[80];
    snprintf(dir, sizeof dir, "%s/_quarantine", stream_dir);
    snprintf(name, sizeof name, "bus_%llu.json", (unsigned long long)m->stream_seq);
    snprintf(reason, sizeof reason, "%s.reason", name);
    bs_status st = bs_write_file_atomic(dir, name, m->data, m->len, 1, 0, err);
    if (st == BS_OK) st = bs_write_file_atomic(dir, reason, why, strlen(why), 1, 0, err);
    return st;
}

bs_status stream_bus_read(const char *stream_dir, const bs_bus_message *msgs, size_t n,
                          uint64_t committed_seq, batch *b, unsigned char *reject, bs_error *err) {
    for (size_t i = 0; i < n; i++) {
        char why[1024];
        if (msgs[i].stream_seq <= committed_seq) b->redelivered++;
        bs_status st = parse_message(&msgs[i], &b->ticks, why, sizeof why);
        if (st == BS_ERR_NOMEM) return bs_fail(err, st, "out of memory reading the bus");
        if (st == BS_OK) continue;
        reject[i] = 1;
        b->quarantined++;
        b->bad_lines++;
        st = dead_letter(stream_dir, &msgs[i], why, err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}
