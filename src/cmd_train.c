/* cmd_train.c - `btcstream train`: the GBT model, its honest metrics, predictions and model.json.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/model.h"
#include "btcstream/reader.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream train [--input H] [--mode forecast|seed] [--horizon 1] [--max-iter 100]\n"
    "                       [--max-depth 5] [--max-bins 32] [--step-size 0.1] [--seed 42]\n"
    "                       [--out-dir .] [--format text|json] [--threads N] [--no-calibrate]\n\n"
    "Trains gradient-boosted trees (XGBoost, with Spark GBTRegressor's defaults) and reports\n"
    "RMSE, MAE and R² on the test set.\n"
    "  forecast (default)  predicts the close --horizon ticks ahead from past-only features,\n"
    "                      tests on the last 20% by time, and reports the persistence forecast\n"
    "                      (next close = last close) beside the model, with direction accuracy.\n"
    "  seed                the course project: features timestamp, hour, dayofweek, a random\n"
    "                      80/20 split; it interpolates, so its R² flatters.\n"
    "  --no-calibrate      forecast mode: keep the raw trees. By default the trees' part of\n"
    "                      the forecast is shrunk toward the mean return by a factor in [0, 1]\n"
    "                      fitted on the last 20% of the training rows (never the test rows).\n"
    "  --threads N         XGBoost threads; results depend on it. Default: one per 100,000\n"
    "                      training rows begun, at most one per core.\n"
    "Progress (round k of N) goes to stderr when it is a terminal.\n"
    "Writes OUT_DIR/model.json and the predictions as OUT_DIR/" BS_PREDICTIONS_DIR "/\n"
    "(Spark's layout: a snappy Parquet part file and _SUCCESS).\n";

static void show_progress(void *ctx, const char *stage, int round, int rounds) {
    (void)ctx;
    fprintf(stderr, "\r%s: round %d of %d", stage, round, rounds);
    if (round == rounds) fputc('\n', stderr);
}

static void print_number(const char *key, double v, int last) {
    if (isnan(v)) printf("\"%s\":null%s", key, last ? "" : ",");
    else printf("\"%s\":%.17g%s", key, v, last ? "" : ",");
}

static void print_metrics_json(const char *name, const bs_metrics *m, int forecast) {
    printf("\"%s\":{", name);
    print_number("rmse", m->rmse, 0);
    print_number("mae", m->mae, 0);
    print_number("r2", m->r2, !forecast);
    if (forecast) print_number("direction_acc", m->direction_acc, 1);
    printf("}");
}

static void print_row(const char *name, const bs_metrics *m) {
    printf("%-10s %14.6f %14.6f ", name, m->rmse, m->mae);
    if (isnan(m->r2)) printf("%10s ", "undefined");
    else printf("%10.6f ", m->r2);
    if (isnan(m->direction_acc)) printf("%10s\n", "-");
    else printf("%9.2f%%\n", 100 * m->direction_acc);
}

static void report(const bs_train_result *r, int json, const char *out_dir) {
    int forecast = r->mode == BS_MODE_FORECAST;
    if (json) {
        printf("{\"mode\":\"%s\",\"rows_train\":%zu,\"rows_test\":%zu,",
               bs_model_mode_name(r->mode), r->rows_train, r->rows_test);
        print_metrics_json("model", &r->model, forecast);
        if (forecast) {
            printf(",");
            print_metrics_json("baseline", &r->baseline, 1);
        }
        printf("}\n");
        return;
    }
    printf("mode %s", bs_model_mode_name(r->mode));
    if (forecast) printf(" (close %d tick%s ahead)", r->horizon, r->horizon == 1 ? "" : "s");
    printf(": %zu rows to train, %zu to test\n", r->rows_train, r->rows_test);
    printf("%-10s %14s %14s %10s %10s\n", "", "RMSE", "MAE", "R2", "direction");
    print_row("model", &r->model);
    if (forecast) print_row("baseline", &r->baseline);
    if (forecast && r->calibrated)
        printf("calibration: the trees' part of the forecast is shrunk by %.4f (0: drift alone)\n",
               r->shrink);
    if (forecast)
        printf("the model %s the persistence forecast (RMSE %.6f against %.6f)\n",
               r->model.rmse < r->baseline.rmse ? "beats" : "does not beat", r->model.rmse,
               r->baseline.rmse);
    printf("wrote %s/model.json and %s/%s/\n", out_dir, out_dir, BS_PREDICTIONS_DIR);
}

/* Parses one option into o (and *json, *input, *out_dir); CLI_OK or the usage error's code. */
static int parse_option(const char *cmd, int c, bs_train_options *o, int *json, const char **input,
                        const char **out_dir, char **argv) {
    long long v = 0;
    int rc = CLI_OK;
    bs_error err = {{0}};
    switch (c) {
    case 'i': *input = optarg; break;
    case 'o': *out_dir = optarg; break;
    case 'c': o->calibrate = 0; break;
    case 'm':
        if (bs_model_mode_parse(optarg, &o->mode, &err) != BS_OK)
            rc = cli_usage_error(cmd, err.msg);
        break;
    case 'H':
        rc = cli_parse_integer(cmd, "--horizon", optarg, 1, 100000, &v);
        o->horizon = rc == CLI_OK ? (int)v : o->horizon;
        break;
    case 'n':
        rc = cli_parse_integer(cmd, "--max-iter", optarg, 1, 100000, &v);
        o->max_iter = rc == CLI_OK ? (int)v : o->max_iter;
        break;
    case 'd':
        rc = cli_parse_integer(cmd, "--max-depth", optarg, 1, 30, &v);
        o->max_depth = rc == CLI_OK ? (int)v : o->max_depth;
        break;
    case 'b':
        rc = cli_parse_integer(cmd, "--max-bins", optarg, 2, 65536, &v);
        o->max_bins = rc == CLI_OK ? (int)v : o->max_bins;
        break;
    case 'j':
        rc = cli_parse_integer(cmd, "--threads", optarg, 0, 1024, &v);
        o->threads = rc == CLI_OK ? (int)v : o->threads;
        break;
    case 'S':
        rc = cli_parse_integer(cmd, "--seed", optarg, 0, LLONG_MAX, &v);
        o->seed = rc == CLI_OK ? (uint64_t)v : o->seed;
        break;
    case 's': rc = cli_parse_number(cmd, "--step-size", optarg, 0, &o->step_size); break;
    case 'f':
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
            return cli_usage_error(cmd, "--format must be text or json");
        *json = strcmp(optarg, "json") == 0;
        break;
    default: rc = cli_option_error(cmd, c, argv);
    }
    return rc;
}

int cmd_train(int argc, char **argv) {
    static const struct option options[] = {{"input", required_argument, 0, 'i'},
                                            {"mode", required_argument, 0, 'm'},
                                            {"horizon", required_argument, 0, 'H'},
                                            {"max-iter", required_argument, 0, 'n'},
                                            {"max-depth", required_argument, 0, 'd'},
                                            {"max-bins", required_argument, 0, 'b'},
                                            {"step-size", required_argument, 0, 's'},
                                            {"seed", required_argument, 0, 'S'},
                                            {"out-dir", required_argument, 0, 'o'},
                                            {"format", required_argument, 0, 'f'},
                                            {"threads", required_argument, 0, 'j'},
                                            {"no-calibrate", no_argument, 0, 'c'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *input = CLI_DEFAULT_HISTORY, *out_dir = ".";
    int json = 0, c, rc;
    bs_train_options o = bs_train_defaults();
    bs_error err = {{0}};
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        if ((rc = parse_option(argv[0], c, &o, &json, &input, &out_dir, argv)) != CLI_OK) return rc;
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (isatty(STDERR_FILENO)) o.progress = show_progress;

    bs_tick_vec ticks = {0};
    bs_scan_stats stats;
    if (bs_history_load(input, NULL, &ticks, &stats, &err) != BS_OK) return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], input, &stats);
    bs_train_result r;
    bs_status st = bs_train_to_dir(ticks.items, ticks.len, &o, out_dir, &r, &err);
    bs_tick_vec_free(&ticks);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    if (isnan(r.model.r2))
        cli_errorf(argv[0], "warning: R2 is undefined: the test closes are constant");
    report(&r, json, out_dir);
    bs_train_result_free(&r);
    return CLI_OK;
}
