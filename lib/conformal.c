/* conformal.c - see conformal.h. */
#include "btcstream/conformal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bs_status bs_conformal_halfwidth(const double *scores, size_t n, double level, double *q,
                                 bs_error *err) {
    *q = INFINITY;
    if (!(level > 0 && level < 1))
        return bs_fail(err, BS_ERR_ARG, "the interval level must be between 0 and 1, not %g",
                       level);
    /* k = ceil((n + 1) L), 1-based; the small tolerance keeps (n + 1) L that is a whole number
     * in exact arithmetic (999 * 0.8 + 0.8 = 800) from rounding up to the next one. */
    double k = ceil((double)(n + 1) * level - 1e-9);
    if (k > (double)n) return BS_OK;
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu scores", n);
    memcpy(sorted, scores, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_value);
    *q = sorted[(size_t)k - 1];
    free(sorted);
    return BS_OK;
}

void bs_interval_measure(const double *actual, const double *lower, const double *upper, size_t n,
                         double level, bs_interval_stats *out) {
    size_t inside = 0;
    double width = 0;
    for (size_t i = 0; i < n; i++) {
        inside += lower[i] <= actual[i] && actual[i] <= upper[i];
        width += upper[i] - lower[i];
    }
    *out = (bs_interval_stats){.level = level,
                               .coverage = n ? (double)inside / (double)n : NAN,
                               .mean_width = n ? width / (double)n : NAN,
                               .rows = n};
}
