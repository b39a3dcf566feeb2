/*
 * run_pipeline.c - import.h, pipeline.h and plot.h: `btcstream run` in miniature. Imports a
 * price file into DIR/old.json (twice: the second import skips every tick), then runs the
 * producer and the stream processor together on a replay of the same file into
 * DIR/stream and DIR/history.json, trains the model into DIR (model.json and the predictions
 * folder), and plots DIR/plot.png.
 *
 *   python3 docs/make_ticks.py --minutes 120 > ticks.csv
 *   ./build/example_run_pipeline ticks.csv out
 */
#include <stdio.h>

#include <btcstream/fsutil.h>
#include <btcstream/import.h>
#include <btcstream/model.h>
#include <btcstream/pipeline.h>
#include <btcstream/plot.h>

static int import_twice(const char *file, const char *history, bs_error *err) {
    for (int i = 0; i < 2; i++) {
        bs_import_result r;
        bs_scan_stats stats; /* required: the file's bad lines, with their numbers */
        if (bs_import_file(file, history, NULL, &r, &stats, err) != BS_OK) return 1;
        printf("import: read %llu, appended %llu, skipped %llu duplicates\n",
               (unsigned long long)r.read, (unsigned long long)r.appended,
               (unsigned long long)r.duplicates);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRICE_FILE DIR\n", argv[0]);
        return 2;
    }
    char old[4096], stream_dir[4096], history[4096], plot[4096];
    snprintf(old, sizeof old, "%s/old.json", argv[2]);
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", argv[2]);
    snprintf(history, sizeof history, "%s/history.json", argv[2]);
    snprintf(plot, sizeof plot, "%s/plot.png", argv[2]);

    bs_error err = {{0}};
    bs_source *source = NULL;
    bs_tick_vec ticks = {0};
    bs_train_result result = {0};
    int rc = 1;
    if (bs_mkdirs(argv[2], &err) != BS_OK) goto fail;
    if (import_twice(argv[1], old, &err)) goto fail;

    /* The producer in a thread, the stream processor here; drained before it returns. */
    bs_producer producer;
    if (bs_source_replay_open(argv[1], NULL, &source, &err) != BS_OK) goto fail;
    if (bs_producer_open(&producer, stream_dir, &err) != BS_OK) goto fail;
    bs_pipeline_options opts = {.ingest = {.source = source, .producer = &producer},
                                .stream = bs_stream_defaults()};
    opts.stream.stream_dir = stream_dir;
    opts.stream.history = history;
    opts.stream.trigger_us = 0;
    bs_pipeline_totals totals;
    if (bs_pipeline_stream(&opts, &totals, &err) != BS_OK) goto fail;
    printf("pipeline: %llu ticks produced, %llu rows committed\n",
           (unsigned long long)totals.ingest.ticks, (unsigned long long)totals.stream.rows);

    /* The batch stages over the history the stream wrote. */
    if (bs_history_load(history, NULL, &ticks, NULL, &err) != BS_OK) goto fail;
    if (bs_train_to_dir(ticks.items, ticks.len, NULL, argv[2], &result, &err) != BS_OK) goto fail;
    if (bs_plot_predictions(&result.predictions, plot, &err) != BS_OK) goto fail;
    printf("trained on %zu rows, tested on %zu, plotted %s\n", result.rows_train, result.rows_test,
           plot);
    rc = 0;
fail:
    if (rc) fprintf(stderr, "%s\n", err.msg);
    bs_train_result_free(&result);
    bs_tick_vec_free(&ticks);
    bs_source_free(source);
    return rc;
}
