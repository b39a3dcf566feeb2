/* cmd_ingest.c - `btcstream ingest`: ticks from a source into stream files. */
#include <stdio.h>

#include "btcstream/outputs.h"
#include "btcstream/timeutil.h"
#include "cli.h"
#include "ingest_args.h"

static const char usage_text[] =
    "usage: btcstream ingest [--source coingecko|replay:FILE|sim] [--interval 30s]\n"
    "                        [--duration D] [--stream-dir Data/stream] [--coin bitcoin] [--vs "
    "usd]\n\n"
    "Fetches a tick every interval and writes it as one stream file, atomically, for\n"
    "'btcstream stream' to pick up. CoinGecko ticks map current_price to Open and Close and the\n"
    "24-hour high and low to High and Low: snapshots, not true candles. COINGECKO_API_KEY (with\n"
    "COINGECKO_API_PLAN demo or pro) and COINGECKO_BASE_URL are read from the environment or "
    ".env.\n\n"
    "Options:\n" INGEST_USAGE
    "  --duration D   stop after D (default: until the source ends, SIGINT or SIGTERM)\n"
    "  --stream-dir P where stream files go (default " CLI_DEFAULT_STREAM_DIR ", sim\n"
    "                 Data/sim/stream, replay Data/replay/stream: simulated or replayed ticks\n"
    "                 are kept apart from a real history; stream them with 'btcstream stream\n"
    "                 --stream-dir Data/sim/stream --history Data/sim/bitcoin_combined.json')\n";

typedef struct {
    const char *cmd;
    int simulated;
} ingest_ctx;

static void print_tick(void *ctx, const bs_tick *t, const char *file) {
    const ingest_ctx *c = ctx;
    char when[BS_TIME_TEXT_SIZE];
    bs_time_format(t->ts_us, when);
    printf("%s close %.2f -> %s%s\n", when, t->close, file, c->simulated ? " (simulated)" : "");
    fflush(stdout);
}

int cmd_ingest(int argc, char **argv) {
    static const struct option options[] = {INGEST_LONG_OPTIONS,
                                            {"stream-dir", required_argument, 0, 'd'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    static volatile sig_atomic_t stop;
    ingest_args a;
    ingest_args_init(&a, 0);
    const char *dir = NULL;
    int c, rc = CLI_OK;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'd') dir = optarg;
        else if (c == 'h')
            return fputs(usage_text, stdout), ingest_args_print_sources(stdout), CLI_OK;
        else if (c >= 1000) rc = ingest_args_option(&a, argv[0], c, optarg);
        else return cli_option_error(argv[0], c, argv);
    }
    if (rc != CLI_OK) return rc;
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if ((rc = ingest_args_source_defaults(&a, argv[0], 0)) != CLI_OK) return rc;
    bs_data_paths paths; /* sim and replay ticks go to a stream of their own (source.h) */
    bs_error err = {{0}};
    if (!dir && bs_data_paths_make(bs_source_type_find(a.source)->data_dir, &paths, &err) != BS_OK)
        return cli_fail(argv[0], &err);
    if (!dir) dir = paths.stream_dir;

    bs_source *source;
    if ((rc = ingest_args_open_source(&a, argv[0], &source)) != CLI_OK) return rc;
    bs_producer producer;
    if (bs_producer_open(&producer, dir, &err) != BS_OK) {
        bs_source_free(source);
        return cli_fail(argv[0], &err);
    }
    cli_stop_on_signals(&stop);
    ingest_ctx ctx = {argv[0], source->simulated};
    bs_ingest_options o = {source, &producer,  a.interval_us,       a.duration_us, 1,
                           &stop,  print_tick, ingest_print_notice, &ctx};
    bs_ingest_totals totals;
    bs_status st = bs_ingest_run(&o, &totals, &err);
    bs_source_free(source);
    if (st == BS_ERR_NET) return ingest_fail_offline(argv[0], &err);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    fprintf(stderr, "btcstream ingest: %llu tick%s written to %s, %llu failed request%s\n",
            (unsigned long long)totals.ticks, totals.ticks == 1 ? "" : "s", dir,
            (unsigned long long)totals.failures, totals.failures == 1 ? "" : "s");
    if (totals.ticks == 0 && totals.failures > 0) {
        /* nothing was ingested: that is a failure, not a quiet success */
        cli_errorf(argv[0], "every request failed; no tick was written");
        return CLI_FAIL;
    }
    return CLI_OK;
}
