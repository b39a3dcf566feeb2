/*
 * student_t.h - Student's t distribution, for the p-value of the Diebold-Mariano test
 * (dm_test.h). Written here rather than taken from a library: the few lines it needs are not
 * worth a dependency, and the tests check them against closed forms and exact sums.
 *
 * The CDF comes from the regularized incomplete beta function:
 *     P(T <= t) = 1 - I_x(df/2, 1/2) / 2   for t >= 0, x = df / (df + t^2),
 * and by symmetry for t < 0. I_x(a, b) is evaluated by its continued fraction (Lentz's
 * method), on whichever side of the mean a / (a + b) it converges fast.
 */
#ifndef BTCSTREAM_STUDENT_T_H
#define BTCSTREAM_STUDENT_T_H

#include "btcstream/export.h"

/*
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]; NaN
 * outside that domain. Accurate to about 1e-14 relative.
 */
BS_API double bs_beta_inc_reg(double a, double b, double x);

/* P(T <= t) for Student's t with df > 0 degrees of freedom; NaN for df <= 0 or t NaN. */
BS_API double bs_student_t_cdf(double t, double df);

#endif
