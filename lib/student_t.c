/*
 * student_t.c - see student_t.h. The continued fraction is the one of Numerical Recipes
 * (betacf), run with the modified Lentz method; it converges in O(sqrt(max(a, b))) terms when
 * x < (a + 1) / (a + b + 2), so the other side is reached through I_x(a, b) = 1 - I_{1-x}(b, a).
 * For the Diebold-Mariano test a = (n - 1) / 2 can be half a million: the term limit below
 * allows for that.
 */
#include "btcstream/student_t.h"

#include <math.h>

#define MAX_TERMS 100000
#define EPSILON 1e-16
#define TINY 1e-300

/* The continued fraction of I_x(a, b) (without its prefactor). */
static double beta_fraction(double a, double b, double x) {
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < TINY) d = TINY;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_TERMS; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2)); /* the even step */
        d = 1 + aa * d;
        d = fabs(d) < TINY ? TINY : d;
        c = 1 + aa / c;
        c = fabs(c) < TINY ? TINY : c;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)); /* the odd step */
        d = 1 + aa * d;
        d = fabs(d) < TINY ? TINY : d;
        c = 1 + aa / c;
        c = fabs(c) < TINY ? TINY : c;
        d = 1 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1) < EPSILON) break;
    }
    return h;
}

/*
 * lgamma(a + b) - lgamma(a) for a >= 10 from Stirling's series, differenced term by term: the
 * direct difference of two lgamma values near 1e7 would keep only nine digits.
 */
static double lgamma_step(double a, double b) {
    double c = a + b;
    double series = 0;
    static const double coef[] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680};
    double pc = 1 / c, pa = 1 / a;
    for (int k = 0; k < 4; k++) {
        series += coef[k] * (pc - pa);
        pc /= c * c;
        pa /= a * a;
    }
    return (a - 0.5) * log1p(b / a) + b * log(c) - b + series;
}

/* log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), without the cancellation for large a or b.
 */
static double log_beta(double a, double b) {
    double big = a > b ? a : b, small = a > b ? b : a;
    if (big < 10) return lgamma(a) + lgamma(b) - lgamma(a + b);
    return lgamma(small) - lgamma_step(big, small);
}

/*
 * I_x(a, b) given x, y = 1 - x and their logs, each as precise as the caller can make them:
 * a log(x) with a near 1e6 turns the last bit of x into the sixth decimal of the result.
 */
static double beta_inc(double a, double b, double x, double y, double log_x, double log_y) {
    if (x <= 0) return 0;
    if (y <= 0) return 1;
    double front = exp(a * log_x + b * log_y - log_beta(a, b));
    if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, y) / b;
}

double bs_beta_inc_reg(double a, double b, double x) {
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return NAN;
    return beta_inc(a, b, x, 1 - x, log(x), log1p(-x));
}

double bs_student_t_cdf(double t, double df) {
    if (!(df > 0) || isnan(t)) return NAN;
    if (isinf(t)) return t > 0 ? 1 : 0;
    if (t == 0) return 0.5;
    /* The tail mass is I_x(df/2, 1/2) / 2 with x = df / (df + t^2) and 1 - x = t^2 / (df + t^2),
     * both formed directly (never as 1 minus the other) and their logs from t and df. */
    double t2 = t * t, r = t2 / df; /* 1 - x = r / (1 + r) */
    double x = 1 / (1 + r), y = r / (1 + r);
    double log_x = -log1p(r), log_y = log(r) - log1p(r);
    double tail = 0.5 * beta_inc(df / 2, 0.5, x, y, log_x, log_y);
    return t > 0 ? 1 - tail : tail;
}
