"""Public checks for analytic_solution.py: run `pytest` in this folder."""
import pytest
import torch

from analytic_solution import absorb_bias, analytic_solution


def test_absorb_bias_appends_a_column_of_ones():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert torch.equal(absorb_bias(X), torch.tensor([[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]]))


def test_an_exact_line_is_recovered():
    X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = 2 * X.reshape(-1) + 1
    assert torch.allclose(analytic_solution(X, y), torch.tensor([[2.0], [1.0]]), atol=1e-5)


def test_a_rank_deficient_x_is_refused():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])  # two equal columns
    with pytest.raises(ValueError):
        analytic_solution(X, torch.tensor([1.0, 2.0, 3.0]))
