# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: softmax as exp(X - logsumexp(X)) with the LogSumExp written by hand; type hints; arange indexing
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch
from typing import Any  # type hints below


def softmax(X: torch.Tensor) -> torch.Tensor:
    """Row-wise softmax.

    Args:
        X: logits of shape (n, q): one row per example, one column per class.

    Returns:
        A tensor of X's shape whose row i is exp(X[i]) / sum(exp(X[i])), so that
        every row is non-negative and sums to 1.
    """
    m = X.amax(dim=1, keepdim=True)
    log_z = m + torch.log(torch.exp(X - m).sum(dim=1, keepdim=True))
    return torch.exp(X - log_z)


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The cross-entropy loss of each example, not averaged.

    Args:
        y_hat: predicted probabilities of shape (n, q); each row sums to 1.
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log(y_hat[i, y[i]]).
    """
    n = y.shape[0]
    rows = torch.arange(n, device=y_hat.device)
    probs_of_true_class: torch.Tensor = y_hat[rows, y]
    return -torch.log(probs_of_true_class)
