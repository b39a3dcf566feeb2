/* cmd_backfill.c - `btcstream backfill`: an exchange's 1-minute candles into the stream folder. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/backfill.h"
#include "btcstream/timeutil.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream backfill --market M --from T [--to T] [--stream-root R] [OPTIONS]\n\n"
    "Fetches the exchange's own 1-minute candles of market M (binance:SYMBOL, coinbase:PRODUCT,\n"
    "kraken:PAIR) for the minutes from T up to (not including) --to over its REST API, and\n"
    "writes them as stream files into the market's stream folder R/SOURCE/SYMBOL, one file a\n"
    "page, each atomically; `btcstream stream` then merges them into the market's history. The\n"
    "history keeps the first candle stored for a minute: a minute the live feed already stored\n"
    "keeps the live candle. The current, unfinished minute is never fetched.\n"
    "Times are ISO 8601 (2025-01-31T12:00:00Z, 2025-01-31 12:00) or now-DURATION (now-7d).\n\n"
    "Options:\n"
    "  --market M        the market (required)\n"
    "  --from T          the first minute (required)\n"
    "  --to T            the end of the range, exclusive (default: now)\n"
    "  --stream-root R   the stream root (default " CLI_DEFAULT_STREAM_DIR ", where 'btcstream\n"
    "                    stream' looks; --stream-dir is the same)\n"
    "  --no-fill         leave minutes the exchange has no candle for out; by default a minute\n"
    "                    missing between two candles is written as an empty one (trades 0,\n"
    "                    volume 0, the previous close)\n"
    "  --page-minutes N  minutes a request asks for (default: the exchange's maximum: Binance\n"
    "                    1000, Coinbase 299, Kraken 720)\n"
    "  --retries N       retries of one page (429/418 with Retry-After, 5xx, network; default 8)\n"
    "  --timeout DUR     per request (default 30s)\n"
    "  --progress N      a progress line on stderr every N pages (default 50; 0: none)\n"
    "  --quiet           no summary line\n"
    "Base URLs: BINANCE_API_URL, COINBASE_API_URL, KRAKEN_API_URL; TLS is always verified\n"
    "(BTCSTREAM_CA_FILE or SSL_CERT_FILE names another CA bundle). Kraken keeps only its last\n"
    "720 minutes. See docs/backfill.md.\n";

typedef struct {
    long long every; /* pages between progress lines */
    uint64_t next;
} progress;

static void show_progress(void *ctx, const bs_backfill_stats *s) {
    progress *p = ctx;
    if (p->every <= 0 || s->pages < p->next) return;
    p->next = s->pages + (uint64_t)p->every;
    char done[BS_TIME_TEXT_SIZE];
    bs_time_format(s->done_us, done);
    fprintf(stderr,
            "backfill: %llu/%llu pages, %llu candles, up to %s, %llu requests (%llu rate "
            "limited)\n",
            (unsigned long long)s->pages, (unsigned long long)s->pages_planned,
            (unsigned long long)s->candles, done, (unsigned long long)s->requests,
            (unsigned long long)s->rate_limited);
}

/* ISO 8601, or now-DURATION. */
static int parse_time(const char *cmd, const char *flag, const char *text, int64_t *us) {
    bs_error err = {{0}};
    if (strncmp(text, "now", 3) == 0) {
        int64_t ago_ms = 0;
        if (text[3] == '-' && bs_duration_parse(text + 4, &ago_ms, &err) != BS_OK) {
            cli_errorf(cmd, "%s: %s", flag, err.msg);
            return CLI_USAGE;
        }
        if (text[3] != '\0' && text[3] != '-') {
            cli_errorf(cmd, "%s: \"%s\" is not now or now-DURATION", flag, text);
            return CLI_USAGE;
        }
        *us = bs_now_us() - ago_ms * 1000;
        return CLI_OK;
    }
    if (bs_time_parse(text, strlen(text), us, &err) != BS_OK) {
        cli_errorf(cmd, "%s: %s", flag, err.msg);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static void print_summary(const char *market, const bs_backfill_stats *s, uint64_t files) {
    char from[BS_TIME_TEXT_SIZE], to[BS_TIME_TEXT_SIZE];
    bs_time_format(s->from_us, from);
    bs_time_format(s->to_us, to);
    printf("backfill %s %s to %s: %llu candles, %llu empty minutes filled, %llu absent", market,
           from, to, (unsigned long long)s->candles, (unsigned long long)s->filled,
           (unsigned long long)s->absent);
    if (s->unavailable)
        printf(" (%llu older than the exchange keeps)", (unsigned long long)s->unavailable);
    printf("; %llu stream files; %llu requests, %llu rate limited, %llu retries, waited %.1f s\n",
           (unsigned long long)files, (unsigned long long)s->requests,
           (unsigned long long)s->rate_limited, (unsigned long long)s->retries,
           (double)s->waited_ms / 1000.0);
}

int cmd_backfill(int argc, char **argv) {
    static const struct option options[] = {{"market", required_argument, 0, 'm'},
                                            {"from", required_argument, 0, 'f'},
                                            {"to", required_argument, 0, 't'},
                                            {"stream-root", required_argument, 0, 'd'},
                                            {"stream-dir", required_argument, 0, 'd'},
                                            {"no-fill", no_argument, 0, 'n'},
                                            {"page-minutes", required_argument, 0, 'p'},
                                            {"retries", required_argument, 0, 'r'},
                                            {"timeout", required_argument, 0, 'T'},
                                            {"progress", required_argument, 0, 'P'},
                                            {"quiet", no_argument, 0, 'q'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *market = NULL, *stream_dir = CLI_DEFAULT_STREAM_DIR;
    const char *cmd = argv[0];
    int64_t from = 0, to = 0, timeout_us = 0;
    int have_from = 0, have_to = 0, quiet = 0, rc;
    long long page = 0, retries = 8;
    progress prog = {50, 0};
    bs_backfill_options o = bs_backfill_defaults();
    o.fill_empty = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        rc = CLI_OK;
        if (c == 'm') market = optarg;
        else if (c == 'f') rc = parse_time(cmd, "--from", optarg, &from), have_from = 1;
        else if (c == 't') rc = parse_time(cmd, "--to", optarg, &to), have_to = 1;
        else if (c == 'd') stream_dir = optarg;
        else if (c == 'n') o.fill_empty = 0;
        else if (c == 'p') rc = cli_parse_integer(cmd, "--page-minutes", optarg, 1, 1000, &page);
        else if (c == 'r') rc = cli_parse_integer(cmd, "--retries", optarg, 0, 1000, &retries);
        else if (c == 'T') rc = cli_parse_duration(cmd, "--timeout", optarg, 0, &timeout_us);
        else if (c == 'P')
            rc = cli_parse_integer(cmd, "--progress", optarg, 0, 1000000000, &prog.every);
        else if (c == 'q') quiet = 1;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(cmd, c, argv);
        if (rc != CLI_OK) return rc;
    }
    if (optind != argc) return cli_usage_error(cmd, "unexpected argument");
    if (!market) return cli_usage_error(cmd, "missing --market");
    if (!have_from) return cli_usage_error(cmd, "missing --from");
    if (!have_to) to = bs_now_us();
    if (from >= to) return cli_usage_error(cmd, "--from must be before --to");
    o.page_minutes = (int)page;
    o.max_retries = retries == 0 ? -1 : (int)retries;
    o.timeout_ms = (long)(timeout_us / 1000);
    o.on_progress = show_progress;
    o.progress_ctx = &prog;
    prog.next = (uint64_t)prog.every;
    atomic_int stop = 0;
    o.stop = &stop;
    cli_stop_on_signals(&stop);
    bs_backfill_stats stats;
    uint64_t files = 0;
    bs_error err = {{0}};
    bs_status st = bs_backfill_to_stream(market, from, to, stream_dir, &o, &stats, &files, &err);
    if (st != BS_OK) {
        cli_fail(cmd, &err);
        if (files > 0) { /* what was written stays: the stream merges it, a rerun adds the rest */
            char done[BS_TIME_TEXT_SIZE];
            bs_time_format(stats.done_us, done);
            cli_errorf(cmd, "%llu stream files with the minutes before %s were written and stay",
                       (unsigned long long)files, done);
        }
        return st == BS_ERR_ARG || st == BS_ERR_UNSUPPORTED ? CLI_USAGE : CLI_FAIL;
    }
    if (stats.unavailable)
        cli_errorf(cmd, "%llu minutes are older than %s keeps and were not fetched",
                   (unsigned long long)stats.unavailable, market);
    if (!quiet) print_summary(market, &stats, files);
    return CLI_OK;
}
