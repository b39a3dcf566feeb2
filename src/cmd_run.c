/*
 * cmd_run.c - `btcstream run`: the whole pipeline, as the course project's run_pipeline.py:
 * ingest and stream for --duration (pipeline.h), then the batch stages over the history
 * (stages.h), then a summary. This file only parses flags and prints what the library reports.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/market.h"
#include "btcstream/outputs.h"
#include "btcstream/pipeline.h"
#include "btcstream/sink.h"
#include "btcstream/bus.h"
#include "btcstream/serve.h"
#include "btcstream/stages.h"
#include "cli.h"
#include "ingest_args.h"
#include "stream_render.h"

static const char usage_text[] =
    "usage: btcstream run [--source coingecko|replay:FILE|sim] [--duration 90s] [--interval 30s]\n"
    "                     [--data-dir Data] [--out-dir .] [--no-upload] [--quiet]\n\n"
    "Runs the pipeline: the producer writes a tick every interval into the source's market\n"
    "folder DATA_DIR/stream/SOURCE/SYMBOL while the stream processor commits them to the\n"
    "market's history DATA_DIR/markets/SOURCE/SYMBOL/history.json (docs/markets.md; a data\n"
    "folder from before markets keeps DATA_DIR/stream and DATA_DIR/bitcoin_combined.json);\n"
    "after --duration the batch\n"
    "stages (tables, train, predictions, zip, plot, upload) run over the whole history, each\n"
    "reported as done, skipped (not asked: --no-upload, no S3 settings) or failed; any failure\n"
    "makes the exit status non-zero. The model needs 73 ticks: a run too short for it says so\n"
    "at the start, with the duration it needs.\n"
    "Offline, use --source sim (a seeded random walk: 30s at 250ms by default, kept in Data/sim,\n"
    "each run going on with the walk where the last one ended) or --source replay:FILE (kept in\n"
    "Data/replay), so that simulated ticks never mix with a real history in Data/.\n\n"
    "Options:\n" INGEST_USAGE
    "  --duration D   how long to ingest (default 90s, sim 30s; 0: until Ctrl-C)\n"
    "  --data-dir P   where the stream directory and the history live (default Data, sim\n"
    "                 Data/sim, replay Data/replay)\n"
    "  --out-dir P    where output files go (default .)\n"
    "  --no-upload    never upload to S3\n"
    "  --quiet        no batch lines: only the tables, the stages and the summary\n"
    "  --bus URLS     producer and stream processor meet on NATS JetStream (nats://HOST:PORT\n"
    "                 [,...]; create the stream first with 'btcstream bus init') instead of\n"
    "                 the stream directory (docs/scale-out.md)\n"
    "  --serve [ADDR] serve the live dashboard (btcstream serve) while it runs, on ADDR\n"
    "                 (default 127.0.0.1:8080)\n";

typedef struct {
    ingest_args in;
    const char *data_dir, *out_dir;
    int no_upload, quiet;
    const char *serve; /* the dashboard's address, NULL: none */
    const char *bus;   /* NATS servers for --bus, NULL: the stream directory */
} run_args;

static int parse(int argc, char **argv, run_args *a) {
    static const struct option options[] = {INGEST_LONG_OPTIONS,
                                            {"data-dir", required_argument, 0, 'd'},
                                            {"out-dir", required_argument, 0, 'o'},
                                            {"no-upload", no_argument, 0, 'n'},
                                            {"quiet", no_argument, 0, 'q'},
                                            {"serve", optional_argument, 0, 's'},
                                            {"bus", required_argument, 0, 'b'},
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
        case 'b': a->bus = optarg; break;
        case 's': /* --serve, --serve=ADDR or --serve ADDR */
            a->serve = optarg ? optarg : BS_SERVE_DEFAULT_LISTEN;
            if (!optarg && optind < argc && argv[optind][0] != '-') a->serve = argv[optind++];
            break;
        case 'h':
            fputs(usage_text, stdout);
            ingest_args_print_sources(stdout);
            return -1;
        default:
            if (c < 1000) return cli_option_error(argv[0], c, argv);
            rc = ingest_args_option(&a->in, argv[0], c, optarg);
        }
    }
    if (rc == CLI_OK && optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (rc == CLI_OK) rc = ingest_args_source_defaults(&a->in, argv[0], 1);
    if (rc == CLI_OK && !a->data_dir) a->data_dir = bs_source_type_find(a->in.source)->data_dir;
    return rc;
}

static const char *plural(uint64_t n, const char *one, const char *many) {
    return n == 1 ? one : many;
}

/* A duration in the units a user would type: "30 s", "1.5 min", "2 h". */
static void duration_text(int64_t us, char *buf, size_t size) {
    double s = (double)us / 1e6;
    if (s < 120) snprintf(buf, size, "%.3g s", s);
    else if (s < 7200) snprintf(buf, size, "%.3g min", s / 60);
    else snprintf(buf, size, "%.3g h", s / 3600);
}

/*
 * Says up front when the run will end with fewer ticks than the model needs, and how long a
 * run would have to be: counting the ticks the history holds already.
 */
static void warn_if_too_short(const run_args *a, const bs_data_paths *paths) {
    if (a->in.duration_us <= 0 || a->in.interval_us <= 0) return; /* forever, or a replay */
    uint64_t have = 0;
    bs_error err = {{0}};
    if (bs_stages_count_lines(paths->history, &have, &err) != BS_OK) return;
    uint64_t need = bs_stages_min_ticks(NULL),
             coming = (uint64_t)(a->in.duration_us / a->in.interval_us);
    if (have + coming >= need) return;
    char interval[32], now[32], enough[32];
    duration_text(a->in.interval_us, interval, sizeof interval);
    duration_text(a->in.duration_us, now, sizeof now);
    duration_text((int64_t)(need - have) * a->in.interval_us, enough, sizeof enough);
    printf("note: too short for the model: %s at one tick every %s gives %llu "
           "tick%s and %s holds %llu; the model needs %llu. Run for at least %s (--duration), "
           "or the train stage will fail.\n",
           now, interval, (unsigned long long)coming, plural(coming, "", "s"), paths->history,
           (unsigned long long)have, (unsigned long long)need, enough);
}

static void print_model(const bs_train_result *m) {
    printf("\nmodel (forecast, %d tick%s ahead, %zu rows to train, %zu to test):\n", m->horizon,
           plural((uint64_t)m->horizon, "", "s"), m->rows_train, m->rows_test);
    printf("  model     RMSE %.4f  MAE %.4f  R² %.4f  direction %.1f%%\n", m->model.rmse,
           m->model.mae, m->model.r2, 100 * m->model.direction_acc);
    printf("  baseline  RMSE %.4f  MAE %.4f  R² %.4f  (persistence: next close = last close)\n",
           m->baseline.rmse, m->baseline.mae, m->baseline.r2);
}

static void print_stage(void *ctx, const bs_stage_report *report, const bs_stages_result *so_far) {
    (void)ctx;
    (void)so_far;
    if (report == &so_far->stage[0]) printf("\nstages:\n");
    printf("  %-12s %s: %s\n", report->name, bs_stage_outcome_name(report->outcome),
           report->detail);
    fflush(stdout);
}

/* The batch stages; the tables first, as the seed printed them, then one line a stage. */
static bs_status run_stages(const run_args *a, const bs_data_paths *paths, bs_error *err) {
    bs_sink_options so = {.out = stdout, .label = 1};
    bs_sink *grid;
    bs_status st = bs_sink_open("table", &so, &grid, err);
    if (st != BS_OK) return st;
    bs_stages_options o = {.history = paths->history,
                           .out_dir = a->out_dir,
                           .tables = grid,
                           .upload = !a->no_upload,
                           .on_stage = print_stage};
    bs_stages_result r;
    printf("\n");
    st = bs_stages_run(&o, &r, err);
    bs_sink_free(grid);
    if (r.trained) print_model(&r.model);
    cli_report_bad_lines("run", paths->history, &r.scan);
    bs_stages_result_free(&r);
    return st;
}

static void print_summary(const bs_pipeline_totals *t, const bs_data_paths *paths) {
    printf("\nsummary:\n");
    printf("  ticks produced   %llu (%llu failed request%s) into %s\n",
           (unsigned long long)t->ingest.ticks, (unsigned long long)t->ingest.failures,
           plural(t->ingest.failures, "", "s"), paths->stream_dir);
    printf("  history          %s: %llu row%s added in %llu batch%s, %llu late\n", paths->history,
           (unsigned long long)t->stream.rows, plural(t->stream.rows, "", "s"),
           (unsigned long long)t->stream.batches, plural(t->stream.batches, "", "es"),
           (unsigned long long)t->stream.late);
    printf("  quarantined      %llu file%s in %s/_quarantine\n",
           (unsigned long long)t->stream.quarantined, plural(t->stream.quarantined, "", "s"),
           paths->stream_dir);
}

static void print_start(const run_args *a, const bs_source *source, const bs_data_paths *paths) {
    char interval[32], duration[48] = "until stopped (Ctrl-C)";
    duration_text(a->in.interval_us, interval, sizeof interval);
    if (a->in.duration_us > 0) {
        memcpy(duration, "for ", 5);
        duration_text(a->in.duration_us, duration + 4, sizeof duration - 4);
    }
    printf("btcstream run: %s%s every %s %s into %s\n", source->name,
           source->simulated ? " (simulated prices)" : "", interval, duration, paths->stream_dir);
    fflush(stdout);
}

/* --bus: the producer publishes to JetStream and the stream processor consumes from it. */
static bs_status open_bus(const run_args *a, bs_pipeline_options *o, bs_error *err) {
    if (!a->bus) return BS_OK;
    bs_bus_options bus = bs_bus_defaults();
    bus.urls = a->bus;
    bs_status st = bs_bus_publisher_open(&bus, 0, &o->ingest.bus, err);
    if (st == BS_OK) st = bs_bus_consumer_open(&bus, "btcstream", &o->stream.bus, err);
    return st;
}

/* The dashboard beside the pipeline: a side view, so failing to bind says why and goes on. */
static bs_serve *start_dashboard(const run_args *a, const char *market) {
    bs_serve_options o = bs_serve_defaults();
    o.listen = a->serve;
    o.data_dir = a->data_dir;
    o.market = market; /* the run's market: its history is the one shown */
    static bs_output_paths out; /* the server reads the name while it runs */
    bs_error err = {{0}};
    if (bs_output_paths_make(a->out_dir, &out, &err) == BS_OK) o.predictions = out.predictions;
    bs_serve *srv = NULL;
    if (bs_serve_start(&o, &srv, &err) != BS_OK) cli_errorf("run", "dashboard not started: %s", err.msg);
    else printf("btcstream run: dashboard at http://%s/\n", bs_serve_address(srv));
    fflush(stdout);
    return srv;
}

int cmd_run(int argc, char **argv) {
    static atomic_int stop;
    run_args a = {.out_dir = "."};
    ingest_args_init(&a.in, 90 * INT64_C(1000000));
    int rc = parse(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;

    bs_data_paths paths;
    bs_error err = {{0}};
    char market[BS_MARKET_MAX];
    if (bs_source_market(a.in.source, &a.in.source_opts, market, &err) != BS_OK)
        return cli_usage_error(argv[0], err.msg);
    /* A data folder from before markets keeps its one history (docs/markets.md, migration). */
    int legacy = bs_data_dir_is_legacy(a.data_dir);
    if ((legacy ? bs_data_paths_make(a.data_dir, &paths, &err)
                : bs_data_paths_market(a.data_dir, market, &paths, &err)) != BS_OK)
        return cli_fail(argv[0], &err);
    if (legacy)
        printf("btcstream run: %s is a data folder from before markets: its history stays "
               "%s ('btcstream markets migrate --market %s' gives it to the market)\n",
               a.data_dir, paths.history, market);
    if (strcmp(a.in.source, "sim") == 0 &&
        bs_source_sim_resume(paths.history, &a.in.source_opts, &err) != BS_OK)
        return cli_fail(argv[0], &err);
    bs_source *source;
    if ((rc = ingest_args_open_source(&a.in, argv[0], &source)) != CLI_OK) return rc;
    int fresh = access(a.data_dir, F_OK) != 0; /* a failed first run leaves no empty tree */
    bs_producer producer;
    bs_status opened = bs_producer_open(&producer, paths.stream_dir, &err);
    if (opened == BS_OK && !legacy)
        snprintf(producer.market, sizeof producer.market, "%s", market); /* lines name it */
    if (opened != BS_OK) {
        bs_source_free(source);
        return cli_fail(argv[0], &err);
    }
    cli_stop_on_signals(&stop);
    stream_render how = {a.quiet, 20};
    bs_pipeline_options o = {{source, &producer, a.in.interval_us, a.in.duration_us, 1, &stop, NULL,
                              ingest_print_notice, NULL, NULL, NULL},
                             bs_stream_defaults()};
    o.stream.stream_dir = paths.stream_dir;
    o.stream.history = paths.history;
    o.stream.market = legacy ? NULL : market; /* a line of another market is set aside */
    o.ingest.market = market;                 /* on the bus */
    o.stream.trigger_us = a.in.interval_us < 1000000 ? a.in.interval_us : 1000000;
    o.stream.stop = &stop;
    o.stream.on_batch = a.quiet ? NULL : stream_render_batch;
    o.stream.on_notice = stream_render_notice;
    o.stream.ctx = &how;
    print_start(&a, source, &paths);
    warn_if_too_short(&a, &paths);
    bs_serve *dashboard = a.serve ? start_dashboard(&a, legacy ? NULL : market) : NULL;
    bs_pipeline_totals totals;
    memset(&totals, 0, sizeof totals);
    bs_status st = open_bus(&a, &o, &err);
    if (st == BS_OK) st = bs_pipeline_stream(&o, &totals, &err);
    bs_bus_publisher_close(o.ingest.bus);
    bs_bus_consumer_close(o.stream.bus);
    bs_source_free(source);
    if (st != BS_OK) bs_serve_stop(dashboard);
    if (st != BS_OK && fresh && totals.stream.rows == 0) bs_pipeline_remove_empty_tree(a.data_dir);
    if (st == BS_ERR_NET) return ingest_fail_offline(argv[0], &err);
    if (st != BS_OK) return cli_fail(argv[0], &err);

    st = run_stages(&a, &paths, &err);
    print_summary(&totals, &paths);
    bs_serve_stop(dashboard);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    return CLI_OK;
}
