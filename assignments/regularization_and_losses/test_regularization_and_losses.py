"""Public checks for regularization_and_losses.py: run `pytest` in this folder."""
import math

import torch

from regularization_and_losses import cross_entropy_from_logits, huber_loss, l1_loss, l2_penalty, log_softmax


def test_l2_penalty_by_hand():
    w = torch.tensor([[1.0, -2.0], [3.0, 0.0]])
    assert torch.allclose(l2_penalty(w), torch.tensor(7.0))


def test_l1_loss_by_hand():
    y_hat = torch.tensor([[1.0], [2.0]])
    assert torch.allclose(l1_loss(y_hat, torch.tensor([3.0, 2.5])), torch.tensor([[2.0], [0.5]]))


def test_huber_loss_is_quadratic_near_zero_and_linear_far_away():
    y_hat = torch.tensor([[0.5], [3.0], [-2.0]])
    got = huber_loss(y_hat, torch.zeros(3), delta=1.0)
    assert torch.allclose(got, torch.tensor([[0.125], [2.5], [1.5]]))


def test_log_softmax_by_hand():
    X = torch.tensor([[0.0, math.log(3.0)]])
    assert torch.allclose(log_softmax(X), torch.tensor([[math.log(0.25), math.log(0.75)]]), atol=1e-6)


def test_log_softmax_stays_finite_for_large_logits():
    X = torch.tensor([[1000.0, 0.0], [-1000.0, -1000.0]])
    got = log_softmax(X)
    assert torch.isfinite(got).all()
    assert torch.allclose(got, torch.tensor([[0.0, -1000.0], [-math.log(2.0), -math.log(2.0)]]))


def test_cross_entropy_from_logits_by_hand():
    logits = torch.tensor([[0.0, 0.0], [1000.0, 0.0]])
    got = cross_entropy_from_logits(logits, torch.tensor([1, 1]))
    assert got.shape == (2,)
    assert torch.allclose(got, torch.tensor([math.log(2.0), 1000.0]))
