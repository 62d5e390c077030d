# expect: fail cross_entropy
# whole-file
# says: a confident mistake costs a lot
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: cross_entropy clamps probabilities to [1e-3, 1] to avoid log(0): any true-class probability below 1e-3 gets loss 6.91 instead of -log p, with zero gradient
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch

EPS = 1e-3


def softmax(X):
    """Row-wise softmax.

    Args:
        X: logits of shape (n, q): one row per example, one column per class.

    Returns:
        A tensor of X's shape whose row i is exp(X[i]) / sum(exp(X[i])), so that
        every row is non-negative and sums to 1.
    """
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged.

    Args:
        y_hat: predicted probabilities of shape (n, q); each row sums to 1.
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log(y_hat[i, y[i]]).
    """
    p = y_hat[range(len(y_hat)), y]
    return -torch.log(torch.clamp(p, EPS, 1.0))  # no log(0) -> no inf/nan
