"""Public checks for regularization_and_losses.py: run `pytest` in this folder."""
import math

import torch

from diagnose import expect_close, fmt
from regularization_and_losses import cross_entropy_from_logits, huber_loss, l1_loss, l2_penalty, log_softmax


def test_l2_penalty_by_hand():
    w = torch.tensor([[1.0, -2.0], [3.0, 0.0]])
    expect_close(l2_penalty(w), torch.tensor(7.0), "l2_penalty(w) with w = [[1, -2], [3, 0]]",
                 "The penalty is the sum of the squared weights, halved: (w ** 2).sum() / 2.")


def test_l1_loss_by_hand():
    y_hat = torch.tensor([[1.0], [2.0]])
    expect_close(l1_loss(y_hat, torch.tensor([3.0, 2.5])), torch.tensor([[2.0], [0.5]]),
                 "l1_loss(y_hat, y) with y_hat = [[1], [2]] and y = [3, 2.5] (|ŷ − y| per example)")


def test_huber_loss_is_quadratic_near_zero_and_linear_far_away():
    y_hat = torch.tensor([[0.5], [3.0], [-2.0]])
    expect_close(huber_loss(y_hat, torch.zeros(3), delta=1.0), torch.tensor([[0.125], [2.5], [1.5]]),
                 "huber_loss(y_hat, 0, delta=1) with y_hat = [[0.5], [3], [-2]]",
                 "Within delta of the target it is r²/2; beyond it, delta·(|r| − delta/2).")


def test_log_softmax_by_hand():
    X = torch.tensor([[0.0, math.log(3.0)]])
    expect_close(log_softmax(X), torch.tensor([[math.log(0.25), math.log(0.75)]]),
                 "log_softmax(X) with X = [[0, ln 3]] ([ln 1/4, ln 3/4])", atol=1e-6)


def test_log_softmax_stays_finite_for_large_logits():
    X = torch.tensor([[1000.0, 0.0], [-1000.0, -1000.0]])
    got = log_softmax(X)
    assert torch.isfinite(got).all(), (
        f"log_softmax of logits ±1000 gave {fmt(got)}\nLikely cause: exp(1000) overflows: subtract each row's "
        "maximum first, X - X.max(1, keepdim=True).values, then take the log of the sum of exponentials.")
    # float32 holds numbers near 1000 only to 6e-5 (its spacing there), so a correct X - (m + log sum)
    # may be off by that much in the last row: compare to 1e-4, as the grader does.
    expect_close(got, torch.tensor([[0.0, -1000.0], [-math.log(2.0), -math.log(2.0)]]),
                 "log_softmax(X) with X = [[1000, 0], [-1000, -1000]]", atol=1e-4)


def test_cross_entropy_from_logits_by_hand():
    logits = torch.tensor([[0.0, 0.0], [1000.0, 0.0]])
    expect_close(cross_entropy_from_logits(logits, torch.tensor([1, 1])), torch.tensor([math.log(2.0), 1000.0]),
                 "cross_entropy_from_logits(logits, y) with logits = [[0, 0], [1000, 0]] and y = [1, 1] "
                 "(one loss per example)")
