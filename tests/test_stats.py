"""Are the statistical bounds really bounds? (Checked where they can be computed or sampled.)"""
import math

import pytest
import torch

from autograder.checks.stats import gaussian_z, mean_bound, variance_ratio_interval


@pytest.mark.parametrize("p", [1e-3, 1e-6, 1e-12])
def test_gaussian_z_meets_its_tail_probability(p):
    z = gaussian_z(p)
    assert math.erfc(z / math.sqrt(2)) <= p           # exact two-sided tail
    assert math.erfc((z - 0.05) / math.sqrt(2)) > p / 10  # and it is not absurdly loose


@pytest.mark.parametrize("k", [10, 200, 20_000])
def test_chi_square_interval_holds_by_sampling(k):
    """At p = 0.01 the interval must miss at most ~1% of 4000 samples of chi-square(k)."""
    lo, hi = variance_ratio_interval(k, p=0.01)
    g = torch.Generator().manual_seed(k)
    samples = torch.randn(4000, k, generator=g, dtype=torch.float64).pow(2).mean(1)
    misses = ((samples < lo) | (samples > hi)).double().mean().item()
    # Binomial(4000, 0.01) exceeds 0.025 with probability < 1e-9.
    assert misses <= 0.025


def test_noise_levels_the_issue_names_are_caught():
    lo, hi = variance_ratio_interval(20_000)
    for sigma in (0.1, 0.001):
        assert not lo <= (sigma / 0.01) ** 2 <= hi
    assert mean_bound(20_000, 0.01) < 0.001
