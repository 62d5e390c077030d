"""Acceptance bounds for statistical checks, derived from sampling distributions.

Every bound here is rigorous (a tail *bound*, not an approximation), set so that a
correct solution falls outside it with probability at most ``P_FALSE_ALARM`` per
statistic. A grading computes fewer than 100 such statistics, so by the union bound a
correct submission fails a grading by bad luck with probability below 100 x 1e-12 = 1e-10,
comfortably under the 1e-9 the kit promises.
"""
from __future__ import annotations

import math

P_FALSE_ALARM = 1e-12


def gaussian_z(p: float = P_FALSE_ALARM) -> float:
    """The z with P(|Z| > z) <= p for a standard normal Z.

    Uses the Mills-ratio bound P(|Z| > z) <= 2 phi(z) / z, which holds for all z > 0;
    bisection finds the smallest z meeting it.
    """
    lo, hi = 1.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        tail = 2 * math.exp(-mid * mid / 2) / (mid * math.sqrt(2 * math.pi))
        lo, hi = (mid, hi) if tail > p else (lo, mid)
    return hi


def mean_bound(n: int, sigma: float, p: float = P_FALSE_ALARM) -> float:
    """|sample mean - mu| stays below this for n i.i.d. N(mu, sigma^2) draws.

    The sample mean of Gaussians is exactly N(mu, sigma^2 / n).
    """
    return gaussian_z(p) * sigma / math.sqrt(n)


def variance_ratio_interval(k: int, p: float = P_FALSE_ALARM) -> tuple[float, float]:
    """(lo, hi) holding S/k with probability >= 1 - p, for S ~ chi-square with k dof.

    For Gaussian data with known mean, sum((x - mu)^2) / sigma^2 is exactly chi-square(k).
    Chernoff bounds: P(S >= k(1+t)) <= exp(-k/2 (t - ln(1+t))) and
    P(S <= k(1-t)) <= exp(-k/2 (-t - ln(1-t))); each side gets p/2.
    """
    log_p = math.log(p / 2)
    upper = _smallest_t(lambda t: -k / 2 * (t - math.log1p(t)) <= log_p, 100.0)
    lower = _smallest_t(lambda t: -k / 2 * (-t - math.log1p(-t)) <= log_p, 1.0 - 1e-15)
    return 1 - lower, 1 + upper


def _smallest_t(small_enough, hi: float) -> float:
    """The smallest t in (0, hi] where the tail bound is small enough (it falls as t grows)."""
    lo = 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if small_enough(mid) else (mid, hi)
    return hi
