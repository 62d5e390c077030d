"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch


def l2_penalty(w):
    """The L2 penalty of weight decay, as in the book.

    Args:
        w: a weight tensor of any shape.

    Returns:
        A scalar tensor (shape ()), the sum of w's squared entries divided by 2:
        sum(w ** 2) / 2. Not averaged over the entries.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("l2_penalty: not implemented yet")


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        |y_hat - y| for each example, of y_hat's shape (n, 1).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("l1_loss: not implemented yet")


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged.

    With r = y_hat - y, the loss is r**2 / 2 where |r| <= delta, and
    delta * (|r| - delta / 2) elsewhere: quadratic near 0, linear far away, and
    continuous with a continuous slope at |r| = delta.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).
        delta: where the loss turns from quadratic to linear, a positive number.

    Returns:
        The loss of each example, of y_hat's shape (n, 1).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("huber_loss: not implemented yet")


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick.

    Args:
        X: logits of shape (n, q), one row per example.

    Returns:
        A tensor of X's shape whose row i is X[i] - log(sum(exp(X[i]))). It must stay
        finite and correct for logits as large as +-1000: subtract each row's maximum
        before exponentiating.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("log_softmax: not implemented yet")


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged.

    Args:
        logits: unnormalised scores of shape (n, q).
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log_softmax(logits)[i, y[i]]: finite
        even for logits of +-1000.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("cross_entropy_from_logits: not implemented yet")
