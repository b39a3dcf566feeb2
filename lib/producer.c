/* producer.c - see producer.h. */
#include "btcstream/producer.h"

#include <errno.h>
#include <stdio.h>
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

bs_status bs_producer_write(bs_producer *p, const bs_tick *tick, char *name, bs_error *err) {
    return bs_producer_write_market(p, tick, NULL, name, err);
}

bs_status bs_producer_write_market(bs_producer *p, const bs_tick *tick, const char *market,
                                   char *name, bs_error *err) {
    char line[BS_TICK_JSON_MAX], iso[BS_TIME_ISO_SIZE], file[64];
    size_t len = bs_tick_format_json_market(tick, market, line);
    bs_time_format_iso(tick->ts_us, iso); /* YYYY-MM-DDTHH:MM:SS... */
    for (int attempt = 0; attempt < 1000; attempt++) {
        snprintf(file, sizeof file, "ohlc_%.4s%.2s%.2s_%.2s%.2s%.2s_%llu.json", iso, iso + 5,
                 iso + 8, iso + 11, iso + 14, iso + 17, (unsigned long long)p->next_n++);
        bs_status st = bs_write_file_atomic(p->dir, file, line, len, p->sync, 1, err);
        if (st == BS_OK) {
            if (name) memcpy(name, file, strlen(file) + 1);
            return BS_OK;
        }
        if (errno != EEXIST) return st;
    }
    return bs_fail(err, BS_ERR_IO, "%s: no free stream file name", p->dir);
}
