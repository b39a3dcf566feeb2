/* metrics.c - see metrics.h. Sums are compensated (Neumaier), so a million rows lose nothing. */
#include "btcstream/metrics.h"

#include <math.h>

typedef struct {
    double sum, carry;
} kahan;

static void add(kahan *k, double v) {
    double t = k->sum + v;
    k->carry += fabs(k->sum) >= fabs(v) ? (k->sum - t) + v : (v - t) + k->sum;
    k->sum = t;
}

static double total(const kahan *k) { return k->sum + k->carry; }

static int sign(double v) { return (v > 0) - (v < 0); }

void bs_metrics_compute(const double *actual, const double *predicted, const double *last, size_t n,
                        bs_metrics *out) {
    kahan sq = {0, 0}, ab = {0, 0}, sum = {0, 0}, tot = {0, 0};
    size_t same_direction = 0;
    for (size_t i = 0; i < n; i++) {
        double e = actual[i] - predicted[i];
        add(&sq, e * e);
        add(&ab, fabs(e));
        add(&sum, actual[i]);
        if (last) same_direction += sign(actual[i] - last[i]) == sign(predicted[i] - last[i]);
    }
    double mean = n ? total(&sum) / (double)n : NAN;
    for (size_t i = 0; i < n; i++) add(&tot, (actual[i] - mean) * (actual[i] - mean));
    out->rmse = n ? sqrt(total(&sq) / (double)n) : NAN;
    out->mae = n ? total(&ab) / (double)n : NAN;
    out->r2 = n && total(&tot) > 0 ? 1.0 - total(&sq) / total(&tot) : NAN;
    out->direction_acc = last && n ? (double)same_direction / (double)n : NAN;
}
