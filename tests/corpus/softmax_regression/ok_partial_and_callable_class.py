# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: softmax is a functools.partial of a generic helper; cross_entropy is an instance of a class with __call__; replaced docstrings
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import functools

import torch


def _normalised_exp(X, dim):
    """exp(X) normalised along `dim` (shifted by the max along `dim` first, which cancels out)."""
    Z = torch.exp(X - X.max(dim=dim, keepdim=True)[0])
    return Z / Z.sum(dim=dim, keepdim=True)


softmax = functools.partial(_normalised_exp, dim=1)
softmax.__doc__ = "Row-wise softmax of logits X (n, q): rows are non-negative and sum to 1."


class CrossEntropy:
    """Per-example cross-entropy -log y_hat[i, y[i]]; returns shape (n,), no averaging."""

    def __call__(self, y_hat, y):
        n = y_hat.shape[0]
        return -torch.log(y_hat[list(range(n)), y.tolist()])


cross_entropy = CrossEntropy()
