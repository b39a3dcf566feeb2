/*
 * cmd_export.c - `btcstream export`: one market's stored rows as CSV, JSON lines or Parquet, or
 * (--partition) every market as a Hive-partitioned Parquet dataset, locally or on S3
 * (export_data.h, docs/export.md).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/export_data.h"
#include "btcstream/s3.h"
#include "btcstream/timeutil.h"
#include "cli.h"
#include "market_args.h"

static const char usage_text[] =
    "usage: btcstream export [--market M] [--data-dir Data] [--from T] [--to T]\n"
    "                        [--format csv|json|parquet] [--out FILE] [--history H]\n"
    "       btcstream export --format parquet --partition [--data-dir Data]\n"
    "                        [--out DIR|s3://BUCKET/PREFIX] [--stage DIR]\n\n"
    "Writes a market's stored rows, oldest first, one per instant (the last stored when a time\n"
    "is stored twice):\n"
    "  csv      candles: Start,Open,High,Low,Close,Volume,Trades (Start YYYY-MM-DD HH:MM:SS UTC,\n"
    "           Trades empty when unknown); other ticks: Datetime,Open,High,Low,Close,Volume\n"
    "  json     tick JSON lines with their Market\n"
    "  parquet  market, start|timestamp, open, high, low, close, volume, trades (needs --out)\n"
    "With --partition, every market of the data folder becomes one Parquet dataset,\n"
    "market=M/date=YYYY-MM-DD/part-00000.parquet, and a re-run rewrites only the days whose rows\n"
    "changed (see " BS_DATASET_MANIFEST "); s3://BUCKET/PREFIX uploads what changed.\n\n"
    "Options:\n"
    "  --market M     the market (default: the data folder's only one)\n"
    "  --data-dir D   the data folder (default " CLI_DEFAULT_DATA_DIR ")\n"
    "  --history H    a history file to export instead of a market's\n"
    "  --from T       first time to include (e.g. 2024-05-01T00:00:00Z)\n"
    "  --to T         first time to leave out\n"
    "  --format F     csv (default), json or parquet\n"
    "  --out FILE     write FILE atomically (default: standard output; the dataset's default\n"
    "                 is DATA_DIR/dataset)\n"
    "  --stage DIR    with an s3:// --out, the local copy of the dataset that is uploaded\n"
    "                 (default DATA_DIR/dataset)\n";

typedef struct {
    const char *market, *data_dir, *history, *out, *stage;
    int64_t from_us, to_us;
    bs_export_format format;
    int partition;
} export_args;

static int parse_time(const char *cmd, const char *flag, const char *text, int64_t *us) {
    bs_error err = {{0}};
    if (bs_time_parse(text, strlen(text), us, &err) == BS_OK) return CLI_OK;
    char what[600];
    snprintf(what, sizeof what, "%s: %s", flag, err.msg);
    return cli_usage_error(cmd, what);
}

static int parse_args(int argc, char **argv, export_args *a) {
    static const struct option options[] = {{"market", required_argument, 0, 'm'},
                                            {"data-dir", required_argument, 0, 'd'},
                                            {"history", required_argument, 0, 'H'},
                                            {"from", required_argument, 0, 'F'},
                                            {"to", required_argument, 0, 'T'},
                                            {"format", required_argument, 0, 'f'},
                                            {"out", required_argument, 0, 'o'},
                                            {"stage", required_argument, 0, 's'},
                                            {"partition", no_argument, 0, 'p'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *cmd = argv[0];
    int c, rc = CLI_OK;
    bs_error err = {{0}};
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'm': a->market = optarg; break;
        case 'd': a->data_dir = optarg; break;
        case 'H': a->history = optarg; break;
        case 'F': rc = parse_time(cmd, "--from", optarg, &a->from_us); break;
        case 'T': rc = parse_time(cmd, "--to", optarg, &a->to_us); break;
        case 'f':
            if (bs_export_format_parse(optarg, &a->format, &err) != BS_OK)
                return cli_usage_error(cmd, "--format must be csv, json or parquet");
            break;
        case 'o': a->out = optarg; break;
        case 's': a->stage = optarg; break;
        case 'p': a->partition = 1; break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_option_error(cmd, c, argv);
        }
    }
    if (rc == CLI_OK && optind < argc) return cli_usage_error(cmd, "unexpected argument");
    return rc;
}

static int export_one(const char *cmd, const export_args *a) {
    if (a->format == BS_EXPORT_PARQUET && !a->out)
        return cli_usage_error(cmd, "--format parquet needs --out FILE");
    char history[4096], market[BS_MARKET_MAX];
    int rc = cli_market_history(cmd, a->history, a->data_dir, a->market, history, sizeof history,
                                market);
    if (rc != CLI_OK) return rc;
    bs_export_rows rows;
    bs_error err = {{0}};
    if (bs_export_load(history, a->from_us, a->to_us, &rows, &err) != BS_OK) {
        if (!a->market || a->history) return cli_fail(cmd, &err);
        cli_errorf(cmd, "market %s: %s ('btcstream markets --data-dir %s' lists the markets)",
                   a->market, err.msg, a->data_dir);
        return CLI_FAIL;
    }
    cli_report_bad_lines(cmd, history, &rows.stats);
    bs_status st = a->out ? bs_export_write_file(&rows, market, a->format, a->out, &err)
                          : bs_export_write_stream(&rows, market, a->format, stdout, &err);
    if (st == BS_OK && a->out)
        fprintf(stderr, "btcstream %s: wrote %s (%zu row%s)\n", cmd, a->out, rows.n,
                rows.n == 1 ? "" : "s");
    bs_export_rows_free(&rows);
    return st == BS_OK ? CLI_OK : cli_fail(cmd, &err);
}

/* s3://BUCKET/PREFIX into bucket and prefix (ending in '/' when not empty). */
static int split_s3(const char *url, char *bucket, size_t bsize, char *prefix, size_t psize) {
    const char *rest = url + strlen("s3://"), *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    if (n == 0 || n >= bsize) return 0;
    memcpy(bucket, rest, n);
    bucket[n] = '\0';
    const char *p = slash ? slash + 1 : "";
    size_t len = strlen(p);
    if (len + 2 > psize) return 0;
    snprintf(prefix, psize, "%s%s", p, len && p[len - 1] != '/' ? "/" : "");
    return 1;
}

static int export_dataset(const char *cmd, const export_args *a) {
    if (a->format != BS_EXPORT_PARQUET)
        return cli_usage_error(cmd, "--partition writes Parquet: give --format parquet");
    if (a->market || a->history || a->from_us != INT64_MIN || a->to_us != INT64_MAX)
        return cli_usage_error(cmd, "--partition exports every market whole: no --market, "
                                    "--history, --from or --to");
    const char *data_dir = a->data_dir ? a->data_dir : CLI_DEFAULT_DATA_DIR;
    int to_s3 = a->out && strncmp(a->out, "s3://", 5) == 0;
    char bucket[256], prefix[1024], local[4096];
    if (to_s3 && !split_s3(a->out, bucket, sizeof bucket, prefix, sizeof prefix))
        return cli_usage_error(cmd, "--out s3://BUCKET/PREFIX: bad bucket or prefix");
    snprintf(local, sizeof local, "%s", a->stage ? a->stage : (!to_s3 && a->out) ? a->out : "");
    if (!local[0]) snprintf(local, sizeof local, "%s/dataset", data_dir);
    bs_s3_config c;
    char reason[160];
    if (to_s3) {
        bs_s3_config_load(&c, bucket);
        if (!bs_s3_config_ready(&c, reason, sizeof reason)) {
            cli_errorf(cmd, "cannot upload to %s: %s", a->out, reason);
            return CLI_FAIL;
        }
    }
    bs_dataset_report r;
    bs_error err = {{0}};
    if (bs_dataset_export(data_dir, local, &r, &err) != BS_OK) return cli_fail(cmd, &err);
    printf("dataset %s: %zu market%s, %zu partition%s, %llu rows; wrote %zu (%llu bytes), "
           "removed %zu, unchanged %zu\n",
           local, r.markets, r.markets == 1 ? "" : "s", r.partitions, r.partitions == 1 ? "" : "s",
           (unsigned long long)r.rows, r.written, (unsigned long long)r.bytes_written, r.removed,
           r.partitions - r.written);
    if (r.bad_lines)
        cli_errorf(cmd,
                   "%llu bad lines skipped in the histories ('btcstream markets' counts "
                   "them per market)",
                   (unsigned long long)r.bad_lines);
    if (r.legacy_skipped)
        fprintf(stderr,
                "btcstream %s: %s/bitcoin_combined.json has no market and is left out: "
                "'btcstream markets migrate --market M' first\n",
                cmd, data_dir);
    if (!to_s3) return CLI_OK;
    bs_dataset_upload_report u;
    if (bs_dataset_upload(local, &c, prefix, &u, &err) != BS_OK) return cli_fail(cmd, &err);
    printf("uploaded to s3://%s/%s: %zu partition%s and the manifest; %zu unchanged\n", bucket,
           prefix, u.uploaded, u.uploaded == 1 ? "" : "s", u.unchanged);
    return CLI_OK;
}

int cmd_export(int argc, char **argv) {
    export_args a = {.from_us = INT64_MIN, .to_us = INT64_MAX, .format = BS_EXPORT_CSV};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (a.partition) return export_dataset(argv[0], &a);
    if (!a.data_dir) a.data_dir = CLI_DEFAULT_DATA_DIR;
    return export_one(argv[0], &a);
}
