/* cmd_aggregate.c - `btcstream aggregate`: the four tables of DESIGN.md over a history file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/aggregate.h"
#include "btcstream/sink.h"
#include "btcstream/timeutil.h"
#include "cli.h"
#include "market_args.h"

static const char usage_text[] =
    "usage: btcstream aggregate [--market M] [--data-dir Data] [--input H] [--table NAME]\n"
    "                           [--window 1h] [--slide 30m]\n"
    "                           [--format table|csv|json|parquet] [--out DIR] [--strict]\n"
    "                           [--threads N]\n\n"
    "Prints the course project's tables over a price history (tick JSON lines, or any CSV\n"
    "that 'btcstream import' reads):\n"
    "  hour_of_day  Hour, Hourly_Avg_Close, Hourly_Min_Close, Hourly_Max_Close (UTC, all days)\n"
    "  hourly       Hour_Start, Open, High, Low, Close, Avg_Close, Count (calendar hours)\n"
    "  daily        Day, Daily_Avg_Close, Daily_Min_Close, Daily_Max_Close\n"
    "  moving_avg   Start, End, Moving_Avg_Close (Spark window(ts, WINDOW, SLIDE))\n\n"
    "Options:\n"
    "  --market M     the market's history (default: the data folder's only one)\n"
    "  --data-dir D   the data folder holding the markets (default " CLI_DEFAULT_DATA_DIR ")\n"
    "  --input H      a history file, instead of a market's\n"
    "  --table NAME   print only this table (default: all four)\n"
    "  --window D     moving-average window (default 1h)\n"
    "  --slide D      moving-average slide (default 30m)\n"
    "  --format F     table (bordered grid, every row), csv (header row), json (JSON lines),\n"
    "                 or parquet: one file a table, DIR/NAME.parquet (snappy)\n"
    "  --out DIR      write one file a table, DIR/NAME.txt|csv|json|parquet, instead of\n"
    "                 printing (parquet: default .)\n"
    "  --strict       stop at the first bad line instead of skipping it\n"
    "  --threads N    scan with N threads (default: one per core)\n\n"
    "Without --table, csv and json say which table each row is in: csv puts a '# table NAME'\n"
    "line above each table's header and a blank line between tables; json rows start with\n"
    "\"table\":\"NAME\". With --table (or --out) the output is the plain table.\n"
    "Bad lines are skipped and counted on stderr with their file:line and reason.\n";

typedef struct {
    const char *input; /* --input; NULL: the market's history */
    const char *market, *data_dir;
    const char *market_name; /* the market resolved (--input: --market's, if given) */
    int table; /* -1: all */
    bs_aggregate_options windows;
    const char *format; /* a sink's name (sink.h) */
    int strict, threads;
    const char *out_dir; /* NULL: print */
} aggregate_args;

static int known_format(const char *name) {
    for (const bs_sink_type *t = bs_sink_types; t->name; t++)
        if (strcmp(t->name, name) == 0) return 1;
    return 0;
}

static int parse_args(int argc, char **argv, aggregate_args *a) {
    static const struct option options[] = {
        {"input", required_argument, 0, 'i'},   {"table", required_argument, 0, 't'},
        {"window", required_argument, 0, 'w'},  {"slide", required_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},  {"strict", no_argument, 0, 'S'},
        {"threads", required_argument, 0, 'j'}, {"out", required_argument, 0, 'o'},
        {"market", required_argument, 0, 'm'},  {"data-dir", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    const char *cmd = argv[0];
    int c, rc = CLI_OK;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        bs_error err = {{0}};
        bs_table_kind kind;
        switch (c) {
        case 'i': a->input = optarg; break;
        case 'm': a->market = optarg; break;
        case 'd': a->data_dir = optarg; break;
        case 't':
            if (bs_table_kind_parse(optarg, &kind, &err) != BS_OK)
                return cli_usage_error(cmd, err.msg);
            a->table = (int)kind;
            break;
        case 'w': rc = cli_parse_duration(cmd, "--window", optarg, 0, &a->windows.window_us); break;
        case 's': rc = cli_parse_duration(cmd, "--slide", optarg, 0, &a->windows.slide_us); break;
        case 'f':
            a->format = optarg;
            if (!known_format(optarg))
                return cli_usage_error(cmd, "--format must be table, csv, json or parquet");
            break;
        case 'o': a->out_dir = optarg; break;
        case 'S': a->strict = 1; break;
        case 'j':
            a->threads = atoi(optarg);
            if (a->threads < 1) return cli_usage_error(cmd, "--threads must be a positive number");
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_option_error(cmd, c, argv);
        }
    }
    if (rc == CLI_OK && optind < argc) return cli_usage_error(cmd, "unexpected argument");
    return rc;
}

static void print_written(void *ctx, const char *path, size_t rows) {
    (void)ctx;
    printf("wrote %s (%zu row%s)\n", path, rows, rows == 1 ? "" : "s");
}

static int print_tables(const bs_aggregate *agg, const aggregate_args *a) {
    int first = a->table >= 0 ? a->table : 0, last = a->table >= 0 ? a->table : BS_TABLE_COUNT - 1;
    int grid = strcmp(a->format, "table") == 0;
    const char *dir = a->out_dir ? a->out_dir : strcmp(a->format, "parquet") == 0 ? "." : NULL;
    /* the grid always names its table; csv and json only when several share the stream */
    bs_sink_options o = {.out = stdout,
                         .dir = dir,
                         .label = grid || a->table < 0,
                         .on_file = print_written,
                         .market = a->market_name};
    bs_sink *sink;
    bs_error err = {{0}};
    if (bs_sink_open(a->format, &o, &sink, &err) != BS_OK) return cli_fail("aggregate", &err);
    bs_status st = BS_OK;
    for (int k = first; k <= last && st == BS_OK; k++) {
        bs_table table = {0};
        st = bs_aggregate_table(agg, (bs_table_kind)k, &table, &err);
        if (st == BS_OK) st = bs_sink_write(sink, &table, &err);
        bs_table_free(&table);
    }
    bs_sink_free(sink);
    if (st != BS_OK) return cli_fail("aggregate", &err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_aggregate(int argc, char **argv) {
    aggregate_args a = {.table = -1, .windows = bs_aggregate_defaults(), .format = "table"};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    char history[4096], market[BS_MARKET_MAX];
    rc = cli_market_history(argv[0], a.input, a.data_dir, a.market, history, sizeof history,
                            market);
    if (rc != CLI_OK) return rc;
    a.input = history;
    a.market_name = market;

    bs_scan_options scan = {.strict = a.strict};
    bs_scan_stats stats;
    bs_aggregate *agg = NULL;
    bs_error err = {{0}};
    if (bs_aggregate_file(a.input, &a.windows, &scan, a.threads, &agg, &stats, &err) != BS_OK)
        return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], a.input, &stats);
    if (bs_aggregate_ticks(agg) == 0) {
        bs_aggregate_free(agg);
        cli_errorf(argv[0], "%s: no valid ticks", a.input);
        return CLI_FAIL;
    }
    rc = print_tables(agg, &a);
    bs_aggregate_free(agg);
    return rc;
}
