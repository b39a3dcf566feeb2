"""Independent Diebold-Mariano / Harvey-Leybourne-Newbold reference for the tests.

The Student-t CDF is the finite sum of Abramowitz and Stegun 26.7.3-26.7.4 for whole degrees
of freedom (not the incomplete beta continued fraction that lib/student_t.c uses), so the two
implementations share nothing but the definition.
"""
import math


def t_cdf(t, df):
    """P(T <= t) for Student's t with a whole number df >= 1 of degrees of freedom."""
    theta = math.atan(abs(t) / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    if df % 2 == 1:
        total, term = 0.0, c
        for k in range(1, (df - 1) // 2 + 1):  # c, (2/3) c^3, (2*4)/(3*5) c^5, ...
            total += term
            term *= c * c * (2 * k) / (2 * k + 1)
        a = 2 / math.pi * (theta + s * total) if df > 1 else 2 * theta / math.pi
    else:
        total, term = 0.0, 1.0
        for k in range(1, df // 2 + 1):  # 1, (1/2) c^2, (1*3)/(2*4) c^4, ...
            total += term
            term *= c * c * (2 * k - 1) / (2 * k)
        a = s * total
    return 0.5 + a / 2 if t >= 0 else 0.5 - a / 2


def dm_test(y, model, base, h):
    """(statistic, one-sided p-value) of the HLN-corrected DM test, or None when undefined."""
    d = [(a - m) ** 2 - (a - b) ** 2 for a, m, b in zip(y, model, base)]
    n = len(d)
    mean = math.fsum(d) / n
    gam = [math.fsum((d[t] - mean) * (d[t - k] - mean) for t in range(k, n)) / n for k in range(h)]
    v = (gam[0] + 2 * math.fsum(gam[1:])) / n
    if v <= 0:
        return None
    stat = mean / math.sqrt(v) * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    return stat, t_cdf(stat, n - 1)


if __name__ == "__main__":
    y = [1, 2, 3, 4, 5, 4, 6]
    m = [1.5, 2, 2.5, 4.5, 5, 3.5, 6.5]
    b = [0, 2, 4, 4, 3, 5, 5]
    for h in (1, 2, 3):
        print(h, repr(dm_test(y, m, b, h)))
