/*
 * stages_report.c - the pipeline's batch stages from your own program: the tables of a history
 * as CSV through a sink, then train, predictions, zip and plot into an output folder (no
 * upload), and one line a stage saying what it did, or why not.
 *
 *   ./build/example_stages_report Data/sim/bitcoin_combined.json out
 */
#include <stdio.h>

#include <btcstream/sink.h>
#include <btcstream/stages.h>

static void report(void *ctx, const bs_stage_report *r, const bs_stages_result *so_far) {
    (void)ctx;
    (void)so_far;
    fprintf(stderr, "%-12s %s: %s\n", r->name, bs_stage_outcome_name(r->outcome), r->detail);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s HISTORY OUT_DIR\n", argv[0]);
        return 2;
    }
    bs_error err = {{0}};
    bs_sink_options so = {.out = stdout, .label = 1}; /* several tables: "# table NAME" lines */
    bs_sink *csv;
    if (bs_sink_open("csv", &so, &csv, &err) != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    bs_stages_options o = {
        .history = argv[1], .out_dir = argv[2], .tables = csv, .upload = 0, .on_stage = report};
    bs_stages_result r;
    bs_status st = bs_stages_run(&o, &r, &err);
    if (r.trained)
        fprintf(stderr, "model RMSE %.4f, persistence RMSE %.4f\n", r.model.model.rmse,
                r.model.baseline.rmse);
    bs_stages_result_free(&r);
    bs_sink_free(csv);
    return st == BS_OK ? 0 : 1;
}
