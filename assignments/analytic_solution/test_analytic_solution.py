"""Public checks for analytic_solution.py: run `pytest` in this folder."""
import pytest
import torch

from analytic_solution import absorb_bias, analytic_solution
from diagnose import expect_close


def test_absorb_bias_appends_a_column_of_ones():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    expect_close(absorb_bias(X), torch.tensor([[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]]),
                 "absorb_bias(X) with X = [[1, 2], [3, 4]]", "Append the column of ones last: torch.cat([X, ones], 1).")


def test_an_exact_line_is_recovered():
    X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = 2 * X.reshape(-1) + 1
    expect_close(analytic_solution(X, y), torch.tensor([[2.0], [1.0]]),
                 "analytic_solution(X, y) for points on y = 2x + 1 (w = 2, then the bias 1)", atol=1e-5)


def test_a_rank_deficient_x_is_refused():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])  # two equal columns
    with pytest.raises(ValueError):  # pytest says "DID NOT RAISE" otherwise
        analytic_solution(X, torch.tensor([1.0, 2.0, 3.0]))
