/* cmd_train.c - `btcstream train`: the GBT model, its honest metrics, predictions and model.json. */
#include <getopt.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "btcstream/fsutil.h"
#include "btcstream/model.h"
#include "btcstream/reader.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream train [--input H] [--mode forecast|seed] [--horizon 1] [--max-iter 100]\n"
    "                       [--max-depth 5] [--max-bins 32] [--step-size 0.1] [--seed 42]\n"
    "                       [--out-dir .] [--format text|json] [--threads N]\n\n"
    "Trains gradient-boosted trees (XGBoost, with Spark GBTRegressor's defaults) and reports\n"
    "RMSE, MAE and R² on the test set.\n"
    "  forecast (default)  predicts the close --horizon ticks ahead from past-only features,\n"
    "                      tests on the last 20%% by time, and reports the persistence forecast\n"
    "                      (next close = last close) beside the model, with direction accuracy.\n"
    "  seed                the course project: features timestamp, hour, dayofweek, a random\n"
    "                      80/20 split; it interpolates, so its R² flatters.\n"
    "Writes OUT_DIR/model.json and the predictions as OUT_DIR/" BS_PREDICTIONS_DIR "/\n"
    "(Spark's layout: a snappy Parquet part file and _SUCCESS).\n";

static void show_progress(void *ctx, int round, int rounds) {
    (void)ctx;
    fprintf(stderr, "\rround %d of %d", round, rounds);
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
        printf("{\"mode\":\"%s\",\"rows_train\":%zu,\"rows_test\":%zu,", bs_model_mode_name(r->mode),
               r->rows_train, r->rows_test);
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
    if (forecast)
        printf("the model %s the persistence forecast (RMSE %.6f against %.6f)\n",
               r->model.rmse < r->baseline.rmse ? "beats" : "does not beat", r->model.rmse,
               r->baseline.rmse);
    printf("wrote %s/model.json and %s/%s/\n", out_dir, out_dir, BS_PREDICTIONS_DIR);
}

int cmd_train(int argc, char **argv) {
    static const struct option options[] = {
        {"input", required_argument, 0, 'i'},    {"mode", required_argument, 0, 'm'},
        {"horizon", required_argument, 0, 'H'},  {"max-iter", required_argument, 0, 'n'},
        {"max-depth", required_argument, 0, 'd'}, {"max-bins", required_argument, 0, 'b'},
        {"step-size", required_argument, 0, 's'}, {"seed", required_argument, 0, 'S'},
        {"out-dir", required_argument, 0, 'o'},  {"format", required_argument, 0, 'f'},
        {"threads", required_argument, 0, 'j'},  {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *input = CLI_DEFAULT_HISTORY, *out_dir = ".";
    int json = 0, c;
    bs_train_options o = bs_train_defaults();
    bs_error err = {{0}};
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'i': input = optarg; break;
        case 'm':
            if (bs_model_mode_parse(optarg, &o.mode, &err) != BS_OK) return cli_usage_error(argv[0], err.msg);
            break;
        case 'H': o.horizon = atoi(optarg); break;
        case 'n': o.max_iter = atoi(optarg); break;
        case 'd': o.max_depth = atoi(optarg); break;
        case 'b': o.max_bins = atoi(optarg); break;
        case 's': o.step_size = atof(optarg); break;
        case 'S': o.seed = strtoull(optarg, NULL, 10); break;
        case 'o': out_dir = optarg; break;
        case 'j': o.threads = atoi(optarg); break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cli_usage_error(argv[0], "--format must be text or json");
            json = strcmp(optarg, "json") == 0;
            break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (o.horizon < 1 || o.max_iter < 1 || o.max_depth < 1 || o.max_bins < 2 || !(o.step_size > 0))
        return cli_usage_error(argv[0], "--horizon, --max-iter and --max-depth must be at least 1, "
                                        "--max-bins at least 2, --step-size above 0");
    if (isatty(STDERR_FILENO)) o.progress = show_progress;

    if (bs_mkdirs(out_dir, &err) != BS_OK) return cli_fail(argv[0], &err);
    bs_tick_vec ticks = {0};
    bs_scan_stats stats;
    if (bs_history_load(input, NULL, &ticks, &stats, &err) != BS_OK) return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], input, &stats);
    char model_path[4096], predictions_dir[4200];
    snprintf(model_path, sizeof model_path, "%s/model.json", out_dir);
    snprintf(predictions_dir, sizeof predictions_dir, "%s/%s", out_dir, BS_PREDICTIONS_DIR);
    bs_train_result r;
    bs_status st = bs_train(ticks.items, ticks.len, &o, model_path, &r, &err);
    bs_tick_vec_free(&ticks);
    if (st == BS_OK) st = bs_predictions_write(predictions_dir, &r.predictions, &err);
    if (st != BS_OK) {
        bs_train_result_free(&r);
        return cli_fail(argv[0], &err);
    }
    if (isnan(r.model.r2)) cli_errorf(argv[0], "warning: R2 is undefined: the test closes are constant");
    report(&r, json, out_dir);
    bs_train_result_free(&r);
    return CLI_OK;
}
