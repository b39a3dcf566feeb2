/* cmd_ingest.c - `btcstream ingest`: ticks from a source into stream files. */
#include <stdio.h>

#include "btcstream/bus.h"
#include "btcstream/timeutil.h"
#include "cli.h"
#include "ingest_args.h"
#include "ingest_feed.h"

static const char usage_text[] =
    "usage: btcstream ingest [--source coingecko|replay:FILE|sim] [--interval 30s]\n"
    "                        [--duration D] [--stream-root Data/stream | --stream-dir P]\n"
    "                        [--coin bitcoin] [--vs usd]\n"
    "       btcstream ingest --source binance:SYMBOL,coinbase:PRODUCT,kraken:PAIR [--grace 2s]\n"
    "                        [--stall 30s] [--raw DIR] [--duration D] [--stream-root Data/stream]\n\n"
    "Fetches a tick every interval and writes it as one stream file, atomically, into the\n"
    "source's market folder STREAM_ROOT/SOURCE/SYMBOL (docs/markets.md) for 'btcstream stream'\n"
    "to pick up; each line names its market (coingecko:bitcoin/usd, sim:BTC-USD,\n"
    "replay:FILENAME). CoinGecko ticks map current_price to Open and Close and the\n"
    "24-hour high and low to High and Low: snapshots, not true candles. COINGECKO_API_KEY (with\n"
    "COINGECKO_API_PLAN demo or pro) and COINGECKO_BASE_URL are read from the environment or "
    ".env.\n\n"
    "Options:\n" INGEST_USAGE
    "  --duration D   stop after D (default: until the source ends, SIGINT or SIGTERM)\n"
    "  --stream-root R\n"
    "                 the stream root (default " CLI_DEFAULT_STREAM_DIR ", where 'btcstream stream'\n"
    "                 looks): files go to the market's folder R/SOURCE/SYMBOL\n"
    "  --stream-dir P write into exactly P instead, lines without a market, as before markets\n"
    "                 (for 'btcstream stream --stream-dir P --history H')\n"
    "  --bus URLS     publish to NATS JetStream instead (nats://HOST:PORT[,HOST:PORT...]); every\n"
    "                 tick is sent again until the stream acknowledges it (docs/scale-out.md)\n"
    "  --bus-stream N JetStream stream (default BTCSTREAM); --subject-prefix P (default "
    "btcstream)\n\n" INGEST_FEED_USAGE;

typedef struct {
    const char *cmd;
    int simulated;
    bs_bus_publisher *bus; /* with --bus: for a word when acks stop coming */
    int64_t next_report_us;
    uint64_t acked_at_report;
} ingest_ctx;

#define BUS_REPORT_US (5 * BS_US_PER_SECOND)

/* With --bus, every few seconds in which ticks wait and no ack came, says so. */
static void report_bus(ingest_ctx *c) {
    int64_t now = bs_monotonic_us();
    if (!c->bus || now < c->next_report_us) return;
    bs_bus_publisher_stats s;
    bs_bus_publisher_stats_get(c->bus, &s);
    if (c->next_report_us && s.waiting > 0 && s.acked == c->acked_at_report)
        fprintf(stderr,
                "%s: %llu ticks not acknowledged yet (no quorum, or the servers are down); they "
                "are kept and sent again\n",
                c->cmd, (unsigned long long)s.waiting);
    c->next_report_us = now + BUS_REPORT_US;
    c->acked_at_report = s.acked;
}

static void print_tick(void *ctx, const bs_tick *t, const char *file) {
    ingest_ctx *c = ctx;
    report_bus(c);
    char when[BS_TIME_TEXT_SIZE];
    bs_time_format(t->ts_us, when);
    printf("%s close %.2f -> %s%s\n", when, t->close, file, c->simulated ? " (simulated)" : "");
    fflush(stdout);
}

/*
 * `ingest --bus`: the same loop, publishing to JetStream. At the end it waits until the stream
 * has acknowledged every tick (through leader changes and quorum losses, saying so every few
 * seconds), since a tick not acknowledged is a tick this process alone still holds. A second
 * SIGINT or SIGTERM gives up, with the number of ticks lost, and a non-zero exit.
 */
static int ingest_to_bus(const char *cmd, const ingest_args *a, bs_source *source,
                         const bs_bus_options *bus) {
    static atomic_int stop;
    bs_error err = {{0}};
    bs_bus_publisher *pub;
    if (bs_bus_publisher_open(bus, 0, &pub, &err) != BS_OK) {
        bs_source_free(source);
        return cli_fail(cmd, &err);
    }
    cli_stop_on_signals(&stop);
    char market[BS_MARKET_MAX];
    if (bs_source_market(a->source, &a->source_opts, market, &err) != BS_OK) {
        bs_source_free(source);
        bs_bus_publisher_close(pub);
        return cli_fail(cmd, &err);
    }
    ingest_ctx ctx = {cmd, source->simulated, pub, 0, 0};
    bs_ingest_options o = {source, NULL,       a->interval_us,      a->duration_us, 1,
                           &stop,  print_tick, ingest_print_notice, &ctx,           pub, market};
    bs_ingest_totals totals;
    bs_status st = bs_ingest_run(&o, &totals, &err);
    bs_source_free(source);
    stop = 0;
    while (st == BS_OK && bs_bus_publisher_flush(pub, 5 * BS_US_PER_SECOND, &err) != BS_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.msg);
        if (stop) {
            st = bs_fail(&err, BS_ERR_NET, "gave up: %s", err.msg);
            break;
        }
    }
    bs_bus_publisher_stats stats;
    bs_bus_publisher_stats_get(pub, &stats);
    bs_bus_publisher_close(pub);
    if (st == BS_ERR_NET && totals.ticks == 0) return ingest_fail_offline(cmd, &err);
    if (st != BS_OK) return cli_fail(cmd, &err);
    if (totals.ticks == 0 && totals.failures > 0) {
        cli_errorf(cmd, "every request failed; no tick was published");
        return CLI_FAIL;
    }
    fprintf(stderr,
            "btcstream ingest: %llu ticks published to %s (%llu acknowledged, %llu sent again), "
            "%llu failed requests\n",
            (unsigned long long)totals.ticks, bus->urls, (unsigned long long)stats.acked,
            (unsigned long long)stats.republished, (unsigned long long)totals.failures);
    return CLI_OK;
}

int cmd_ingest(int argc, char **argv) {
    static const struct option options[] = {INGEST_LONG_OPTIONS,
                                            {"stream-dir", required_argument, 0, 'd'},
                                            {"stream-root", required_argument, 0, 'r'},
                                            {"bus", required_argument, 0, 'b'},
                                            {"bus-stream", required_argument, 0, 'n'},
                                            {"subject-prefix", required_argument, 0, 'p'},
                                            INGEST_FEED_LONG_OPTIONS,
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    static atomic_int stop;
    ingest_args a;
    ingest_args_init(&a, 0);
    ingest_feed_args feed;
    ingest_feed_args_init(&feed);
    const char *dir = NULL, *root = CLI_DEFAULT_STREAM_DIR;
    bs_bus_options bus = bs_bus_defaults();
    int c, rc = CLI_OK;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'd') dir = optarg;
        else if (c == 'r') root = optarg;
        else if (c == 'b') bus.urls = optarg;
        else if (c == 'n') bus.stream = optarg;
        else if (c == 'p') bus.subject_prefix = optarg;
        else if (c == 'h')
            return fputs(usage_text, stdout), ingest_args_print_sources(stdout), CLI_OK;
        else if (c >= 1100) rc = ingest_feed_option(&feed, argv[0], c, optarg);
        else if (c >= 1000) rc = ingest_args_option(&a, argv[0], c, optarg);
        else return cli_option_error(argv[0], c, argv);
    }
    if (rc != CLI_OK) return rc;
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (bs_feed_is_exchange_spec(a.source) && !bus.urls) { /* exchange feeds: ingest_feed.c */
        feed.feed.stream_dir = dir; /* --stream-dir: exactly there (one market) */
        return ingest_feed_run(argv[0], &a, &feed, root);
    }
    if ((rc = ingest_args_source_defaults(&a, argv[0], 0)) != CLI_OK) return rc;
    /* Where `stream` looks by default, whatever the source: the two commands' defaults work
     * together. (`run` keeps its sim and replay demos apart in Data/sim and Data/replay.) */
    bs_error err = {{0}};
    char market[BS_MARKET_MAX];
    if (bs_source_market(a.source, &a.source_opts, market, &err) != BS_OK)
        return cli_usage_error(argv[0], err.msg);

    bs_source *source;
    if ((rc = ingest_args_open_source(&a, argv[0], &source)) != CLI_OK) return rc;
    if (bus.urls) return ingest_to_bus(argv[0], &a, source, &bus);
    bs_producer producer;
    bs_status opened = dir ? bs_producer_open(&producer, dir, &err)
                           : bs_producer_open_market(&producer, root, market, &err);
    if (opened == BS_OK) dir = producer.dir;
    if (opened != BS_OK) {
        bs_source_free(source);
        return cli_fail(argv[0], &err);
    }
    cli_stop_on_signals(&stop);
    ingest_ctx ctx = {argv[0], source->simulated, NULL, 0, 0};
    bs_ingest_options o = {source, &producer,  a.interval_us,       a.duration_us, 1,
                           &stop,  print_tick, ingest_print_notice, &ctx, NULL, NULL};
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
