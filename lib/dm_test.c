/*
 * dm_test.c - see dm_test.h. Two passes over the loss differential (its mean, then the
 * autocovariances about it), so a million rows of squared errors around 1e3 lose nothing that
 * matters against the p-value's precision.
 */
#include "btcstream/dm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "btcstream/student_t.h"

static double loss_diff(const double *y, const double *a, const double *b, size_t t) {
    double ea = y[t] - a[t], eb = y[t] - b[t];
    return ea * ea - eb * eb;
}

static void undefined(bs_dm_result *out, const char *reason) {
    out->defined = 0;
    out->statistic = out->p_value = NAN;
    out->reason = reason;
}

bs_status bs_dm_test(const double *actual, const double *model, const double *baseline, size_t n,
                     int horizon, bs_dm_result *out, bs_error *err) {
    *out = (bs_dm_result){.n = n, .horizon = horizon, .mean_diff = NAN};
    if (horizon < 1) return bs_fail(err, BS_ERR_ARG, "the DM test's horizon must be at least 1");
    if (n < 2 || (size_t)horizon >= n) {
        undefined(out, "too few out-of-sample rows for the horizon");
        return BS_OK;
    }
    double sum = 0;
    int all_equal = 1;
    for (size_t t = 0; t < n; t++) {
        double d = loss_diff(actual, model, baseline, t);
        sum += d;
        all_equal &= model[t] == baseline[t];
    }
    double mean = sum / (double)n;
    out->mean_diff = mean;
    if (all_equal) {
        undefined(out, "the forecasts equal persistence's on every row");
        return BS_OK;
    }
    double v = 0;
    for (int k = 0; k < horizon; k++) {
        double gamma = 0;
        for (size_t t = (size_t)k; t < n; t++)
            gamma += (loss_diff(actual, model, baseline, t) - mean) *
                     (loss_diff(actual, model, baseline, t - (size_t)k) - mean);
        gamma /= (double)n;
        v += k == 0 ? gamma : 2 * gamma;
    }
    v /= (double)n;
    if (!(v > 0)) {
        undefined(out, v == 0 ? "the loss differential is constant"
                              : "the long-run variance estimate is not positive");
        return BS_OK;
    }
    double dn = (double)n, h = horizon;
    double correction = sqrt((dn + 1 - 2 * h + h * (h - 1) / dn) / dn);
    out->statistic = mean / sqrt(v) * correction;
    out->p_value = bs_student_t_cdf(out->statistic, dn - 1);
    out->defined = 1;
    return BS_OK;
}

void bs_dm_verdict(const bs_dm_result *dm, const char *subject, char *buf, size_t cap) {
    /* Two significant digits, except near 1, where they would round 0.996 to "1". */
    char p[32];
    if (dm->defined) snprintf(p, sizeof p, dm->p_value < 0.995 ? "%.2g" : "%.4g", dm->p_value);
    if (!dm->defined)
        snprintf(buf, cap, "no test of %s against persistence: %s", subject, dm->reason);
    else if (dm->p_value < BS_DM_ALPHA)
        snprintf(buf, cap, "%s beats persistence (p = %s)", subject, p);
    else if (1 - dm->p_value < BS_DM_ALPHA) /* one-sided, but a clear loss is worth saying */
        snprintf(buf, cap,
                 "no evidence that %s beats persistence (p = %s): persistence is the more "
                 "accurate (p = %.2g the other way)",
                 subject, p, 1 - dm->p_value);
    else snprintf(buf, cap, "no evidence that %s beats persistence (p = %s)", subject, p);
}
