/*
 * cmd_markets.c - `btcstream markets`: the markets of a data folder, one row each, with their
 * span, row count and the gaps of their 1-minute candles (export_data.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/export_data.h"
#include "btcstream/market.h"
#include "btcstream/timeutil.h"
#include "cli.h"
#include "market_args.h"

static const char usage_text[] =
    "usage: btcstream markets [--data-dir Data] [--format table|csv|json]\n"
    "       btcstream markets migrate --market M [--data-dir Data]\n\n"
    "Lists the markets of a data folder (DATA_DIR/markets/SOURCE/SYMBOL/history.json), one row\n"
    "each: market, first and last time (UTC), rows, whether they are candles or ticks, and for\n"
    "1-minute candles the missing minutes between the first and the last and the holes they\n"
    "make (what is still open), and the gaps an exchange feed found and of those filled\n"
    "(its journal, gaps.jsonl beside the history); then the totals. A history from before markets "
    "(DATA_DIR/bitcoin_combined.json)\n"
    "shows as \"(no market)\": 'btcstream markets migrate --market M' moves it to market M.\n\n"
    "Options:\n"
    "  --data-dir D  the data folder (default " CLI_DEFAULT_DATA_DIR ")\n"
    "  --format F    table (default), csv (header row) or json (JSON lines)\n";

typedef struct {
    const char *name;
    bs_market_stats s;
    int is_total;
} market_row;

static void print_row(const char *format, const market_row *r) {
    char first[BS_TIME_TEXT_SIZE] = "", last[BS_TIME_TEXT_SIZE] = "";
    if (r->s.rows) bs_time_format(r->s.first_us, first), bs_time_format(r->s.last_us, last);
    const char *kind = r->is_total ? "-" : r->s.candles ? "candles" : "ticks";
    unsigned long long rows = r->s.rows, missing = r->s.missing_minutes, holes = r->s.holes,
                       found = r->s.gaps_found, filled = r->s.gaps_filled;
    if (strcmp(format, "csv") == 0) /* a name never holds '"' (market.h): quoting is safe */
        printf(strchr(r->name, ',') ? "\"%s\",%s,%s,%llu,%s,%llu,%llu,%llu,%llu\n"
                                    : "%s,%s,%s,%llu,%s,%llu,%llu,%llu,%llu\n",
               r->name, first, last, rows, kind, missing, holes, found, filled);
    else if (strcmp(format, "json") == 0)
        printf(
            "{\"market\":\"%s\",\"first\":\"%s\",\"last\":\"%s\",\"rows\":%llu,\"kind\":\"%s\","
            "\"missing_minutes\":%llu,\"holes\":%llu,\"gaps_found\":%llu,\"gaps_filled\":%llu}\n",
            r->name, first, last, rows, kind, missing, holes, found, filled);
    else
        printf("%-24s %-19s %-19s %10llu %-7s %10llu %6llu %6llu %6llu\n", r->name, first, last,
               rows, kind, missing, holes, found, filled);
}

static int list_markets(const char *cmd, const char *data_dir, const char *format) {
    bs_market_entry *list;
    size_t n;
    bs_error err = {{0}};
    if (bs_market_list(data_dir, &list, &n, &err) != BS_OK) return cli_fail(cmd, &err);
    int legacy = 0;
    market_row total = {"total", {0}, 1};
    if (strcmp(format, "csv") == 0)
        printf("market,first,last,rows,kind,missing_minutes,holes,gaps_found,gaps_filled\n");
    else if (strcmp(format, "table") == 0)
        printf("%-24s %-19s %-19s %10s %-7s %10s %6s %6s %6s\n", "market", "first", "last", "rows",
               "kind", "missing", "holes", "gaps", "filled");
    for (size_t i = 0; i < n; i++) {
        market_row r = {list[i].name[0] ? list[i].name : "(no market)", {0}, 0};
        if (bs_market_stats_scan(list[i].history, &r.s, &err) != BS_OK) {
            bs_market_list_free(list);
            return cli_fail(cmd, &err);
        }
        if (r.s.bad)
            cli_errorf(cmd, "%s: %llu bad lines skipped", list[i].history,
                       (unsigned long long)r.s.bad);
        legacy |= !list[i].name[0];
        print_row(format, &r);
        if (r.s.rows && (!total.s.rows || r.s.first_us < total.s.first_us))
            total.s.first_us = r.s.first_us;
        if (r.s.rows && (!total.s.rows || r.s.last_us > total.s.last_us))
            total.s.last_us = r.s.last_us;
        total.s.rows += r.s.rows;
        total.s.candles += r.s.candles;
        total.s.missing_minutes += r.s.missing_minutes;
        total.s.holes += r.s.holes;
        total.s.gaps_found += r.s.gaps_found;
        total.s.gaps_filled += r.s.gaps_filled;
    }
    bs_market_list_free(list);
    if (n > 1 || strcmp(format, "table") == 0) print_row(format, &total);
    if (n == 0) fprintf(stderr, "btcstream %s: %s holds no market yet\n", cmd, data_dir);
    if (legacy)
        fprintf(stderr,
                "btcstream %s: %s/bitcoin_combined.json is a history from before markets: "
                "'btcstream markets migrate --market M' makes it market M's\n",
                cmd, data_dir);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_markets(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "migrate") == 0) {
        static char name[] = "markets migrate"; /* what its messages are prefixed with */
        argv[1] = name;
        return cmd_markets_migrate(argc - 1, argv + 1);
    }
    static const struct option options[] = {{"data-dir", required_argument, 0, 'd'},
                                            {"format", required_argument, 0, 'f'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *data_dir = CLI_DEFAULT_DATA_DIR, *format = "table";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'd') data_dir = optarg;
        else if (c == 'f') format = optarg;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(argv[0], c, argv);
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage_error(argv[0], "--format must be table, csv or json");
    return list_markets(argv[0], data_dir, format);
}
