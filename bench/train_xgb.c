/*
 * train_xgb.c - the training benchmark's C side: builds our forecast features from a history,
 * optionally dumps them (float32 rows, then float32 labels) for the Python peers, and times
 * what Python's side times too: building the DMatrix and 100 rounds of hist trees (depth 5,
 * 32 bins, eta 0.1, lambda 0, min_child_weight 1), on every core.
 *   bench_train_xgb HISTORY [DUMP_FILE]      prints: rows cols seconds
 *   bench_train_xgb --stage HISTORY          prints: rows_train rows_test seconds
 * --stage times bs_train() whole instead (features, the calibration model, the kept model,
 * predictions, metrics): what `btcstream train` spends after loading, which has no peer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <xgboost/c_api.h>

#include <string.h>

#include "btcstream/features.h"
#include "btcstream/model.h"
#include "btcstream/reader.h"
#include "btcstream/timeutil.h"

static int time_stage(const char *history) {
    bs_tick_vec ticks = {0};
    bs_error err = {{0}};
    bs_train_result r;
    if (bs_history_load(history, NULL, &ticks, NULL, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    int64_t start = bs_monotonic_us();
    if (bs_train(ticks.items, ticks.len, NULL, NULL, &r, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    printf("%zu %zu %.3f\n", r.rows_train, r.rows_test, (double)(bs_monotonic_us() - start) / 1e6);
    bs_train_result_free(&r);
    bs_tick_vec_free(&ticks);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--stage") == 0) return time_stage(argv[2]);
    if (argc < 2) return fprintf(stderr, "usage: %s HISTORY [DUMP_FILE]\n", argv[0]), 2;
    bs_tick_vec ticks = {0};
    bs_features f;
    bs_error err = {{0}};
    if (bs_history_load(argv[1], NULL, &ticks, NULL, &err) != BS_OK ||
        bs_features_build(ticks.items, ticks.len, BS_MODE_FORECAST, 1, &f, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    size_t rows = f.rows - 1; /* the last row has no label yet */
    float *y = malloc(rows * sizeof *y);
    for (size_t i = 0; i < rows; i++) y[i] = (float)f.label[i];
    if (argc > 2) {
        FILE *out = fopen(argv[2], "wb");
        if (!out || fwrite(f.x, sizeof(float), rows * f.cols, out) != rows * f.cols ||
            fwrite(y, sizeof(float), rows, out) != rows || fclose(out) != 0)
            return fprintf(stderr, "cannot write %s\n", argv[2]), 1;
    }
    int64_t start = bs_monotonic_us();
    DMatrixHandle d;
    BoosterHandle b;
    if (XGDMatrixCreateFromMat_omp(f.x, rows, f.cols, NAN, &d, 0) != 0 ||
        XGDMatrixSetFloatInfo(d, "label", y, rows) != 0 || XGBoosterCreate(&d, 1, &b) != 0)
        return fprintf(stderr, "%s\n", XGBGetLastError()), 1;
    const char *params[][2] = {{"tree_method", "hist"},
                               {"max_depth", "5"},
                               {"max_bin", "32"},
                               {"eta", "0.1"},
                               {"lambda", "0"},
                               {"min_child_weight", "1"},
                               {"objective", "reg:squarederror"},
                               {"verbosity", "0"}};
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        XGBoosterSetParam(b, params[i][0], params[i][1]);
    for (int round = 0; round < 100; round++)
        if (XGBoosterUpdateOneIter(b, round, d) != 0)
            return fprintf(stderr, "%s\n", XGBGetLastError()), 1;
    printf("%zu %zu %.3f\n", rows, f.cols, (double)(bs_monotonic_us() - start) / 1e6);
    XGBoosterFree(b);
    XGDMatrixFree(d);
    free(y);
    bs_features_free(&f);
    bs_tick_vec_free(&ticks);
    return 0;
}
