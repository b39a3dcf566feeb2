/* producer.c - see producer.h. */
#include "btcstream/producer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "btcstream/timeutil.h"

bs_status bs_producer_open(bs_producer *p, const char *dir, bs_error *err) {
    memset(p, 0, sizeof *p);
    if (snprintf(p->dir, sizeof p->dir, "%s", dir) >= (int)sizeof p->dir)
        return bs_fail(err, BS_ERR_ARG, "stream directory path too long");
    p->sync = 1;
    return bs_mkdirs(dir, err);
}

bs_status bs_producer_open_market(bs_producer *p, const char *stream_root, const char *market,
                                  bs_error *err) {
    char dir[4096];
    memset(p, 0, sizeof *p);
    bs_status st = bs_market_stream_dir(stream_root, market, dir, sizeof dir, err);
    if (st == BS_OK) st = bs_producer_open(p, dir, err);
    if (st == BS_OK) snprintf(p->market, sizeof p->market, "%s", market);
    return st;
}

/* Writes len bytes of lines as a new stream file named for the time ts_us. */
static bs_status write_file(bs_producer *p, int64_t ts_us, const char *data, size_t len,
                            char *name, bs_error *err) {
    char iso[BS_TIME_ISO_SIZE], file[64];
    bs_time_format_iso(ts_us, iso); /* YYYY-MM-DDTHH:MM:SS... */
    for (int attempt = 0; attempt < 1000; attempt++) {
        snprintf(file, sizeof file, "ohlc_%.4s%.2s%.2s_%.2s%.2s%.2s_%llu.json", iso, iso + 5,
                 iso + 8, iso + 11, iso + 14, iso + 17, (unsigned long long)p->next_n++);
        bs_status st = bs_write_file_atomic(p->dir, file, data, len, p->sync, 1, err);
        if (st == BS_OK) {
            if (name) memcpy(name, file, strlen(file) + 1);
            return BS_OK;
        }
        if (errno != EEXIST) return st;
    }
    return bs_fail(err, BS_ERR_IO, "%s: no free stream file name", p->dir);
}

static size_t format_line(const bs_producer *p, const bs_tick *tick, char *line) {
    return bs_tick_format_json_market(tick, p->market[0] ? p->market : NULL, line);
}

bs_status bs_producer_write(bs_producer *p, const bs_tick *tick, char *name, bs_error *err) {
    char line[BS_TICK_JSON_MAX];
    size_t len = format_line(p, tick, line);
    if (len == 0) return bs_fail(err, BS_ERR_ARG, "%s: a tick line too long", p->dir);
    return write_file(p, tick->ts_us, line, len, name, err);
}

bs_status bs_producer_write_many(bs_producer *p, const bs_tick *ticks, size_t n, char *name,
                                 bs_error *err) {
    if (n == 0) return bs_fail(err, BS_ERR_ARG, "%s: no tick to write", p->dir);
    if (n > SIZE_MAX / BS_TICK_JSON_MAX) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    char *data = malloc(n * BS_TICK_JSON_MAX);
    if (!data) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    size_t len = 0;
    bs_status st = BS_OK;
    for (size_t i = 0; i < n && st == BS_OK; i++) {
        size_t k = format_line(p, &ticks[i], data + len);
        if (k == 0) st = bs_fail(err, BS_ERR_ARG, "%s: a tick line too long", p->dir);
        len += k;
    }
    if (st == BS_OK) st = write_file(p, ticks[0].ts_us, data, len, name, err);
    free(data);
    return st;
}
