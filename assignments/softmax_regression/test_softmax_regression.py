"""Public checks for softmax_regression.py: run `pytest` in this folder."""
import math

import torch

from diagnose import explain, fmt, reduction_hint, shape_of, softmax_hint
from softmax_regression import cross_entropy, softmax


def test_softmax_by_hand():
    X = torch.tensor([[0.0, math.log(2.0)], [1.0, 1.0]])
    out = softmax(X)
    assert out.shape == (2, 2), f"softmax should keep X's shape (2, 2), got {shape_of(out)}"
    expected = torch.tensor([[1 / 3, 2 / 3], [0.5, 0.5]])
    assert torch.allclose(out, expected), explain(
        f"row [0, ln 2] gives [1/3, 2/3] and row [1, 1] gives [1/2, 1/2]; got {fmt(out)}", softmax_hint(out, X))


def test_softmax_rows_sum_to_one():
    X = torch.normal(0, 1, (2, 5))
    out = softmax(X)
    assert out.shape == (2, 5), f"softmax should keep X's shape (2, 5), got {shape_of(out)}"
    sums = out.sum(1)
    assert torch.allclose(sums, torch.ones(2)), explain(
        f"each row should sum to 1, got row sums {fmt(sums)}",
        softmax_hint(out, X) or "Sum over dim=1, with keepdim=True.")
    assert (out >= 0).all(), "probabilities cannot be negative"


def test_cross_entropy_by_hand():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = torch.tensor([0, 2])
    loss = cross_entropy(y_hat, y)
    expected = torch.tensor([-math.log(0.1), -math.log(0.5)])
    assert loss.shape == (2,), explain(
        f"cross_entropy should return one loss per example, shape (2,), got {shape_of(loss)}",
        reduction_hint(loss, expected))
    assert torch.allclose(loss, expected), f"expected [−log 0.1, −log 0.5] = {fmt(expected)}, got {fmt(loss)}"


def test_cross_entropy_is_differentiable():
    y_hat = torch.tensor([[0.25, 0.75]], requires_grad=True)
    cross_entropy(y_hat, torch.tensor([1])).sum().backward()
    assert y_hat.grad is not None, "the loss should be computed with torch operations so that it has a gradient"
    assert torch.allclose(y_hat.grad, torch.tensor([[0.0, -1 / 0.75]])), (
        f"d(−log p)/dp = −1/p: expected [[0, −1.3333]], got {fmt(y_hat.grad)}")
