/*
 * conformal.h - split-conformal prediction intervals (Vovk et al.; Lei et al., 2018).
 *
 * A model's absolute residuals on n held-out rows it was not fitted on are the scores; the
 * interval of a new forecast p at level L is p +- q with q the ceil((n + 1) L)-th smallest
 * score. When rows are exchangeable, a new row falls inside with probability at least L (and
 * below L + 1/(n + 1)). Here the scores are residuals of log returns, so a price interval is
 * close * exp(p - q) .. close * exp(p + q), and the held-out rows are the last 20% of the
 * training rows: never a test row.
 */
#ifndef BTCSTREAM_CONFORMAL_H
#define BTCSTREAM_CONFORMAL_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"

#define BS_CONFORMAL_DEFAULT_LEVEL 0.8

/*
 * The half-width q above from scores[0..n) (not modified). INFINITY when n is too small for the
 * level ((n + 1) L > n). BS_ERR_ARG when level is not in (0, 1), BS_ERR_NOMEM.
 */
BS_API bs_status bs_conformal_halfwidth(const double *scores, size_t n, double level, double *q,
                                        bs_error *err);

typedef struct {
    double level;
    double coverage;   /* share of rows with lower <= actual <= upper; NaN with no rows */
    double mean_width; /* mean of upper - lower */
    size_t rows;
} bs_interval_stats;

/* How intervals [lower, upper] did on n rows of actual values. */
BS_API void bs_interval_measure(const double *actual, const double *lower, const double *upper,
                                size_t n, double level, bs_interval_stats *out);

#endif
