/*
 * dm_test.h - is a forecast better than another, or lucky? The Diebold-Mariano test of equal
 * squared-error accuracy (Diebold and Mariano, 1995) with the small-sample correction of
 * Harvey, Leybourne and Newbold (1997).
 *
 * With d_t = e_model,t^2 - e_baseline,t^2 over n out-of-sample rows of an h-step forecast:
 *     mean d      = (1/n) sum d_t
 *     gamma_k     = (1/n) sum_{t=k+1..n} (d_t - mean d)(d_{t-k} - mean d),   k = 0 .. h-1
 *     V           = (gamma_0 + 2 sum_{k=1..h-1} gamma_k) / n
 *     DM          = mean d / sqrt(V)
 *     DM_HLN      = DM * sqrt((n + 1 - 2h + h(h-1)/n) / n)
 * and the p-value is P(T <= DM_HLN) for Student's t with n - 1 degrees of freedom: one-sided,
 * against the alternative that the model's squared error is smaller (d below 0). h-step
 * forecast errors overlap, hence the autocovariances up to lag h-1 and no further.
 */
#ifndef BTCSTREAM_DM_TEST_H
#define BTCSTREAM_DM_TEST_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"

/* The conventional level below which a p-value is called significant. */
#define BS_DM_ALPHA 0.05

typedef struct {
    size_t n;
    int horizon;
    double mean_diff;   /* mean of d_t (USD^2): below 0 when the model's errors are smaller */
    double statistic;   /* DM_HLN; NaN when undefined */
    double p_value;     /* one-sided, as above; NaN when undefined */
    int defined;        /* 0: the test cannot be computed, reason says why */
    const char *reason; /* static text; NULL when defined */
} bs_dm_result;

/*
 * The test on n rows of actual values and two forecasts of them (model, baseline) made
 * horizon steps ahead. A test that cannot be computed is not an error: out->defined is 0 and
 * out->reason says why (the forecasts are equal on every row, the differential is constant,
 * too few rows for the horizon, a variance estimate that is not positive). BS_ERR_ARG for a
 * horizon below 1.
 */
BS_API bs_status bs_dm_test(const double *actual, const double *model, const double *baseline,
                            size_t n, int horizon, bs_dm_result *out, bs_error *err);

/*
 * The verdict in words into buf (always terminated): "SUBJECT beats persistence (p = 0.003)"
 * when p < BS_DM_ALPHA, "no evidence that SUBJECT beats persistence (p = 0.41)" otherwise (with
 * ": persistence is the more accurate (p = 0.004 the other way)" added when 1 - p < BS_DM_ALPHA),
 * and "no test of SUBJECT against persistence: REASON" when undefined. subject is e.g. "the
 * model".
 */
BS_API void bs_dm_verdict(const bs_dm_result *dm, const char *subject, char *buf, size_t cap);

#endif
