/*
 * forecast.c - reader.h, model.h, metrics.h and predictions.h: the training stage from your own
 * program. Loads a price file (any format `btcstream import` reads), trains the forecast model
 * with Spark GBTRegressor's defaults, writes the predictions folder in Spark's layout to OUT_DIR,
 * reads it back, and prints the metrics and then every test row as
 * "timestamp_us close prediction baseline".
 *
 *   python3 docs/make_ticks.py > ticks.csv && ./build/example_forecast ticks.csv preds.parquet
 */
#include <stdio.h>

#include <btcstream/model.h>
#include <btcstream/predictions.h>
#include <btcstream/reader.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRICE_FILE OUT_DIR\n", argv[0]);
        return 2;
    }
    bs_error err = {{0}};
    bs_tick_vec ticks = {0};      /* ours: freed below */
    bs_train_result result = {0}; /* owns its predictions after bs_train() */
    bs_predictions back = {0};    /* what we read back */
    int rc = 1;
    if (bs_history_load(argv[1], NULL, &ticks, NULL, &err) != BS_OK) goto fail;
    bs_train_options opts = bs_train_defaults(); /* forecast mode, 1 tick ahead */
    if (bs_train(ticks.items, ticks.len, &opts, NULL, &result, &err) != BS_OK) goto fail;
    if (bs_predictions_write(argv[2], &result.predictions, &err) != BS_OK) goto fail;
    if (bs_predictions_read(argv[2], &back, &err) != BS_OK) goto fail;

    printf("%zu ticks: %zu rows to train, %zu to test\n", ticks.len, result.rows_train,
           result.rows_test);
    printf("model rmse %.17g mae %.17g\n", result.model.rmse, result.model.mae);
    printf("baseline rmse %.17g mae %.17g\n", result.baseline.rmse, result.baseline.mae);
    for (size_t i = 0; i < back.rows; i++)
        printf("%lld %.17g %.17g %.17g\n", (long long)back.timestamp_us[i], back.close[i],
               back.prediction[i], back.baseline ? back.baseline[i] : 0.0);
    rc = 0;
fail:
    if (rc) fprintf(stderr, "%s\n", err.msg);
    bs_predictions_free(&back);
    bs_train_result_free(&result);
    bs_tick_vec_free(&ticks);
    return rc;
}
