/*
 * metrics.h - how good a forecast is, as Spark's RegressionEvaluator defines it:
 *   RMSE = sqrt(mean((y - p)^2)), MAE = mean(|y - p|), R² = 1 - SS_res / SS_tot with SS_tot about
 *   the mean of y; plus direction accuracy: how often the forecast moves the same way as the
 *   price (up, down or flat) from the last known close.
 */
#ifndef BTCSTREAM_METRICS_H
#define BTCSTREAM_METRICS_H

#include "btcstream/export.h"

#include <stddef.h>

typedef struct {
    double rmse, mae;
    double r2;            /* NaN when the actual values are constant (R² is undefined then) */
    double direction_acc; /* NaN when no last close was given */
} bs_metrics;

/* Metrics of predicted against actual over n rows; last (may be NULL) is the last known close. */
BS_API void bs_metrics_compute(const double *actual, const double *predicted, const double *last,
                               size_t n, bs_metrics *out);

#endif
