/* cmd_import.c - `btcstream import FILE`: append a price file to the history, once. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/import.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream import FILE [--market M] [--data-dir Data] [--history H] [--strict]\n\n"
    "Appends the ticks of FILE to the history in the tick JSON-lines format. The format of FILE\n"
    "is detected from its first line:\n"
    "  tick JSON lines      {\"Datetime\": ..., \"Open\": ..., \"Close\": ..., ...}\n"
    "  Binance klines CSV   header open_time,open,high,low,close,volume\n"
    "  Binance kline dumps  no header, the time in epoch seconds, milliseconds, microseconds\n"
    "                       or nanoseconds\n"
    "  Kraken CSV           no header: unix_seconds,open,high,low,close,volume,count\n"
    "  daily candles CSV    header timestamp,open,close,volume,unix_timestamp,high,low\n"
    "  any other CSV        whose header names a time and a close (or price) column, in any\n"
    "                       order: Yahoo Finance, CryptoDataDownload (its URL line first,\n"
    "                       newest row first), CoinGecko's export, ... (a date alone means\n"
    "                       midnight UTC)\n"
    "  CoinGecko market_chart JSON  {\"prices\": [[ms, price], ...], ...}, as its API answers\n"
    "  - (or /dev/stdin)    any of these from a pipe\n\n"
    "Ticks are appended in time order; a tick whose timestamp the history already holds is\n"
    "skipped, so importing a file twice changes nothing. FILE itself is never written.\n\n"
    "Markets (docs/markets.md): a line whose \"Market\" names a market goes to that market's\n"
    "history DATA/markets/SOURCE/SYMBOL/history.json; the others go to --market's, or to the\n"
    "only market of the data folder (an error names them when there are several). The same\n"
    "instant in two markets is two ticks, not a duplicate.\n\n"
    "Options:\n"
    "  --market M    SOURCE:SYMBOL for the rows that name no market (binance:BTCUSDT)\n"
    "  --data-dir D  the data folder whose markets are meant (default Data)\n"
    "  --history H   append everything to the history file H instead, as before markets\n"
    "  --strict      stop at the first bad line instead of skipping it\n";

static void print_market(void *ctx, const char *market, const char *history,
                         const bs_import_result *r) {
    (void)ctx;
    printf("  %s (%s): appended %llu, skipped %llu duplicates\n", market[0] ? market : "legacy",
           history, (unsigned long long)r->appended, (unsigned long long)r->duplicates);
}

/* The closing line of an import into `into` (a data folder's markets, or one history). */
static int print_summary(const char *source, const bs_scan_stats *stats, const char *into,
                         const bs_import_result *r) {
    printf("imported %s (%s) into %s: read %llu, appended %llu, skipped %llu duplicates, "
           "rejected %llu\n",
           source, bs_format_name(stats->format), into, (unsigned long long)r->read,
           (unsigned long long)r->appended, (unsigned long long)r->duplicates,
           (unsigned long long)r->rejected);
    return CLI_OK;
}

static int import_markets(const char *cmd, const char *source, const char *data_dir,
                          const char *market, const bs_scan_options *scan) {
    bs_import_result total;
    bs_scan_stats stats = {0};
    bs_error err = {{0}};
    bs_status st =
        bs_import_markets(source, data_dir, market, scan, print_market, NULL, &total, &stats, &err);
    if (st != BS_OK) return cli_fail(cmd, &err);
    cli_report_bad_lines(cmd, source, &stats);
    return print_summary(source, &stats, data_dir, &total);
}

int cmd_import(int argc, char **argv) {
    static const struct option options[] = {
        {"history", required_argument, 0, 'H'},  {"market", required_argument, 0, 'M'},
        {"data-dir", required_argument, 0, 'D'}, {"strict", no_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *history = NULL, *market = NULL, *data_dir = "Data";
    bs_scan_options scan = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'H': history = optarg; break;
        case 'M': market = optarg; break;
        case 'D': data_dir = optarg; break;
        case 'S': scan.strict = 1; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(argv[0], optind >= argc ? "missing FILE" : "expected one FILE");
    const char *source = strcmp(argv[optind], "-") == 0 ? "/dev/stdin" : argv[optind];

    if (history && market)
        return cli_usage_error(argv[0], "--history and --market exclude each other");
    bs_import_result result;
    bs_scan_stats stats = {0};
    bs_error err = {{0}};
    if (!history) return import_markets(argv[0], source, data_dir, market, &scan);
    bs_status st = bs_import_file(source, history, &scan, &result, &stats, &err);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], source, &stats);
    return print_summary(source, &stats, history, &result);
}
