"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch


def softmax(X):
    """Row-wise softmax.

    Args:
        X: logits of shape (n, q): one row per example, one column per class.

    Returns:
        A tensor of X's shape whose row i is exp(X[i]) / sum(exp(X[i])), so that
        every row is non-negative and sums to 1.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("softmax: not implemented yet")


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged.

    Args:
        y_hat: predicted probabilities of shape (n, q); each row sums to 1.
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log(y_hat[i, y[i]]).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("cross_entropy: not implemented yet")
