/* cmd_import.c - `btcstream import FILE`: append a price file to the history, once. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/import.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream import FILE [--history H] [--strict]\n\n"
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
    "Options:\n"
    "  --history H   history file (default " CLI_DEFAULT_HISTORY ")\n"
    "  --strict      stop at the first bad line instead of skipping it\n";

int cmd_import(int argc, char **argv) {
    static const struct option options[] = {{"history", required_argument, 0, 'H'},
                                            {"strict", no_argument, 0, 'S'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *history = CLI_DEFAULT_HISTORY;
    bs_scan_options scan = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'H': history = optarg; break;
        case 'S': scan.strict = 1; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(argv[0], optind >= argc ? "missing FILE" : "expected one FILE");
    const char *source = strcmp(argv[optind], "-") == 0 ? "/dev/stdin" : argv[optind];

    bs_import_result result;
    bs_scan_stats stats = {0};
    bs_error err = {{0}};
    bs_status st = bs_import_file(source, history, &scan, &result, &stats, &err);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], source, &stats);
    printf("imported %s (%s) into %s: read %llu, appended %llu, skipped %llu duplicates, "
           "rejected %llu\n",
           source, bs_format_name(stats.format), history, (unsigned long long)result.read,
           (unsigned long long)result.appended, (unsigned long long)result.duplicates,
           (unsigned long long)result.rejected);
    return CLI_OK;
}
