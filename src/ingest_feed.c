/* ingest_feed.c - see ingest_feed.h. Parses the market list and renders what the feeds report. */
#include "ingest_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/timeutil.h"
#include "cli.h"

void ingest_feed_args_init(ingest_feed_args *f) {
    f->feed = bs_feed_defaults();
    f->feed.data_dir = "Data";
}

int ingest_feed_option(ingest_feed_args *f, const char *cmd, int c, const char *arg) {
    switch (c) {
    case 1100: return cli_parse_duration(cmd, "--grace", arg, 1, &f->feed.grace_us);
    case 1101: return cli_parse_duration(cmd, "--stall", arg, 0, &f->feed.stall_us);
    case 1102: f->feed.raw_dir = arg; return CLI_OK;
    case 1103:
        return cli_parse_duration(cmd, "--max-connection", arg, 0, &f->feed.max_connection_us);
    case 1104: f->feed.data_dir = arg; return CLI_OK;
    default: return CLI_USAGE;
    }
}

/* One line per candle written: the candle, its file, and the market's counts so far. */
static void print_candle(void *ctx, const char *market, const bs_tick *t, const char *file,
                         const bs_feed_stats *s) {
    (void)ctx;
    char when[BS_TIME_TEXT_SIZE];
    bs_time_format(t->ts_us, when);
    printf("%s %s O %.10g H %.10g L %.10g C %.10g V %.10g trades %lld -> %s | gaps found %llu "
           "filled %llu open %llu, late %llu, stalls %llu, reconnects %llu\n",
           market, when, t->open, t->high, t->low, t->close, t->volume, (long long)t->trades, file,
           (unsigned long long)s->gaps_found, (unsigned long long)s->gaps_filled,
           (unsigned long long)s->gaps_open, (unsigned long long)s->late,
           (unsigned long long)s->stalls, (unsigned long long)s->reconnects);
    fflush(stdout);
}

static void print_notice(void *ctx, const char *market, const char *message) {
    fprintf(stderr, "%s: %s: %s\n", (const char *)ctx, market, message);
}

int ingest_feed_run(const char *cmd, const ingest_args *a, ingest_feed_args *f,
                    const char *stream_root) {
    static atomic_int stop;
    char *list = strdup(a->source);
    const char **markets = calloc(strlen(a->source) / 2 + 2, sizeof *markets);
    if (!list || !markets) {
        free(list);
        free(markets);
        cli_errorf(cmd, "out of memory");
        return CLI_FAIL;
    }
    size_t n = 0;
    for (char *save = NULL, *m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save))
        markets[n++] = m;
    cli_stop_on_signals(&stop);
    bs_feed_options *o = &f->feed;
    o->markets = markets;
    o->n_markets = n;
    o->stream_root = stream_root;
    o->duration_us = a->duration_us;
    o->stop = &stop;
    o->on_candle = print_candle;
    o->on_notice = print_notice;
    o->ctx = "btcstream ingest";
    bs_feed_stats *stats = calloc(n ? n : 1, sizeof *stats);
    bs_error err = {{0}};
    bs_status st =
        stats ? bs_feed_run(o, stats, &err) : bs_fail(&err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        const bs_feed_stats *s = &stats[i];
        fprintf(stderr,
                "btcstream ingest: %s: %llu candles, %llu trades, %llu messages (%llu bad), gaps "
                "found %llu filled %llu open %llu, late %llu, stalls %llu, reconnects %llu\n",
                markets[i], (unsigned long long)s->candles, (unsigned long long)s->trades,
                (unsigned long long)s->messages, (unsigned long long)s->bad_messages,
                (unsigned long long)s->gaps_found, (unsigned long long)s->gaps_filled,
                (unsigned long long)s->gaps_open, (unsigned long long)s->late,
                (unsigned long long)s->stalls, (unsigned long long)s->reconnects);
    }
    free(stats);
    free(markets);
    free(list);
    if (st == BS_ERR_ARG) return cli_usage_error(cmd, err.msg);
    if (st != BS_OK) return cli_fail(cmd, &err);
    return CLI_OK;
}
