/*
 * cmd_run.c - `btcstream run`: the whole pipeline, as the course project's run_pipeline.py:
 * ingest and stream for --duration, then the batch stages over the history, then a summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/aggregate.h"
#include "btcstream/archive.h"
#include "btcstream/fsutil.h"
#include "btcstream/model.h"
#include "btcstream/pipeline.h"
#include "btcstream/plot.h"
#include "btcstream/reader.h"
#include "btcstream/s3.h"
#include "btcstream/serve.h"
#include "cli.h"
#include "ingest_args.h"
#include "render.h"
#include "stream_render.h"

static const char usage_text[] =
    "usage: btcstream run [--source coingecko|replay:FILE|sim] [--duration 90s] [--interval 30s]\n"
    "                     [--data-dir Data] [--out-dir .] [--no-upload] [--quiet]\n"
    "                     [--serve [ADDR]]\n\n"
    "Runs the pipeline: the producer writes a tick every interval into DATA_DIR/stream while the\n"
    "stream processor commits them to DATA_DIR/bitcoin_combined.json; after --duration the batch\n"
    "stages run over the whole history and a summary says what was written where.\n"
    "Offline, use --source sim (a seeded random walk) or --source replay:FILE.\n\n"
    "Options:\n" INGEST_USAGE "  --duration D   how long to ingest (default 90s)\n"
    "  --data-dir P   where the stream directory and the history live (default Data)\n"
    "  --out-dir P    where output files go (default .)\n"
    "  --no-upload    never upload to S3\n"
    "  --quiet        print only batch lines and the final tables\n"
    "  --serve [ADDR] serve the live dashboard (btcstream serve) while it runs, on ADDR\n"
    "                 (default 127.0.0.1:8080)\n";

typedef struct {
    ingest_args in;
    const char *data_dir, *out_dir;
    int no_upload, quiet;
    const char *serve; /* the dashboard's address, NULL: none */
} run_args;

static int parse(int argc, char **argv, run_args *a) {
    static const struct option options[] = {INGEST_LONG_OPTIONS,
                                            {"data-dir", required_argument, 0, 'd'},
                                            {"out-dir", required_argument, 0, 'o'},
                                            {"no-upload", no_argument, 0, 'n'},
                                            {"quiet", no_argument, 0, 'q'},
                                            {"serve", optional_argument, 0, 's'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    int c, rc = CLI_OK;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->data_dir = optarg; break;
        case 'o': a->out_dir = optarg; break;
        case 'n': a->no_upload = 1; break;
        case 'q': a->quiet = 1; break;
        case 's': /* --serve, --serve=ADDR or --serve ADDR */
            a->serve = optarg ? optarg : BS_SERVE_DEFAULT_LISTEN;
            if (!optarg && optind < argc && argv[optind][0] != '-') a->serve = argv[optind++];
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default:
            if (c < 1000) return cli_option_error(argv[0], c, argv);
            rc = ingest_args_option(&a->in, argv[0], c, optarg);
        }
    }
    if (rc == CLI_OK && optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    return rc;
}

/* The batch stage that has landed: the course project's tables over the whole history. */
static int print_tables(const char *history) {
    bs_aggregate *agg;
    bs_scan_stats stats;
    bs_error err = {{0}};
    if (bs_aggregate_file(history, NULL, NULL, 0, &agg, &stats, &err) != BS_OK)
        return cli_fail("run", &err);
    cli_report_bad_lines("run", history, &stats);
    const bs_table_kind kinds[] = {BS_TABLE_HOUR_OF_DAY, BS_TABLE_DAILY, BS_TABLE_MOVING_AVG};
    int rc = CLI_OK;
    for (size_t i = 0; i < 3 && rc == CLI_OK; i++) {
        bs_table t;
        if (bs_aggregate_table(agg, kinds[i], &t, &err) != BS_OK) {
            rc = cli_fail("run", &err);
            break;
        }
        printf("\n%s (%zu row%s)\n", t.name, t.rows, t.rows == 1 ? "" : "s");
        render_table(stdout, &t, RENDER_TABLE);
        bs_table_free(&t);
    }
    bs_aggregate_free(agg);
    return rc;
}

/*
 * The model stages: train (forecast mode, the honest one), write the predictions, plot them.
 * Too little history is not a failure of the run: the stage says why it was skipped.
 */
/* The course project's last step: the ZIP to S3 when credentials and a bucket are set. */
static void upload_stage(const char *zip, int no_upload) {
    if (no_upload) {
        printf("  upload           skipped: --no-upload\n");
        return;
    }
    bs_s3_config config;
    bs_s3_config_load(&config, NULL);
    char reason[160], key[1024];
    bs_error err = {{0}};
    if (!bs_s3_config_ready(&config, reason, sizeof reason))
        printf("  upload           skipped: %s\n", reason);
    else if (access(zip, F_OK) != 0)
        printf("  upload           skipped: no %s (the model stage did not run)\n", zip);
    else if (bs_s3_upload_file(&config, zip, NULL, NULL, NULL, key, &err) != BS_OK)
        printf("  upload           failed: %s\n", err.msg);
    else printf("  upload           s3://%s/%s\n", config.bucket, key);
}

static void model_stages(const char *history, const char *out_dir) {
    bs_tick_vec ticks = {0};
    bs_error err = {{0}};
    char model[4096], plot[4096], parquet[4200], zip[4200];
    snprintf(model, sizeof model, "%s/model.json", out_dir);
    snprintf(plot, sizeof plot, "%s/output_plot.png", out_dir);
    snprintf(parquet, sizeof parquet, "%s/%s", out_dir, BS_PREDICTIONS_DIR);
    snprintf(zip, sizeof zip, "%s/bitcoin_predictions.zip", out_dir);
    bs_train_result r;
    bs_status st = bs_history_load(history, NULL, &ticks, NULL, &err);
    if (st == BS_OK) st = bs_train_to_dir(ticks.items, ticks.len, NULL, out_dir, &r, &err);
    bs_tick_vec_free(&ticks);
    if (st != BS_OK) {
        printf("\nmodel: skipped: %s\n", err.msg);
        return;
    }
    printf("\nmodel (forecast, 1 tick ahead, %zu rows to train, %zu to test):\n", r.rows_train,
           r.rows_test);
    printf("  model     RMSE %.4f  MAE %.4f  direction %.1f%%\n", r.model.rmse, r.model.mae,
           100 * r.model.direction_acc);
    printf("  baseline  RMSE %.4f  MAE %.4f  (persistence: next close = last close)\n",
           r.baseline.rmse, r.baseline.mae);
    st = bs_archive_zip_dir(parquet, zip, &err);
    if (st == BS_OK) st = bs_plot_predictions(&r.predictions, plot, &err);
    bs_train_result_free(&r);
    if (st != BS_OK) printf("  outputs: %s\n", err.msg);
    else printf("  wrote %s, %s/, %s and %s\n", model, parquet, zip, plot);
}

/* The dashboard beside the pipeline: a side view, so failing to bind says why and goes on. */
static bs_serve *start_dashboard(const run_args *a) {
    bs_serve_options o = bs_serve_defaults();
    o.listen = a->serve;
    o.data_dir = a->data_dir;
    char predictions[4200];
    snprintf(predictions, sizeof predictions, "%s/%s", a->out_dir, BS_PREDICTIONS_DIR);
    o.predictions = predictions;
    bs_serve *srv = NULL;
    bs_error err = {{0}};
    if (bs_serve_start(&o, &srv, &err) != BS_OK) cli_errorf("run", "dashboard not started: %s", err.msg);
    else printf("btcstream run: dashboard at http://%s/\n", bs_serve_address(srv));
    fflush(stdout);
    return srv;
}

int cmd_run(int argc, char **argv) {
    static volatile sig_atomic_t stop;
    run_args a = {.data_dir = "Data", .out_dir = "."};
    ingest_args_init(&a.in, 90 * INT64_C(1000000));
    int rc = parse(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;

    char stream_dir[4096], history[4096];
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", a.data_dir);
    snprintf(history, sizeof history, "%s/bitcoin_combined.json", a.data_dir);
    bs_source *source;
    if ((rc = ingest_args_open_source(&a.in, argv[0], &source)) != CLI_OK) return rc;
    bs_producer producer;
    bs_error err = {{0}};
    if (bs_producer_open(&producer, stream_dir, &err) != BS_OK) {
        bs_source_free(source);
        return cli_fail(argv[0], &err);
    }
    cli_stop_on_signals(&stop);
    stream_render how = {a.quiet, 20};
    bs_pipeline_options o = {{source, &producer, a.in.interval_us, a.in.duration_us, 1, &stop, NULL,
                              ingest_print_notice, NULL},
                             bs_stream_defaults()};
    o.stream.stream_dir = stream_dir;
    o.stream.history = history;
    o.stream.trigger_us = a.in.interval_us < 1000000 ? a.in.interval_us : 1000000;
    o.stream.stop = &stop;
    o.stream.on_batch = stream_render_batch;
    o.stream.on_notice = stream_render_notice;
    o.stream.ctx = &how;
    printf("btcstream run: %s%s every %.3g s for %.3g s into %s\n", source->name,
           source->simulated ? " (simulated prices)" : "", (double)a.in.interval_us / 1e6,
           (double)a.in.duration_us / 1e6, stream_dir);
    bs_serve *dashboard = a.serve ? start_dashboard(&a) : NULL;
    bs_pipeline_totals totals;
    bs_status st = bs_pipeline_stream(&o, &totals, &err);
    bs_source_free(source);
    if (st != BS_OK) bs_serve_stop(dashboard);
    if (st == BS_ERR_NET) return ingest_fail_offline(argv[0], &err);
    if (st != BS_OK) return cli_fail(argv[0], &err);

    rc = print_tables(history);
    if (rc == CLI_OK) model_stages(history, a.out_dir);
    printf("\nsummary:\n");
    printf("  ticks produced   %llu (%llu failed requests) into %s\n",
           (unsigned long long)totals.ingest.ticks, (unsigned long long)totals.ingest.failures,
           stream_dir);
    printf("  history          %s: %llu rows added in %llu batches, %llu late\n", history,
           (unsigned long long)totals.stream.rows, (unsigned long long)totals.stream.batches,
           (unsigned long long)totals.stream.late);
    printf("  quarantined      %llu files in %s/_quarantine\n",
           (unsigned long long)totals.stream.quarantined, stream_dir);
    char zip[4200];
    snprintf(zip, sizeof zip, "%s/bitcoin_predictions.zip", a.out_dir);
    upload_stage(zip, a.no_upload);
    bs_serve_stop(dashboard);
    return rc;
}
